"""Who may see and do what: the one place that decides access.

Views, page models, tasks and commands ask these functions; nothing decides access
inline. Later features add their rules here.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

_EDIT_ACTIONS = ["add", "change", "publish"]


def can_edit_pages(user) -> bool:
    """Return whether the user may author pages (and so use the Markdown tools)."""
    if not _is_active_account(user):
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, _EDIT_ACTIONS)


def visible_pages(queryset=None):
    """Return the pages anyone may list: live and without a view restriction."""
    if queryset is None:
        queryset = Page.objects.all()
    return queryset.live().public()


def can_learn(user) -> bool:
    """Return whether the user may take courses (enrol, open steps, record progress)."""
    return _is_active_account(user)


def get_visible_course(course_id):
    """Return the live course anyone may see, or raise Http404."""
    from lessons.models import CoursePage

    return get_object_or_404(visible_pages(CoursePage.objects.all()), pk=course_id)


def get_visible_step(page_id):
    """Return (step, course) for a live step of a visible course, or raise Http404."""
    from lessons.progress import outline_of

    page = get_object_or_404(visible_pages(), pk=page_id)
    if not getattr(page.specific_class, "is_course_step", False):
        raise Http404
    course = get_course_for_page(page)
    if course is None or page.pk not in outline_of(course).step_ids:
        raise Http404
    return page.specific, course


def get_course_for_page(page):
    """Return the visible course a page belongs to, or None."""
    from lessons.models import CoursePage

    return visible_pages(CoursePage.objects.ancestor_of(page, inclusive=True)).first()


def can_see_course_statistics(user) -> bool:
    """Return whether the user may see a course's enrolment counts (no names)."""
    return can_edit_pages(user)


def can_import_people(user) -> bool:
    """Return whether the user may import staff (training admins and superusers)."""
    return _is_active_account(user) and user.has_perm("people.import_people")


def _is_active_account(user) -> bool:
    """Return whether the request comes from a logged-in, not deactivated person."""
    return bool(user.is_authenticated and user.is_active)
