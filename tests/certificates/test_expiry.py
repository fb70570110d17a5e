"""Expiry: the course opens again, a new certificate is earned, reminders go before.

The course was completed on 10 March 2025 and its certificate is valid for 12
months, until 10 March 2026 at 10.00; time_machine moves the clock.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from certificates.issuing import reopen_expired
from certificates.models import Certificate
from lessons.models import Enrollment, LessonPage
from lessons.progress import complete_step
from team.reminders import send_reminders
from tests.certificates.conftest import finish

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "stand_in_pdfs"),
]

HELSINKI = ZoneInfo("Europe/Helsinki")
COMPLETED = datetime(2025, 3, 10, 10, 0, tzinfo=HELSINKI)
EXPIRES = datetime(2026, 3, 10, 10, 0, tzinfo=HELSINKI)
DONE = "You have marked this lesson as done."
EXPIRING = "Your certificate for “%(course)s” expires on %(date)s"


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _morning(day):
    return datetime.combine(day, datetime.min.time(), HELSINKI) + timedelta(hours=6)


@pytest.fixture
def first(course, learner):
    """The learner's first certificate of the course."""
    with _at(COMPLETED):
        finish(learner, course)
    return Certificate.objects.get()


def _lessons(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


def _complete_by_hand(client, course):
    with TestCase.captureOnCommitCallbacks(execute=True):
        for lesson in _lessons(course):
            client.post(reverse("lessons:complete_step", args=[lesson.pk]))


def test_nothing_reopens_before_the_expiry(first):
    with _at(EXPIRES - timedelta(minutes=1)):
        assert reopen_expired() == 0
    assert Enrollment.objects.get().completed_at == first.completed_at


def test_after_the_expiry_the_course_opens_again_and_earns_a_new_certificate(
    client, course, learner, first
):
    client.force_login(learner)
    with _at(EXPIRES + timedelta(hours=1)):
        assert reopen_expired() == 1
        assert reopen_expired() == 0

        enrollment = Enrollment.objects.get()
        assert enrollment.completed_at is None
        progress = course.get_progress(learner)
        assert (progress.done, progress.percent) == (0, 0)
        lesson_page = client.get(_lessons(course)[0].url).content.decode()
        assert DONE not in lesson_page
        assert "Mark as done and continue" in lesson_page

    with _at(EXPIRES + timedelta(days=2)):
        _complete_by_hand(client, course)

    second = Certificate.objects.exclude(pk=first.pk).get()
    assert second.code != first.code
    assert second.completed_at == EXPIRES + timedelta(days=2)
    assert second.expires_at == datetime(2027, 3, 12, 10, 0, tzinfo=HELSINKI)
    assert second.pdf
    first.refresh_from_db()
    assert first.revoked_at is None
    with _at(EXPIRES + timedelta(days=2)):
        assert (first.status(), second.status()) == ("expired", "valid")


def test_a_step_done_after_the_reopening_counts(course, learner, first):
    with _at(EXPIRES + timedelta(hours=1)):
        reopen_expired()
    first_lesson = _lessons(course)[0]
    with _at(EXPIRES + timedelta(days=1)):
        with TestCase.captureOnCommitCallbacks(execute=True):
            complete_step(user=learner, step=first_lesson, course=course)
        progress = course.get_progress(learner)
    assert (progress.done, progress.total) == (1, 2)
    assert Certificate.objects.count() == 1


def test_the_daily_reminder_run_reopens_expired_courses(course, learner, first):
    with _at(_morning(EXPIRES.date() + timedelta(days=1))):
        send_reminders(today=EXPIRES.date() + timedelta(days=1))
    assert Enrollment.objects.get().completed_at is None
    first.refresh_from_db()
    assert first.expiry_handled_at is not None


@pytest.fixture
def speaking_english(learner, manager):
    for person in (learner, manager):
        person.preferred_language = "en"
        person.save()


def _certificate_mail(outbox, person):
    return [
        message
        for message in outbox
        if message.to == [person.email] and "certificate" in message.subject
    ]


def _run_daily(days):
    for day in days:
        with _at(_morning(day)):
            send_reminders(today=day)


@pytest.mark.usefixtures("speaking_english")
def test_the_holder_is_reminded_once_30_days_before_the_expiry(
    learner, first, mailoutbox
):
    expiry_day = EXPIRES.date()
    timeline = []
    for days_before in range(35, 0, -1):
        before = len(_certificate_mail(mailoutbox, learner))
        _run_daily([expiry_day - timedelta(days=days_before)])
        if len(_certificate_mail(mailoutbox, learner)) > before:
            timeline.append(days_before)

    assert timeline == [30]
    [message] = _certificate_mail(mailoutbox, learner)
    assert message.subject == EXPIRING % {"course": "Tietoturva", "date": "03/10/2026"}
    assert first.code in message.body


@pytest.mark.usefixtures("speaking_english")
def test_the_managers_digest_lists_the_expiring_certificate(manager, first, mailoutbox):
    _run_daily([date(2026, 2, 8)])
    [digest] = [message for message in mailoutbox if message.to == [manager.email]]
    assert digest.subject == "Your team's certificates that expire soon"
    assert "Leena Laine: Tietoturva (expires 03/10/2026)" in digest.body
    assert reverse("team:certificates") in digest.body
