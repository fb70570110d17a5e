"""A real `manage.py db_worker` killed mid-render and restarted; failed renders retried.

The worker is a separate process on the test database, as in production with
TASK_BACKEND=database. Time passing between attempts is the one thing simulated:
a retry's `run_after` is moved to now instead of waiting minutes.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.issuing import issue_certificate
from certificates.models import Certificate
from config import health
from lessons.models import Enrollment
from team.task_retries import recover_tasks
from tests.certificates.conftest import *  # noqa: F403 (its fixtures apply here)
from tests.certificates.conftest import make_course
from tests.config.test_task_worker import MANAGE, RENDER, _database_url
from tests.factories import UserFactory
from tests.helpers import stored_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CERTIFICATES = 8


def _environment(tmp_path, *, private_root=None) -> dict:
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "TASK_BACKEND": "database",
        "PRIVATE_STORAGE_ROOT": str(private_root or settings.PRIVATE_STORAGE_ROOT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_URL": settings.SITE_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "LOG_LEVEL": "WARNING",
    }


def _worker_command(*extra) -> list[str]:
    command = [sys.executable, str(MANAGE), "db_worker", "--no-reload"]
    return [*command, "--no-startup-delay", "--interval", "0.1", *extra]


def run_worker_batch(tmp_path, **environment):
    subprocess.run(  # noqa: S603 (our own manage.py)
        _worker_command("--batch"),
        env=_environment(tmp_path, **environment),
        capture_output=True,
        timeout=180,
        check=True,
    )


def render_results():
    return DBTaskResult.objects.filter(task_path=RENDER)


def wait_for(condition, *, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    pytest.fail("The worker did not get there in time")


def issued_certificates(catalogue, template, count):
    """Certificates of `count` people, each render queued for the worker."""
    course = make_course(catalogue, "Tietoturva", template=template)
    certificates = []
    for number in range(count):
        person = UserFactory(email=f"oppija{number}@example.org")
        enrollment = Enrollment.objects.create(
            user=person, course=course, completed_at=timezone.now()
        )
        certificates.append(issue_certificate(enrollment))
    return certificates


def stored_pdf_names(certificates) -> list[str]:
    """The certificates' files (the storage is shared by the whole test run)."""
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / "certificates"
    return sorted(path.name for c in certificates for path in folder.glob(f"{c.pk}*"))


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_worker_killed_mid_render_loses_and_doubles_nothing(
    queued_tasks, catalogue, template, tmp_path
):
    certificates = issued_certificates(catalogue, template, CERTIFICATES)
    assert render_results().filter(status="READY").count() == CERTIFICATES
    worker = subprocess.Popen(  # noqa: S603 (our own manage.py)
        _worker_command(), env=_environment(tmp_path), stdout=subprocess.DEVNULL
    )
    try:
        wait_for(
            lambda: (
                render_results().filter(status="SUCCESSFUL").count() >= 2
                and render_results().filter(status="RUNNING").exists()
            )
        )
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    stalled = list(render_results().filter(status="RUNNING"))
    assert len(stalled) == 1
    assert render_results().filter(status="READY").exists()

    call_command("recover_tasks", running_longer_than=0)
    run_worker_batch(tmp_path)

    assert set(render_results().values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert render_results().count() == CERTIFICATES
    assert len(render_results().get(pk=stalled[0].pk).worker_ids) == 2
    assert stored_pdf_names(certificates) == sorted(f"{c.pk}.pdf" for c in certificates)
    for certificate in Certificate.objects.all():
        assert stored_bytes(certificate.pdf)[:5] == b"%PDF-"


def _let_the_backoff_pass():
    render_results().filter(status="READY").update(run_after=timezone.now())


def test_a_failing_render_is_retried_with_backoff_then_shown_and_tried_again(
    queued_tasks, catalogue, template, training_admin, client, tmp_path
):
    (certificate,) = issued_certificates(catalogue, template, 1)
    broken_storage = tmp_path / "not-a-folder"
    broken_storage.write_text("")
    waits = []
    for _attempt in range(3):
        started = timezone.now()
        run_worker_batch(tmp_path, private_root=broken_storage)
        result = render_results().get()
        assert result.status == "READY"
        waits.append(round((result.run_after - started).total_seconds() / 60))
        _let_the_backoff_pass()
    assert waits == [1, 5, 30]
    run_worker_batch(tmp_path, private_root=broken_storage)
    result = render_results().get()
    assert result.status == "FAILED"
    assert len(result.worker_ids) == 4

    client.force_login(training_admin)
    page = client.get(reverse("team_failed_tasks")).content.decode()
    assert certificate.display_code in page
    assert "NotADirectoryError" in page or "FileExistsError" in page

    client.post(reverse("team_run_task_again", args=[result.pk]))
    run_worker_batch(tmp_path)

    certificate.refresh_from_db()
    assert render_results().get().status == "SUCCESSFUL"
    assert stored_pdf_names([certificate]) == [f"{certificate.pk}.pdf"]
    assert (
        certificate.display_code
        not in client.get(reverse("team_failed_tasks")).content.decode()
    )


def test_a_task_running_past_the_timeout_is_queued_again_only_then(
    queued_tasks, catalogue, template
):
    issued_certificates(catalogue, template, 1)
    render_results().update(
        status="RUNNING", started_at=timezone.now(), worker_ids=["gone"]
    )

    call_command("recover_tasks")
    assert render_results().get().status == "RUNNING"

    render_results().update(started_at=timezone.now() - timedelta(hours=1))
    call_command("recover_tasks")
    assert render_results().get().status == "READY"


def test_a_stopped_workers_task_is_queued_again_without_waiting_for_the_timeout(
    queued_tasks, catalogue, template
):
    issued_certificates(catalogue, template, 2)
    of_live_worker, of_stopped_worker = render_results().order_by("enqueued_at")
    health.record_worker_heartbeat(worker_id="alive")
    for result, worker in ((of_live_worker, "alive"), (of_stopped_worker, "stopped")):
        render_results().filter(pk=result.pk).update(
            status="RUNNING", started_at=timezone.now(), worker_ids=[worker]
        )

    assert recover_tasks(live_workers=health.live_workers) == (1, 0)

    assert render_results().get(pk=of_live_worker.pk).status == "RUNNING"
    assert render_results().get(pk=of_stopped_worker.pk).status == "READY"


def test_a_worker_is_alive_for_a_few_beats_after_its_last(settings):
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 10
    beat = time.time()
    health.record_worker_heartbeat(worker_id="w1", now=beat)
    assert health.live_workers(["w1", "w2"], now=beat + 25) == {"w1"}
    assert health.live_workers(["w1", "w2"], now=beat + 35) == set()
