"""Creating a page in the admin: no autosave until the page exists, so retries work."""

import re

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission, Page

from lessons.models import CoursePage
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db

FORM_CONTROLLERS = re.compile(
    r'id="page-edit-form"[^>]*?data-controller="([^"]*)"', re.S
)


@pytest.fixture
def publishing_editor(editor):
    GroupPagePermission.objects.create(
        group=editor.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    return editor


def _form_controllers(response):
    return FORM_CONTROLLERS.search(response.content.decode()).group(1).split()


def _course_form(**fields):
    return {
        "title": "Uusi kurssi",
        "slug": "uusi-kurssi",
        "summary": "",
        "audience": "all_staff",
        "language": "fi",
        "estimated_minutes": "30",
        "action-publish": "Publish",
    } | fields


def test_create_form_does_not_autosave(client, catalogue, publishing_editor):
    client.force_login(publishing_editor)
    response = client.get(f"/admin/pages/add/lessons/coursepage/{catalogue.pk}/")
    assert "w-unsaved" in _form_controllers(response)
    assert "w-autosave" not in _form_controllers(response)
    assert b'id="w-autosave-indicator"' not in response.content


def test_edit_form_still_autosaves(client, catalogue, publishing_editor):
    course = CoursePageFactory(parent=catalogue)
    client.force_login(publishing_editor)
    response = client.get(f"/admin/pages/{course.pk}/edit/")
    assert "w-autosave" in _form_controllers(response)


def test_a_failed_create_leaves_nothing_behind_and_the_retry_publishes(
    client, catalogue, publishing_editor
):
    client.force_login(publishing_editor)
    url = f"/admin/pages/add/lessons/coursepage/{catalogue.pk}/"
    failed = client.post(url, _course_form())
    assert failed.status_code == 200
    assert "w-autosave" not in _form_controllers(failed)
    assert not CoursePage.objects.exists()

    retried = client.post(url, _course_form(summary="Kurssi kaikille."))
    assert retried.status_code == 302
    course = CoursePage.objects.get()
    assert (course.slug, course.live) == ("uusi-kurssi", True)
