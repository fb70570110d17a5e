"""Managers' digests, read for all managers at once: subtrees and training admins."""

from datetime import date

import pytest

from team.assignments import assign_course
from team.reminders import send_reminders
from tests.factories import CoursePageFactory, LessonPageFactory, UserFactory
from tests.helpers import translated

pytestmark = pytest.mark.django_db

DUE = date(2026, 6, 17)
DIGEST = "Your team's overdue courses this week"


@pytest.fixture
def overdue_everywhere(catalogue, org, learner, second_learner, manager):
    """A course overdue for team A (the learner) and team B (the second learner)."""
    course = CoursePageFactory(parent=catalogue, title="Tietoturva")
    LessonPageFactory(parent=course)
    assign_course(course=course, due_date=DUE, assigned_by=manager, unit=org.sector)
    return course


def _digest_to(outbox, person):
    subject = translated(DIGEST, person.preferred_language)
    [digest] = [m for m in outbox if m.to == [person.email] and m.subject == subject]
    return digest.body


def test_a_manager_of_the_sector_hears_of_every_team_under_it(
    overdue_everywhere, org, learner, second_learner, mailoutbox
):
    head = UserFactory(email="head@example.org", org_unit=org.sector)
    org.sector.managers.add(head)

    send_reminders(today=date(2026, 6, 18))

    body = _digest_to(mailoutbox, head)
    assert learner.last_name in body and second_learner.last_name in body


def test_a_training_admin_who_manages_a_team_hears_of_everyone(
    overdue_everywhere, org, learner, second_learner, training_admin, mailoutbox
):
    org.team_b.managers.add(training_admin)

    send_reminders(today=date(2026, 6, 18))

    body = _digest_to(mailoutbox, training_admin)
    assert learner.last_name in body and second_learner.last_name in body
