"""Django's Redis cache, answering as a miss while Redis cannot be reached.

The cache only ever holds what can be worked out again (shared content, the
header's links, rate-limit counts, the worker's heartbeat) and sessions, which
`cached_db` also keeps in the database. While Redis restarts, or is out of reach,
pages are served from the database instead of failing: reads miss, writes are
dropped, counters start again (rate limits are not enforced for that while). Each
failure is logged.
"""

import logging
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


@contextmanager
def _unless_unreachable(operation):
    """Let the block fail quietly (logged) where Redis is out of reach."""
    try:
        yield
    except UNREACHABLE as error:
        logger.warning("The cache is out of reach (%s): %s", operation, error)


class ClientPerPool(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django makes a new `redis.Redis` for every command, and setting one up (its
    table of response callbacks) costs about as much CPU as the command; a client
    is safe to share, and its pool notices a fork.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPool

    def get(self, key, default=None, version=None):
        with _unless_unreachable("get"):
            return super().get(key, default, version)
        return default

    def get_many(self, keys, version=None):
        with _unless_unreachable("get_many"):
            return super().get_many(keys, version)
        return {}

    def has_key(self, key, version=None):
        with _unless_unreachable("has_key"):
            return super().has_key(key, version)
        return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("add"):
            return super().add(key, value, timeout, version)
        return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("set"):
            super().set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("set_many"):
            return super().set_many(data, timeout, version)
        return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        with _unless_unreachable("touch"):
            return super().touch(key, timeout, version)
        return False

    def delete(self, key, version=None):
        with _unless_unreachable("delete"):
            return super().delete(key, version)
        return False

    def delete_many(self, keys, version=None):
        with _unless_unreachable("delete_many"):
            super().delete_many(keys, version)

    def incr(self, key, delta=1, version=None):
        """Add delta; out of reach, the key is missing (ValueError), as in Django."""
        with _unless_unreachable("incr"):
            return super().incr(key, delta, version)
        raise ValueError(f"Key {key!r} not found: the cache is out of reach")
