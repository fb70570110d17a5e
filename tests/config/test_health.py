"""Liveness (/healthz/) and readiness (/readyz/) for the load balancer."""

import time

import pytest
from django.core.cache import cache, caches
from django.core.files.storage import storages
from django.core.management import call_command, get_commands
from django.db.backends.utils import CursorWrapper
from django_tasks_db.management.commands import db_worker as django_tasks_db_worker

from config import health

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def broken(*args, **kwargs):
    raise RuntimeError("gone")


def test_liveness_answers_ok_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_liveness_answers_while_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(CursorWrapper, "execute", broken)
    assert client.get("/healthz/").status_code == 200


def test_probes_by_address_over_plain_http_are_answered(client, settings):
    settings.ALLOWED_HOSTS = ["oppiminen.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz/", "/readyz/"):
        assert client.get(path, HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/learning/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_readiness_reports_every_check(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "ok"
    assert checks["storage"] == {"status": "ok"}
    assert checks["task_worker"]["status"] == "skipped"


def test_readiness_leaves_no_probe_objects_behind(client):
    client.get("/readyz/")
    for alias in health.STORAGE_ALIASES:
        assert storages[alias].listdir("readiness")[1] == []


def test_readiness_fails_with_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/readyz/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    # Why goes to the log only: the answer names no part of the machinery.
    assert checks["database"] == {"status": "fail"}
    assert checks["cache"]["status"] == "ok"


def test_readiness_fails_when_the_cache_loses_what_it_was_given(client, monkeypatch):
    monkeypatch.setattr(caches["default"], "get", lambda *args, **kwargs: None)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "fail"


def test_readiness_fails_when_private_storage_cannot_be_written(client, monkeypatch):
    monkeypatch.setattr(storages["private"], "save", broken)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["status"] == "fail"


def test_with_database_tasks_readiness_needs_a_recent_worker_heartbeat(
    client, settings
):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_WORKER_HEARTBEAT_TIMEOUT = 60

    assert client.get("/readyz/").status_code == 503

    health.record_worker_heartbeat(worker_id="w1", now=time.time() - 5)
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json()["checks"]["task_worker"]["heartbeat_age_seconds"] >= 5

    health.record_worker_heartbeat(worker_id="w1", now=time.time() - 120)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["task_worker"]["status"] == "fail"


def test_manage_db_worker_is_the_one_that_beats():
    assert get_commands()["db_worker"] == "config"


def test_the_task_worker_beats_while_it_runs_and_stops_after(settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 0.05
    beats = []

    def work(self, **options):
        beats.append(cache.get(health.HEARTBEAT_KEY))
        time.sleep(0.5)
        beats.append(cache.get(health.HEARTBEAT_KEY))

    monkeypatch.setattr(django_tasks_db_worker.Command, "handle", work)
    call_command("db_worker", "--no-reload", "--worker-id", "worker-a")
    last = cache.get(health.HEARTBEAT_KEY)
    time.sleep(0.2)

    first, later = beats
    assert first["worker_id"] == "worker-a"
    assert later["at"] > first["at"]
    assert cache.get(health.HEARTBEAT_KEY) == last
