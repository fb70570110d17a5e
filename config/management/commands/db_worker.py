"""`manage.py db_worker` of django-tasks-db, with a heartbeat and task recovery.

This app comes before django_tasks_db in INSTALLED_APPS, so this command is the
one `manage.py db_worker` runs. While the worker runs, a background thread writes
a timestamp into the shared cache every TASK_WORKER_HEARTBEAT_SECONDS
(config.health reads it). At the start, and then every RECOVERY_SECONDS, it
queues again the tasks a killed worker left running (team.task_retries): those of
a worker whose heartbeat has stopped, and any running for TASK_RUNNING_TIMEOUT.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from config import health
from team.task_retries import recover_tasks

logger = logging.getLogger(__name__)
RECOVERY_SECONDS = 30


class Heartbeat(threading.Thread):
    """Write the worker's heartbeat until stopped."""

    def __init__(self, *, worker_id: str, interval: float):
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        last_recovery = time.monotonic()
        while not self.stopped.wait(self.interval):
            try:
                health.record_worker_heartbeat(worker_id=self.worker_id)
            except Exception:  # noqa: BLE001 (a cache outage must not stop tasks)
                logger.exception("Could not write the task worker's heartbeat")
            if time.monotonic() - last_recovery >= RECOVERY_SECONDS:
                last_recovery = time.monotonic()
                _recover()

    def stop(self):
        self.stopped.set()


class Command(db_worker.Command):
    help = "Run a database background worker that reports a heartbeat."

    def handle(self, **options):
        if not _runs_tasks_in_this_process(options):
            return super().handle(**options)
        # The first beat before any task: a worker that cannot reach the cache
        # fails here, loudly, instead of looking dead to /readyz/ later.
        health.record_worker_heartbeat(worker_id=options["worker_id"])
        _recover()
        heartbeat = Heartbeat(
            worker_id=options["worker_id"],
            interval=settings.TASK_WORKER_HEARTBEAT_SECONDS,
        )
        heartbeat.start()
        try:
            return super().handle(**options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)


def _recover():
    """Queue again what stopped workers left running; a failure only logs."""
    try:
        requeued, failed = recover_tasks(live_workers=health.live_workers)
    except Exception:  # noqa: BLE001 (recovery must not stop the worker)
        logger.exception("Could not recover the tasks of stopped workers")
        return
    if requeued or failed:
        logger.warning("Recovered tasks: %s queued again, %s failed", requeued, failed)


def _runs_tasks_in_this_process(options) -> bool:
    """Tell whether this process runs tasks: with --reload, only the child does."""
    reloads = options["reload"] and not options["batch"]
    return not reloads or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
