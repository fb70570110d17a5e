"""Request-wide shortcuts that the content's shared cache makes possible."""

from lessons import caching


class SharedSiteMiddleware:
    """Give Wagtail the request's site from the shared cache (no query per request).

    Wagtail's Site.find_for_request keeps the site it finds on the request as
    `_wagtail_site`; this sets it first. A request no site answers is left to Wagtail.
    The content's generation is read once for the whole request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with caching.one_generation():
            site = caching.site_for_request(request)
            if site is not None:
                request._wagtail_site = site
            return self.get_response(request)
