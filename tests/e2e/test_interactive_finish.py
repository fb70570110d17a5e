"""A learner's view of the interactive blocks: one language, visible results, reflow."""

import re

import pytest

from tests.e2e.conftest import log_in, run_axe
from tests.e2e.test_interactive_blocks import EVERY_BLOCK
from tests.factories import CoursePageFactory, LessonPageFactory
from tests.helpers import translated

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MORE_BLOCKS = """
/// check
Mitkä ovat WCAG:n periaatteita?
[x] Havaittava
[ ] Nopea
[x] Hallittava
///

/// hotspots | Lähekkäiset kohdat
![Kaupungin verkkosivun malli](/static/images/verkkosivu.png)

1. (50, 50) Keskellä.
2. (52, 51) Vähän oikealla.
3. (99, 1) Oikeassa yläkulmassa.
///
"""
# Every block with a title: `/// kind` becomes `/// kind | Harjoitus: kind`.
TITLED_BLOCKS = re.sub(
    r"^/// (\w+)$", r"/// \1 | Harjoitus: \1", EVERY_BLOCK + MORE_BLOCKS, flags=re.M
)
SCRIPT_BUTTONS = ("Check", "Show the solution", "Try again")
LONG_WORDS = """
/// tabs | Työterveyshuoltopalveluntarjoajaorganisaatiot
## Työterveyshuoltopalveluntarjoajaorganisaatiot
Teksti.
## Toinen
Teksti.
///

/// mark | Pitkät sanat
Valitse.

*Työterveyshuoltopalveluntarjoajaorganisaatiot* ja muut.
///

/// drag | Pitkät sanat
Sana *työterveyshuoltopalveluntarjoajaorganisaatiot* ja *muut*.
///
"""


def _lesson(catalogue, language):
    course = CoursePageFactory(parent=catalogue, title="Kurssi", language=language)
    return LessonPageFactory(parent=course, title="Lohkot", body=TITLED_BLOCKS)


@pytest.fixture
def lesson(catalogue):
    return _lesson(catalogue, "fi")


def _in(language, message, **values):
    return translated(message, language) % values


def _texts(page, selector):
    return page.locator(selector).all_inner_texts()


def _press_every(page, selector):
    for button in page.locator(selector).all():
        button.click()


@pytest.mark.parametrize("interface", ["fi", "en"])
def test_a_swedish_course_block_shows_only_swedish_labels(
    live_server, browser, catalogue, learner, interface
):
    lesson = _lesson(catalogue, "sv")
    learner.preferred_language = interface  # signing in sets the interface language
    learner.save()
    context = browser.new_context(locale=interface)
    page = context.new_page()
    log_in(page, live_server, learner.email, lesson.url)
    assert page.locator("html").get_attribute("lang") == interface
    swedish_buttons = {translated(text, "sv") for text in SCRIPT_BUTTONS}
    interface_buttons = {translated(text, interface) for text in SCRIPT_BUTTONS}
    assert swedish_buttons.isdisjoint(interface_buttons)  # or the test proves nothing

    assert set(_texts(page, ".interactive__actions button")) == swedish_buttons
    assert _texts(page, ".hotspots__help")[0] == translated(
        "Choose a numbered point on the image to read about it. Escape closes it.",
        "sv",
    )
    assert page.locator(".hotspots__marker").first.get_attribute("aria-label") == _in(
        "sv", "Point %(number)s", number=1
    )
    empty_gap = page.locator(".drag__gap").first.get_attribute("aria-label")
    assert empty_gap.endswith(": " + translated("empty", "sv"))

    _press_every(page, ".interactive__check")
    assert _texts(page, ".interactive__result") == [
        _in("sv", "%(right)s / %(total)s right", right=0, total=3),
        translated("Not quite. Read the feedback and try again.", "sv"),
        _in(
            "sv",
            "%(right)s right, %(missed)s missed, %(wrong)s wrong.",
            right=0,
            missed=2,
            wrong=0,
        ),
        _in("sv", "%(right)s / %(total)s right", right=0, total=3),
        translated("Not quite. Read the feedback and try again.", "sv"),
    ]
    assert set(_texts(page, ".interactive__actions button")) == swedish_buttons
    context.close()


def test_after_check_the_score_and_the_misses_are_visible(
    live_server, page, lesson, learner
):
    log_in(page, live_server, learner.email, lesson.url)
    blanks = page.locator(".blanks")
    answers = ["havaittava", "x", ""]
    for field, answer in zip(blanks.locator("input").all(), answers, strict=True):
        field.fill(answer)
    blanks.locator(".interactive__check").click()
    result = blanks.locator(".interactive__result")
    assert result.is_visible()
    assert result.inner_text() == _in(
        "fi", "%(right)s / %(total)s right", right=1, total=3
    )
    assert blanks.locator('.blank[data-result="wrong"]').count() == 2
    blanks.locator("input").nth(1).fill("hallittava")
    assert not result.is_visible()  # a changed answer is not yet checked


