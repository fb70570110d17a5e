from django.conf import settings
from wagtail.models import Site

from themes.models import cached_appearance
from themes.registry import DEFAULT_THEME, get_theme


def theme(request):
    """Add the current site's theme and organisation name to every template."""
    site = Site.find_for_request(request)
    if site is None:
        return {
            "theme": get_theme(DEFAULT_THEME),
            "organisation_name": settings.WAGTAIL_SITE_NAME,
        }
    appearance = cached_appearance(site)
    return {
        "theme": appearance.get_theme(),
        "organisation_name": appearance.get_organisation_name(),
        "site_logo": appearance.logo,
    }
