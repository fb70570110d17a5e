"""Fetch the courses and steps a person may open; people/access.py decides."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from lessons.models import CoursePage
from lessons.progress import outline_of
from people.access import visible_pages


def get_visible_course(course_id):
    """Return the live course anyone may see, or raise Http404."""
    return get_object_or_404(visible_pages(CoursePage.objects.all()), pk=course_id)


def get_visible_step(page_id):
    """Return (step, course) for a live step of a visible course, or raise Http404."""
    page = get_object_or_404(visible_pages(), pk=page_id)
    if not getattr(page.specific_class, "is_course_step", False):
        raise Http404
    course = get_course_for_page(page)
    if course is None or page.pk not in outline_of(course).step_ids:
        raise Http404
    return page.specific, course


def get_course_for_page(page):
    """Return the visible course a page belongs to, or None."""
    return visible_pages(CoursePage.objects.ancestor_of(page, inclusive=True)).first()
