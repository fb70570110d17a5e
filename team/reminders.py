"""Reminder e-mails about assigned courses, and managers' weekly digests.

Run daily (`manage.py send_reminders` or the task). Each message has a key in
ReminderLog and goes out once: learners hear before the due date (at each of
REMINDER_DAYS_BEFORE_DUE) and, while overdue, every REMINDER_OVERDUE_EVERY_DAYS;
managers get one digest a week of their team's overdue courses.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
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
from people.models import User
from team.models import ReminderLog

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


def send_reminders(*, today=None, dry_run=False) -> ReminderReport:
    """Send every reminder that is due today and has not gone out yet."""
    today = today or timezone.localdate()
    report = ReminderReport()
    if not dry_run:
        reopen_expired()
    for enrollment in _open_assigned(today):
        key, kind = _learner_reminder(enrollment, today)
        if key and _send_once(
            key,
            enrollment.user,
            lambda e=enrollment, k=kind: _learner_message(e, k, today),
            dry_run=dry_run,
            report=report,
        ):
            setattr(report, kind, getattr(report, kind) + 1)
    for certificate in _expiring_certificates(today):
        if _send_once(
            f"expiring:{certificate.pk}",
            certificate.user,
            lambda c=certificate: _expiry_message(c),
            dry_run=dry_run,
            report=report,
        ):
            report.expiring += 1
    if today.weekday() >= settings.REMINDER_DIGEST_WEEKDAY:
        _send_digests(today, dry_run=dry_run, report=report)
    return report


def _send_digests(today, *, dry_run, report):
    year, week, _day = today.isocalendar()
    for manager in _managers():
        key = f"digest:{manager.pk}:{year}-W{week:02d}"
        overdue = list(_overdue_in_team(manager, today)[: DIGEST_LINES + 1])
        expiring = list(_expiring_in_team(manager, today)[: DIGEST_LINES + 1])
        if (overdue or expiring) and _send_once(
            key,
            manager,
            lambda m=manager, o=overdue, e=expiring: _digest_message(m, o, e),
            dry_run=dry_run,
            report=report,
        ):
            report.digests += 1


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


def _overdue_in_team(manager, today):
    return (
        Enrollment.objects.filter(
            source=EnrollmentSource.ASSIGNED,
            completed_at__isnull=True,
            due_date__lt=today,
            user__in=access.team_members(manager).exclude(pk=manager.pk),
            course__in=access.visible_pages(CoursePage.objects.all()).values("pk"),
        )
        .select_related("user", "course")
        .order_by("due_date", "user__last_name", "user__first_name")
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


def _expiring_in_team(manager, today):
    return (
        _expiring(today)
        .filter(user__in=access.team_members(manager).exclude(pk=manager.pk))
        .order_by("expires_at")
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
