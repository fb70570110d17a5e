"""Certificates: a template, a course that gives one, and ways to earn or make them.

Completing a course issues its certificate after the transaction commits and then
renders the PDF in a task (the immediate backend in tests); `finish` runs those
on-commit callbacks. Only the PDF tests render real PDFs: elsewhere `stand_in_pdfs`
replaces the renderer with a few bytes that name the certificate's code.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone, translation

from certificates.codes import new_code
from certificates.issuing import issue_certificate
from certificates.models import Certificate, CertificateTemplate
from lessons import progress
from lessons.models import Enrollment, LessonPage
from tests.factories import CoursePageFactory, LessonPageFactory

SITE_URL = "https://oppiminen.example.org"


def stand_in_pdf(code: str) -> bytes:
    return f"%PDF-1.7 stand-in {code}\n%%EOF\n".encode()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture(autouse=True)
def remove_stored_pdfs(db):
    """Delete the PDFs the test stored, before its database goes away."""
    yield
    for certificate in Certificate.objects.exclude(pdf=""):
        certificate.pdf.storage.delete(certificate.pdf.name)


@pytest.fixture
def english(settings):
    """Read the UI in English (the compiled default is Finnish)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def stand_in_pdfs(monkeypatch):
    """Render a few bytes instead of a real PDF (fast; the PDF tests render real)."""
    monkeypatch.setattr(
        "certificates.issuing.render_pdf",
        lambda certificate, template, course: stand_in_pdf(certificate.code),
    )


@pytest.fixture
def template(db):
    return CertificateTemplate.objects.create(
        name="Perus",
        title_fi="Todistus",
        body_fi="{name} on suorittanut kurssin {course} {date}.",
        title_sv="Intyg",
        body_sv="{name} har genomfört kursen {course} {date}.",
        title_en="Certificate",
        body_en="{name} has completed the course {course} on {date}.",
        signer_name="Kaisa Koulutus",
        signer_title="Koulutuspäällikkö",
    )


@pytest.fixture
def course(catalogue, template):
    """A two-lesson course that gives a certificate valid for 12 months."""
    return make_course(catalogue, "Tietoturva", template=template, validity=12)


def make_course(catalogue, title, *, template=None, validity=None, lessons=2):
    course = CoursePageFactory(
        parent=catalogue,
        title=title,
        certificate_template=template,
        validity_months=validity,
    )
    for _number in range(lessons):
        LessonPageFactory(parent=course)
    return course


def finish(person, course):
    """Do every step of the course, running what waits for the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        for lesson in LessonPage.objects.child_of(course).order_by("path"):
            progress.complete_step(user=person, step=lesson, course=course)
    return Enrollment.objects.get(user=person, course=course)


def make_certificate(person, course, *, completed_at=None, pdf=True, **changes):
    """A certificate as if the course was completed then, with a stand-in PDF."""
    completed_at = completed_at or timezone.now() - timedelta(days=1)
    enrollment, _created = Enrollment.objects.update_or_create(
        user=person, course=course, defaults={"completed_at": completed_at}
    )
    certificate = issue_certificate(enrollment)
    if changes:
        Certificate.objects.filter(pk=certificate.pk).update(**changes)
        certificate.refresh_from_db()
    if pdf:
        name = f"{certificate.pk}.pdf"
        certificate.pdf.save(name, ContentFile(stand_in_pdf(certificate.code)))
    return certificate


def unsaved_certificate(person, course, **fields):
    """A certificate to render, not stored: the PDF tests need no record."""
    values = {
        "code": new_code(),
        "user": person,
        "course": course,
        "completed_at": timezone.now(),
        "holder_name": person.get_full_name(),
        "course_title": course.title,
        "language": "fi",
        "template": course.certificate_template,
    }
    return Certificate(**values | fields)
