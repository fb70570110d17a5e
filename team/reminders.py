"""Reminder e-mails about assigned courses, and managers' weekly digests.

Run daily (`manage.py send_reminders` or the task). Each message has a key in
ReminderLog and goes out once: learners hear before the due date (at each of
REMINDER_DAYS_BEFORE_DUE) and, while overdue, every REMINDER_OVERDUE_EVERY_DAYS;
managers get one digest a week of their team's overdue courses.
"""

import logging
import smtplib
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import islice

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates import links
from certificates.issuing import reopen_expired
from certificates.models import Certificate
from lessons.models import CoursePage, Enrollment
from lessons.models.records import EnrollmentSource
from people import access
from people.models import OrgUnit, User
from team.models import ReminderLog

BATCH_SIZE = 500
DIGEST_LINES = 50
logger = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    due_soon: int = 0
    overdue: int = 0
    expiring: int = 0
    digests: int = 0
    failed: int = 0
    planned: list = field(default_factory=list)  # keys, in a dry run

    @property
    def sent(self):
        return self.due_soon + self.overdue + self.expiring + self.digests


@dataclass(frozen=True)
class _Reminder:
    key: str
    recipient: User
    kind: str  # the ReminderReport counter it adds to
    build: Callable[[], EmailMultiAlternatives]


def send_reminders(*, today=None, dry_run=False) -> ReminderReport:
    """Send every reminder that is due today and has not gone out yet.

    People's reminders go in batches, each with a fixed number of queries, so a
    run's queries grow with the number of batches, not of people.
    """
    today = today or timezone.localdate()
    report = ReminderReport()
    if not dry_run:
        reopen_expired()
    for batch in _batches(_learner_reminders(today)):
        _send_batch(batch, dry_run=dry_run, report=report)
    for batch in _batches(_expiry_reminders(today)):
        _send_batch(batch, dry_run=dry_run, report=report)
    if today.weekday() >= settings.REMINDER_DIGEST_WEEKDAY:
        _send_digests(today, dry_run=dry_run, report=report)
    return report


def _learner_reminders(today):
    for enrollment in _open_assigned(today):
        key, kind = _learner_reminder(enrollment, today)
        if key:
            yield _Reminder(
                key,
                enrollment.user,
                kind,
                lambda e=enrollment, k=kind: _learner_message(e, k, today),
            )


def _expiry_reminders(today):
    for certificate in _expiring_certificates(today):
        yield _Reminder(
            f"expiring:{certificate.pk}",
            certificate.user,
            "expiring",
            lambda c=certificate: _expiry_message(c),
        )


def _batches(reminders):
    batch = []
    for reminder in reminders:
        batch.append(reminder)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _send_batch(batch, *, dry_run, report):
    """Send a batch's reminders that have not gone out, logged in one transaction.

    The messages are built first, so an error in one sends none. The log rows are
    written before the messages go, in the same transaction: a parallel run waits
    for it and then finds the keys taken. A message the mail server refuses is
    not logged, so the next run tries it again. A process killed mid-batch logs
    nothing of the batch, and the next run sends again what had already gone:
    never lost, at worst repeated once.
    """
    sent = set(
        ReminderLog.objects.filter(key__in=[r.key for r in batch]).values_list(
            "key", flat=True
        )
    )
    due = [reminder for reminder in batch if reminder.key not in sent]
    if dry_run:
        report.planned.extend(reminder.key for reminder in due)
        _count(report, due)
    if dry_run or not due:
        return
    messages = [(reminder, _built(reminder)) for reminder in due]
    try:
        with transaction.atomic():
            ReminderLog.objects.bulk_create(
                ReminderLog(key=reminder.key, recipient=reminder.recipient)
                for reminder in due
            )
            refused = _deliver(messages, report=report)
            if refused:
                ReminderLog.objects.filter(key__in=refused).delete()
    except IntegrityError:
        _send_one_by_one(due, report=report)  # another run logged some meanwhile
        return
    _count(report, [reminder for reminder in due if reminder.key not in refused])


def _built(reminder):
    with translation.override(reminder.recipient.preferred_language):
        return reminder.build()


def _deliver(messages, *, report) -> list[str]:
    """Send the messages over one connection; return the keys of those refused."""
    refused = []
    connection = get_connection()
    with connection:
        for reminder, message in messages:
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, OSError):
                logger.exception("Could not send the reminder %s", reminder.key)
                report.failed += 1
                refused.append(reminder.key)
    return refused


