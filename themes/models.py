from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from themes.registry import DEFAULT_THEME, get_theme, theme_choices


@register_setting(icon="image")
class SiteAppearance(BaseSiteSetting):
    """Per-site look: the theme, the organisation's name and an optional own logo."""

    theme = models.CharField(
        _("theme"), max_length=40, choices=theme_choices, default=DEFAULT_THEME
    )
    organisation_name = models.CharField(
        _("organisation name"), max_length=200, blank=True
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Replaces the theme's logo."),
    )

    panels = [FieldPanel("theme"), FieldPanel("organisation_name"), FieldPanel("logo")]

    class Meta:
        verbose_name = _("site appearance")

    def get_theme(self):
        return get_theme(self.theme)

    def get_organisation_name(self):
        return self.organisation_name or settings.WAGTAIL_SITE_NAME
