"""Media and private certificates on S3-compatible storage (moto's in-process S3).

The same classes run against real S3; the running topology (moto in server mode
behind nginx) is checked by deploy/smoke.py in CI.
"""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from moto import mock_aws

from certificates.models import Certificate
from config import backups
from tests.certificates.conftest import *  # noqa: F403 (its fixtures apply here)
from tests.certificates.conftest import make_certificate, make_course, stand_in_pdf

pytestmark = pytest.mark.django_db
MEDIA, PRIVATE = "test-media", "test-private"
OPTIONS = {"region_name": "eu-north-1", "file_overwrite": False}


@pytest.fixture(autouse=True)
def remove_stored_pdfs():
    """Nothing to remove: the buckets go with moto's mock at the end of each test."""


@pytest.fixture
def buckets(settings, monkeypatch):
    """Two empty buckets, and the storages pointed at them."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="eu-north-1")
        for bucket in (MEDIA, PRIVATE):
            client.create_bucket(
                Bucket=bucket,
                CreateBucketConfiguration={"LocationConstraint": "eu-north-1"},
            )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "config.storage.MediaS3Storage",
                "OPTIONS": {**OPTIONS, "bucket_name": MEDIA},
            },
            "private": {
                "BACKEND": "config.storage.PrivateS3Storage",
                "OPTIONS": {
                    **OPTIONS,
                    "bucket_name": PRIVATE,
                    "default_acl": "private",
                },
            },
        }
        yield client


@pytest.fixture
def pdfs_on_s3(buckets, monkeypatch):
    """Store certificate PDFs in the private bucket (the field's storage is fixed
    when the model loads, from the settings of that moment)."""
    monkeypatch.setattr(
        Certificate._meta.get_field("pdf"), "storage", storages["private"]
    )


def test_a_private_object_is_stored_unreadable_to_anyone_else(buckets):
    name = storages["private"].save("certificates/a.pdf", ContentFile(b"%PDF-1.7"))

    with storages["private"].open(name, "rb") as stored:
        assert stored.read() == b"%PDF-1.7"
    grants = buckets.get_object_acl(Bucket=PRIVATE, Key=name)["Grants"]
    grantees = {grant["Grantee"].get("URI", "owner") for grant in grants}
    assert grantees == {"owner"}


def test_a_private_object_has_no_url(buckets):
    name = storages["private"].save("certificates/b.pdf", ContentFile(b"%PDF"))
    with pytest.raises(ValueError, match="no URL"):
        storages["private"].url(name)


def test_media_is_linked_under_the_sites_own_media_url(buckets, settings):
    settings.MEDIA_URL = "/media/"
    name = storages["default"].save("images/kansi kuva.png", ContentFile(b"png"))
    assert storages["default"].url(name) == "/media/images/kansi%20kuva.png"
    assert buckets.get_object(Bucket=MEDIA, Key=name)["Body"].read() == b"png"


def test_a_name_taken_gets_a_new_one_instead_of_overwriting(buckets):
    first = storages["private"].save("certificates/c.pdf", ContentFile(b"first"))
    second = storages["private"].save("certificates/c.pdf", ContentFile(b"second"))
    assert first != second
    with storages["private"].open(first, "rb") as stored:
        assert stored.read() == b"first"


def test_the_holder_downloads_a_pdf_kept_in_the_private_bucket(
    client, catalogue, template, learner, pdfs_on_s3, buckets, stand_in_pdfs
):
    course = make_course(catalogue, "Tietoturva", template=template)
    certificate = make_certificate(learner, course)
    stored = buckets.get_object(Bucket=PRIVATE, Key=certificate.pdf.name)
    assert stored["Body"].read() == stand_in_pdf(certificate.code)

    client.force_login(learner)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stand_in_pdf(certificate.code)


def test_readiness_probes_both_buckets(client, buckets):
    assert [type(storages[alias]).__name__ for alias in ("default", "private")] == [
        "MediaS3Storage",
        "PrivateS3Storage",
    ]
    response = client.get("/readyz/")
    assert response.json()["checks"]["storage"] == {"status": "ok"}
    assert buckets.list_objects_v2(Bucket=PRIVATE)["KeyCount"] == 0


def test_readiness_fails_when_the_private_bucket_is_gone(client, buckets):
    buckets.delete_bucket(Bucket=PRIVATE)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "fail"


def test_every_object_of_a_bucket_is_listed_for_the_backup(buckets):
    for name in ("a.txt", "images/b.png", "images/originals/c.png"):
        storages["default"].save(name, ContentFile(b"x"))
    names = list(backups.stored_names(storages["default"]))
    assert names == ["a.txt", "images/b.png", "images/originals/c.png"]


def test_a_signature_kept_in_the_media_bucket_is_drawn_on_the_pdf(
    catalogue, template, learner, buckets, monkeypatch
):
    import io

    from PIL import Image as PillowImage
    from pypdf import PdfReader
    from wagtail.images import get_image_model

    from certificates.rendering import render_pdf

    image_model = get_image_model()
    monkeypatch.setattr(
        image_model._meta.get_field("file"), "storage", storages["default"]
    )
    png = io.BytesIO()
    PillowImage.new("RGB", (120, 40), (20, 40, 160)).save(png, "PNG")
    signature = image_model(title="Allekirjoitus")
    signature.file.save("allekirjoitus.png", ContentFile(png.getvalue()), save=False)
    signature.width, signature.height = 120, 40
    signature.save()
    template.signature = signature
    template.save()
    course = make_course(catalogue, "Kurssi", template=template)
    certificate = make_certificate(learner, course, pdf=False)
    assert buckets.list_objects_v2(Bucket=MEDIA)["KeyCount"] == 1

    pdf = PdfReader(io.BytesIO(render_pdf(certificate, template, certificate.course)))

    drawn = [image for page in pdf.pages for image in page.images]
    assert [image.image.size for image in drawn] == [(120, 40)]
