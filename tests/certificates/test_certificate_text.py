"""What the certificate PDF says: the date once, the expiry, the demo's Finnish and
every label in the certificate's language. Read back from real PDFs (pypdf)."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from pypdf import PdfReader

from certificates.demo import ensure_template
from certificates.rendering import render_pdf
from tests.certificates.conftest import make_course, unsaved_certificate

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
COMPLETED = datetime(2026, 1, 31, 12, 0, tzinfo=HELSINKI)
EXPIRES = datetime(2027, 1, 31, 12, 0, tzinfo=HELSINKI)


def _pdf_text(certificate):
    data = render_pdf(certificate, certificate.template, certificate.course)
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def certificate(course, learner):
    return unsaved_certificate(learner, course, completed_at=COMPLETED)


def test_the_completion_date_is_printed_once(certificate):
    assert _pdf_text(certificate).count("31. tammikuuta 2026") == 1


def test_a_text_without_a_date_placeholder_still_shows_the_date_once(certificate):
    certificate.template.body_fi = "{name} on suorittanut kurssin {course}."
    text = _pdf_text(certificate)
    assert text.count("31. tammikuuta 2026") == 1
    assert "Suorituspäivä: 31. tammikuuta 2026" in text


def test_a_certificate_that_expires_shows_its_expiry_date(certificate):
    certificate.expires_at = EXPIRES
    assert "Voimassa 31. tammikuuta 2027 asti" in _pdf_text(certificate)


def test_a_certificate_that_never_expires_shows_no_expiry(certificate):
    assert "2027" not in _pdf_text(certificate)


@pytest.mark.parametrize(
    ("language", "labels", "dates"),
    [
        ("en", ["Verify this certificate:", "Code:", "Valid until"], ["Jan. 31, 2026"]),
        ("sv", ["Kontrollera det här intyget:", "Kod:", "Giltigt till"], ["januari"]),
    ],
)
def test_the_labels_and_dates_are_in_the_certificates_language(
    certificate, language, labels, dates
):
    certificate.language = language
    certificate.expires_at = EXPIRES
    with translation.override("fi"):
        text = _pdf_text(certificate)
    for expected in labels + dates:
        assert expected in text, text
    assert "Tarkista" not in text and "tammikuuta" not in text


def test_the_demo_names_the_organisation_in_the_nominative(catalogue, learner):
    course = make_course(catalogue, "Tietoturva", template=ensure_template())
    certificate = unsaved_certificate(learner, course, completed_at=COMPLETED)
    text = _pdf_text(certificate)
    assert "Kurssi on osa henkilöstön verkkokoulutusta, jonka järjestää Oppimo." in text


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fi", "Koulutuspäällikkö"),
        ("sv", "Utbildningschef"),
        ("en", "Head of Training"),
    ],
)
def test_the_signers_title_is_in_the_certificates_language(
    certificate, language, title
):
    template = certificate.template
    template.signer_name = "Aino Ylläpitäjä"
    template.signer_title = "Koulutuspäällikkö"
    template.signer_title_sv = "Utbildningschef"
    template.signer_title_en = "Head of Training"
    certificate.language = language
    text = _pdf_text(certificate)
    assert title in text
    others = {"Koulutuspäällikkö", "Utbildningschef", "Head of Training"} - {title}
    assert not [other for other in others if other in text]


def test_a_signers_title_without_a_translation_falls_back_to_finnish(certificate):
    certificate.template.signer_title = "Koulutuspäällikkö"
    certificate.language = "sv"
    assert "Koulutuspäällikkö" in _pdf_text(certificate)
