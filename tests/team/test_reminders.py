"""Reminder e-mails about assigned courses, and managers' weekly digests.

Time is controlled by passing `today` (or `--date`); the course is due on DUE, a
Wednesday. The learner reads English unless a test says otherwise, so subjects can
be checked word for word.
"""

import io
import smtplib
from datetime import date, timedelta

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.urls import reverse

from lessons import progress
from lessons.models import Enrollment
from team.assignments import assign_course
from team.models import ReminderLog
from team.reminders import send_reminders
from tests.factories import CoursePageFactory, LessonPageFactory
from tests.helpers import translated

pytestmark = pytest.mark.django_db

DUE = date(2026, 6, 17)
SITE_URL = "https://oppiminen.example.org"
DUE_SOON = "Reminder: “%(course)s” is due on %(date)s"
OVERDUE = "Overdue: “%(course)s” was due on %(date)s"
DIGEST = "Your team's overdue courses this week"
SHORT_DATES = {"fi": "17.6.2026", "sv": "2026-06-17", "en": "06/17/2026"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Tietoturva & tietosuoja")
    LessonPageFactory(parent=course)
    return course


@pytest.fixture
def assigned(course, learner, manager, org):
    """The course assigned to team A (the learner and their manager), due on DUE."""
    _speaks(learner, "en")
    assign_course(course=course, due_date=DUE, assigned_by=manager, unit=org.team_a)
    return course


def _speaks(person, language):
    person.preferred_language = language
    person.save()


def _day(offset):
    return DUE + timedelta(days=offset)


def _mail_to(outbox, person):
    return [message for message in outbox if message.to == [person.email]]


def _digests(outbox, person):
    subject = translated(DIGEST, person.preferred_language)
    return [m for m in _mail_to(outbox, person) if m.subject == subject]


def _run_days(offsets):
    for offset in offsets:
        send_reminders(today=_day(offset))


def _learner_timeline(outbox, learner, offsets):
    """Run daily over the offsets; return (offset, subject start) of each e-mail."""
    timeline = []
    for offset in offsets:
        before = len(_mail_to(outbox, learner))
        send_reminders(today=_day(offset))
        for message in _mail_to(outbox, learner)[before:]:
            timeline.append((offset, message.subject.split(":")[0]))
    return timeline


def _html(message):
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_reminders_go_7_days_and_1_day_before_and_every_week_when_overdue(
    assigned, learner, mailoutbox
):
    timeline = _learner_timeline(mailoutbox, learner, range(-12, 17))
    assert timeline == [
        (-7, "Reminder"),
        (-1, "Reminder"),
        (1, "Overdue"),
        (8, "Overdue"),
        (15, "Overdue"),
    ]


def test_each_reminder_goes_once_even_when_run_again_the_same_day(
    assigned, learner, manager, mailoutbox
):
    first = send_reminders(today=_day(-7))
    again = send_reminders(today=_day(-7))
    assert (first.due_soon, first.sent) == (2, 2)  # the learner and the manager
    assert again.sent == 0
    assert len(mailoutbox) == 2
    assert sorted(ReminderLog.objects.values_list("recipient", flat=True)) == sorted(
        [learner.pk, manager.pk]
    )
    _run_days(range(-6, -1))
    assert len(mailoutbox) == 2
    send_reminders(today=_day(-1))
    send_reminders(today=_day(-1))
    send_reminders(today=_day(0))
    assert len(mailoutbox) == 4 == ReminderLog.objects.count()


def test_overdue_reminder_goes_on_days_1_and_8_but_not_2_to_7(
    assigned, learner, mailoutbox
):
    expected = f"Overdue: “{assigned.title}” was due on 06/17/2026"
    sent_on = {}
    for offset in range(1, 10):
        before = len(_mail_to(mailoutbox, learner))
        send_reminders(today=_day(offset))
        sent_on[offset] = [m.subject for m in _mail_to(mailoutbox, learner)[before:]]
    assert sent_on[1] == sent_on[8] == [expected]
    assert all(sent_on[offset] == [] for offset in (2, 3, 4, 5, 6, 7, 9))


def test_the_reminder_has_text_and_html_with_the_course_address(
    assigned, learner, mailoutbox
):
    send_reminders(today=_day(-7))
    [message] = _mail_to(mailoutbox, learner)
    html = _html(message)
    course_url = f"{SITE_URL}{assigned.url}"
    learning_url = f"{SITE_URL}{reverse('lessons:my_learning')}"
    assert assigned.url.startswith("/")
    assert message.subject == "Reminder: “Tietoturva & tietosuoja” is due on 06/17/2026"
    assert "“Tietoturva & tietosuoja” assigned to you is due on" in message.body
    assert "in 7 days." in message.body
    assert course_url in message.body and learning_url in message.body
    assert f'href="{course_url}"' in html and f'href="{learning_url}"' in html
    assert "Tietoturva &amp; tietosuoja" in html and '<html lang="en">' in html
    assert "Hello Leena," in message.body


def test_the_last_reminder_counts_one_day(assigned, learner, mailoutbox):
    send_reminders(today=_day(-1))
    [message] = _mail_to(mailoutbox, learner)
    assert "in 1 day." in message.body


def test_the_overdue_reminder_asks_to_complete_the_course(
    assigned, learner, mailoutbox
):
    send_reminders(today=_day(3))
    [message] = _mail_to(mailoutbox, learner)
    assert "was due on 06/17/2026. Please complete it" in message.body
    assert f'href="{SITE_URL}{assigned.url}"' in _html(message)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_reminders_speak_the_recipients_language(
    assigned, learner, mailoutbox, language
):
    _speaks(learner, language)
    send_reminders(today=_day(-7))
    [message] = _mail_to(mailoutbox, learner)
    date_shown = SHORT_DATES[language]
    expected = translated(DUE_SOON, language) % {
        "course": assigned.title,
        "date": date_shown,
    }
    assert message.subject == expected
    assert date_shown in message.body and date_shown in _html(message)
    assert f'<html lang="{language}">' in _html(message)
    if language != "en":
        assert message.subject != DUE_SOON % {
            "course": assigned.title,
            "date": SHORT_DATES["en"],
        }


def _complete(learner, course):
    for lesson in course.get_children().specific():
        progress.complete_step(user=learner, step=lesson, course=course)


def _deactivate(person, course):
    person.is_active = False
    person.save()


def _unpublish(learner, course):
    course.unpublish()


@pytest.mark.parametrize("change", [_complete, _deactivate, _unpublish])
def test_no_reminder_for_completed_left_or_unpublished_courses(
    assigned, learner, mailoutbox, change
):
    change(learner, assigned)
    _run_days([-7, -1, 0, 1, 8])
    assert _mail_to(mailoutbox, learner) == []
    assert not any("Laine" in message.body for message in mailoutbox)


def test_no_reminder_for_a_self_enrolled_course(course, learner, mailoutbox):
    progress.enrol(user=learner, course=course, due_date=DUE)
    _run_days([-7, -1, 1, 8])
    assert mailoutbox == []
    assert not ReminderLog.objects.exists()


def test_an_earlier_due_date_starts_a_fresh_cycle(
    assigned, learner, manager, mailoutbox
):
    send_reminders(today=_day(-7))
    assert len(_mail_to(mailoutbox, learner)) == 1
    assign_course(
        course=assigned, due_date=_day(-3), assigned_by=manager, people=[learner]
    )
    send_reminders(today=_day(-7))
    [_first, fresh] = _mail_to(mailoutbox, learner)
    assert fresh.subject.endswith("is due on 06/14/2026")


def test_a_later_due_date_starts_a_fresh_cycle(assigned, learner, mailoutbox):
    _run_days([-7, -1, 1])
    assert len(_mail_to(mailoutbox, learner)) == 3
    Enrollment.objects.filter(user=learner, course=assigned).update(due_date=_day(14))
    timeline = _learner_timeline(mailoutbox, learner, range(2, 16))
    assert timeline == [(7, "Reminder"), (13, "Reminder"), (15, "Overdue")]


def test_reassigning_later_keeps_the_earlier_due_date(
    assigned, learner, manager, mailoutbox
):
    send_reminders(today=_day(-7))
    assign_course(
        course=assigned, due_date=_day(30), assigned_by=manager, people=[learner]
    )
    _run_days(range(-6, -1))
    assert len(_mail_to(mailoutbox, learner)) == 1
    assert Enrollment.objects.get(user=learner, course=assigned).due_date == DUE


def test_the_digest_lists_the_team_members_overdue_courses(
    assigned, learner, manager, unrelated_manager, mailoutbox
):
    send_reminders(today=_day(1))
    [digest] = _digests(mailoutbox, manager)
    html = _html(digest)
    line = f"{learner.get_full_name()}: {assigned.title} "
    assert line in digest.body and "Tietoturva &amp; tietosuoja" in html
    assert SHORT_DATES["fi"] in digest.body  # the manager reads Finnish
    assert manager.get_full_name() not in digest.body  # not their own course
    assert f"{SITE_URL}{reverse('team:dashboard')}?status=overdue" in digest.body
    assert '<html lang="fi">' in html
    assert _mail_to(mailoutbox, unrelated_manager) == []


def test_the_digest_goes_once_a_week_while_something_is_overdue(
    assigned, learner, manager, mailoutbox
):
    def digests_on(offsets):
        before = len(_digests(mailoutbox, manager))
        _run_days(offsets)
        return len(_digests(mailoutbox, manager)) - before

    assert digests_on([-7, -1, 0]) == 0  # nothing overdue yet
    assert digests_on([1]) == 1  # Thursday
    assert digests_on([1, 2, 3, 4]) == 0  # the rest of the same week
    assert digests_on([5]) == 1  # Monday of the next week
    assert digests_on([6, 7]) == 0
    _complete(learner, assigned)
    assert digests_on([12, 13]) == 0  # only the manager's own course is overdue


def test_each_manager_hears_only_of_their_own_team(
    assigned, learner, second_learner, manager, unrelated_manager, org, mailoutbox
):
    assign_course(
        course=assigned, due_date=DUE, assigned_by=unrelated_manager, unit=org.team_b
    )
    send_reminders(today=_day(1))
    [own] = _digests(mailoutbox, manager)
    [other] = _digests(mailoutbox, unrelated_manager)
    mine, theirs = learner.last_name, second_learner.last_name
    assert mine in own.body and theirs not in own.body
    assert theirs in other.body and mine not in other.body


def test_a_deactivated_manager_gets_no_digest(assigned, manager, mailoutbox):
    _deactivate(manager, assigned)
    _run_days([1, 5])
    assert _mail_to(mailoutbox, manager) == []


def test_the_digest_waits_for_its_weekday(assigned, manager, settings, mailoutbox):
    settings.REMINDER_DIGEST_WEEKDAY = 4  # Friday
    send_reminders(today=_day(1))  # Thursday
    assert _digests(mailoutbox, manager) == []
    send_reminders(today=_day(2))
    assert len(_digests(mailoutbox, manager)) == 1


def _command(*args):
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_dry_run_lists_but_sends_and_logs_nothing(assigned, mailoutbox):
    output = _command("--date", _day(1).isoformat(), "--dry-run")
    assert output.count("would send ") == 3
    assert (
        "Would send 0 due-date reminders, 2 overdue reminders, 0 certificate "
        "expiry reminders and 1 manager digests." in output
    )
    assert mailoutbox == [] and not ReminderLog.objects.exists()
    output = _command("--date", _day(1).isoformat())
    assert (
        "Sent 0 due-date reminders, 2 overdue reminders, 0 certificate expiry "
        "reminders and 1 manager digests." in output
    )
    assert len(mailoutbox) == 3 == ReminderLog.objects.count()


@pytest.mark.parametrize("value", ["2026-02-30", "17.6.2026", "tomorrow"])
def test_the_command_refuses_a_bad_date(value, mailoutbox):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _command("--date", value)
    assert mailoutbox == []


def test_a_message_that_cannot_be_sent_does_not_stop_the_others(
    catalogue, org, learner, manager, mailoutbox, monkeypatch
):
    """The refused message is not logged as sent, so the next run tries it again."""
    course = CoursePageFactory(parent=catalogue, title="Kurssi")
    LessonPageFactory(parent=course)
    due = date(2026, 6, 17)
    assign_course(course=course, due_date=due, assigned_by=manager, unit=org.team_a)
    real_send = EmailMultiAlternatives.send

    def refuse_the_learner(message, *args, **kwargs):
        if learner.email in message.to:
            raise smtplib.SMTPRecipientsRefused({learner.email: (550, b"no")})
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_the_learner)
    report = send_reminders(today=due - timedelta(days=7))
    assert (report.due_soon, report.failed) == (1, 1)
    assert [m.to for m in mailoutbox] == [[manager.email]]
    assert not ReminderLog.objects.filter(recipient=learner).exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert send_reminders(today=due - timedelta(days=6)).due_soon == 1
    assert [m.to for m in mailoutbox][-1] == [learner.email]
