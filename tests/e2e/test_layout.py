"""Learner pages lay out at phone and desktop widths, in each language."""

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Pixels of a select taken by its padding, border and arrow.
SELECT_CHROME = 40
CLIPPED_SELECTS = """(chrome) => {
    const canvas = document.createElement("canvas").getContext("2d");
    return [...document.querySelectorAll("main select")].filter((select) => {
        canvas.font = getComputedStyle(select).font;
        const widest = Math.max(...[...select.options].map(
            (option) => canvas.measureText(option.text).width));
        return widest + chrome > select.getBoundingClientRect().width;
    }).map((select) => select.name);
}"""
SCROLLS = "() => document.documentElement.scrollWidth > window.innerWidth"


@pytest.mark.parametrize("width", [1280, 390, 320])
@pytest.mark.parametrize("locale", ["fi-FI", "sv-SE", "en-GB"])
def test_the_catalogue_filters_show_their_whole_choices(
    live_server, browser, demo_course, width, locale
):
    context = browser.new_context(
        locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.evaluate(CLIPPED_SELECTS, SELECT_CHROME) == []
    assert not page.evaluate(SCROLLS)
    context.close()
