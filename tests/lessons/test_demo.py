"""The one smoke test that loads the whole demo content."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from lessons.models import (
    CoursePage,
    Enrollment,
    LessonPage,
    ModulePage,
    StepCompletion,
)
from people.models import User

pytestmark = pytest.mark.django_db

PROGRAMME = {
    "Hyvän esihenkilön ABC",
    "Saavutettavuuden perusteet",
    "Tekoäly ja me",
    "Kun johtaminen siirtyy verkkoon",
    "Asiakaskokemus nousuun",
}


def _counts():
    return {
        "enrolments": Enrollment.objects.count(),
        "completions": StepCompletion.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "courses": CoursePage.objects.count(),
    }


def test_load_demo_twice_gives_the_same_content_and_prints_logins(
    client, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    first_output = io.StringIO()
    call_command("load_demo", stdout=first_output)
    first = _counts()
    second_output = io.StringIO()
    call_command("load_demo", stdout=second_output)
    assert _counts() == first
    assert first_output.getvalue() == second_output.getvalue()
    assert "editor@example.org" in first_output.getvalue()

    live_titles = set(CoursePage.objects.live().values_list("title", flat=True))
    assert live_titles >= PROGRAMME
    for course in CoursePage.objects.all():
        modules = ModulePage.objects.child_of(course)
        lessons = LessonPage.objects.descendant_of(course)
        assert modules.count() == 2, course.title
        assert 3 <= lessons.count() <= 6, course.title
        assert all(len(lesson.body.split()) > 250 for lesson in lessons), course.title

    editor = User.objects.get(email="editor@example.org")
    assert not editor.is_superuser and editor.groups.filter(name="Editors").exists()
    password = first_output.getvalue().split("editor@example.org")[1].split()[0]
    assert editor.check_password(password)

    bodies = list(LessonPage.objects.values_list("body_html", flat=True))
    assert sum('class="interactive' in body for body in bodies) >= 5
    assert not any("block-error" in body for body in bodies)
    from lessons.interactive import BLOCK_NAMES

    kinds_per_lesson = [set(re.findall(r'data-block="(\w+)"', body)) for body in bodies]
    assert any(kinds >= BLOCK_NAMES - {"timeline"} for kinds in kinds_per_lesson)

    linnea = Enrollment.objects.filter(user__email="learner2@example.org")
    finished = linnea.get(course__slug="dataskydd-i-vardagen")
    assert finished.completed_at is not None
    assert linnea.get(course__slug="tekoaly-ja-me").completed_at is None

    _check_the_demo_city(client)
    _check_the_numbers_the_courses_state()

    html = client.get("/").content.decode()
    for title in PROGRAMME:
        assert title in html


NUMBER_WORDS = {
    word: number
    for words in (
        "yksi kaksi kolme neljä viisi kuusi seitsemän kahdeksan",
        "en två tre fyra fem sex sju åtta",
        "one two three four five six seven eight",
    )
    for number, word in enumerate(words.split(), start=1)
} | {"kahdesta": 2, "kolmesta": 3, "neljästä": 4, "viidestä": 5, "kuudesta": 6}
LESSON_WORDS = r"oppitun\w*|lektion\w*|lessons?"
MODULE_WORDS = r"osaa|moduul\w*|modul\w*|modules?"


def _stated(text, nouns):
    """Return the numbers the text states of the nouns ("viisi lyhyttä oppituntia")."""
    words = "|".join(NUMBER_WORDS)
    pattern = rf"\b({words})\b(?:\s+[\wäöå]+){{0,3}}?\s+(?:{nouns})\b"
    return [NUMBER_WORDS[match.lower()] for match in re.findall(pattern, text, re.I)]


def _check_the_numbers_the_courses_state():
    """What a course's description says of its lessons, modules and time is true."""
    for course in CoursePage.objects.all():
        lessons = LessonPage.objects.descendant_of(course)
        modules = ModulePage.objects.child_of(course).count()
        text = f"{course.summary} {course.description}"
        assert set(_stated(text, LESSON_WORDS)) <= {lessons.count()}, course.title
        assert set(_stated(text, MODULE_WORDS)) <= {modules}, course.title
        assert _stated(text, LESSON_WORDS + "|" + MODULE_WORDS), course.title
        minutes = sum(lesson.estimated_minutes for lesson in lessons)
        assert course.estimated_minutes == minutes, course.title


def _check_the_demo_city(client):
    """About 60 people in sectors, departments and teams; a manager with a team."""
    from people import access
    from people.models import OrgUnit

    staff = User.objects.filter(employee_number__isnull=False)
    assert 55 <= staff.count() <= 70
    assert set(staff.values_list("preferred_language", flat=True)) == {"fi", "sv", "en"}
    root = OrgUnit.objects.get(code="KAUPUNKI")
    assert root.get_children_count() == 3
    assert OrgUnit.objects.filter(depth=4).count() >= 6

    manager = User.objects.get(email="manager@example.org")
    team = access.team_members(manager)
    assert 10 <= team.count() <= 20
    assert team.filter(email="learner1@example.org").exists()
    assert not team.filter(email="learner3@example.org").exists()
    overdue = Enrollment.objects.filter(
        user__in=team, completed_at__isnull=True, due_date__lt=timezone.localdate()
    )
    assert overdue.exists()
    assert Enrollment.objects.filter(user__in=team, completed_at__isnull=False).exists()

    client.force_login(manager)
    page = client.get("/team/").content.decode()
    assert "Leena Laine" in page and "Liam Lee" not in page
