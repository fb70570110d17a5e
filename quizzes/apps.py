from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from lessons.registry import register_record_model
        from quizzes.models import QuizAttempt

        register_record_model(QuizAttempt, page_field="quiz")
