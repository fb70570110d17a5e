"""An editor writes a quiz in the Wagtail admin.

Every Markdown field of a question has the live preview of a lesson's body, also
in a question or a choice added a moment ago; a collapsed question shows its text;
the page's preview panel shows the questions as learners see them, or with the
right answers and feedback.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import AXE_SCRIPT, log_in, run_axe
from tests.factories import QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTION = "questions-0-value-text"
REFUSED = (
    "Failed to load resource: the server responded with a status of 400 (Bad Request)"
)


@pytest.fixture
def problems(page):
    """Collect the script errors of the admin's pages."""
    found = []
    page.on(
        "console",
        lambda message: message.type == "error" and found.append(message.text),
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _add_question(page, kind_label):
    stream = page.locator("[data-contentpath=questions]")
    stream.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name=kind_label).click()


def _preview_of(page, name):
    return page.locator(f".markdownx:has(textarea[name='{name}']) .markdownx-preview")


def _type(page, name, text):
    page.locator(f"textarea[name='{name}']").fill(text)


def test_editor_writes_a_question_with_live_previews_and_previews_the_quiz(
    live_server, page, demo_course, course_editor, problems, settings
):
    settings.MARKDOWN_QUIZ_MAX_CHARACTERS = 60
    course, _ = demo_course
    log_in(page, live_server, course_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/add/quizzes/quizpage/{course.pk}/")
    page.fill("#id_title", "Etätyö")
    _add_question(page, "Monivalinta (yksi oikea)")

    # The cursor is in the new question's text; its preview follows the typing.
    expect(page.locator(f"textarea[name='{QUESTION}']")).to_be_focused()
    page.keyboard.type("Kuka päättää **etätyöstä**?")
    assert _preview_of(page, QUESTION).locator("strong").inner_text() == "etätyöstä"

    # A new question starts with the two choices it needs; a third one added
    # now has its own live preview too.
    choices = f"{QUESTION[:-5]}-choices"
    _type(page, f"{choices}-0-value-text", "Työterveyshuolto")
    _type(page, f"{choices}-1-value-text", "*Esihenkilö* ja työntekijä yhdessä")
    page.locator(f"input[name='{choices}-1-value-correct']").check()
    _type(page, f"{choices}-1-value-feedback", "Juuri **näin**.")
    page.locator("[data-contentpath=choices] button.c-sf-add-button").last.click()
    _type(page, f"{choices}-2-value-text", "Henkilöstö`hallinto`")
    third = _preview_of(page, f"{choices}-2-value-text")
    assert third.locator("code").inner_text() == "hallinto"
    assert (
        _preview_of(page, f"{choices}-1-value-feedback").locator("strong").inner_text()
        == "näin"
    )

    # A text longer than a question's text may be is refused, with the reason.
    feedback = f"{QUESTION[:-5]}-feedback"
    _type(page, feedback, "x" * 61)
    refusal = _preview_of(page, feedback).locator(".block-error")
    assert "60" in refusal.inner_text() and "61" in refusal.inner_text()
    _type(page, feedback, "Etätyöstä sovitaan kirjallisesti.")
    expect(_preview_of(page, feedback).locator("p")).to_have_text(
        "Etätyöstä sovitaan kirjallisesti."
    )

    # The preview panel shows the question typed a moment ago, as learners see it.
    page.locator("[data-side-panel-toggle=preview]").click()
    frame = page.frame_locator("#w-preview-iframe")
    text = frame.locator(".quiz-preview .question__text")
    assert text.locator("strong").inner_text() == "etätyöstä"
    labels = frame.locator(".quiz-preview .question__choices label")
    expect(labels).to_have_text(
        ["Työterveyshuolto", "Esihenkilö ja työntekijä yhdessä", "Henkilöstöhallinto"]
    )
    assert frame.locator(".question__tag--right, .question__feedback").count() == 0

    # With the right answers: the right choice is marked, its feedback shown.
    # Wagtail drops a change of mode made while the panel still loads a page.
    page.wait_for_function("!document.querySelector('iframe.w-preview__proxy')")
    page.select_option("#id_preview_mode", "answers")
    right = frame.locator(".quiz-preview .question__choices li.is-right")
    assert "Esihenkilö" in right.inner_text()
    assert right.locator(".question__feedback strong").inner_text() == "näin"
    general = frame.locator(".question__feedback--general")
    assert "sovitaan kirjallisesti" in general.inner_text()
    # The refused preview is the only request that failed; no script failed.
    assert problems == [REFUSED]


def test_a_collapsed_question_shows_the_start_of_its_text(
    live_server, page, demo_course, course_editor, problems
):
    course, _ = demo_course
    long_text = "Mitä **WCAG** tarkoittaa? " + "Pitkä selitys kysymyksestä. " * 5
    questions = [
        {**EVERY_KIND[0], "value": {**EVERY_KIND[0]["value"], "name": "Kontrasti"}},
        {**EVERY_KIND[1], "value": {**EVERY_KIND[1]["value"], "text": long_text}},
    ]
    quiz = QuizPageFactory(parent=course, title="Loppukoe", questions=questions)
    log_in(page, live_server, course_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/{quiz.pk}/edit/")
    headers = page.locator(
        "#questions-root > [data-streamfield-stream-container]"
        " > [data-streamfield-child] > section > .w-panel__header"
    )
    headers.first.wait_for()
    for toggle in headers.locator("[data-panel-toggle]").all():
        toggle.click()

    summaries = headers.locator("[data-panel-heading-text]").all_inner_texts()
    # The text, not the name; no Markdown; long texts cut short.
    assert summaries[0] == "Mikä kontrastisuhde vaaditaan leipätekstille?"
    assert summaries[1].startswith("Mitä WCAG tarkoittaa? Pitkä selitys")
    assert summaries[1].endswith("…") and len(summaries[1]) <= 70
    assert problems == []


def _axe_of_editors(page):
    """Return the WCAG 2.1 A/AA violations axe-core finds in the Markdown editors."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async () => await axe.run({include: [[".markdownx"]]}, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        })"""
    )
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in result["violations"]
    ]


