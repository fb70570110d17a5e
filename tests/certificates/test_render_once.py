"""Rendering a certificate's PDF again (a task run twice) stores one PDF."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from certificates.models import Certificate
from certificates.tasks import render_certificate
from tests.certificates.conftest import make_certificate, stand_in_pdf
from tests.helpers import stored_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def unrendered(course, learner, stand_in_pdfs):
    return make_certificate(learner, course, pdf=False)


def _stored_files(certificate):
    """The certificate's files (the storage is shared by the whole test run)."""
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / "certificates"
    return sorted(path.name for path in folder.glob(f"{certificate.pk}*"))


def test_a_second_run_of_the_task_stores_nothing_more(unrendered):
    assert render_certificate.call(str(unrendered.pk)) is True
    assert render_certificate.call(str(unrendered.pk)) is False

    assert _stored_files(unrendered) == [f"{unrendered.pk}.pdf"]


def test_a_file_left_by_a_run_killed_before_saving_is_replaced(unrendered):
    storage = Certificate._meta.get_field("pdf").storage
    storage.save(f"certificates/{unrendered.pk}.pdf", ContentFile(b"half a PDF"))

    assert render_certificate.call(str(unrendered.pk)) is True

    unrendered.refresh_from_db()
    assert _stored_files(unrendered) == [f"{unrendered.pk}.pdf"]
    assert unrendered.pdf.name == f"certificates/{unrendered.pk}.pdf"
    assert stored_bytes(unrendered.pdf) == stand_in_pdf(unrendered.code)
