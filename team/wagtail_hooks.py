from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from people import access
from team import privacy_views


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_follow_team(request.user)


@hooks.register("register_admin_menu_item")
def team_menu_item():
    return TeamMenuItem(
        _("Progress and reports"),
        reverse("team:dashboard"),
        icon_name="table",
        order=630,
    )


class TrainingAdminPanel(Component):
    """The training admin's tools, on the admin's dashboard, with what each is for."""

    name = "training_admin"
    order = 50
    template_name = "team/admin/home_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["may_import"] = access.can_import_people(self.user)
        context["may_manage_certificates"] = access.can_manage_certificates(self.user)
        return context


@hooks.register("construct_homepage_panels")
def training_admin_panel(request, panels):
    if access.sees_everyone(request.user):
        panels.append(TrainingAdminPanel(request.user))


@hooks.register("register_admin_urls")
def anonymise_urls():
    return [
        path(
            "people/anonymise/<int:user_id>/",
            privacy_views.anonymise_person,
            name="team_anonymise",
        )
    ]


@hooks.register("register_user_listing_buttons")
def anonymise_button(user, request_user):
    if not user.anonymised_at and access.can_anonymise(request_user, user):
        yield Button(
            _("Anonymise"),
            reverse("team_anonymise", args=[user.pk]),
            icon_name="user",
            priority=90,
        )