def test_markdown_editors_pass_axe_and_the_tab_key_leaves_them(
    live_server, audit_page, demo_course, course_editor
):
    course, steps = demo_course
    quiz = QuizPageFactory(parent=course, title="Loppukoe", questions=EVERY_KIND)
    page = audit_page
    log_in(page, live_server, course_editor.email, "/admin/")
    found = {}
    for path in [f"/admin/pages/{quiz.pk}/edit/", f"/admin/pages/{steps[1].pk}/edit/"]:
        page.goto(live_server.url + path)
        page.locator(".markdownx-preview p").first.wait_for()
        if violations := _axe_of_editors(page):
            found[path] = violations
    assert found == {}

    # Tab moves on to the preview, a named region that can be scrolled by keyboard.
    page.goto(f"{live_server.url}/admin/pages/{quiz.pk}/edit/")
    source = page.locator(f"textarea[name='{QUESTION}']")
    before = source.input_value()
    source.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.className, document.activeElement.ariaLabel]"
    )
    assert focused == ["markdownx-preview", "Esikatselu: Kysymys"]
    assert source.input_value() == before


def test_both_preview_modes_have_no_wcag_violations(
    live_server, audit_page, demo_course, course_editor
):
    course, _ = demo_course
    quiz = QuizPageFactory(parent=course, title="Loppukoe", questions=EVERY_KIND)
    log_in(audit_page, live_server, course_editor.email, "/admin/")
    found = {}
    for mode in ["", "answers"]:
        audit_page.goto(
            f"{live_server.url}/admin/pages/{quiz.pk}/view_draft/?mode={mode}"
        )
        audit_page.locator(".quiz-preview .question").first.wait_for()
        if violations := run_axe(audit_page):
            found[mode] = violations
    assert found == {}


def test_an_interactive_block_in_a_question_works_in_its_live_preview(
    live_server, page, demo_course, course_editor
):
    course, _ = demo_course
    log_in(page, live_server, course_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/add/quizzes/quizpage/{course.pk}/")
    _add_question(page, "Tosi vai epätosi")
    _type(page, QUESTION, "/// blanks\nWCAG:n periaatteet: *havaittava*.\n///")
    preview = _preview_of(page, QUESTION)
    preview.locator(".blanks .interactive__check").wait_for()
    preview.locator(".blanks input").fill("havaittava")
    preview.locator(".interactive__check").click()
    expect(preview.locator(".interactive__result")).to_contain_text("1")
