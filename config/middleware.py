from csp.middleware import CSPMiddleware

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
