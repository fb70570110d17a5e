"""Names and titles that look like placeholders are printed as they are.

A certificate's text is its template with {name}, {course}, {date}, {duration} and
{organisation} filled in; the values themselves are never searched for placeholders.
"""

import io

import pytest
from pypdf import PdfReader

from certificates.rendering import certificate_text, render_pdf
from tests.certificates.conftest import unsaved_certificate

pytestmark = pytest.mark.django_db

LOOKALIKES = [
    "{course}",
    "{date}",
    "{name}",
    "{duration}",
    "{organisation}",
    "{0}",
    "{__class__}",
    "{name.__class__}",
    "{course} {date} {0}",
]


def _text(certificate, organisation="Kaupunki"):
    return certificate_text(
        certificate,
        course=certificate.course,
        template=certificate.template,
        organisation=organisation,
    )


@pytest.mark.parametrize("holder", LOOKALIKES)
def test_a_holder_named_like_a_placeholder_is_printed_literally(
    course, learner, holder
):
    certificate = unsaved_certificate(learner, course, holder_name=holder)
    text = _text(certificate)
    assert text.paragraphs == [
        f"{holder} on suorittanut kurssin Tietoturva {text.date}."
    ]


@pytest.mark.parametrize("title", LOOKALIKES)
def test_a_course_title_like_a_placeholder_is_printed_literally(course, learner, title):
    certificate = unsaved_certificate(learner, course, course_title=title)
    text = _text(certificate)
    assert text.paragraphs == [
        f"Leena Laine on suorittanut kurssin {title} {text.date}."
    ]


def test_an_organisation_named_like_a_placeholder_is_printed_literally(course, learner):
    course.certificate_template.title_fi = "Todistus – {organisation}"
    certificate = unsaved_certificate(learner, course)
    assert _text(certificate, organisation="{name} {course}").title == (
        "Todistus – {name} {course}"
    )


def test_every_placeholder_of_the_template_is_filled_and_others_are_kept(
    course, learner
):
    course.certificate_template.body_fi = (
        "{name}|{course}|{date}|{duration}|{organisation}|{unknown}|{0}"
    )
    certificate = unsaved_certificate(learner, course)
    text = _text(certificate)
    assert text.paragraphs == [
        f"Leena Laine|Tietoturva|{text.date}|{course.get_duration_display()}"
        "|Kaupunki|{unknown}|{0}"
    ]


def test_the_pdf_prints_a_placeholder_like_holder_name_literally(course, learner):
    holder = "{date} {course} {0}"
    certificate = unsaved_certificate(learner, course, holder_name=holder)
    data = render_pdf(certificate, certificate.template, certificate.course)
    pages = PdfReader(io.BytesIO(data)).pages
    text = "".join("".join(page.extract_text() for page in pages).split())
    assert "".join(f"{holder} on suorittanut kurssin Tietoturva".split()) in text
