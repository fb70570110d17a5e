"""The certificate register of a team: filters, file names, a streamed ZIP, exports."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from zipstream import ZIP_STORED, ZipStream

from certificates.models import Certificate

UNSAFE = re.compile(r"[^\w]+", re.UNICODE)


def file_name(certificate) -> str:
    """Lastname_Firstname_Course_YYYY-MM-DD.pdf, with only safe characters."""
    user = certificate.user
    parts = [
        user.last_name or "",
        user.first_name or "",
        certificate.course_title,
        timezone.localtime(certificate.completed_at).date().isoformat(),
    ]
    safe = [UNSAFE.sub("-", part).strip("-_")[:60] for part in parts]
    return "_".join(part for part in safe if part) + ".pdf"


def certificates_of(user) -> list:
    """A person's own certificates, newest first."""
    return list(Certificate.objects.filter(user=user).select_related("course"))


def completion_section(enrollment) -> dict:
    """The completion page's section: this completion's certificate, ready or not."""
    certificate = (
        Certificate.objects.filter(
            enrollment=enrollment,
            completed_at=enrollment.completed_at,
            revoked_at__isnull=True,
        )
        .select_related("course")
        .first()
    )
    preparing = bool(certificate and not certificate.pdf)
    return {
        "certificate": certificate,
        "preparing": preparing,
        "head_template_name": "certificates/includes/completion_refresh.html"
        if preparing
        else "",
    }


def request_render(certificate):
    """Queue the rendering of the certificate's PDF, unless one is queued already.

    The download asks for it each time a learner opens it before the PDF is there;
    one render is enough.
    """
    from certificates.tasks import render_certificate

    if not _render_waiting(render_certificate, certificate):
        render_certificate.enqueue(str(certificate.pk))


def _render_waiting(render_certificate, certificate) -> bool:
    """Tell whether the task worker has this certificate's render queued or running."""
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=render_certificate.module_path,
        status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
        args_kwargs__args=[str(certificate.pk)],
    ).exists()


@dataclass(frozen=True)
class CertificateFilter:
    course: object = None
    issued_from: date | None = None
    issued_to: date | None = None
    status: str = ""


def team_certificates(members, filters: CertificateFilter, now=None):
    """Return the certificates of these people that match the filters, newest first."""
    now = now or timezone.now()
    certificates = Certificate.objects.filter(user__in=members.values("pk"))
    if filters.course:
        certificates = certificates.filter(course=filters.course)
    if filters.issued_from:
        certificates = certificates.filter(issued_at__date__gte=filters.issued_from)
    if filters.issued_to:
        certificates = certificates.filter(issued_at__date__lte=filters.issued_to)
    if filters.status == "valid":
        certificates = certificates.valid(now)
    elif filters.status == "expired":
        certificates = certificates.filter(revoked_at__isnull=True, expires_at__lte=now)
    elif filters.status == "revoked":
        certificates = certificates.filter(revoked_at__isnull=False)
    return certificates.select_related("user", "user__org_unit").order_by(
        "-issued_at", "pk"
    )


def zip_of(certificates) -> ZipStream:
    """A streamed ZIP of the stored PDFs (revoked ones left out), read lazily."""
    archive = ZipStream(compress_type=ZIP_STORED, sized=False)
    used = set()
    downloadable = certificates.filter(revoked_at__isnull=True).exclude(pdf="")
    for certificate in downloadable.iterator(chunk_size=500):
        archive.add_path(certificate.pdf.path, _unique(file_name(certificate), used))
    return archive


def _unique(name, used):
    stem, candidate, number = name[:-4], name, 2
    while candidate in used:
        candidate = f"{stem}_{number}.pdf"
        number += 1
    used.add(candidate)
    return candidate


STATUS_LABELS = {
    "valid": lambda: _("Valid"),
    "expired": lambda: _("Expired"),
    "revoked": lambda: _("Revoked"),
}


def register_header():
    return [
        _("Employee number"),
        _("Last name"),
        _("First name"),
        _("Unit"),
        _("Course"),
        _("Completed on"),
        _("Issued on"),
        _("Expires on"),
        _("Status"),
        _("Code"),
    ]


def register_records(certificates, now=None):
    """Yield one row per certificate, reading them in batches."""
    now = now or timezone.now()
    for certificate in certificates.iterator(chunk_size=500):
        user = certificate.user
        yield [
            user.employee_number or "",
            user.last_name,
            user.first_name,
            user.org_unit.name if user.org_unit else "",
            certificate.course_title,
            timezone.localtime(certificate.completed_at).date(),
            timezone.localtime(certificate.issued_at).date(),
            timezone.localtime(certificate.expires_at).date()
            if certificate.expires_at
            else None,
            str(STATUS_LABELS[certificate.status(now)]()),
            certificate.display_code,
        ]
