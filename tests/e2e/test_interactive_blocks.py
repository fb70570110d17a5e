"""Every interactive block, used with the keyboard alone, and audited with axe-core."""

import pytest

from tests.e2e.conftest import log_in, run_axe
from tests.factories import CoursePageFactory, LessonPageFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EVERY_BLOCK = """Tällä oppitunnilla on jokainen lohko.

/// accordion
## Mikä on WCAG?
Verkkosisällön saavutettavuusohjeet.
## Kenelle?
Kaikille.
///

/// tabs
## Suomeksi
Havaittava.
## På svenska
Möjlig att uppfatta.
///

/// cards
## Kielimalli
Ennustaa seuraavan sanan.
## Hallusinaatio
Keksitty, väärä vastaus.
///

/// steps
## Suunnittele
Mieti lukija.
## Julkaise
Tarkista ensin.
///

/// blanks
Periaatteet ovat *havaittava*, *hallittava* ja *ymmärrettävä*.
///

/// check
Mikä on tavallisen tekstin vähimmäiskontrasti?
( ) 3:1
(x) 4,5:1
> Oikein: isolle tekstille riittää 3:1.
( ) 7:1
///

/// mark
Valitse WCAG:n periaatteet.

Sisällön pitää olla *havaittava*, nopea ja *hallittava*.
///

/// drag
Palautteessa kerrotaan ensin *tilanne*, sitten *toiminta* ja lopuksi *vaikutus*.
///

/// hotspots
![Kaupungin verkkosivun malli](/static/images/verkkosivu.png)

1. (6, 8) Logo: vie aina etusivulle.
2. (88, 8) Haku: löydä palvelut.
///
"""


@pytest.fixture
def lesson(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Saavutettavuus")
    return LessonPageFactory(parent=course, title="Kaikki lohkot", body=EVERY_BLOCK)


def _tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _tab_to_text(page, selector, text, limit=80):
    """Press Tab until an element matching `selector` with exactly `text` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([s, t]) => document.activeElement.matches(s)"
            " && document.activeElement.textContent === t",
            [selector, text],
        ):
            return
    raise AssertionError(f"Tab never reached {selector} {text!r}")


def _announced(page):
    page.wait_for_function(
        "() => document.querySelector('[aria-live=polite]').textContent.length > 0"
    )
    return page.locator("[aria-live=polite]").inner_text()


def test_every_block_works_with_the_keyboard(live_server, page, lesson, learner):
    log_in(page, live_server, learner.email, lesson.url)

    _tab_to(page, ".accordion__title")
    page.keyboard.press("Enter")
    assert page.locator(".accordion__item").first.evaluate("(d) => d.open")

    _tab_to(page, ".tabs__tab[aria-selected=true]")
    page.keyboard.press("ArrowRight")
    second = page.locator(".tabs__tab").nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert page.evaluate("() => document.activeElement.textContent") == "På svenska"
    assert page.locator(".tabs__panel").nth(1).is_visible()
    assert not page.locator(".tabs__panel").nth(0).is_visible()

    _tab_to(page, ".card__back summary")
    page.keyboard.press("Enter")
    assert page.locator(".card__back").first.evaluate("(d) => d.open")

    _tab_to(page, ".blank__input")
    for answer in ("Havaittava", " hallittava ", "väärin"):
        page.keyboard.type(answer)
        page.keyboard.press("Tab")
    _tab_to(page, ".blanks .interactive__check")
    page.keyboard.press("Enter")
    assert _announced(page).startswith("2")
    assert page.locator(".blank__input").nth(2).get_attribute("aria-invalid") == "true"

    _tab_to(page, ".check__choice input")
    page.keyboard.press("ArrowDown")  # radio group: move to the second choice
    _tab_to(page, ".check .interactive__check")
    page.keyboard.press("Enter")
    assert page.locator(".check__feedback").is_visible()
    assert page.locator(".check__choice--right").count() == 1

    for word in ("havaittava", "hallittava"):
        _tab_to_text(page, ".mark__word", word)
        page.keyboard.press("Space")
    _tab_to(page, ".mark .interactive__check")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[aria-live=polite]').textContent.startsWith('2')"
    )
    assert page.locator('.mark__word[data-result="right"]').count() == 2

    for word in ("tilanne", "toiminta", "vaikutus"):
        _tab_to_text(page, ".drag__word-button", word)
        page.keyboard.press("Enter")
        _tab_to_text(page, ".drag__gap", "\u2002")  # the first empty gap
        page.keyboard.press("Enter")
    _tab_to(page, ".drag .interactive__check")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[aria-live=polite]').textContent.startsWith('3')"
    )
    assert page.locator('.drag .blank[data-result="right"]').count() == 3

    points = page.locator(".hotspots__point")
    _tab_to_text(page, ".hotspots__marker", "1")
    page.keyboard.press("Enter")
    assert points.nth(0).is_visible() and not points.nth(1).is_visible()
    _tab_to_text(page, ".hotspots__marker", "2")
    page.keyboard.press("Enter")
    assert points.nth(1).is_visible() and not points.nth(0).is_visible()


def test_self_check_answers_survive_a_reload(live_server, page, lesson, learner):
    log_in(page, live_server, learner.email, lesson.url)
    page.locator(".blank__input").first.fill("havaittava")
    page.locator(".check__choice input").nth(1).check()
    page.reload()
    assert page.locator(".blank__input").first.input_value() == "havaittava"
    assert page.locator(".check__choice input").nth(1).is_checked()


def test_every_block_without_the_script_still_shows_its_answers(
    live_server, browser, lesson, learner
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, learner.email, lesson.url)
    assert page.locator(".blanks .solution summary").is_visible()
    assert page.locator(".tabs__title").count() == 2
    page.locator(".check .solution summary").click()
    assert "4,5:1" in page.locator(".check .solution").inner_text()
    context.close()


def test_a_lesson_with_every_block_has_no_wcag_violations(
    live_server, audit_page, lesson, learner
):
    log_in(audit_page, live_server, learner.email, lesson.url)
    assert run_axe(audit_page) == []


def test_try_again_clears_answers_for_good(live_server, page, lesson, learner):
    log_in(page, live_server, learner.email, lesson.url)
    blank = page.locator(".blank__input").first
    blank.fill("väärin")
    page.locator(".blanks .interactive__check").click()
    assert blank.get_attribute("aria-invalid") == "true"
    page.locator(".blanks .interactive__retry").click()
    assert blank.input_value() == "" and blank.get_attribute("aria-invalid") is None
    page.locator(".drag__word-button").first.click()
    page.locator(".drag__gap").first.click()
    page.locator(".drag .interactive__retry").click()
    assert page.locator(".drag__word-button:visible").count() == 3
    page.reload()
    assert page.locator(".blank__input").first.input_value() == ""
    assert page.locator(".drag__word-button:visible").count() == 3
