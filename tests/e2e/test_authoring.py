"""An editor writes a lesson in the Wagtail admin with live preview and publishes it."""

import base64
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from lessons.models import LessonPage
from tests.e2e.conftest import log_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_writes_previews_and_publishes_a_lesson(
    live_server, page, demo_course, course_editor
):
    course, _ = demo_course
    problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    log_in(page, live_server, course_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/add/lessons/lessonpage/{course.pk}/")
    page.fill("#id_title", "Värit ja kontrasti")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill("## Kontrasti\n\n**Tavallinen teksti** vähintään 4,5:1.")
    editor.dispatch_event("input")
    preview = page.locator(".markdownx-preview")
    preview.locator("h2", has_text="Kontrasti").wait_for()
    assert preview.locator("strong").inner_text() == "Tavallinen teksti"

    page.locator(".w-dropdown-button button[data-w-dropdown-target=toggle]").click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url("**/admin/pages/**")

    lesson = LessonPage.objects.get(title="Värit ja kontrasti")
    assert lesson.live
    page.goto(live_server.url + lesson.url)
    assert page.locator(".prose h2").inner_text() == "Kontrasti"
    assert problems == []


def test_preview_runs_interactive_blocks_and_shows_their_errors(
    live_server, page, demo_course, course_editor
):
    course, _ = demo_course
    # The preview speaks the course's language, as the page will: not the editor's.
    course_editor.preferred_language = "en"
    course_editor.save()
    log_in(page, live_server, course_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/add/lessons/lessonpage/{course.pk}/")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill("/// blanks\nWCAG:n periaatteet: *havaittava*.\n///")
    editor.dispatch_event("input")
    preview = page.locator(".markdownx-preview")
    preview.locator(".blanks .interactive__check").wait_for()
    preview.locator(".blank__input").fill("Havaittava")
    preview.locator(".interactive__check").click()
    assert preview.locator(".blank__input--right").count() == 1

    editor.fill("/// cards\n## Etupuoli ilman takapuolta\n///")
    editor.dispatch_event("input")
    preview.locator(".block-error").wait_for()
    assert preview.locator(".block-error p").all_inner_texts() == [
        "Tässä interaktiivisessa lohkossa on virhe.",
        'Rivi 1, lohko cards: Kortilta 1 ("Etupuoli ilman takapuolta") puuttuu '
        "takapuoli: kirjoita tekstiä otsikon alle.",
    ]

    page.locator(".markdown-help summary").click()
    from lessons.interactive import block_examples

    assert page.locator(".markdown-help pre").count() == len(block_examples())


def _png_base64():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "#0b5394").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


DROP = """([name, data, type]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type}));
    document.querySelector("textarea.markdownx-editor").dispatchEvent(
        new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true})
    );
}"""


def test_an_image_dropped_into_the_editor_is_uploaded_and_previewed(
    live_server, page, demo_course, course_editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    course, _ = demo_course
    log_in(page, live_server, course_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/add/lessons/lessonpage/{course.pk}/")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill("Kaavio:\n\n")

    page.evaluate(DROP, ["kaavio.png", _png_base64(), "image/png"])
    image = page.locator(".markdownx-preview img")
    image.wait_for(state="attached")
    assert image.get_attribute("src").startswith("/media/lesson-images/")
    assert editor.input_value().startswith("Kaavio:\n\n![](/media/lesson-images/")

    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"/>').decode()
    page.evaluate(DROP, ["kaavio.svg", svg, "image/svg+xml"])
    status = page.locator("[data-markdown-status]")
    expect(status).to_contain_text("Kuvaa ei voitu ladata.")
    assert editor.input_value().count("![]") == 1
