import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lessons.models import LessonPage
from tests.factories import CoursePageFactory, LessonPageFactory, QuizPageFactory

pytestmark = pytest.mark.django_db

PREVIEW = reverse("lessons:markdown_preview")
UPLOAD = reverse("lessons:markdown_upload")


def _png(size=(20, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5394").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_anonymous_users_are_sent_to_log_in(client, url):
    response = client.post(url, {"content": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_users_who_cannot_edit_pages_are_refused(client, learner, url):
    client.force_login(learner)
    assert client.post(url, {"content": "x"}).status_code == 403


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_get_is_not_allowed(client, editor, url):
    client.force_login(editor)
    assert client.get(url).status_code == 405


def test_editor_gets_the_sanitised_preview(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW, {"content": "**Hei** <script>x()</script>"})
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>Hei</strong> </p>"


def test_preview_without_content_is_a_bad_request(client, editor):
    client.force_login(editor)
    assert client.post(PREVIEW, {}).status_code == 400


def test_preview_renders_unclosed_brackets_as_long_as_a_page_may_hold(
    client, editor, settings
):
    # The input of the finding: each "[" once scanned on to the end of the text.
    client.force_login(editor)
    content = "[" * settings.MARKDOWN_MAX_CHARACTERS
    response = client.post(PREVIEW, {"content": content})
    assert response.status_code == 200
    assert response.content.decode().strip() == f"<p>{content}</p>"


def test_preview_of_a_text_longer_than_a_page_may_hold_is_refused(
    client, editor, settings
):
    client.force_login(editor)
    limit = settings.MARKDOWN_MAX_CHARACTERS
    response = client.post(PREVIEW, {"content": "[" * (limit + 1)})
    assert response.status_code == 400
    message = response.content.decode()
    assert message.startswith('<p class="block-error" role="note">')
    assert str(limit) in message and str(limit + 1) in message


def test_preview_refuses_a_text_longer_than_its_field_may_hold(client, editor):
    client.force_login(editor)
    response = client.post(PREVIEW, {"content": "x" * 11, "limit": "10"})
    assert response.status_code == 400
    assert "10" in response.content.decode() and "11" in response.content.decode()
    assert client.post(PREVIEW, {"content": "x" * 10, "limit": "10"}).status_code == 200


def test_a_field_limit_never_raises_the_limit_of_a_page(client, editor, settings):
    client.force_login(editor)
    limit = settings.MARKDOWN_MAX_CHARACTERS
    content = "x" * (limit + 1)
    response = client.post(PREVIEW, {"content": content, "limit": str(limit * 2)})
    assert response.status_code == 400


@pytest.mark.parametrize("limit", ["", "0", "-5", "ten", "²", "9" * 5000])
def test_a_bad_limit_is_a_bad_request(client, editor, limit):
    client.force_login(editor)
    response = client.post(PREVIEW, {"content": "x", "limit": limit})
    assert response.status_code == 400


CARD_WITHOUT_BACK = "/// cards\n## Etupuoli\n///"
SWEDISH_ERROR = "Det finns ett fel i det här interaktiva blocket."
FINNISH_ERROR = "Tässä interaktiivisessa lohkossa on virhe."


@pytest.fixture
def swedish_course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Tillgänglighet", language="sv")


def _preview_while_editing(client, path):
    response = client.post(PREVIEW, {"content": CARD_WITHOUT_BACK, "editing": path})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("make_step", [LessonPageFactory, QuizPageFactory])
def test_preview_renders_in_the_language_of_the_step_edited(
    client, editor, swedish_course, make_step
):
    step = make_step(parent=swedish_course)
    client.force_login(editor)
    path = reverse("wagtailadmin_pages:edit", args=[step.pk])
    assert SWEDISH_ERROR in _preview_while_editing(client, path)


def test_preview_of_a_new_step_renders_in_its_course_language(
    client, editor, swedish_course
):
    client.force_login(editor)
    path = reverse(
        "wagtailadmin_pages:add", args=["quizzes", "quizpage", swedish_course.pk]
    )
    assert SWEDISH_ERROR in _preview_while_editing(client, path)


@pytest.mark.parametrize("path", ["", "/admin/", "/admin/pages/999999/edit/", "x"])
def test_preview_outside_a_course_renders_in_the_editors_language(client, editor, path):
    client.force_login(editor)
    assert FINNISH_ERROR in _preview_while_editing(client, path)


def test_editor_uploads_a_png_and_gets_markdown_for_it(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("kaavio.png", _png(), content_type="image/png")
    response = client.post(UPLOAD, {"image": upload})
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/lesson-images/") and code.endswith(".png)")
    stored = code[len("![](/media/") : -1]
    assert default_storage.exists(stored)


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
        ("fake.png", b"not an image at all", "image/png"),
        ("page.html", b"<script>alert(1)</script>", "image/png"),
        ("empty.png", b"", "image/png"),
    ],
)
def test_uploads_that_are_not_allowed_images_get_400(
    client, editor, name, content, content_type
):
    client.force_login(editor)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(UPLOAD, {"image": upload})
    assert response.status_code == 400
    assert "image" in response.json()


def test_upload_over_the_size_limit_gets_400(client, editor, settings):
    settings.MARKDOWN_UPLOAD_MAX_BYTES = 100
    client.force_login(editor)
    upload = SimpleUploadedFile("big.png", _png((200, 200)), content_type="image/png")
    assert client.post(UPLOAD, {"image": upload}).status_code == 400


def test_upload_without_a_file_gets_400(client, editor):
    client.force_login(editor)
    assert client.post(UPLOAD, {}).status_code == 400


def test_a_new_lesson_stores_the_html_its_preview_showed(
    client, editor, swedish_course
):
    client.force_login(editor)
    path = reverse(
        "wagtailadmin_pages:add", args=["lessons", "lessonpage", swedish_course.pk]
    )
    body = "/// cards\n## Framsida\n\nBaksida\n///"
    preview = client.post(PREVIEW, {"content": body, "editing": path})
    form = {"title": "Kort", "slug": "kort", "estimated_minutes": "5", "body": body}
    response = client.post(path, form)

    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="kort")
    assert "Vänd kortet" in preview.content.decode()  # "Turn the card", in Swedish
    assert lesson.body_html == preview.content.decode()
