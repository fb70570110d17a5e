"""Moving an assignment's due date and withdrawing it, from /team/assignments/."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lessons import progress
from lessons.models import Enrollment, LessonPage, StepCompletion
from lessons.models.records import EnrollmentSource
from people.models import User
from team.assignments import assign_course, change_due_date, withdraw_assignment
from team.reminders import send_reminders
from tests.factories import CoursePageFactory, LessonPageFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
DUE = TODAY + timedelta(days=30)


@pytest.fixture(autouse=True)
def noon_today():
    moment = datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Europe/Helsinki"))
    with time_machine.travel(moment):
        yield


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Tietoturva")
    for _number in range(2):
        LessonPageFactory(parent=course)
    return course


@pytest.fixture
def assignment(course, org, learner, manager):
    assignment, _covered = assign_course(
        course=course, due_date=DUE, assigned_by=manager, unit=org.team_a
    )
    return assignment


@pytest.fixture
def co_manager(org):
    """A second manager of team A, who did not make the assignment."""
    person = UserFactory(email="co.manager@example.org", org_unit=org.team_a)
    org.team_a.managers.add(person)
    return person


def _enrollment(person, course):
    return Enrollment.objects.get(user=person, course=course)


def _lessons(course):
    return list(LessonPage.objects.child_of(course))


def test_moving_the_due_date_moves_the_open_enrolments_only(
    assignment, course, learner, manager
):
    done = UserFactory(email="done@example.org", org_unit=learner.org_unit)
    for lesson in _lessons(course):
        progress.complete_step(user=done, step=lesson, course=course)
    later = DUE + timedelta(days=10)
    moved = change_due_date(assignment=assignment, due_date=later, changed_by=manager)
    assert moved == 2
    assert _enrollment(learner, course).due_date == later
    assert _enrollment(done, course).due_date == DUE
    assignment.refresh_from_db()
    assert (assignment.due_date, assignment.due_date_changed_by) == (later, manager)


def test_another_assignment_s_earlier_due_date_is_kept(
    assignment, course, learner, manager
):
    earlier = DUE - timedelta(days=20)
    assign_course(
        course=course, due_date=earlier, assigned_by=manager, people=[learner]
    )
    change_due_date(
        assignment=assignment, due_date=DUE + timedelta(days=5), changed_by=manager
    )
    assert _enrollment(learner, course).due_date == earlier
    assert _enrollment(manager, course).due_date == DUE + timedelta(days=5)


def test_reminders_follow_the_new_due_date(assignment, course, learner, manager):
    sooner = TODAY + timedelta(days=1)
    assert send_reminders(today=TODAY).due_soon == 0
    change_due_date(assignment=assignment, due_date=sooner, changed_by=manager)
    report = send_reminders(today=TODAY, dry_run=True)
    assert f"due:{_enrollment(learner, course).pk}:{sooner.isoformat()}:1" in (
        report.planned
    )


def test_withdrawing_keeps_what_was_learnt_and_ends_the_reminders(
    assignment, course, learner, manager
):
    first, second = _lessons(course)
    progress.complete_step(user=learner, step=first, course=course)
    done = UserFactory(email="done@example.org", org_unit=learner.org_unit)
    for lesson in (first, second):
        progress.complete_step(user=done, step=lesson, course=course)
    released = withdraw_assignment(assignment=assignment, withdrawn_by=manager)
    assert released == 2
    mine = _enrollment(learner, course)
    assert (mine.source, mine.due_date) == (EnrollmentSource.SELF, None)
    assert StepCompletion.objects.filter(user=learner, page=first).exists()
    finished = _enrollment(done, course)
    assert finished.completed_at is not None
    assert (finished.source, finished.due_date) == (EnrollmentSource.ASSIGNED, DUE)
    assignment.refresh_from_db()
    assert assignment.is_withdrawn and assignment.withdrawn_by == manager
    report = send_reminders(today=DUE + timedelta(days=1), dry_run=True)
    assert report.planned == []


def test_withdrawing_leaves_what_another_assignment_gives(
    assignment, course, learner, manager
):
    other_due = DUE + timedelta(days=3)
    assign_course(
        course=course, due_date=other_due, assigned_by=manager, people=[learner]
    )
    assert withdraw_assignment(assignment=assignment, withdrawn_by=manager) == 1
    mine = _enrollment(learner, course)
    assert (mine.source, mine.due_date) == (EnrollmentSource.ASSIGNED, other_due)
    assert _enrollment(manager, course).source == EnrollmentSource.SELF


def test_a_withdrawn_assignment_enrols_nobody_who_joins_later(
    assignment, course, org, manager
):
    withdraw_assignment(assignment=assignment, withdrawn_by=manager)
    joiner = UserFactory(email="joiner@example.org", org_unit=org.team_a)
    assert not Enrollment.objects.filter(user=joiner, course=course).exists()


def test_the_assigner_moves_the_due_date_from_the_assignment_page(
    client, assignment, course, learner, manager
):
    client.force_login(manager)
    url = reverse("team:assignment", args=[assignment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="due_date"' in page.content.decode()
    later = DUE + timedelta(days=7)
    response = client.post(url, {"due_date": later.isoformat()})
    assert (response.status_code, response["Location"]) == (302, url)
    assert _enrollment(learner, course).due_date == later
    assert "The due date is now" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "value, error",
    [
        ("2000-01-01", "The due date cannot be in the past."),
        ("31.2.2027", "Enter a valid date."),
        ("", "This field is required."),
    ],
)
def test_a_bad_due_date_is_a_form_error(
    client, assignment, course, learner, manager, value, error
):
    client.force_login(manager)
    response = client.post(
        reverse("team:assignment", args=[assignment.pk]), {"due_date": value}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"] == [error]
    assert _enrollment(learner, course).due_date == DUE


def test_changes_need_the_csrf_token(assignment, manager, course, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    later = (DUE + timedelta(days=7)).isoformat()
    url = reverse("team:assignment", args=[assignment.pk])
    assert client.post(url, {"due_date": later}).status_code == 403
    withdraw = reverse("team:assignment_withdraw", args=[assignment.pk])
    assert client.post(withdraw).status_code == 403
    assert _enrollment(learner, course).due_date == DUE
    assignment.refresh_from_db()
    assert not assignment.is_withdrawn


def test_withdrawing_asks_first_then_records_who_and_when(
    client, assignment, course, learner, manager
):
    client.force_login(manager)
    url = reverse("team:assignment_withdraw", args=[assignment.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Withdraw the assignment?" in confirm.content.decode()
    assignment.refresh_from_db()
    assert not assignment.is_withdrawn
    response = client.post(url)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.withdrawn_by == manager
    detail = client.get(response["Location"]).content.decode()
    assert "2 people keep the course" in detail
    assert 'name="due_date"' not in detail
    person = client.get(reverse("team:person", args=[learner.pk])).content.decode()
    assert "withdrawn on 15.6.2026" in person
    assert client.post(url).status_code == 302


def test_who_may_change_an_assignment(
    client,
    assignment,
    co_manager,
    unrelated_manager,
    training_admin,
    learner,
    course,
):
    detail = reverse("team:assignment", args=[assignment.pk])
    withdraw = reverse("team:assignment_withdraw", args=[assignment.pk])
    later = {"due_date": (DUE + timedelta(days=7)).isoformat()}
    assert client.get(detail).status_code == 302
    client.force_login(learner)
    assert client.get(detail).status_code == 403
    client.force_login(unrelated_manager)
    for response in (client.get(detail), client.post(detail, later)):
        assert response.status_code == 404
    assert client.post(withdraw).status_code == 404
    client.force_login(co_manager)
    page = client.get(detail)
    assert page.status_code == 200
    assert 'name="due_date"' not in page.content.decode()
    assert client.post(detail, later).status_code == 403
    assert client.get(withdraw).status_code == 403
    assert client.post(withdraw).status_code == 403
    assert _enrollment(learner, course).due_date == DUE
    client.force_login(training_admin)
    assert client.post(withdraw).status_code == 302
    assignment.refresh_from_db()
    assert assignment.withdrawn_by == training_admin


def test_the_dashboard_lists_recent_assignments_with_links(client, assignment, manager):
    client.force_login(manager)
    html = client.get(reverse("team:dashboard")).content.decode()
    assert reverse("team:assignment", args=[assignment.pk]) in html
    listing = client.get(reverse("team:assignments"))
    assert listing.status_code == 200
    assert reverse("team:assignment", args=[assignment.pk]) in (
        listing.content.decode()
    )


@pytest.mark.parametrize("url_name", ["team:assignments", "team:assignment"])
def test_assignment_pages_take_the_same_queries_for_any_number(
    client, catalogue, org, manager, url_name
):
    client.force_login(manager)
    counts = []
    for size in (2, 30):
        first = None
        for number in range(size):
            course = CoursePageFactory(parent=catalogue, title=f"K{size}-{number}")
            assignment, _covered = assign_course(
                course=course, due_date=DUE, assigned_by=manager, unit=org.team_a
            )
            first = first or assignment
        User.objects.bulk_create(
            User(email=f"n{size}-{n}@example.org", org_unit=org.team_a)
            for n in range(size)
        )
        args = [first.pk] if url_name == "team:assignment" else []
        client.get(reverse(url_name, args=args))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name, args=args)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
