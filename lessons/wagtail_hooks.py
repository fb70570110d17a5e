from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.signals import page_unpublished

from lessons import caching, progress
from lessons.tasks import reevaluate_course_completions
from people import access

PAGE_HAS_RECORDS = _(
    "Learners have records on this page or below it, so it cannot be deleted. "
    "Unpublish it instead: the records are kept."
)
USER_HAS_RECORDS = _(
    "This person has learning records, so they cannot be deleted. Deactivate "
    "them instead: the records are kept."
)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("lessons/admin.css"))


@hooks.register("insert_global_admin_js")
def admin_js():
    return format_html('<script src="{}" defer></script>', static("lessons/admin.js"))


@hooks.register("before_serve_page")
def hide_pages_under_unpublished_pages(page, request, serve_args, serve_kwargs):
    """Serve no page while a page above it (its course or module) is unpublished."""
    if getattr(request, "is_preview", False):
        return
    under_live_pages = getattr(page, "under_live_pages", None)
    if under_live_pages is None:
        under_live_pages = caching.remembered(
            "under-live-pages", page.path, lambda: access.is_under_live_pages(page)
        )
    if not under_live_pages:
        raise Http404


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """Refuse to delete a page whose subtree holds learners' records."""
    if request.method == "POST" and progress.has_learning_records(page):
        messages.error(request, PAGE_HAS_RECORDS)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_delete_user")
def keep_people_with_learning_records(request, user):
    """Refuse to delete a person with learning records; they are deactivated."""
    if request.method == "POST" and progress.user_has_learning_records(user):
        messages.error(request, USER_HAS_RECORDS)
        return redirect("wagtailusers_users:edit", user.pk)
    return None


@hooks.register("before_bulk_action")
def keep_records_in_bulk_deletes(request, action_type, objects, action):
    """Refuse a bulk delete that would take learners' records with it."""
    if action_type != "delete" or request.method != "POST":
        return None
    if action.model is get_user_model():
        if any(progress.user_has_learning_records(user) for user in objects):
            messages.error(request, USER_HAS_RECORDS)
            return redirect("wagtailusers_users:index")
    elif any(progress.has_learning_records(page) for page in objects):
        messages.error(request, PAGE_HAS_RECORDS)
        return redirect(request.GET.get("next") or "wagtailadmin_explore_root")
    return None


def _on_unpublished(sender, instance, **kwargs):
    course = progress.course_of_step(instance)
    if course is not None:
        reevaluate_course_completions.enqueue(course.pk)


page_unpublished.connect(
    _on_unpublished, dispatch_uid="lessons_reevaluate_on_unpublish"
)
