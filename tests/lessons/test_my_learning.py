"""My learning: assigned, in progress and completed courses."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons import progress
from tests.factories import CoursePageFactory, LessonPageFactory, UserFactory
from tests.helpers import translated

pytestmark = pytest.mark.django_db
URL = reverse("lessons:my_learning")


def _course(catalogue, title, lessons=2):
    course = CoursePageFactory(parent=catalogue, title=title)
    return course, [LessonPageFactory(parent=course) for _ in range(lessons)]


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_empty_state_points_to_the_catalogue(client, learner, catalogue):
    client.force_login(learner)
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["overview"].is_empty
    assert translated("You have not started any courses yet.") in html
    assert 'href="/"' in html


@time_machine.travel(datetime.datetime(2026, 11, 28, 12, 0), tick=False)
def test_sections_show_assigned_in_progress_and_completed(client, learner, catalogue):
    started, started_steps = _course(catalogue, "Aloitettu")
    done, done_steps = _course(catalogue, "Valmis")
    late, _ = _course(catalogue, "Myöhässä")
    soon, _ = _course(catalogue, "Pian")
    progress.complete_step(user=learner, step=started_steps[0])
    for step in done_steps:
        progress.complete_step(user=learner, step=step)
    progress.enrol(
        user=learner,
        course=soon,
        source="assigned",
        due_date=datetime.date(2026, 12, 20),
    )
    progress.enrol(
        user=learner,
        course=late,
        source="assigned",
        due_date=datetime.date(2026, 11, 1),
    )
    client.force_login(learner)
    overview = client.get(URL).context["overview"]

    assert [p.course.title for p in overview.assigned] == ["Myöhässä", "Pian"]
    assert [p.is_overdue for p in overview.assigned] == [True, False]
    assert [p.course.title for p in overview.in_progress] == ["Aloitettu"]
    assert overview.in_progress[0].resume_step.pk == started_steps[1].pk
    assert [p.course.title for p in overview.completed] == ["Valmis"]

    html = client.get(URL).content.decode()
    assert translated("Overdue") in html
    assert "learning-item--overdue" in html
    assert f'href="{started_steps[1].url}"' in html
    assert "28.11.2026" in html  # completion date


def test_a_course_taken_down_midway_leaves_in_progress_but_completed_stays(
    client, learner, catalogue
):
    gone, gone_steps = _course(catalogue, "Poistunut")
    finished, finished_steps = _course(catalogue, "Suoritettu")
    progress.complete_step(user=learner, step=gone_steps[0])
    for step in finished_steps:
        progress.complete_step(user=learner, step=step)
    gone.unpublish()
    finished.unpublish()
    client.force_login(learner)
    overview = client.get(URL).context["overview"]
    assert overview.in_progress == []
    assert [p.course.title for p in overview.completed] == ["Suoritettu"]


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_learning_queries_do_not_grow_with_enrolments(client, learner, catalogue):
    client.force_login(learner)

    def enrol_in_new_courses(count, first_number):
        for number in range(first_number, first_number + count):
            course, steps = _course(catalogue, f"Kurssi {number}", lessons=3)
            progress.complete_step(user=learner, step=steps[0])

    enrol_in_new_courses(1, first_number=0)
    one = _queries(client, URL)
    enrol_in_new_courses(29, first_number=1)
    assert _queries(client, URL) == one


def test_catalogue_queries_do_not_grow_with_a_learners_enrolments(
    client, learner, catalogue
):
    client.force_login(learner)
    first, steps = _course(catalogue, "Eka")
    progress.complete_step(user=learner, step=steps[0])
    one = _queries(client, "/")
    for number in range(29):
        course, steps = _course(catalogue, f"Kurssi {number}")
        progress.complete_step(user=learner, step=steps[0])
    assert _queries(client, "/") == one


def test_course_and_lesson_pages_do_not_grow_with_other_learners(
    client, learner, catalogue
):
    course, steps = _course(catalogue, "Suosittu", lessons=5)
    client.force_login(learner)
    progress.enrol(user=UserFactory(), course=course)
    course_one, lesson_one = (
        _queries(client, course.url),
        _queries(client, steps[2].url),
    )
    for _ in range(29):
        other = UserFactory()
        progress.complete_step(user=other, step=steps[0])
    assert _queries(client, course.url) == course_one
    assert _queries(client, steps[2].url) == lesson_one


@time_machine.travel(datetime.datetime(2026, 11, 28, 12, 0), tick=False)
def test_the_course_page_and_my_learning_say_the_same_next_action_and_due_date(
    client, learner, catalogue
):
    course, steps = _course(catalogue, "Tietoturva", lessons=2)
    progress.enrol(
        user=learner,
        course=course,
        source="assigned",
        due_date=datetime.date(2026, 11, 20),
    )
    client.force_login(learner)

    def both_pages():
        return client.get(course.url).content.decode(), client.get(URL).content.decode()

    for html in both_pages():
        assert translated("Start the course") in html
        assert translated("Continue where you left off") not in html
        assert translated("Overdue") in html and "20.11.2026" in html
    progress.complete_step(user=learner, step=steps[0])
    for html in both_pages():
        assert translated("Continue where you left off") in html
        assert translated("Start the course") not in html
    progress.complete_step(user=learner, step=steps[1])
    course_page, my_learning = both_pages()
    assert translated("Review the course") in course_page
    for html in (course_page, my_learning):
        assert translated("Completed %(date)s") % {"date": "28.11.2026"} in html
        assert translated("Overdue") not in html
