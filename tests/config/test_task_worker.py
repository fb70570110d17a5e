"""Tasks queued in the database are run by a real `manage.py db_worker` process.

The worker is a separate process on the same test database (a SQLite file, or
PostgreSQL), as in production with TASK_BACKEND=database.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from lessons.models import Enrollment
from team.models import ReminderLog
from team.tasks import send_reminders_task
from tests.certificates.conftest import *  # noqa: F403 (its fixtures apply here)
from tests.certificates.conftest import finish, make_course
from tests.helpers import stored_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RENDER = "certificates.tasks.render_certificate"
REMINDERS = "team.tasks.send_reminders_task"


def our_statuses(task_path):
    """Return the statuses of one task's results, oldest first.

    Wagtail queues tasks of its own (search and reference indexes) beside ours.
    """
    results = DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at")
    return list(results.values_list("status", flat=True))


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    user, host = database["USER"], database["HOST"] or "127.0.0.1"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{database['PORT']}/{database['NAME']}"


def run_worker(tmp_path) -> subprocess.CompletedProcess:
    """Run every queued task in a worker process, then return once it has exited."""
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "TASK_BACKEND": "database",
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_URL": settings.SITE_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, str(MANAGE), "db_worker", "--batch", "--no-reload"]
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [*command, "--no-startup-delay"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = DATABASE_BACKEND


def test_completing_a_course_queues_the_pdf_and_the_worker_renders_it(
    queued_tasks, catalogue, template, learner, tmp_path
):
    course = make_course(catalogue, "Tietoturva", template=template)
    finish(learner, course)
    certificate = Certificate.objects.get(user=learner)
    assert not certificate.pdf
    assert our_statuses(RENDER) == ["READY"]

    run_worker(tmp_path)

    certificate.refresh_from_db()
    assert stored_bytes(certificate.pdf)[:5] == b"%PDF-"
    assert our_statuses(RENDER) == ["SUCCESSFUL"]


def test_a_failing_task_is_marked_failed_and_the_worker_goes_on(
    queued_tasks, catalogue, template, learner, tmp_path
):
    course = make_course(catalogue, "Tietoturva", template=template)
    finish(learner, course)
    Certificate.objects.filter(user=learner).update(template=None)
    send_reminders_task.enqueue()

    run_worker(tmp_path)

    assert our_statuses(RENDER) == ["FAILED"]
    assert our_statuses(REMINDERS) == ["SUCCESSFUL"]


def test_the_worker_sends_the_due_date_reminders_once(
    queued_tasks, catalogue, learner, tmp_path
):
    course = make_course(catalogue, "Saavutettavuus")
    Enrollment.objects.create(
        user=learner,
        course=course,
        source="assigned",
        due_date=timezone.localdate() + timedelta(days=1),
    )
    send_reminders_task.enqueue()
    run_worker(tmp_path)
    send_reminders_task.enqueue()
    run_worker(tmp_path)

    mails = list((tmp_path / "mail").iterdir())
    assert len(mails) == 1
    assert "To: learner@example.org" in mails[0].read_text()
    assert ReminderLog.objects.filter(recipient=learner).count() == 1
    assert our_statuses(REMINDERS) == ["SUCCESSFUL", "SUCCESSFUL"]
