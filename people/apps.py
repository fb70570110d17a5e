from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from people import navigation  # noqa: F401 (connects its receivers)


class PeopleUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know our user model's extra fields."""

    user_viewset = "people.viewsets.UserViewSet"
