"""Downloading a certificate's PDF: who may, revoked ones, and a PDF not yet made."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from certificates.issuing import revoke
from certificates.tasks import render_certificate
from tests.certificates.conftest import make_certificate, stand_in_pdf
from tests.helpers import stored_bytes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "stand_in_pdfs"),
]

COMPLETED = datetime(2026, 2, 3, 23, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
FILE_NAME = "Laine_Leena_Tietoturva_2026-02-03.pdf"
DUMMY_TASKS = "django_tasks.backends.dummy.DummyBackend"  # queues, never runs


@pytest.fixture
def certificate(course, learner):
    return make_certificate(learner, course, completed_at=COMPLETED)


def _download(client, certificate):
    return client.get(reverse("certificates:download", args=[certificate.pk]))


@pytest.mark.parametrize("role", ["learner", "manager", "training_admin"])
def test_the_holder_their_manager_and_training_admins_get_the_pdf(
    client, request, certificate, role
):
    client.force_login(request.getfixturevalue(role))
    response = _download(client, certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{FILE_NAME}"'
    assert b"".join(response.streaming_content) == stand_in_pdf(certificate.code)


@pytest.mark.parametrize("role", ["second_learner", "unrelated_manager", "editor"])
def test_anyone_else_is_told_there_is_no_such_certificate(
    client, request, certificate, role
):
    client.force_login(request.getfixturevalue(role))
    assert _download(client, certificate).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, certificate):
    response = _download(client, certificate)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize("role", ["learner", "manager"])
def test_a_revoked_certificate_is_gone(client, request, certificate, role):
    revoke(certificate, reason="Väärä henkilö")
    client.force_login(request.getfixturevalue(role))
    response = _download(client, certificate)
    assert response.status_code == 410
    assert "has been revoked" in response.content.decode()


def test_a_missing_pdf_is_rendered_at_once_by_immediate_tasks(client, course, learner):
    certificate = make_certificate(learner, course, completed_at=COMPLETED, pdf=False)
    client.force_login(learner)

    response = _download(client, certificate)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stand_in_pdf(certificate.code)
    certificate.refresh_from_db()
    assert stored_bytes(certificate.pdf) == stand_in_pdf(certificate.code)


def test_a_missing_pdf_still_queued_is_being_prepared(
    client, course, learner, settings
):
    settings.TASKS = {"default": {"BACKEND": DUMMY_TASKS}}
    certificate = make_certificate(learner, course, completed_at=COMPLETED, pdf=False)
    client.force_login(learner)

    response = _download(client, certificate)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The certificate is being prepared" in response.content.decode()
    [queued] = [
        result
        for result in task_backends["default"].results
        if result.task == render_certificate
    ]
    assert queued.args == [str(certificate.pk)]

    assert render_certificate.call(*queued.args) is True
    response = _download(client, certificate)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_opening_a_download_again_queues_no_second_render(
    client, course, learner, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    certificate = make_certificate(learner, course, completed_at=COMPLETED, pdf=False)
    client.force_login(learner)

    for _attempt in range(3):
        assert _download(client, certificate).status_code == 503

    renders = DBTaskResult.objects.filter(task_path=render_certificate.module_path)
    assert list(renders.values_list("args_kwargs", flat=True)) == [
        {"args": [str(certificate.pk)], "kwargs": {}}
    ]
    renders.update(status=TaskResultStatus.SUCCESSFUL)
    assert _download(client, certificate).status_code == 503
    assert renders.count() == 2


def test_my_certificates_lists_only_my_own(client, course, learner, second_learner):
    mine = make_certificate(learner, course)
    theirs = make_certificate(second_learner, course)
    client.force_login(learner)
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 200
    assert response.context["certificates"] == [mine]
    content = response.content.decode()
    assert reverse("certificates:download", args=[mine.pk]) in content
    assert reverse("certificates:download", args=[theirs.pk]) not in content


def test_stored_pdfs_have_no_public_url(learner):
    from django.core.files.storage import storages

    with pytest.raises(ValueError):
        storages["private"].url("certificates/any.pdf")
