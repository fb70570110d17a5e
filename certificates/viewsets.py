"""Admin: certificate templates (a snippet, with a PDF preview) and the register."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import (
    ButtonsColumnMixin,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton
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


class CodeColumn(ButtonsColumnMixin, TitleColumn):
    """The code, linking to the certificate, with the row's actions beside it."""

    def __init__(self, *args, buttons_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.buttons_for = buttons_for

    def get_buttons(self, instance, parent_context):
        return self.buttons_for(instance)


class CertificateIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        code = CodeColumn(
            "display_code",
            label=_("Code"),
            url_name="certificate_register:inspect",
            buttons_for=self.get_list_buttons,
        )
        return [code, *super().columns]

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *certificate_buttons(instance, self.request.user),
        ]


class CertificateInspectView(generic.InspectView):
    """A certificate's details, with Revoke and Reissue in the header."""

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            *certificate_buttons(
                self.object, self.request.user, button_class=HeaderButton
            ),
        ]

    def get_replaced_by_display_value(self):
        fresh = self.object.replaced_by
        if fresh is None:
            return "-"
        url = reverse("certificate_register:inspect", args=[fresh.pk])
        return format_html('<a href="{}">{}</a>', url, fresh.display_code)


def certificate_buttons(certificate, user, *, button_class=ListingButton):
    """Revoke and reissue, for training admins, on certificates not revoked yet."""
    if certificate.revoked_at or not access.can_manage_certificates(user):
        return []
    return [
        button_class(
            _("Revoke"),
            url=reverse("certificate_register:revoke", args=[certificate.pk]),
            icon_name="cross",
            priority=20,
        ),
        button_class(
            _("Reissue"),
            url=reverse("certificate_register:reissue", args=[certificate.pk]),
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
    inspect_view_class = CertificateInspectView
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
        "replaced_by",
    ]
    copy_view_enabled = False

    @property
    def list_display(self):
        """The columns after the code, which the index view puts first."""
        return [
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
