"""A reminder run's queries do not grow with the number of people.

Each person has three courses assigned: one due tomorrow, one later, and for the
first few people one overdue (so that their manager gets a digest). Reminders go in
batches of team.reminders.BATCH_SIZE, and these runs fit in one; the batches of
bench/reminders_at_scale.py (20,000 people) add a few queries each.
"""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import Enrollment
from lessons.models.records import EnrollmentSource
from people.models import User
from team.models import ReminderLog
from team.reminders import send_reminders
from tests.factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 17)
TOMORROW, LATER, YESTERDAY = (TODAY + timedelta(days=days) for days in (1, 30, -1))
OVERDUE_PEOPLE = 5


@pytest.fixture
def courses(catalogue):
    made = []
    for title in ("Tietoturva", "Saavutettavuus", "Tekoäly ja me"):
        course = CoursePageFactory(parent=catalogue, title=title)
        LessonPageFactory(parent=course)
        made.append(course)
    return made


def _staff(org, manager, courses, count):
    """`count` people in team A, each with the three courses assigned."""
    start = User.objects.filter(email__startswith="staff").count()
    people = User.objects.bulk_create(
        User(
            email=f"staff{start + number}@example.org",
            first_name="Sanna",
            last_name=f"Suomi {number}",
            org_unit=org.team_a,
            preferred_language=("fi", "sv", "en")[number % 3],
        )
        for number in range(count)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            user=person,
            course=course,
            source=EnrollmentSource.ASSIGNED,
            due_date=due,
        )
        for index, person in enumerate(people)
        for course, due in zip(courses, _due_dates(start + index), strict=True)
    )
    return people


def _due_dates(number):
    return (TOMORROW, LATER, YESTERDAY if number < OVERDUE_PEOPLE else LATER)


def _queries_of_a_run():
    cache.clear()  # both runs start cold (Wagtail caches the site's root paths)
    with CaptureQueriesContext(connection) as queries:
        report = send_reminders(today=TODAY)
    return len(queries), report


def test_a_run_for_200_people_asks_as_many_queries_as_one_for_20(
    org, manager, courses, mailoutbox
):
    _staff(org, manager, courses, 20)
    few, report = _queries_of_a_run()
    assert (report.due_soon, report.overdue, report.digests) == (20, 5, 1)
    ReminderLog.objects.all().delete()
    _staff(org, manager, courses, 180)

    many, report = _queries_of_a_run()

    assert (report.due_soon, report.overdue, report.digests) == (200, 5, 1)
    assert many == few


def test_a_second_run_sends_nothing_with_as_few_queries(
    org, manager, courses, mailoutbox
):
    people = _staff(org, manager, courses, 200)
    first, _report = _queries_of_a_run()
    sent = len(mailoutbox)

    second, report = _queries_of_a_run()

    assert report.sent == 0
    assert len(mailoutbox) == sent == len(people) + OVERDUE_PEOPLE + 1
    assert ReminderLog.objects.count() == sent
    assert second < first
