from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from people import access
from quizzes import admin_views
from quizzes.models import QuizPage


@hooks.register("register_admin_urls")
def quiz_admin_urls():
    return [
        path(
            "quizzes/<int:page_id>/statistics/",
            admin_views.quiz_statistics,
            name="quizzes_statistics",
        ),
        path(
            "quizzes/<int:page_id>/import-gift/",
            admin_views.import_gift,
            name="quizzes_import_gift",
        ),
        path(
            "quizzes/<int:page_id>/export-gift/",
            admin_views.export_questions,
            name="quizzes_export_gift",
        ),
    ]


def _quiz_buttons(page, user):
    if not isinstance(page.specific_deferred, QuizPage):
        return
    if not access.can_edit_page(user, page):
        return
    yield Button(
        _("Quiz statistics"),
        reverse("quizzes_statistics", args=[page.pk]),
        icon_name="table",
        priority=80,
    )
    yield Button(
        _("Import questions from GIFT"),
        reverse("quizzes_import_gift", args=[page.pk]),
        icon_name="upload",
        priority=81,
    )
    yield Button(
        _("Export questions as GIFT"),
        reverse("quizzes_export_gift", args=[page.pk]),
        icon_name="download",
        priority=82,
    )


@hooks.register("register_page_header_buttons")
def quiz_header_buttons(page, user, view_name=None, next_url=None):
    yield from _quiz_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def quiz_listing_buttons(page, user, next_url=None):
    yield from _quiz_buttons(page, user)
