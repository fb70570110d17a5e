"""The number of queries of the pages a learner opens most, whatever the course size.

The shared parts (the site's look, the course and its outline, the routes) come
from the cache once someone has opened the page; what remains is the page itself,
the person and their records.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches

from lessons import caching, progress
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db

# The person, their enrolment, the visit remembered, their completions; the site,
# the page and its ancestors' publication come from the shared cache
# (lessons.middleware, CourseIndexPage.route).
LESSON_PAGE_QUERIES = 4
# The same without the visit.
COURSE_PAGE_QUERIES = 3
# Nothing but the shared cache for a visitor.
ANONYMOUS_COURSE_PAGE_QUERIES = 0
# The person, their enrolments and completions; the courses from the shared cache.
CATALOGUE_QUERIES = 3


@pytest.fixture(params=[5, 60], ids=["5-lessons", "60-lessons"])
def course(request, catalogue):
    """A course of three modules and the given number of lessons."""
    course = CoursePageFactory(parent=catalogue)
    modules = [ModulePageFactory(parent=course) for _ in range(3)]
    lessons = [
        LessonPageFactory(parent=modules[number * 3 // request.param])
        for number in range(request.param)
    ]
    return course, lessons


@pytest.fixture
def learner_with_progress(client, course, learner, second_learner):
    """The learner has done two lessons; another learner opened the pages first."""
    course_page, lessons = course
    for lesson in lessons[:2]:
        progress.complete_step(user=learner, step=lesson)
    client.force_login(second_learner)
    for page in [course_page, lessons[2], lessons[3]]:
        assert client.get(page.url).status_code == 200
    client.force_login(learner)
    assert client.get(lessons[2].url).status_code == 200
    return learner


def test_lesson_page_runs_a_fixed_number_of_queries(
    client, course, learner_with_progress, django_assert_num_queries
):
    _course_page, lessons = course
    with django_assert_num_queries(LESSON_PAGE_QUERIES):
        response = client.get(lessons[3].url)
    assert response.status_code == 200
    assert response.context["progress"].done == 2


def test_a_lesson_page_reads_the_content_generation_once(
    client, course, learner_with_progress, monkeypatch
):
    _course_page, lessons = course
    shared_cache = caches["default"]
    keys_read = []

    def counting(read):
        def wrapper(keys, *args, **kwargs):
            keys_read.extend([keys] if isinstance(keys, str) else keys)
            return read(keys, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(shared_cache, "get", counting(shared_cache.get))
    monkeypatch.setattr(shared_cache, "get_many", counting(shared_cache.get_many))
    assert client.get(lessons[3].url).status_code == 200
    assert keys_read.count(caching.GENERATION_KEY) == 1


def test_reopening_a_lesson_page_writes_nothing(
    client, course, learner_with_progress, django_assert_num_queries
):
    _course_page, lessons = course
    with django_assert_num_queries(LESSON_PAGE_QUERIES - 1):
        assert client.get(lessons[2].url).status_code == 200


def test_course_page_of_a_learner_runs_a_fixed_number_of_queries(
    client, course, learner_with_progress, django_assert_num_queries
):
    course_page, lessons = course
    with django_assert_num_queries(COURSE_PAGE_QUERIES):
        response = client.get(course_page.url)
    assert response.context["progress"].done == 2
    assert len(response.context["outline"].steps) == len(lessons)


def test_course_page_of_a_visitor_runs_a_fixed_number_of_queries(
    client, course, learner_with_progress, django_assert_num_queries
):
    course_page, _lessons = course
    client.logout()
    with django_assert_num_queries(ANONYMOUS_COURSE_PAGE_QUERIES):
        response = client.get(course_page.url)
    assert response.status_code == 200
    assert response.context["progress"] is None


def test_catalogue_of_a_learner_runs_a_fixed_number_of_queries(
    client, catalogue, course, learner_with_progress, django_assert_num_queries
):
    client.get(catalogue.url)
    with django_assert_num_queries(CATALOGUE_QUERIES):
        response = client.get(catalogue.url)
    assert response.status_code == 200


def test_header_links_need_no_queries_once_known(
    client, course, learner_with_progress, manager, django_assert_num_queries
):
    """The team and administration links are worked out once, not on each request."""
    _course_page, lessons = course
    client.force_login(manager)
    assert "/team/" in client.get(lessons[0].url).content.decode()
    with django_assert_num_queries(LESSON_PAGE_QUERIES - 1):
        response = client.get(lessons[0].url)
    assert "/team/" in response.content.decode()


def test_new_manager_sees_the_team_link_at_once(client, course, learner, org):
    course_page, _lessons = course
    client.force_login(learner)
    assert "/team/" not in client.get(course_page.url).content.decode()
    org.team_a.managers.add(learner)
    assert "/team/" in client.get(course_page.url).content.decode()
    org.team_a.managers.remove(learner)
    assert "/team/" not in client.get(course_page.url).content.decode()


def test_serving_pages_loads_no_spreadsheet_library():
    """The application a worker loads (URLs, page modules) leaves openpyxl out."""
    assert "openpyxl" not in _modules_loaded_by_the_application()


def test_serving_pages_loads_no_pdf_library():
    assert "weasyprint" not in _modules_loaded_by_the_application()


def _modules_loaded_by_the_application() -> set:
    script = (
        "import sys, django; django.setup();"
        "import config.urls, lessons.models, lessons.views, themes.context_processors,"
        " people.context_processors;"
        "print(' '.join(sorted(name.split('.')[0] for name in sys.modules)))"
    )
    output = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
    ).stdout
    return set(output.split())
