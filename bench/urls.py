from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from wagtail.models import Site


def trivial(request):
    """A Django view that does nothing, behind the same middleware."""
    return HttpResponse("ok")


def floor(request):
    """The realistic floor: the session, the user (one query) and the base template.

    The site, which Wagtail would look up with a query of its own, comes from the
    cache, so that the one query is the user's.
    """
    site = cache.get("bench:site")
    if site is None:
        site = Site.objects.get(is_default_site=True)
        cache.set("bench:site", site)
    request._wagtail_site = site
    request.user.get_short_name()
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/floor/", floor),
    path("", include("config.urls")),
]
