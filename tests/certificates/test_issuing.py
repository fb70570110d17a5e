"""Issuing: one certificate per completion, stored privately, a snapshot of its day."""

import hashlib
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from certificates.issuing import issue_certificate, render_missing_pdfs
from certificates.models import Certificate
from lessons import progress
from lessons.models import Enrollment, LessonPage
from lessons.signals import course_completed
from tests.certificates.conftest import finish, make_course, stand_in_pdf
from tests.helpers import stored_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stand_in_pdfs")]

HELSINKI = ZoneInfo("Europe/Helsinki")


def _helsinki(*parts):
    return datetime(*parts, tzinfo=HELSINKI)


def test_completing_a_course_issues_one_certificate_with_a_private_pdf(course, learner):
    enrollment = finish(learner, course)

    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.course) == (learner, course)
    assert certificate.enrollment == enrollment
    assert certificate.completed_at == enrollment.completed_at
    assert certificate.status() == "valid"
    path = Path(certificate.pdf.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    data = path.read_bytes()
    assert data == stand_in_pdf(certificate.code)
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_completing_again_or_reevaluating_issues_no_second_certificate(course, learner):
    enrollment = finish(learner, course)
    last = LessonPage.objects.child_of(course).order_by("path").last()

    with TestCase.captureOnCommitCallbacks(execute=True):
        progress.complete_step(user=learner, step=last, course=course)
        progress.reevaluate_course(course=course)
        again = issue_certificate(enrollment)
        course_completed.send(
            sender=Enrollment, enrollment=enrollment, user=learner, course=course
        )

    assert again == Certificate.objects.get()


def test_a_course_without_a_template_issues_none(catalogue, learner):
    course = make_course(catalogue, "Ilman todistusta")
    enrollment = finish(learner, course)
    assert enrollment.completed_at is not None
    assert not Certificate.objects.exists()


def test_the_certificate_keeps_the_name_course_and_language_of_its_day(course, learner):
    learner.preferred_language = "sv"
    learner.save()
    finish(learner, course)

    learner.first_name, learner.preferred_language = "Leila", "en"
    learner.save()
    course.title = "Tietoturva 2.0"
    course.save_revision().publish()

    certificate = Certificate.objects.get()
    assert certificate.holder_name == "Leena Laine"
    assert certificate.course_title == "Tietoturva"
    assert certificate.language == "sv"
    assert certificate.template == course.certificate_template


@pytest.mark.parametrize(
    "completed, months, expires",
    [
        (_helsinki(2025, 3, 15, 12, 0), 12, _helsinki(2026, 3, 15, 12, 0)),
        (_helsinki(2025, 1, 31, 12, 0), 1, _helsinki(2025, 2, 28, 12, 0)),
        (_helsinki(2024, 1, 31, 12, 0), 1, _helsinki(2024, 2, 29, 12, 0)),
        (_helsinki(2025, 12, 31, 12, 0), 2, _helsinki(2026, 2, 28, 12, 0)),
        (_helsinki(2025, 1, 31, 0, 30), 1, _helsinki(2025, 2, 28, 0, 30)),
        (_helsinki(2025, 7, 15, 0, 30), 6, _helsinki(2026, 1, 15, 0, 30)),
    ],
)
def test_expiry_is_the_same_local_day_the_validity_months_later(
    catalogue, template, learner, completed, months, expires
):
    course = make_course(catalogue, "Ensiapu", template=template, validity=months)
    with time_machine.travel(completed, tick=False):
        finish(learner, course)
    certificate = Certificate.objects.get()
    assert certificate.completed_at == completed
    assert certificate.expires_at == expires
    assert timezone.localtime(certificate.expires_at).date() == expires.date()


def test_a_course_without_validity_gives_a_certificate_that_never_expires(
    catalogue, template, learner
):
    finish(learner, make_course(catalogue, "Perehdytys", template=template))
    certificate = Certificate.objects.get()
    assert certificate.expires_at is None
    assert certificate.status(now=_helsinki(2099, 1, 1)) == "valid"


def test_a_failed_render_keeps_the_certificate_and_is_rendered_later(
    course, learner, monkeypatch
):
    def broken(certificate, template, course):
        raise OSError("no fonts")

    with monkeypatch.context() as patched:
        patched.setattr("certificates.issuing.render_pdf", broken)
        finish(learner, course)
    certificate = Certificate.objects.get()
    assert not certificate.pdf

    assert render_missing_pdfs() == (1, 0)
    certificate.refresh_from_db()
    assert stored_bytes(certificate.pdf) == stand_in_pdf(certificate.code)
    assert render_missing_pdfs() == (0, 0)


@pytest.mark.usefixtures("english")
def test_the_render_command_renders_what_is_missing_and_fails_on_what_it_cannot(
    catalogue, template, learner, second_learner, monkeypatch
):
    def broken(certificate, template, course):
        raise OSError("no fonts")

    with monkeypatch.context() as patched:
        patched.setattr("certificates.issuing.render_pdf", broken)
        finish(learner, make_course(catalogue, "Tietoturva", template=template))
        finish(second_learner, make_course(catalogue, "Tekoäly", template=template))
    unrenderable = Certificate.objects.get(user=second_learner)
    Certificate.objects.filter(pk=unrenderable.pk).update(template=None)
    out = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("render_certificates", stdout=out)

    assert out.getvalue() == "Rendered 1 certificate.\n"
    assert str(refused.value) == (
        "1 certificate could not be rendered; the log says why."
    )
    assert Certificate.objects.get(user=learner).pdf
    assert not Certificate.objects.get(user=second_learner).pdf


@pytest.mark.usefixtures("english")
def test_the_render_command_says_when_every_pdf_is_there(course, learner):
    finish(learner, course)
    out = io.StringIO()
    call_command("render_certificates", stdout=out)
    assert out.getvalue() == (
        "Rendered 0 certificates.\nEvery certificate has its PDF.\n"
    )
