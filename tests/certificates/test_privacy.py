"""Anonymising a holder removes their name and PDFs and keeps the certificates."""

import pytest
from django.urls import reverse

from certificates.issuing import render_missing_pdfs
from certificates.models import Certificate
from certificates.tasks import render_certificate
from team.privacy import anonymise
from tests.certificates.conftest import make_certificate, make_course

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "stand_in_pdfs"),
]

REMOVED = "The certificate holder's data has been removed."


@pytest.fixture
def certificates(catalogue, template, course, learner, second_learner):
    first_aid = make_course(catalogue, "Ensiapu", template=template)
    return [
        make_certificate(learner, course),
        make_certificate(learner, first_aid),
        make_certificate(second_learner, course),
    ]


def test_anonymising_removes_the_name_and_the_pdf_and_keeps_the_records(
    certificates, learner
):
    stored = [certificate.pdf.name for certificate in certificates]
    storage = certificates[0].pdf.storage

    anonymise(learner)

    mine = Certificate.objects.filter(user=learner).order_by("course_title")
    assert [(c.holder_name, c.pdf.name) for c in mine] == [("", ""), ("", "")]
    assert [c.course_title for c in mine] == ["Ensiapu", "Tietoturva"]
    assert {c.code for c in mine} == {c.code for c in certificates[:2]}
    assert [storage.exists(name) for name in stored] == [False, False, True]
    other = Certificate.objects.get(pk=certificates[2].pk)
    assert (other.holder_name, other.pdf.name) == ("Linnea Lind", stored[2])


def test_the_removed_pdf_is_not_rendered_again(
    client, certificates, learner, training_admin
):
    anonymise(learner)
    assert render_missing_pdfs() == (0, 0)
    assert render_certificate.call(str(certificates[0].pk)) is False

    client.force_login(training_admin)
    response = client.get(reverse("certificates:download", args=[certificates[0].pk]))

    assert response.status_code == 410
    assert REMOVED in response.content.decode()
    assert not Certificate.objects.filter(user=learner).exclude(pdf="").exists()
