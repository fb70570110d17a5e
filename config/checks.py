"""System checks of the deployment as a whole, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Warning

PROCESS_LOCAL_CACHES = (LocMemCache, DummyCache)


def check_shared_cache(app_configs, **kwargs):
    """Warn when the default cache is not shared by the server's processes."""
    if settings.DEBUG or not isinstance(caches["default"], PROCESS_LOCAL_CACHES):
        return []
    return [
        Warning(
            "The default cache is kept in each process "
            f"({type(caches['default']).__name__}), not shared between them.",
            hint=(
                "Rate limits (certificate lookups, password reset e-mails) then "
                "count in each process on its own, or not at all with DummyCache, "
                "and a session ended in one process can still be read from "
                "another's cache. Set REDIS_URL to share the cache."
            ),
            id="oppimo.W001",
        )
    ]


def check_site_url(app_configs, **kwargs):
    """Require the public address in production: links, QR codes and e-mails use it."""
    if settings.DEBUG or settings.SITE_URL:
        return []
    return [
        Error(
            "SITE_URL is not set.",
            hint=(
                "Set SITE_URL to the site's public address, e.g. "
                "https://oppiminen.example.org: the certificates' QR codes and "
                "verification links, shared links and e-mails point there."
            ),
            id="oppimo.E001",
        )
    ]