def test_show_the_solution_marks_the_right_words_and_choices_not_chosen(
    live_server, page, lesson, learner
):
    log_in(page, live_server, learner.email, lesson.url)
    missed = translated("right answer, not chosen", "fi")
    mark = page.locator(".mark")
    mark.locator(".mark__word", has_text="havaittava").click()
    mark.locator(".mark__word", has_text="nopea").click()
    mark.locator(".interactive__check").click()
    assert mark.locator(".interactive__result").inner_text() == _in(
        "fi",
        "%(right)s right, %(missed)s missed, %(wrong)s wrong.",
        right=1,
        missed=1,
        wrong=1,
    )
    mark.locator(".interactive__solve").click()
    assert mark.locator('.mark__word[data-result="missed"]').inner_text() == (
        "hallittava"
    )
    note = mark.locator('.mark__word[data-result="missed"] + .interactive__missed')
    assert note.is_visible() and note.inner_text() == missed
    assert mark.locator('.mark__word[data-result="wrong"]').inner_text() == "nopea"

    several = page.locator('.check[data-kind="multiple"]')
    several.locator("input").first.check()
    several.locator(".interactive__solve").click()
    assert several.locator(".check__choice--missed label").inner_text() == (
        "Hallittava" + missed
    )
    assert several.locator(".interactive__missed").is_visible()
    several.locator(".interactive__retry").click()
    assert several.locator(".interactive__missed").count() == 0


def test_blanks_offer_one_way_to_the_solution(live_server, page, lesson, learner):
    log_in(page, live_server, learner.email, lesson.url)
    blanks = page.locator(".blanks")
    assert not blanks.locator(".solution").is_visible()
    blanks.locator(".interactive__solve").click()
    assert [field.input_value() for field in blanks.locator("input").all()] == [
        "havaittava",
        "hallittava",
        "ymmärrettävä",
    ]


def test_block_titles_are_shown_as_headings(live_server, page, lesson, learner):
    log_in(page, live_server, learner.email, lesson.url)
    headings = page.get_by_role("heading", name=re.compile("^Harjoitus: "))
    assert headings.count() == 10


def test_a_marked_word_sits_right_next_to_its_punctuation(
    live_server, page, lesson, learner
):
    log_in(page, live_server, learner.email, lesson.url)
    gap = page.evaluate(
        """() => {
            const word = [...document.querySelectorAll('.mark__word')]
                .find((button) => button.textContent === 'havaittava');
            const text = document.createRange();
            text.selectNodeContents(word);
            const comma = document.createRange();
            comma.setStart(word.nextSibling, 0);
            comma.setEnd(word.nextSibling, 1);
            return comma.getBoundingClientRect().left
                - text.getBoundingClientRect().right;
        }"""
    )
    assert abs(gap) < 1
    assert "havaittava, nopea" in page.locator(".mark__text").inner_text()


def test_escape_closes_a_hotspot_and_returns_to_its_marker(
    live_server, page, lesson, learner
):
    log_in(page, live_server, learner.email, lesson.url)
    block = page.locator(".hotspots").first
    assert block.locator(".hotspots__help").is_visible()
    marker = block.locator(".hotspots__marker").nth(1)
    marker.focus()
    page.keyboard.press("Enter")
    point = block.locator(".hotspots__point").nth(1)
    assert point.is_visible()
    page.keyboard.press("Escape")
    assert not point.is_visible()
    assert marker.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.textContent") == "2"


def _boxes(page, block):
    return [
        marker.bounding_box() for marker in block.locator(".hotspots__marker").all()
    ]


def _overlap(first, second):
    return (
        abs(first["x"] - second["x"]) < first["width"]
        and abs(first["y"] - second["y"]) < first["height"]
    )


@pytest.mark.parametrize("width", [1280, 320])
def test_hotspot_markers_never_cover_each_other_or_leave_the_image(
    live_server, browser, lesson, learner, width
):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    log_in(page, live_server, learner.email, lesson.url)
    block = page.locator(".hotspots").nth(1)
    page.wait_for_function(
        "() => [...document.images].every((image) => image.complete)"
    )
    image = block.locator("img").bounding_box()
    boxes = _boxes(page, block)
    for number, box in enumerate(boxes):
        assert image["x"] <= box["x"] and box["x"] + box["width"] <= (
            image["x"] + image["width"] + 0.5
        )
        assert all(not _overlap(box, other) for other in boxes[number + 1 :])
    context.close()


def test_every_block_reflows_at_320_pixels(live_server, browser, lesson, learner):
    lesson.body = TITLED_BLOCKS + LONG_WORDS
    lesson.save()
    context = browser.new_context(
        locale="fi-FI", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    log_in(page, live_server, learner.email, lesson.url)
    scrolls = "() => document.documentElement.scrollWidth > window.innerWidth"
    assert not page.evaluate(scrolls)
    _press_every(page, ".interactive__solve")
    page.locator(".hotspots__marker").first.click()
    assert not page.evaluate(scrolls)
    _press_every(page, ".interactive__retry")
    assert not page.evaluate(scrolls)
    context.close()


def test_drag_the_words_with_keyboard_escape_and_try_again(
    live_server, page, lesson, learner
):
    log_in(page, live_server, learner.email, lesson.url)
    drag = page.locator(".drag")
    word = drag.locator(".drag__word-button").first
    word.focus()
    page.keyboard.press("Enter")
    assert word.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")  # changed my mind: no word is chosen any more
    assert word.get_attribute("aria-pressed") == "false"
    assert page.evaluate("() => document.activeElement.textContent") == (
        word.inner_text()
    )
    drag.locator(".interactive__check").click()
    assert drag.locator('.blank[data-result="wrong"]').count() == 3
    drag.locator(".interactive__retry").click()
    assert drag.locator(".blank[data-result]").count() == 0
    assert not drag.locator(".interactive__result").is_visible()


def test_checked_and_solved_blocks_have_no_wcag_violations(
    live_server, audit_page, lesson, learner
):
    log_in(audit_page, live_server, learner.email, lesson.url)
    _press_every(audit_page, ".interactive__check")
    assert run_axe(audit_page) == []
    _press_every(audit_page, ".interactive__solve")
    audit_page.locator(".hotspots__marker").first.click()
    assert run_axe(audit_page) == []
