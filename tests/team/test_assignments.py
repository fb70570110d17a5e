"""Course assignments: enrolments with due dates, also for people who join later."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lessons import progress
from lessons.models import Enrollment, LessonPage
from lessons.models.records import EnrollmentSource
from people.importing import import_people
from team.assignments import assign_course
from tests.factories import CoursePageFactory, LessonPageFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
DUE = TODAY + timedelta(days=30)


@pytest.fixture(autouse=True)
def noon_today():
    """Stand at noon on TODAY in Helsinki, so a run crossing midnight keeps one day."""
    moment = datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Europe/Helsinki"))
    with time_machine.travel(moment):
        yield


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Tekoäly ja me")
    LessonPageFactory(parent=course)
    return course


def _due_dates(course):
    return dict(
        Enrollment.objects.filter(course=course).values_list("user__email", "due_date")
    )


def test_assigning_a_unit_with_subunits_enrols_everyone_active_below_it(
    course, org, learner, second_learner, manager
):
    UserFactory(email="left@example.org", org_unit=org.team_a, is_active=False)
    assignment, covered = assign_course(
        course=course, due_date=DUE, assigned_by=manager, unit=org.sector
    )
    assert covered == 3
    assert _due_dates(course) == {
        "learner@example.org": DUE,
        "learner2@example.org": DUE,
        "manager@example.org": DUE,
    }
    assert set(Enrollment.objects.values_list("source", flat=True)) == {"assigned"}
    assert assignment.assigned_by == manager


def test_without_subunits_only_the_unit_itself_is_covered(course, org, learner):
    sector_head = UserFactory(email="head@example.org", org_unit=org.sector)
    assign_course(
        course=course,
        due_date=DUE,
        assigned_by=sector_head,
        unit=org.sector,
        include_subunits=False,
    )
    assert set(_due_dates(course)) == {"head@example.org"}


def test_assigning_chosen_people(course, learner, second_learner, manager):
    _assignment, covered = assign_course(
        course=course, due_date=DUE, assigned_by=manager, people=[learner]
    )
    assert covered == 1
    assert set(_due_dates(course)) == {"learner@example.org"}


def test_an_earlier_due_date_is_kept_and_a_later_one_brought_forward(
    course, org, learner, manager
):
    assign_course(course=course, due_date=DUE, assigned_by=manager, unit=org.team_a)
    assign_course(
        course=course,
        due_date=DUE + timedelta(days=10),
        assigned_by=manager,
        unit=org.team_a,
    )
    assert _due_dates(course)["learner@example.org"] == DUE
    sooner = DUE - timedelta(days=10)
    assign_course(course=course, due_date=sooner, assigned_by=manager, people=[learner])
    assert _due_dates(course)["learner@example.org"] == sooner
    assert Enrollment.objects.filter(user=learner).count() == 1


def test_a_self_enrolment_becomes_assigned_and_a_completed_one_is_left_alone(
    course, org, learner, manager
):
    progress.enrol(user=learner, course=course)
    lesson = LessonPage.objects.child_of(course).get()
    progress.complete_step(user=manager, step=lesson, course=course)
    assign_course(course=course, due_date=DUE, assigned_by=manager, unit=org.team_a)
    mine = Enrollment.objects.get(user=learner)
    assert (mine.source, mine.due_date) == (EnrollmentSource.ASSIGNED, DUE)
    finished = Enrollment.objects.get(user=manager)
    assert finished.completed_at is not None
    assert (finished.source, finished.due_date) == (EnrollmentSource.SELF, None)


def test_people_who_join_or_move_into_the_unit_later_are_enrolled(
    course, org, learner, second_learner, manager
):
    assign_course(course=course, due_date=DUE, assigned_by=manager, unit=org.team_a)
    newcomer = UserFactory(email="new@example.org", org_unit=org.team_a)
    second_learner.org_unit = org.team_a
    second_learner.save()
    dates = _due_dates(course)
    assert dates["new@example.org"] == DUE
    assert dates["learner2@example.org"] == DUE
    assert newcomer.enrollments.get().source == EnrollmentSource.ASSIGNED


def test_saving_a_login_time_does_not_look_up_assignments(
    course, org, learner, django_assert_num_queries
):
    learner.last_login = learner.date_joined
    with django_assert_num_queries(1):
        learner.save(update_fields=["last_login"])


def test_people_imported_into_an_assigned_unit_are_enrolled(course, org, manager):
    assign_course(course=course, due_date=DUE, assigned_by=manager, unit=org.sector)
    csv = (
        "employee_number;email;first_name;last_name;unit_code\n"
        "7001;uusi.tyontekija@example.org;Uusi;Työntekijä;TEAM-B\n"
    )
    report = import_people(csv.encode())
    assert report.created == 1
    assert _due_dates(course)["uusi.tyontekija@example.org"] == DUE
    dry = import_people(csv.replace("7001;uusi", "7002;toinen").encode(), dry_run=True)
    assert dry.created == 1
    assert "toinen.tyontekija@example.org" not in _due_dates(course)
