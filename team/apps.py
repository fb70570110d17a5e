from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    """The roof: what reads across the floors below (teams, reports, privacy, demo)."""

    name = "team"
    verbose_name = _("Teams and reports")

    def ready(self):
        from django_tasks.signals import task_finished

        from lessons.registry import register_learning_section
        from people.units import register_deletion_blocker
        from team import signals, task_hooks  # noqa: F401
        from team.assignments import unit_assignment_blocker
        from team.task_retries import retry_failed_task

        task_finished.connect(retry_failed_task, dispatch_uid="team.retry_failed_task")

        register_learning_section(
            template_name="team/includes/my_learning_record.html",
            context=lambda user: {},
            order=900,
        )
        register_deletion_blocker(unit_assignment_blocker)
