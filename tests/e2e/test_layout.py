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


@pytest.mark.parametrize("width", [390, 320])
def test_my_learning_reflows_on_a_phone(
    live_server, browser, demo_course, learner, width
):
    from lessons import progress

    course, steps = demo_course
    progress.complete_step(user=learner, step=steps[0])
    context = browser.new_context(
        locale="fi-FI", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", learner.email)
    page.fill("#id_password", "correct horse battery staple")
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/learning/")
    assert page.locator(".learning-list li").count() >= 1
    assert not page.evaluate(SCROLLS)
    context.close()
