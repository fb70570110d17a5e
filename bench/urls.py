from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The floor: a Django view that does nothing, behind the same middleware."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("config.urls")),
]
