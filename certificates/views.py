"""Certificates for their holders, and public verification by code."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certificates import lookups, register
from certificates.codes import looks_like_code, normalise_code
from certificates.models import Certificate
from people import access, rate_limits, signin


def _too_many_lookups(request) -> bool:
    """Count a client's verification lookups in a minute."""
    return rate_limits.over_limit(
        "certificate-lookups",
        signin.client_address(request) or "unknown",
        limit=settings.CERTIFICATE_LOOKUPS_PER_MINUTE,
        seconds=60,
    )


@require_GET
def verify_form(request):
    """Type a certificate's code to check it."""
    code = request.GET.get("code", "")
    if code:
        return redirect("certificates:verify", normalise_code(code)[:32] or "-")
    return render(request, "certificates/verify_form.html")


@require_GET
def verify(request, code):
    """Anyone can check a certificate: holder, course, dates and status."""
    if _too_many_lookups(request):
        response = render(request, "certificates/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    normalised = normalise_code(code)
    if normalised and normalised != code:
        return redirect("certificates:verify", normalised[:32])
    certificate = (
        Certificate.objects.select_related("user").filter(code=code).first()
        if looks_like_code(code)
        else None
    )
    if certificate is None:
        return render(
            request, "certificates/verify_not_found.html", {"code": code}, status=404
        )
    context = {
        "certificate": certificate,
        "status": certificate.status(),
        "holder_removed": bool(certificate.user.anonymised_at),
    }
    return render(request, "certificates/verify.html", context)


@require_GET
def my_certificates(request):
    """The learner's own certificates: download, verification link, share."""
    if not access.can_learn(request.user):
        return redirect_to_login(request.get_full_path())
    certificates = Certificate.objects.filter(user=request.user).select_related(
        "course"
    )
    return render(
        request, "certificates/mine.html", {"certificates": list(certificates)}
    )


@require_GET
def download(request, certificate_id):
    """The stored PDF, for the holder, their managers and training admins."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = lookups.get_downloadable_certificate(request.user, certificate_id)
    if certificate.revoked_at:
        message = _("This certificate has been revoked and cannot be downloaded.")
        return HttpResponse(message, status=410, content_type="text/plain")
    if certificate.user.anonymised_at:
        message = _("The certificate holder's data has been removed.")
        return HttpResponse(message, status=410, content_type="text/plain")
    if not certificate.pdf:
        register.request_render(certificate)
        certificate.refresh_from_db(fields=["pdf"])
    if not certificate.pdf:
        response = render(
            request,
            "certificates/preparing.html",
            {"certificate": certificate},
            status=503,
        )
        response["Retry-After"] = "30"
        return response
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=register.file_name(certificate),
        content_type="application/pdf",
    )
