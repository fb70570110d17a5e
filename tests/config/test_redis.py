"""With REDIS_URL set, cache, sessions and rate limits live in Redis.

These run when REDIS_URL names a Redis server (CI starts one of its own and sets
REQUIRE_REDIS=1, so that they fail instead of being skipped).
"""

import os
import pickle

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

from people import rate_limits

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")
if not REDIS_URL:
    reason = "REDIS_URL is not set: the Redis tests need a Redis server"
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail(reason, pytrace=False)
    pytestmark = [pytestmark, pytest.mark.skip(reason=reason)]


@pytest.fixture
def raw_redis():
    """A client of our own, as another app process would reach the same server."""
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


def test_the_cache_is_redis_and_shared_across_processes(raw_redis):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("shared-check", {"value": 1}, timeout=60)
    stored = raw_redis.get(cache.make_key("shared-check"))
    assert pickle.loads(stored) == {"value": 1}  # noqa: S301 (our own value)


def test_a_session_is_read_from_redis(client, learner, raw_redis):
    client.force_login(learner)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cache_key = cache.make_key(f"django.contrib.sessions.cached_db{session_key}")
    assert raw_redis.exists(cache_key)

    Session.objects.filter(session_key=session_key).delete()
    response = client.get(reverse("lessons:my_learning"))

    assert response.status_code == 200
    assert response.context["user"] == learner


def test_the_verification_limit_counts_in_redis_for_every_process(
    client, settings, raw_redis
):
    settings.CERTIFICATE_LOOKUPS_PER_MINUTE = 3
    url = reverse("certificates:verify", args=["ABCDEFGHJKMN"])
    assert client.get(url).status_code == 404
    key = cache.make_key(
        rate_limits.cache_key("certificate-lookups", "127.0.0.1", seconds=60)
    )
    assert int(raw_redis.get(key)) == 1

    raw_redis.set(key, 3, keepttl=True)
    response = client.get(url)

    assert response.status_code == 429
    assert int(raw_redis.get(key)) == 4


def test_commands_share_one_redis_client():
    """Django would set up a new redis-py client per command (a CPU cost per get)."""
    cache.set("one", 1)
    cache.get("one")
    client = cache._cache.get_client("one")
    assert cache._cache.get_client("two") is client
    assert cache._cache.get_client("one", write=True) is client
