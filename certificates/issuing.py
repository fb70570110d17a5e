"""Issuing certificates: once per completion, rendered once, revoked and reissued.

`issue_certificate` runs when a course is completed (the course_completed signal).
The record is created first and the PDF rendered afterwards by a task, so a failed
render never loses the certificate; `render_missing_pdfs` renders what is missing.
"""

import calendar
import logging
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.codes import new_code
from certificates.models import Certificate
from certificates.rendering import render_pdf, sha256
from lessons.progress import reopen

logger = logging.getLogger(__name__)


def add_months(moment: datetime, months: int) -> datetime:
    """Return the same day `months` later (the month's last day if it is shorter).

    The day is the local one: a course completed just after midnight in Helsinki
    is still on the previous day in UTC.
    """
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def issue_certificate(enrollment) -> Certificate | None:
    """Issue the certificate of a completed enrolment once; None if the course has none.

    A unique constraint on (enrolment, completion) keeps parallel completions to one.
    """
    course = enrollment.course
    template = course.certificate_template
    if template is None or enrollment.completed_at is None:
        return None
    existing = _current(enrollment)
    if existing:
        return existing
    try:
        with transaction.atomic():
            certificate = _create(
                enrollment,
                completed_at=enrollment.completed_at,
                expires_at=add_months(enrollment.completed_at, course.validity_months)
                if course.validity_months
                else None,
                template=template,
            )
    except IntegrityError:
        return _current(enrollment)
    transaction.on_commit(lambda: _enqueue_render(certificate.pk))
    return certificate


def _create(enrollment, *, completed_at, expires_at, template) -> Certificate:
    """A new certificate with a new code and snapshots of the holder and the course."""
    user, course = enrollment.user, enrollment.course
    return Certificate.objects.create(
        code=new_code(),
        user=user,
        course=course,
        enrollment=enrollment,
        completed_at=completed_at,
        expires_at=expires_at,
        holder_name=user.get_full_name() or user.email,
        course_title=course.title,
        language=user.preferred_language,
        template=template,
    )


def _current(enrollment):
    return Certificate.objects.filter(
        enrollment=enrollment,
        completed_at=enrollment.completed_at,
        revoked_at__isnull=True,
    ).first()


def _enqueue_render(certificate_id):
    from certificates.tasks import render_certificate

    render_certificate.enqueue(str(certificate_id))


def render_and_store(certificate) -> bool:
    """Render the PDF and store it privately; return False (and log) on failure."""
    if certificate.template is None:
        return False
    try:
        store_pdf(certificate, replace=True)
    except Exception:
        logger.exception("Could not render the certificate %s", certificate.pk)
        return False
    return True


def store_pdf(certificate, *, replace: bool = False) -> bool:
    """Render the certificate's PDF and store it; False if one was stored meanwhile.

    The file has a fixed name, and a file left at it by a run that stopped before
    saving the record is overwritten, so running this twice (a task run again
    after its worker was killed) leaves one PDF. Without `replace`, a PDF another
    run stored while this one rendered is kept. Rendering errors propagate.
    """
    data = render_pdf(certificate, certificate.template, certificate.course)
    name = f"{certificate.pk}.pdf"
    path = certificate.pdf.field.generate_filename(certificate, name)
    with transaction.atomic():
        stored = (
            Certificate.objects.select_for_update()
            .filter(pk=certificate.pk)
            .values_list("pdf", flat=True)
            .first()
        )
        if stored and not replace:
            return False
        storage = certificate.pdf.storage
        for leftover in {stored, path} - {None, ""}:
            storage.delete(leftover)
        certificate.pdf.save(name, ContentFile(data), save=False)
        certificate.pdf_sha256 = sha256(data)
        certificate.save(update_fields=["pdf", "pdf_sha256"])
    return True


def render_missing_pdfs() -> tuple[int, int]:
    """Render every certificate that has no PDF yet; return (rendered, failed)."""
    rendered = failed = 0
    pending = Certificate.objects.filter(pdf="", holder_name__gt="").select_related(
        "template", "course"
    )
    for certificate in pending.iterator(chunk_size=50):
        if render_and_store(certificate):
            rendered += 1
        else:
            failed += 1
    return rendered, failed


@transaction.atomic
def revoke(certificate, *, reason: str, now=None) -> Certificate:
    certificate.revoked_at = now or timezone.now()
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    return certificate


def reissue(certificate, *, reason: str) -> Certificate:
    """Revoke the certificate and issue a new one (new code) for the same completion."""
    with transaction.atomic():
        revoke(certificate, reason=reason)
        fresh = _create(
            certificate.enrollment,
            completed_at=certificate.completed_at,
            expires_at=certificate.expires_at,
            template=certificate.course.certificate_template or certificate.template,
        )
        certificate.replaced_by = fresh
        certificate.save(update_fields=["replaced_by"])
    transaction.on_commit(lambda: _enqueue_render(fresh.pk))
    return fresh


def forget_holder(person) -> int:
    """Remove an anonymised person's name and PDFs from their certificates."""
    count = 0
    for certificate in Certificate.objects.filter(user=person):
        if certificate.pdf:
            certificate.pdf.delete(save=False)
        certificate.holder_name = ""
        certificate.save(update_fields=["holder_name", "pdf"])
        count += 1
    return count


def reopen_expired(now=None) -> int:
    """Reopen the courses whose certificates have expired; return how many.

    The learner takes the course again for a new certificate; the old one and every
    record stay. A certificate is handled once.
    """
    now = now or timezone.now()
    expired = Certificate.objects.filter(
        revoked_at__isnull=True, expires_at__lte=now, expiry_handled_at__isnull=True
    ).select_related("enrollment")
    count = 0
    for certificate in expired.iterator(chunk_size=200):
        with transaction.atomic():
            enrollment = certificate.enrollment
            if enrollment.completed_at == certificate.completed_at:
                reopen(enrollment, now=now)
                count += 1
            certificate.expiry_handled_at = now
            certificate.save(update_fields=["expiry_handled_at"])
    return count
