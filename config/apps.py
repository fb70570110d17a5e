from django.apps import AppConfig
from django.core import checks

from config.checks import check_shared_cache, check_site_url


class SiteConfig(AppConfig):
    """The project package as an app, so that its system checks are registered."""

    name = "config"

    def ready(self):
        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
        checks.register(check_site_url)
