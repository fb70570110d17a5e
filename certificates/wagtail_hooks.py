from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from certificates.viewsets import CertificateTemplateViewSet, CertificateViewSet

register_snippet(CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_certificate_register():
    return CertificateViewSet()


@hooks.register("register_snippet_listing_buttons")
def template_preview_buttons(snippet, user, next_url=None):
    from certificates.models import CertificateTemplate

    if not isinstance(snippet, CertificateTemplate):
        return
    for language, name in settings.LANGUAGES:
        label = _("Preview PDF (%(language)s)") % {"language": name}
        url = reverse(
            "wagtailsnippets_certificates_certificatetemplate:preview_pdf",
            args=[snippet.pk],
        )
        yield ListingButton(
            label, f"{url}?language={language}", icon_name="view", priority=90
        )
