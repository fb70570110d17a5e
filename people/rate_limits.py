"""Rate limits counted in the shared cache (Redis in production).

A window starts at the first request counted and lasts `seconds`. Keys are
hashed, so the cache holds no e-mail or client addresses.
"""

import hashlib

from django.core.cache import cache


def over_limit(scope: str, value: str, *, limit: int, seconds: int) -> bool:
    """Count one more request of `value` in `scope`; tell whether it is over `limit`."""
    digest = hashlib.sha256(value.encode()).hexdigest()
    key = f"rate-limit:{scope}:{digest}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=seconds)
        count = 1
    return count > limit
