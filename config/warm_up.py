"""Load in the app server's master process what every request needs (no database).

gunicorn (deploy/gunicorn.conf.py) calls this before forking its workers, which
then share the loaded memory.
"""

from django.conf import settings
from django.db import connections
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

TEMPLATES = (
    "base.html",
    "400.html",
    "403.html",
    "404.html",
    "500.html",
    "registration/login.html",
    "lessons/course_index_page.html",
    "lessons/course_page.html",
    "lessons/lesson_page.html",
    "lessons/module_page.html",
    "lessons/my_learning.html",
    "lessons/search.html",
    "lessons/includes/outline.html",
    "lessons/includes/outline_step_start.html",
    "quizzes/quiz_page.html",
    "quizzes/take.html",
    "quizzes/result.html",
)


def warm_up() -> None:
    hooks.search_for_hooks()
    reverse("lessons:search")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Courses")
    engines.all()
    for name in TEMPLATES:
        get_template(name)
    connections.close_all()
