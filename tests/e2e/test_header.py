"""The header on a phone: one row, with the links in a menu that needs no script."""

import pytest

from tests.e2e.conftest import run_axe

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER_HEIGHT = (
    "() => document.querySelector('.site-header').getBoundingClientRect().height"
)
SCROLLS = "() => document.documentElement.scrollWidth > window.innerWidth"


@pytest.mark.parametrize("scripts", [True, False])
def test_the_phone_header_folds_its_links_into_a_menu(live_server, browser, scripts):
    context = browser.new_context(
        locale="fi-FI",
        viewport={"width": 390, "height": 800},
        java_script_enabled=scripts,
    )
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    assert page.evaluate(HEADER_HEIGHT) < 100
    assert not page.get_by_role("link", name="Haku").is_visible()
    page.get_by_text("Valikko").click()
    assert page.get_by_role("link", name="Haku").is_visible()
    assert page.locator("#language-select-menu").is_visible()
    assert not page.evaluate(SCROLLS)
    context.close()


def test_the_wide_header_shows_its_links_and_no_menu(live_server, page):
    page.goto(live_server.url + "/search/")
    assert page.get_by_role("link", name="Haku").is_visible()
    assert not page.get_by_text("Valikko").is_visible()


def test_the_open_menu_passes_axe(live_server, audit_page):
    audit_page.set_viewport_size({"width": 390, "height": 800})
    audit_page.goto(live_server.url + "/search/")
    audit_page.get_by_text("Valikko").click()
    assert run_axe(audit_page) == []
