import io

import markdown
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons import progress
from lessons.models import Enrollment
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory
from tests.helpers import translated

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(
        parent=catalogue,
        title="Tekoäly ja me",
        learning_outcomes="Tunnistat kielimallin rajat.\n\nOsaat kirjoittaa kehotteen.",
    )
    intro = LessonPageFactory(parent=course, title="Aluksi")
    basics = ModulePageFactory(parent=course, title="Perusteet")
    first = LessonPageFactory(parent=basics, title="Mikä kielimalli on")
    second = LessonPageFactory(parent=basics, title="Kehotteet")
    practice = ModulePageFactory(parent=course, title="Käytäntö")
    third = LessonPageFactory(parent=practice, title="Mitä ei saa antaa")
    return course, [intro, first, second, third]


def test_course_page_shows_outline_in_tree_order_with_modules(client, course):
    course_page, steps = course
    response = client.get(course_page.url)
    assert response.status_code == 200
    outline = response.context["outline"]
    assert [step.title for step in outline.steps] == [s.title for s in steps]
    assert [s.module.title if s.module else None for s in outline.sections] == [
        None,
        "Perusteet",
        "Käytäntö",
    ]
    html = response.content.decode()
    assert "Tunnistat kielimallin rajat." in html
    assert f'href="{steps[0].url}"' in html  # "Start the course"


def test_lesson_page_has_breadcrumbs_and_prev_next(client, course, learner):
    course_page, steps = course
    client.force_login(learner)
    response = client.get(steps[1].url)
    assert response.status_code == 200
    assert response.context["previous_step"].pk == steps[0].pk
    assert response.context["next_step"].pk == steps[2].pk
    assert [page.title for page in response.context["breadcrumbs"]] == [
        "Tekoäly ja me",
        "Perusteet",
    ]
    step = translated("Step %(number)s of %(total)s") % {"number": 2, "total": 4}
    assert step in response.content.decode()


def test_first_and_last_steps_have_one_neighbour(client, course, learner):
    _, steps = course
    client.force_login(learner)
    first = client.get(steps[0].url).context
    assert first["previous_step"] is None and first["next_step"].pk == steps[1].pk
    last = client.get(steps[-1].url).context
    assert last["previous_step"].pk == steps[2].pk and last["next_step"] is None


def test_draft_lessons_and_lessons_of_draft_modules_are_not_steps(
    client, course, learner
):
    course_page, steps = course
    client.force_login(learner)
    steps[1].unpublish()
    steps[3].get_parent().unpublish()
    response = client.get(course_page.url)
    assert [s.title for s in response.context["outline"].steps] == [
        "Aluksi",
        "Kehotteet",
    ]
    assert client.get(steps[1].url).status_code == 404


def test_pages_are_served_from_stored_html(client, course, learner, monkeypatch):
    course_page, steps = course
    client.force_login(learner)
    renders = []
    convert = markdown.Markdown.convert

    def counting_convert(self, source):
        renders.append(source)
        return convert(self, source)

    # Every renderer in the project ends in Markdown.convert, whichever import path
    # calls it.
    monkeypatch.setattr(markdown.Markdown, "convert", counting_convert)
    lesson = client.get(steps[0].url)
    course_response = client.get(course_page.url)
    assert renders == []
    assert "<h2>Otsikko</h2>" in lesson.content.decode()
    assert "Kurssin <strong>kuvaus</strong>." in course_response.content.decode()


def test_rerender_command_updates_stored_html(course):
    from django.core.management import call_command

    from lessons.models import LessonPage

    _, steps = course
    LessonPage.objects.filter(pk=steps[0].pk).update(body_html="stale")
    call_command("rerender_markdown", stdout=io.StringIO())
    steps[0].refresh_from_db()
    assert steps[0].body_html.startswith("<h2>Otsikko</h2>")


def _build_course(catalogue, lessons, title):
    course = CoursePageFactory(parent=catalogue, title=title)
    modules = [ModulePageFactory(parent=course) for _ in range(2)]
    created = [
        LessonPageFactory(parent=modules[number % 2]) for number in range(lessons)
    ]
    return course, created


def _count_queries(client, url):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_course_page_queries_do_not_grow_with_course_size_for_visitors(
    client, catalogue
):
    small, _ = _build_course(catalogue, 5, "Pieni")
    large, _ = _build_course(catalogue, 60, "Suuri")
    assert _count_queries(client, small.url) == _count_queries(client, large.url)


def test_page_queries_do_not_grow_with_course_size_for_learners(
    client, catalogue, learner
):
    client.force_login(learner)
    small, small_lessons = _build_course(catalogue, 5, "Pieni")
    large, large_lessons = _build_course(catalogue, 60, "Suuri")
    for lesson in small_lessons[:3] + large_lessons[:40]:
        progress.complete_step(user=learner, step=lesson)
    assert _count_queries(client, small.url) == _count_queries(client, large.url)
    assert _count_queries(client, small_lessons[2].url) == _count_queries(
        client, large_lessons[30].url
    )


def test_steps_of_an_unpublished_course_or_module_are_gone_everywhere(
    client, course, learner
):
    course_page, steps = course
    client.force_login(learner)
    in_module = steps[3]
    in_module.get_parent().unpublish()
    course_page.unpublish()
    steps[0].refresh_from_db()
    in_module.refresh_from_db()
    assert steps[0].live and in_module.live

    for step in (steps[0], in_module):
        assert client.get(step.url).status_code == 404
    assert client.get(course_page.url).status_code == 404
    assert not Enrollment.objects.filter(user=learner).exists()
    found = client.get(reverse("lessons:search"), {"q": steps[0].title})
    assert list(found.context["results"]) == []


def test_a_step_of_a_live_course_is_found_and_served(client, course, learner):
    course_page, steps = course
    client.force_login(learner)
    assert client.get(steps[0].url).status_code == 200
    found = client.get(reverse("lessons:search"), {"q": steps[0].title})
    assert [page.pk for page in found.context["results"]] == [steps[0].pk]


def test_only_a_lesson_with_interactive_blocks_loads_their_script(
    client, course, learner
):
    course_page, steps = course
    interactive = LessonPageFactory(
        parent=course_page,
        title="Harjoitus",
        body="/// accordion\n## Eka\nYksi.\n## Toka\nKaksi.\n///",
    )
    client.force_login(learner)
    plain = client.get(steps[0].url).content.decode()
    with_blocks = client.get(interactive.url).content.decode()
    assert 'data-block="' in with_blocks
    assert "js/interactive" in with_blocks and "data-interactive-labels" in with_blocks
    assert "js/interactive" not in plain and "data-interactive-labels" not in plain
