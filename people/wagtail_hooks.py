from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from people import access, views
from people.viewsets import OrgUnitViewSet


class ImportPeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_import_people(request.user)


@hooks.register("register_admin_urls")
def import_people_urls():
    return [
        path("people/import/", views.import_people_page, name="people_import"),
        path(
            "people/import/now/",
            views.import_staged_page,
            name="people_import_staged",
        ),
        path(
            "people/import/template.csv",
            views.import_template,
            name="people_import_template",
        ),
    ]


@hooks.register("register_admin_menu_item")
def import_people_menu_item():
    return ImportPeopleMenuItem(
        _("Import staff"), reverse("people_import"), icon_name="upload", order=650
    )


@hooks.register("register_admin_viewset")
def register_org_units():
    return OrgUnitViewSet()
