from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from people import access, views
from people.viewsets import OrgUnitViewSet


class ImportPeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_import_people(request.user)


@hooks.register("register_admin_urls")
def import_people_urls():
    return [path("people/import/", views.import_people_page, name="people_import")]


@hooks.register("register_admin_menu_item")
def import_people_menu_item():
    return ImportPeopleMenuItem(
        _("Import staff"), reverse("people_import"), icon_name="upload", order=650
    )


@hooks.register("register_admin_viewset")
def register_org_units():
    return OrgUnitViewSet()


@hooks.register("register_admin_urls")
def anonymise_urls():
    return [
        path(
            "people/anonymise/<int:user_id>/",
            views.anonymise_person,
            name="people_anonymise",
        )
    ]


@hooks.register("register_user_listing_buttons")
def anonymise_button(user, request_user):
    if (
        access.can_anonymise_people(request_user)
        and not user.anonymised_at
        and user.pk != request_user.pk
    ):
        yield ListingButton(
            _("Anonymise"),
            reverse("people_anonymise", args=[user.pk]),
            icon_name="user",
            priority=90,
        )
