from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from certificates import signals  # noqa: F401
        from certificates.register import certificates_of, completion_section
        from lessons.registry import (
            register_completion_section,
            register_learning_section,
        )

        register_learning_section(
            template_name="certificates/includes/my_learning_section.html",
            context=lambda user: {"certificates": certificates_of(user)},
            order=100,
        )
        register_completion_section(
            template_name="certificates/includes/completion_section.html",
            context=completion_section,
            order=100,
        )
