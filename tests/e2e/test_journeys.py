"""Journeys people make, done with the keyboard only."""

import pytest

from tests.helpers import translated

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _tab_to(page, selector, limit=60):
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            outline = page.evaluate(
                "() => getComputedStyle(document.activeElement).outlineStyle"
            )
            assert outline != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_catalogue_to_course_to_lessons_with_the_keyboard(
    live_server, page, demo_course
):
    course, steps = demo_course
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"

    _tab_to(page, f'a[href="{course.url}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{course.url}")
    assert page.locator("h1").inner_text() == "Saavutettavuuden perusteet"

    _tab_to(page, f'a.button[href="{steps[0].url}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{steps[0].url}")
    assert page.locator("h1").inner_text() == "Aluksi"

    _tab_to(page, "a[rel=next]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{steps[1].url}")
    assert page.locator(".prose table").count() == 1
    assert page.locator(".prose .admonition.tip").count() == 1

    summary = page.locator(".prose details summary")
    _tab_to(page, ".prose details summary")
    page.keyboard.press("Enter")
    assert summary.evaluate("(s) => s.parentElement.open")

    _tab_to(page, "a[rel=prev]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{steps[0].url}")


def test_catalogue_filters_work_from_the_keyboard(live_server, page, demo_course):
    page.goto(live_server.url + "/")
    _tab_to(page, "#id_language")
    page.keyboard.press("ArrowDown")  # from "all languages" to Finnish
    _tab_to(page, ".catalogue-filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**language=fi**")
    assert page.locator(".course-card").count() == 1


def test_language_switcher_works_from_the_keyboard(live_server, page, demo_course):
    page.goto(live_server.url + "/")
    _tab_to(page, "#language-select")
    page.keyboard.press("End")  # the last language: English
    _tab_to(page, ".language-switcher button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".skip-link").inner_text() == translated(
        "Skip to main content", "en"
    )
