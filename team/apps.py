from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    """The roof: what reads across the floors below (teams, reports, privacy, demo)."""

    name = "team"
    verbose_name = _("Teams and reports")

    def ready(self):
        from lessons.registry import register_learning_section
        from people.units import register_deletion_blocker
        from team import signals  # noqa: F401
        from team.assignments import unit_assignment_blocker

        register_learning_section(
            template_name="team/includes/my_learning_record.html",
            context=lambda user: {},
            order=900,
        )
        register_deletion_blocker(unit_assignment_blocker)
