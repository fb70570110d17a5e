"""Structured logs: one JSON object per line, each record carrying its request's id."""

import io
import json
import logging
import re

import pytest
from django.db.backends.utils import CursorWrapper
from django.urls import reverse

from config.logs import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines(settings):
    """Collect what the root logger writes, formatted as production formats it."""
    settings.LOG_REQUESTS = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous_level)


def test_a_request_is_logged_as_one_json_line_with_its_user(client, learner, log_lines):
    client.force_login(learner)
    response = client.get(reverse("lessons:my_learning"), HTTP_X_REQUEST_ID="abc-123")

    assert response["X-Request-ID"] == "abc-123"
    [line] = [line for line in log_lines() if line["logger"] == "config.requests"]
    assert line["request_id"] == "abc-123"
    assert line["method"] == "GET"
    assert line["path"] == "/learning/"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert line["user_id"] == learner.pk
    assert line["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", line["time"])


def test_every_record_of_a_request_carries_its_id(client, log_lines, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    client.get("/readyz/", HTTP_X_REQUEST_ID="probe-7")

    failure = next(line for line in log_lines() if line["logger"] == "config.health")
    assert failure["request_id"] == "probe-7"
    assert failure["level"] == "ERROR"
    assert "RuntimeError: gone" in failure["exception"]


def test_without_a_usable_id_the_request_gets_a_new_one(client):
    first = client.get("/healthz/", HTTP_X_REQUEST_ID="not an id; <script>")
    second = client.get("/healthz/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_records_outside_a_request_have_no_request_fields(log_lines):
    logging.getLogger("oppimo.test").warning("outside %s", "requests")
    [line] = log_lines()
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": "oppimo.test",
        "message": "outside requests",
    }


def test_the_process_is_named_only_when_served_by_is_set(client, settings):
    settings.SERVED_BY = ""
    assert "X-Served-By" not in client.get("/healthz/")
    settings.SERVED_BY = "app2"
    assert client.get("/healthz/")["X-Served-By"] == "app2"
