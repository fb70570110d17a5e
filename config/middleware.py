import logging
import re
import time
import uuid

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.functional import empty
from django.views.defaults import bad_request

from config import health, logs

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("config.requests")
# What a proxy's request id may look like (nginx's are 32 hex digits).
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,128}")

# Wagtail's admin (and the page preview it frames) still uses inline styles and
# scripts; the public site does not, so only the admin gets this allowance.
ADMIN_ALLOWANCE = {
    "script-src": ["'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Send the site's strict policy, relaxed only where the Wagtail admin needs it."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), **ADMIN_ALLOWANCE}
        return parts


class MissingFieldIsBadRequestMiddleware:
    """Answer 400, not 500, when a view reads a form field the request does not have.

    Wagtail's editors read formset and StreamField counts with `request.POST[...]`;
    a request without them is malformed and nothing of it is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError):
            logger.warning("Bad request to %s: no field %s", request.path, exception)
            return bad_request(request, exception)
        return None


class RequestIdMiddleware:
    """Give each request an id, put it on its log records and its response.

    The id comes from the proxy in front (nginx's `$request_id` in X-Request-ID)
    when it looks like one, so that the proxy's and the app's logs join up;
    otherwise a new one is made. One log line per request gives its status and
    duration (LOG_REQUESTS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_request_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        token = logs.bind_request(
            request_id=request_id, method=request.method, path=request.path
        )
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logs.update_request(user_id=_user_id_if_known(request))
            if settings.LOG_REQUESTS:
                _log_request(request, response, started)
            return response
        finally:
            logs.request_context.reset(token)


class ServedByMiddleware:
    """Name the app process in an X-Served-By header when SERVED_BY is set.

    Several app processes behind one proxy tell apart this way which one answered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SERVED_BY:
            response["X-Served-By"] = settings.SERVED_BY
        return response


class HealthCheckMiddleware:
    """Answer the health checks before host validation and the HTTPS redirect.

    A load balancer probes each app process by its address, over plain HTTP and
    without a session; the answer must not depend on ALLOWED_HOSTS or cookies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = health.VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)


def _incoming_request_id(request) -> str:
    value = request.headers.get("X-Request-ID", "")
    return value if REQUEST_ID_PATTERN.fullmatch(value) else ""


def _user_id_if_known(request):
    """Return the user's id if the request has already loaded its user, else None.

    Loading it here would read the session for requests that never needed it.
    """
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", empty) is empty:
        return None
    return user.pk if user.is_authenticated else None


def _log_request(request, response, started):
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    level = logging.DEBUG if request.path_info in health.VIEWS else logging.INFO
    request_logger.log(
        level,
        "%s %s %s",
        request.method,
        request.get_full_path(),
        response.status_code,
        extra={"status": response.status_code, "duration_ms": duration_ms},
    )
