"""An editor writes a lesson in the Wagtail admin with live preview and publishes it."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission, Page

from lessons.models import LessonPage
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def course_editor(db):
    editor = UserFactory(email="kirjoittaja@example.org", groups=["Editors"])
    GroupPagePermission.objects.create(
        group=editor.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    return editor


def _log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/?next=/admin/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/admin/")


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

    _log_in(page, live_server, course_editor.email)
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
    course_editor.preferred_language = "en"  # the preview speaks the editor's language
    course_editor.save()
    _log_in(page, live_server, course_editor.email)
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
        "This interactive block has an error.",
        'Line 1, cards block: Card 1 ("Etupuoli ilman takapuolta") has no back: '
        "write text under it.",
    ]

    page.locator(".markdown-help summary").click()
    from lessons.interactive import block_examples

    assert page.locator(".markdown-help pre").count() == len(block_examples())