def _send_one_by_one(reminders, *, report):
    for reminder in reminders:
        if _send_once(
            reminder.key,
            reminder.recipient,
            reminder.build,
            dry_run=False,
            report=report,
        ):
            _count(report, [reminder])


def _count(report, reminders):
    for reminder in reminders:
        setattr(report, reminder.kind, getattr(report, reminder.kind) + 1)


def _send_digests(today, *, dry_run, report):
    """Send each manager the week's digest of their team, in a few queries in all."""
    for batch in _batches(_digest_reminders(today)):
        _send_batch(batch, dry_run=dry_run, report=report)


def _digest_reminders(today):
    year, week, _day = today.isocalendar()
    managers = _managers()
    everyone = access.who_see_everyone(managers)
    paths = _managed_paths(managers)
    overdue = _TeamIndex(_overdue_assigned(today))
    expiring = _TeamIndex(_expiring_of_active(today))
    for manager in managers:
        sees_all = manager.pk in everyone
        team_overdue = overdue.of_team(manager, paths.get(manager.pk, ()), sees_all)
        team_expiring = expiring.of_team(manager, paths.get(manager.pk, ()), sees_all)
        if team_overdue or team_expiring:
            yield _Reminder(
                f"digest:{manager.pk}:{year}-W{week:02d}",
                manager,
                "digests",
                lambda m=manager, o=team_overdue, e=team_expiring: _digest_message(
                    m, o, e
                ),
            )


class _TeamIndex:
    """Rows about people (enrolments, certificates), found by their unit's subtree.

    The rows come in the order a digest lists them; each carries `unit_path`.
    """

    def __init__(self, rows):
        self.rows = list(rows)
        self.by_path = {}
        for position, row in enumerate(self.rows):
            self.by_path.setdefault(row.unit_path, []).append(position)
        self.paths = sorted(path for path in self.by_path if path)

    def of_team(self, manager, unit_paths, sees_all) -> list:
        """Return the first rows of the manager's team (without the manager)."""
        if sees_all:
            positions = range(len(self.rows))
        else:
            positions = sorted(
                position
                for path in self._paths_under(unit_paths)
                for position in self.by_path[path]
            )
        rows = (self.rows[p] for p in positions)
        team = (row for row in rows if row.user_id != manager.pk)
        return list(islice(team, DIGEST_LINES + 1))

    def _paths_under(self, unit_paths):
        found = set()
        for unit_path in unit_paths:
            start = bisect_left(self.paths, unit_path)
            for path in self.paths[start:]:
                if not path.startswith(unit_path):
                    break
                found.add(path)
        return found


def _managed_paths(managers) -> dict:
    """Return the paths of the units each manager manages."""
    through = OrgUnit.managers.through.objects.filter(user__in=managers)
    paths = {}
    for user_id, path in through.values_list("user_id", "orgunit__path"):
        paths.setdefault(user_id, []).append(path)
    return paths


def _open_assigned(today):
    """Assigned, unfinished enrolments of active people due within the window."""
    horizon = today + timedelta(days=max(settings.REMINDER_DAYS_BEFORE_DUE, default=0))
    live_courses = access.visible_pages(CoursePage.objects.all()).values("pk")
    return (
        Enrollment.objects.filter(
            source=EnrollmentSource.ASSIGNED,
            completed_at__isnull=True,
            due_date__lte=horizon,
            user__is_active=True,
            course__in=live_courses,
        )
        .select_related("user", "course")
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def _learner_reminder(enrollment, today):
    """Return (key, kind) of the reminder due today for the enrolment, or Nones."""
    due = enrollment.due_date
    days_left = (due - today).days
    if days_left >= 0:
        window = min(
            (days for days in settings.REMINDER_DAYS_BEFORE_DUE if days_left <= days),
            default=None,
        )
        if window is None:
            return None, None
        return f"due:{enrollment.pk}:{due.isoformat()}:{window}", "due_soon"
    every = max(settings.REMINDER_OVERDUE_EVERY_DAYS, 1)
    round_ = (-days_left - 1) // every
    return f"overdue:{enrollment.pk}:{due.isoformat()}:{round_}", "overdue"


def _send_once(key, recipient, build_message, *, dry_run, report) -> bool:
    """Log the key and send the message in one transaction; False if already sent."""
    if ReminderLog.objects.filter(key=key).exists():
        return False
    if dry_run:
        report.planned.append(key)
        return True
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=key, recipient=recipient)
            with translation.override(recipient.preferred_language):
                build_message().send()
    except IntegrityError:
        return False  # another run sent it a moment ago
    except (smtplib.SMTPException, OSError):
        # Not logged as sent, so tomorrow's run tries again; the others still go.
        logger.exception("Could not send the reminder %s", key)
        report.failed += 1
        return False
    return True


