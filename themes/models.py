from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.images import get_image_model_string

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
    select_related = ["logo"]

    class Meta:
        verbose_name = _("site appearance")

    def get_theme(self):
        return get_theme(self.theme)

    def get_organisation_name(self):
        return self.organisation_name or settings.WAGTAIL_SITE_NAME


APPEARANCE_TIMEOUT = 24 * 60 * 60


def _appearance_key(site_id) -> str:
    return f"themes:appearance:{site_id}"


def cached_appearance(site) -> SiteAppearance:
    """Return the site's appearance (with its logo) from the shared cache.

    Saving the appearance or its logo image forgets the entry.
    """
    key = _appearance_key(site.pk)
    appearance = cache.get(key)
    if appearance is None:
        appearance = SiteAppearance.for_site(site)
        cache.set(key, appearance, APPEARANCE_TIMEOUT)
    return appearance


def forget_appearance(site_id) -> None:
    """Forget a site's cached appearance now, and again when the transaction commits."""
    cache.delete(_appearance_key(site_id))
    transaction.on_commit(lambda: cache.delete(_appearance_key(site_id)))


@receiver(post_save, sender=SiteAppearance)
@receiver(post_delete, sender=SiteAppearance)
def _forget_changed_appearance(sender, instance, **kwargs):
    forget_appearance(instance.site_id)


@receiver(post_save, sender=get_image_model_string())
@receiver(post_delete, sender=get_image_model_string())
def _forget_appearance_of_logo(sender, instance, **kwargs):
    for site_id in SiteAppearance.objects.filter(logo_id=instance.pk).values_list(
        "site_id", flat=True
    ):
        forget_appearance(site_id)
