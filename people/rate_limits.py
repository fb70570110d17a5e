"""Rate limits counted in the shared cache (Redis in production).

Requests are counted in fixed windows of `seconds` (a minute, an hour), one key
per window, so a count never outlives its window whatever the cache does with
expiry. Keys are hashed, so the cache holds no e-mail or client addresses.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone

# Seconds a window's count is kept after the window ends (clock differences).
EXPIRY_MARGIN = 30


def cache_key(scope: str, value: str, *, seconds: int) -> str:
    """Return the key that counts `value`'s requests in `scope` in this window."""
    digest = hashlib.sha256(value.encode()).hexdigest()
    window = int(timezone.now().timestamp() // seconds)
    return f"rate-limit:{scope}:{digest}:{window}"


def over_limit(scope: str, value: str, *, limit: int, seconds: int) -> bool:
    """Count one more request of `value` in `scope`; tell whether it is over `limit`."""
    key = cache_key(scope, value, seconds=seconds)
    cache.add(key, 0, timeout=seconds + EXPIRY_MARGIN)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, timeout=seconds + EXPIRY_MARGIN)
        count = 1
    return count > limit
