"""Fetch the certificates a person may download; people/access.py decides."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from certificates.models import Certificate
from people import access


def get_downloadable_certificate(user, certificate_id):
    """Return a certificate the user may download, or raise Http404.

    For anyone the rules refuse, the certificate does not exist.
    """
    if not access.can_learn(user):
        raise Http404
    certificate = get_object_or_404(
        Certificate.objects.select_related("user"), pk=certificate_id
    )
    if not access.can_download_certificate(user, certificate):
        raise Http404
    return certificate
