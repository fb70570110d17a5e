"""Absolute addresses of certificates: the verification page, to print and to share.

`SITE_URL` is the public address. The system check (config/checks.py) requires it
when `DEBUG` is off; in development without it, a link made for a request uses the
address the site is served on, and one made without a request (a PDF rendered by a
task) the development server's.
"""

from django.conf import settings
from django.urls import reverse

DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def absolute_url(path: str, request=None) -> str:
    """Return the path as an absolute URL of the site."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return DEVELOPMENT_SITE_URL + path


def verification_url(code: str, request=None) -> str:
    """Return the public address that shows whether the certificate is valid."""
    return absolute_url(reverse("certificates:verify", args=[code]), request)
