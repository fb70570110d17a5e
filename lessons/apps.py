from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Courses and lessons")

    def ready(self):
        from lessons.chooser_values import forgive_values_that_are_not_ids

        forgive_values_that_are_not_ids()
