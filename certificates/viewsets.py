"""Admin: certificate templates (a snippet, with a PDF preview) and the register."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.views import snippets
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import admin_views
from certificates.models import Certificate, CertificateTemplate
from people import access
from people.viewsets import DeletionByFormOnly


class CertificateTemplateDeleteView(DeletionByFormOnly, snippets.DeleteView):
    pass


class CertificateDeleteView(DeletionByFormOnly, generic.DeleteView):
    pass


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    menu_order = 660
    add_to_admin_menu = True
    list_display = ["name", "orientation"]
    search_fields = ["name", "title_fi"]
    delete_view_class = CertificateTemplateDeleteView

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("preview/<int:pk>/", admin_views.preview_template, name="preview_pdf")
        ]


def _status(certificate):
    return {"valid": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked")}[
        certificate.status()
    ]


class CertificateIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *certificate_buttons(instance, self.request.user),
        ]


def certificate_buttons(certificate, user):
    """Revoke and reissue, for training admins, on certificates not revoked yet."""
    if certificate.revoked_at or not access.can_manage_certificates(user):
        return []
    return [
        ListingButton(
            _("Revoke"),
            reverse("certificate_register:revoke", args=[certificate.pk]),
            icon_name="cross",
            priority=20,
        ),
        ListingButton(
            _("Reissue"),
            reverse("certificate_register:reissue", args=[certificate.pk]),
            icon_name="rotate",
            priority=21,
        ),
    ]


class CertificateViewSet(ModelViewSet):
    """The register of issued certificates, where training admins revoke and reissue."""

    model = Certificate
    name = "certificate_register"
    icon = "tick-inverse"
    menu_label = _("Issued certificates")
    menu_order = 661
    add_to_admin_menu = True
    form_fields = ["revoke_reason"]
    search_fields = ["code", "holder_name", "course_title"]
    search_backend_name = None
    list_filter = ["course"]
    index_view_class = CertificateIndexView
    delete_view_class = CertificateDeleteView
    inspect_view_enabled = True
    inspect_view_fields = [
        "code",
        "holder_name",
        "course_title",
        "completed_at",
        "issued_at",
        "expires_at",
        "language",
        "pdf_sha256",
        "revoked_at",
        "revoke_reason",
    ]
    copy_view_enabled = False

    @property
    def list_display(self):
        return [
            TitleColumn(
                "display_code",
                label=_("Code"),
                url_name=self.get_url_name("inspect"),
            ),
            Column("holder_name", label=_("Holder")),
            Column("course_title", label=_("Course")),
            DateColumn("issued_at", label=_("Issued on")),
            Column("status", label=_("Status"), accessor=_status),
        ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("revoke/<uuid:pk>/", admin_views.revoke, name="revoke"),
            path("reissue/<uuid:pk>/", admin_views.reissue, name="reissue"),
        ]
