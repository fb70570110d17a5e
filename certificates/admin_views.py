"""Admin views: a template's PDF preview with sample data; revoke and reissue."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from certificates import issuing
from certificates.models import Certificate, CertificateTemplate
from certificates.rendering import render_pdf
from people import access


def preview_template(request, pk):
    """Render the template as a PDF with sample data, in the chosen language."""
    template = get_object_or_404(CertificateTemplate, pk=pk)
    if not request.user.has_perm("certificates.change_certificatetemplate"):
        raise PermissionDenied
    language = request.GET.get("language", "fi")
    if language not in ("fi", "sv", "en"):
        language = "fi"
    sample = Certificate(
        code="SAMP1E0C0DE0",
        holder_name="Maija Meikäläinen",
        course_title=_("Sample course"),
        completed_at=timezone.now(),
        language=language,
    )
    response = HttpResponse(render_pdf(sample, template, None), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{pk}.pdf"'
    return response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=Certificate._meta.get_field("revoke_reason").max_length,
        help_text=gettext_lazy("Shown on the certificate's verification page."),
    )


def _managed_certificate(request, pk):
    if not access.can_manage_certificates(request.user):
        raise PermissionDenied
    return get_object_or_404(Certificate, pk=pk)


def revoke(request, pk):
    """Revoke a certificate with a reason (the verification page then says so)."""
    return _confirm(request, pk, action="revoke")


def reissue(request, pk):
    """Revoke a certificate and issue a new one, with a new code, in its place."""
    return _confirm(request, pk, action="reissue")


def _confirm(request, pk, *, action):
    certificate = _managed_certificate(request, pk)
    if certificate.revoked_at:
        messages.error(request, _("This certificate has already been revoked."))
        return _to_inspect(certificate)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if action == "revoke":
            issuing.revoke(certificate, reason=reason)
            messages.success(request, _("The certificate was revoked."))
        else:
            fresh = issuing.reissue(certificate, reason=reason)
            messages.success(
                request,
                _("A new certificate was issued with the code %(code)s.")
                % {"code": fresh.display_code},
            )
        return _to_inspect(certificate)
    context = {
        "certificate": certificate,
        "form": form,
        "action": action,
        "page_title": _("Revoke a certificate")
        if action == "revoke"
        else _("Reissue a certificate"),
    }
    return TemplateResponse(request, "certificates/admin/confirm.html", context)


def _to_inspect(certificate):
    return redirect("certificate_register:inspect", certificate.pk)
