import logging

from csp.middleware import CSPMiddleware
from django.utils.datastructures import MultiValueDictKeyError
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)

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
