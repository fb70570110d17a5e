"""Load in the app server's master process what every request needs (no database).

gunicorn (deploy/gunicorn.conf.py) calls this before forking its workers, which
then share the loaded memory. That includes the S3 storages' clients (some 15 MB
each, made without connecting): each worker would otherwise make its own.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import connections
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from storages.backends.s3 import S3Storage
from wagtail import hooks

from config.storage import STORAGE_ALIASES

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
    for alias in STORAGE_ALIASES:
        if isinstance(storages[alias], S3Storage):
            storages[alias].connection  # noqa: B018 (made once, for every worker)
    connections.close_all()