def _managers():
    return (
        User.objects.filter(is_active=True, managed_units__isnull=False)
        .distinct()
        .order_by("pk")
    )


def _overdue_assigned(today):
    """Overdue assigned courses of active people, in a digest's order."""
    return (
        Enrollment.objects.filter(
            source=EnrollmentSource.ASSIGNED,
            completed_at__isnull=True,
            due_date__lt=today,
            user__is_active=True,
            course__in=access.visible_pages(CoursePage.objects.all()).values("pk"),
        )
        .annotate(unit_path=F("user__org_unit__path"))
        .select_related("user", "course")
        .order_by("due_date", "user__last_name", "user__first_name", "pk")
    )


def _absolute(path):
    return links.absolute_url(path)


def _message(recipient, subject, template, context):
    context = {**context, "recipient": recipient}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"team/email/{template}.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(
        render_to_string(f"team/email/{template}.html", context), "text/html"
    )
    return message


def _learner_message(enrollment, kind, today):
    recipient = enrollment.user
    course = enrollment.course
    due = date_format(enrollment.due_date, "SHORT_DATE_FORMAT")
    if kind == "due_soon":
        subject = _("Reminder: “%(course)s” is due on %(date)s")
    else:
        subject = _("Overdue: “%(course)s” was due on %(date)s")
    context = {
        "course": course,
        "course_url": _absolute(course.url),
        "learning_url": _absolute(reverse("lessons:my_learning")),
        "due": due,
        "days_left": (enrollment.due_date - today).days,
        "is_overdue": kind == "overdue",
    }
    return _message(
        recipient, subject % {"course": course.title, "date": due}, "reminder", context
    )


def _digest_message(recipient, overdue, expiring=()):
    context = {
        "overdue": [
            {
                "person": enrollment.user,
                "course": enrollment.course.title,
                "due": date_format(enrollment.due_date, "SHORT_DATE_FORMAT"),
            }
            for enrollment in overdue[:DIGEST_LINES]
        ],
        "more": len(overdue) > DIGEST_LINES,
        "expiring": [
            {
                "person": certificate.user,
                "course": certificate.course_title,
                "date": _local_date(certificate.expires_at),
            }
            for certificate in expiring[:DIGEST_LINES]
        ],
        "more_expiring": len(expiring) > DIGEST_LINES,
        "team_url": _absolute(reverse("team:dashboard") + "?status=overdue"),
        "certificates_url": _absolute(reverse("team:certificates")),
    }
    subject = (
        _("Your team's overdue courses this week")
        if overdue
        else _("Your team's certificates that expire soon")
    )
    return _message(recipient, subject, "digest", context)


def _local_date(moment):
    return date_format(timezone.localtime(moment).date(), "SHORT_DATE_FORMAT")


def _expiry_window(today):
    start = timezone.make_aware(datetime.combine(today, time.min))
    days = settings.REMINDER_CERTIFICATE_EXPIRY_DAYS
    return start, start + timedelta(days=days + 1)


def _expiring(today):
    """Certificates not revoked that expire within the reminder window."""
    start, end = _expiry_window(today)
    return Certificate.objects.filter(
        revoked_at__isnull=True, expires_at__gte=start, expires_at__lt=end
    ).select_related("user", "course")


def _expiring_certificates(today):
    """Those of active people, for the holders' reminders."""
    return (
        _expiring(today)
        .filter(user__is_active=True)
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def _expiring_of_active(today):
    """Those of active people, with their unit, in a digest's order."""
    return (
        _expiring(today)
        .filter(user__is_active=True)
        .annotate(unit_path=F("user__org_unit__path"))
        .order_by("expires_at", "pk")
    )


def _expiry_message(certificate):
    course = certificate.course
    date = _local_date(certificate.expires_at)
    context = {
        "certificate": certificate,
        "course_url": _absolute(course.url) if course.live else "",
        "date": date,
        "verify_url": _absolute(
            reverse("certificates:verify", args=[certificate.code])
        ),
    }
    subject = _("Your certificate for “%(course)s” expires on %(date)s") % {
        "course": certificate.course_title,
        "date": date,
    }
    return _message(certificate.user, subject, "certificate_expiring", context)
