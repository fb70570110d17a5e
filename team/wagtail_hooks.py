from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from people import access
from team import privacy_views


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
