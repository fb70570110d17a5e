"""Enrolment, step completion, course completion and resume."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from lessons import progress
from lessons.models import Enrollment, StepCompletion
from lessons.signals import course_completed
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    """A course with a lesson directly under it and two modules of lessons."""
    course = CoursePageFactory(parent=catalogue, title="Saavutettavuuden perusteet")
    intro = LessonPageFactory(parent=course, title="Aluksi")
    first = ModulePageFactory(parent=course, title="Miksi")
    why = LessonPageFactory(parent=first, title="Kenelle")
    wcag = LessonPageFactory(parent=first, title="WCAG")
    second = ModulePageFactory(parent=course, title="Käytäntö")
    alt = LessonPageFactory(parent=second, title="Alt-tekstit")
    return course, [intro, why, wcag, alt]


@pytest.fixture
def completions():
    received = []

    def listener(sender, enrollment, **kwargs):
        received.append(enrollment.pk)

    course_completed.connect(listener)
    yield received
    course_completed.disconnect(listener)


def _complete(client, step):
    return client.post(reverse("lessons:complete_step", args=[step.pk]))


def test_start_course_enrols_once_and_goes_to_the_first_step(client, learner, course):
    course_page, steps = course
    client.force_login(learner)
    url = reverse("lessons:enrol", args=[course_page.pk])
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    assert first.url == steps[0].url
    assert Enrollment.objects.filter(user=learner, course=course_page).count() == 1


def test_enrol_and_complete_refuse_get(client, learner, course):
    course_page, steps = course
    client.force_login(learner)
    assert (
        client.get(reverse("lessons:enrol", args=[course_page.pk])).status_code == 405
    )
    assert (
        client.get(reverse("lessons:complete_step", args=[steps[0].pk])).status_code
        == 405
    )


def test_enrol_in_a_course_that_is_not_live_is_404(client, learner, course):
    course_page, _ = course
    course_page.unpublish()
    client.force_login(learner)
    assert (
        client.post(reverse("lessons:enrol", args=[course_page.pk])).status_code == 404
    )
    assert client.post(reverse("lessons:enrol", args=[999999])).status_code == 404


def test_completing_something_that_is_not_a_live_step_is_404(client, learner, course):
    course_page, steps = course
    client.force_login(learner)
    module = steps[1].get_parent()
    assert (
        client.post(reverse("lessons:complete_step", args=[module.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("lessons:complete_step", args=[course_page.pk])).status_code
        == 404
    )
    steps[3].unpublish()
    assert _complete(client, steps[3]).status_code == 404
    course_page.unpublish()
    assert _complete(client, steps[0]).status_code == 404
    assert not StepCompletion.objects.exists()


def test_anonymous_posts_are_sent_to_log_in(client, course):
    course_page, steps = course
    response = client.post(reverse("lessons:enrol", args=[course_page.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert _complete(client, steps[0]).url.startswith(reverse("login"))
    assert not Enrollment.objects.exists()


def test_mark_as_done_is_idempotent_and_goes_to_the_next_step(client, learner, course):
    _, steps = course
    client.force_login(learner)
    first = _complete(client, steps[0])
    again = _complete(client, steps[0])
    assert first.url == again.url == steps[1].url
    assert StepCompletion.objects.filter(user=learner).count() == 1


def test_completing_every_step_completes_the_course_exactly_once(
    client, learner, course, completions, django_capture_on_commit_callbacks
):
    course_page, steps = course
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        for step in steps:
            response = _complete(client, step)
    assert response.url == reverse("lessons:course_completed", args=[course_page.pk])
    enrollment = Enrollment.objects.get(user=learner, course=course_page)
    completed_at = enrollment.completed_at
    assert completed_at is not None
    assert completions == [enrollment.pk]

    with django_capture_on_commit_callbacks(execute=True):
        _complete(client, steps[-1])
        progress.update_course_completion(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.completed_at == completed_at
    assert completions == [enrollment.pk]


def test_opening_a_lesson_enrols_silently_and_remembers_the_step(
    client, learner, course
):
    course_page, steps = course
    client.force_login(learner)
    assert client.get(steps[2].url).status_code == 200
    enrollment = Enrollment.objects.get(user=learner, course=course_page)
    assert enrollment.last_step_id == steps[2].pk
    assert enrollment.source == "self"


def test_resume_goes_to_the_first_step_not_done_from_the_last_visited(learner, course):
    course_page, steps = course
    for step in (steps[0], steps[2]):
        progress.complete_step(user=learner, step=step)
    enrollment = Enrollment.objects.get(user=learner)
    progress.record_visit(enrollment=enrollment, step=steps[2])
    current = progress.progress_for(user=learner, courses=[course_page])[course_page.pk]
    assert current.resume_step.pk == steps[3].pk
    progress.complete_step(user=learner, step=steps[3])
    current = progress.progress_for(user=learner, courses=[course_page])[course_page.pk]
    assert current.resume_step.pk == steps[1].pk  # wraps round to what is left


def test_continue_link_on_the_course_page(client, learner, course, settings):
    settings.LANGUAGE_CODE = "en"
    course_page, steps = course
    client.force_login(learner)
    client.get(steps[1].url)
    _complete(client, steps[1])
    html = client.get(course_page.url).content.decode()
    assert f'href="{steps[2].url}"' in html
    assert "1 of 4 steps done" in html


def test_progress_counts_steps_in_modules_and_directly_under_the_course(
    learner, course
):
    course_page, steps = course
    progress.complete_step(user=learner, step=steps[0])
    progress.complete_step(user=learner, step=steps[3])
    current = progress.progress_for(user=learner, courses=[course_page])[course_page.pk]
    assert (current.done, current.total, current.percent) == (2, 4, 50)


def test_a_step_added_after_completion_keeps_the_completion(learner, course):
    course_page, steps = course
    for step in steps:
        progress.complete_step(user=learner, step=step)
    LessonPageFactory(parent=course_page, title="Uusi oppitunti")
    current = progress.progress_for(user=learner, courses=[course_page])[course_page.pk]
    assert current.is_completed and current.percent == 100
    assert (current.done, current.total) == (4, 5)


def test_an_unpublished_step_no_longer_counts_and_can_finish_the_course(
    learner, course, completions, django_capture_on_commit_callbacks
):
    course_page, steps = course
    for step in steps[:3]:
        progress.complete_step(user=learner, step=step)
    with django_capture_on_commit_callbacks(execute=True):
        steps[3].unpublish()  # the last step not done goes away
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.completed_at is not None
    assert completions == [enrollment.pk]
    assert StepCompletion.objects.filter(user=learner).count() == 3


def test_completions_are_kept_when_a_done_step_is_unpublished(learner, course):
    course_page, steps = course
    progress.complete_step(user=learner, step=steps[0])
    steps[0].unpublish()
    current = progress.progress_for(user=learner, courses=[course_page])[course_page.pk]
    assert (current.done, current.total) == (0, 3)
    assert StepCompletion.objects.filter(user=learner, page=steps[0]).exists()


def test_pages_with_learning_records_cannot_be_deleted_in_the_admin(
    client, superuser, learner, course
):
    course_page, steps = course
    progress.complete_step(user=learner, step=steps[1])
    client.force_login(superuser)
    for page in (steps[1], steps[1].get_parent(), course_page):
        response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
        assert response.status_code == 302
        assert type(page).objects.filter(pk=page.pk).exists()
    untouched = steps[3]
    client.post(reverse("wagtailadmin_pages:delete", args=[untouched.pk]))
    assert not type(untouched).objects.filter(pk=untouched.pk).exists()


def test_catalogue_shows_each_course_status_to_a_learner(
    client, learner, catalogue, course
):
    course_page, steps = course
    other = CoursePageFactory(parent=catalogue, title="Tekoäly ja me")
    LessonPageFactory(parent=other)
    progress.complete_step(user=learner, step=steps[0])
    client.force_login(learner)
    cards = {c.pk: c.learner_progress for c in client.get("/").context["courses"]}
    assert cards[course_page.pk].percent == 25
    assert not cards[other.pk].is_enrolled


def test_login_round_trip_returns_to_the_lesson(client, learner, course):
    _, steps = course
    response = client.get(steps[1].url)
    assert response.status_code == 302
    login_url = response.url
    assert login_url.startswith(reverse("login")) and "next=" in login_url
    landed = client.post(
        login_url,
        {
            "username": learner.email,
            "password": "correct horse battery staple",
            "next": steps[1].url,
        },
    )
    assert landed.url == steps[1].url
    assert client.get(landed.url).status_code == 200


def test_catalogue_and_course_page_stay_open_to_visitors(client, course):
    course_page, _ = course
    assert client.get("/").status_code == 200
    response = client.get(course_page.url)
    assert response.status_code == 200
    assert reverse("login") in response.content.decode()


def test_admin_shows_learner_counts_without_names(
    client, editor, learner, second_learner, course
):
    course_page, steps = course
    for step in steps:
        progress.complete_step(user=learner, step=step)
    progress.enrol(user=second_learner, course=course_page)
    client.force_login(editor)
    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[course_page.pk])
    ).content.decode()
    panel = BeautifulSoup(html, "html.parser").select_one("dl.enrollment-summary")
    assert [dd.get_text(strip=True) for dd in panel.select("dd")] == ["2", "1", "1"]
    for person in (learner, second_learner):
        assert person.email not in html and person.get_full_name() not in html


def test_due_dates_come_from_the_enrolment(learner, course):
    course_page, _ = course
    due = datetime.date(2027, 1, 31)
    enrollment, created = progress.enrol(
        user=learner, course=course_page, source="assigned", due_date=due
    )
    assert created and enrollment.due_date == due


def test_people_with_learning_records_cannot_be_deleted_in_the_admin(
    client, superuser, learner, second_learner, course
):
    _, steps = course
    progress.complete_step(user=learner, step=steps[0])
    client.force_login(superuser)
    response = client.post(reverse("wagtailusers_users:delete", args=[learner.pk]))
    assert response.status_code == 302
    assert type(learner).objects.filter(pk=learner.pk).exists()
    bulk = (
        reverse("wagtail_bulk_action", args=["people", "user", "delete"])
        + f"?id={learner.pk}&id={second_learner.pk}"
    )
    assert client.post(bulk).status_code == 302
    assert (
        type(learner).objects.filter(pk__in=[learner.pk, second_learner.pk]).count()
        == 2
    )
    client.post(reverse("wagtailusers_users:delete", args=[second_learner.pk]))
    assert not type(learner).objects.filter(pk=second_learner.pk).exists()


def test_bulk_deleting_pages_with_records_is_refused(
    client, superuser, learner, course
):
    _, steps = course
    progress.complete_step(user=learner, step=steps[0])
    client.force_login(superuser)
    bulk = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?id={steps[0].pk}&id={steps[1].pk}"
    )
    assert client.post(bulk).status_code == 302
    assert type(steps[0]).objects.filter(pk__in=[steps[0].pk, steps[1].pk]).count() == 2
