"""An editor writes a lesson in the Wagtail admin, previews it and publishes it."""

import pytest
from django.urls import reverse
from django.utils.text import slugify

from lessons.models import LessonPage
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Saavutettavuuden perusteet")


@pytest.fixture
def publishing_editor(editor):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Page

    GroupPagePermission.objects.create(
        group=editor.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    return editor


def _lesson_form(title, body):
    return {
        "title": title,
        "slug": slugify(title),
        "body": body,
        "estimated_minutes": "12",
        "action-publish": "Publish",
    }


def test_add_form_has_the_markdown_editor_with_live_preview(client, editor, course):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])
    html = client.get(url).content.decode()
    assert "markdownx" in html
    assert 'data-markdownx-urls-path="/markdown/preview/"' in html


def test_editor_publishes_a_lesson_with_sanitised_html(
    client, publishing_editor, course
):
    client.force_login(publishing_editor)
    url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", course.pk])
    body = "## Kontrasti\n\nTeksti <script>alert(1)</script> [x](javascript:alert(1))"
    response = client.post(url, _lesson_form("Värit ja kontrasti", body))
    assert response.status_code == 302, response.context["form"].errors
    lesson = LessonPage.objects.get(title="Värit ja kontrasti")
    assert lesson.live
    assert "<h2>Kontrasti</h2>" in lesson.body_html
    assert "script" not in lesson.body_html and "javascript" not in lesson.body_html
    page = client.get(lesson.url).content.decode()
    assert "<h2>Kontrasti</h2>" in page


def test_preview_shows_the_rendered_draft(client, editor, course):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:preview_on_add", args=["lessons", "lessonpage", course.pk]
    )
    form = _lesson_form("Luonnos", "### Esikatselu\n\n*kursiivi*")
    assert client.post(url, form).json()["is_valid"]
    html = client.get(url).content.decode()
    assert "<h3>Esikatselu</h3>" in html and "<em>kursiivi</em>" in html
