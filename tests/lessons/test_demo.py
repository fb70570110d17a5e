"""The one smoke test that loads the whole demo content."""

import io
import re

import pytest
from django.core.management import call_command
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

    finished = Enrollment.objects.get(course__slug="dataskydd-i-vardagen")
    assert finished.completed_at is not None
    assert Enrollment.objects.filter(completed_at__isnull=True).count() == 1

    html = client.get("/").content.decode()
    for title in PROGRAMME:
        assert title in html
