"""Liveness and readiness checks for the load balancer and monitoring.

`/healthz/` tells that the process answers (no database, no cache). `/readyz/`
checks what a request needs: the database, the shared cache, both storages (a tiny
probe object written, read and deleted) and the task worker's heartbeat, which
`manage.py db_worker` (config.management.commands.db_worker) writes into the cache.
The answer says only which check failed; why it failed goes to the log, so that an
unauthenticated probe learns nothing of the machinery behind the site.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from config.storage import STORAGE_ALIASES

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "task-worker:heartbeat"
# A worker is alive while its last beat is younger than this many beats.
WORKER_BEATS_KEPT = 3
PROBE_CONTENT = b"readiness probe"


def record_worker_heartbeat(*, worker_id: str, now: float | None = None) -> None:
    """Note in the shared cache that a task worker, and this one, is alive.

    The worker's own note lasts a few beats: a worker killed at any moment is
    known to be gone soon after (`live_workers`), and its tasks are run again.
    """
    beat = {"worker_id": worker_id, "at": time.time() if now is None else now}
    cache.set(HEARTBEAT_KEY, beat, timeout=settings.TASK_WORKER_HEARTBEAT_TIMEOUT * 2)
    cache.set(_worker_key(worker_id), beat["at"], timeout=_beat_lifetime())


def live_workers(worker_ids, *, now: float | None = None) -> set:
    """Return the ids, among these, of the task workers whose heartbeat is recent."""
    now = time.time() if now is None else now
    found = cache.get_many([_worker_key(worker_id) for worker_id in worker_ids])
    return {
        worker_id
        for worker_id in worker_ids
        if now - found.get(_worker_key(worker_id), float("-inf")) <= _beat_lifetime()
    }


def _beat_lifetime() -> int:
    """Seconds a worker's beat counts: its key's lifetime and the liveness rule."""
    return WORKER_BEATS_KEPT * settings.TASK_WORKER_HEARTBEAT_SECONDS


def _worker_key(worker_id) -> str:
    return f"{HEARTBEAT_KEY}:{worker_id}"


@never_cache
def liveness(request):
    """Answer 200 while the process can serve requests at all."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readiness(request):
    """Answer 200 with each check's result, or 503 when one of them fails."""
    checks = {name: _run(name, check) for name, check in CHECKS.items()}
    failed = any(result["status"] == "fail" for result in checks.values())
    body = {"status": "fail" if failed else "ok", "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


def _run(name, check):
    try:
        return check()
    except Exception as error:  # noqa: BLE001 (any failure means "not ready")
        logger.exception("Readiness check %s failed: %s", name, type(error).__name__)
        return {"status": "fail"}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_cache():
    key, value = f"readiness-probe:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    stored = cache.get(key)
    cache.delete(key)
    if stored != value:
        logger.error("Readiness: the cache did not give back the value written")
        return {"status": "fail"}
    return {"status": "ok"}


def check_storages():
    results = {alias: _probe_storage(storages[alias]) for alias in STORAGE_ALIASES}
    failed = [alias for alias, ok in results.items() if not ok]
    if failed:
        logger.error("Readiness: the probe was not read back from %s", failed)
        return {"status": "fail"}
    return {"status": "ok"}


def _probe_storage(storage) -> bool:
    name = storage.save(f"readiness/{uuid.uuid4().hex}.txt", ContentFile(PROBE_CONTENT))
    try:
        with storage.open(name, "rb") as stored:
            return stored.read() == PROBE_CONTENT
    finally:
        storage.delete(name)


def check_task_worker():
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return {"status": "skipped", "reason": "tasks run within the request"}
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        logger.error("Readiness: no heartbeat from a task worker")
        return {"status": "fail"}
    age = round(time.time() - beat["at"], 1)
    status = "ok" if age <= settings.TASK_WORKER_HEARTBEAT_TIMEOUT else "fail"
    return {"status": status, "heartbeat_age_seconds": age}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storages,
    "task_worker": check_task_worker,
}

# The paths config.middleware.HealthCheckMiddleware answers, before any URL routing.
VIEWS = {"/healthz/": liveness, "/readyz/": readiness}
