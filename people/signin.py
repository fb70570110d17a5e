"""Signing in: one spelling of a typed address, and a limit on each client's failures.

Axes records failed logins and pauses an account for the client that failed on it.
Login, the user manager and Axes all spell an address through `normalise_username`,
so "Learner@Example.org" and "ｌｅａｒｎｅｒ@example.org" count as the same account.
A client that fails on many accounts is paused too, after LOGIN_FAILURES_PER_CLIENT
failures within Axes' cool-off time.
"""

import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def normalise_username(value: str) -> str:
    """Return the one spelling of an e-mail address that accounts and lockouts use.

    NFKC folds compatibility look-alikes (fullwidth letters, the fullwidth at sign)
    into plain characters. lower() rather than casefold() matches the database's
    unique constraint on Lower(email), and keeps "ß" in a domain from becoming "ss",
    which is another domain.
    """
    return unicodedata.normalize("NFKC", value).strip().lower()


def axes_username(request, credentials: dict | None) -> str | None:
    """Return the normalised address of a login attempt (Axes' username callable)."""
    source = credentials if credentials else request.POST
    value = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_username(value) if value else None


def client_address(request) -> str | None:
    """Return the address of the client (Axes' client address callable).

    Directly served, that is REMOTE_ADDR. Behind PROXY_COUNT proxies that each add
    the address they were reached from to X-Forwarded-For, it is the entry that
    many places from the end, the one our nearest proxy saw; entries before it
    came from the client and prove nothing.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def client_is_locked_out(request) -> bool:
    """Tell whether the request's client has failed too often, on whichever accounts."""
    return _client_failures(request) >= settings.LOGIN_FAILURES_PER_CLIENT


def cool_off_minutes(request) -> int:
    """Return how many minutes a lockout lasts after the last failed attempt."""
    return round(get_cool_off(request).total_seconds() / 60)


def _client_failures(request) -> int:
    AxesProxyHandler.update_request(request)
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler that also refuses a client over its own failure limit.

    The per-client count is read from Axes' own records rather than from an
    "ip_address" lockout parameter: Axes has one failure limit for all parameters,
    and a successful login would reset every failure of that client address.
    """

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or client_is_locked_out(request)
