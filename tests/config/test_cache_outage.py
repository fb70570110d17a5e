"""While Redis cannot be reached, pages are served from the database, not failed."""

import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_redis(settings):
    """The cache set to a Redis address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    return port


def test_reads_miss_and_writes_are_dropped(unreachable_redis, caplog):
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["key", "other"]) == {}
    assert cache.add("key", "value") is False
    assert cache.set_many({"key": "value"}) == ["key"]
    assert cache.has_key("key") is False
    assert cache.delete("key") is False
    with pytest.raises(ValueError, match="out of reach"):
        cache.incr("key")
    assert "The cache is out of reach" in caplog.text


def test_a_learner_gets_the_lesson_and_marks_it_done(
    unreachable_redis, client, catalogue, learner
):
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, title="Otsikot")
    client.force_login(learner)

    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Otsikot" in response.content.decode()

    response = client.post(reverse("lessons:complete_step", args=[lesson.pk]))
    assert response.status_code == 302
    assert learner.step_completions.filter(page=lesson).exists()
