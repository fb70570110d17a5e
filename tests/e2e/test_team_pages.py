"""The manager's pages lay out at desktop and phone widths, in each language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from team.assignments import assign_course
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
LOCALES = ["fi-FI", "sv-SE", "en-GB"]
SCROLLS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
)
HEADER_ROWS = """() => {
    const inner = document.querySelector(".site-header__inner");
    const shown = [...inner.children, ...inner.querySelectorAll(".site-nav--wide li")]
        .filter((element) => element.getClientRects().length);
    const boxes = shown.map((element) => element.getBoundingClientRect());
    const top = Math.max(...boxes.map((box) => box.top));
    const bottom = Math.min(...boxes.map((box) => box.bottom));
    const hidden = [...inner.children].filter(
        (element) => !element.getClientRects().length);
    return {hidden: hidden.length, oneLine: top < bottom};
}"""


@pytest.fixture
def admin_with_a_long_name(org):
    """A training admin (every header link) whose name is long, in team A."""
    person = UserFactory(
        email="maria.kristiina@example.org",
        first_name="Maria-Kristiina",
        last_name="Järvenpää-Lindqvist",
        org_unit=org.team_a,
        groups=["Training administrators", "Editors"],
    )
    org.team_a.managers.add(person)
    return person


@pytest.fixture
def assigned(demo_course, org, learner, admin_with_a_long_name):
    course, _steps = demo_course
    assignment, _covered = assign_course(
        course=course,
        due_date=timezone.localdate() - timedelta(days=1),
        assigned_by=admin_with_a_long_name,
        unit=org.team_a,
    )
    return assignment


def _logged_in(browser, live_server, person, *, locale, width):
    """Log in as the person, who reads the locale's language."""
    person.preferred_language = locale[:2]
    person.save(update_fields=["preferred_language"])
    context = browser.new_context(
        locale=locale, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", person.email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + "/")
    return context, page


@pytest.mark.parametrize("locale", LOCALES)
def test_the_managers_header_is_one_line_at_1280(
    live_server, browser, admin_with_a_long_name, assigned, locale
):
    context, page = _logged_in(
        browser, live_server, admin_with_a_long_name, locale=locale, width=1280
    )
    page.goto(live_server.url + "/team/")
    rows = page.evaluate(HEADER_ROWS)
    assert rows == {"hidden": 1, "oneLine": True}
    assert page.locator("#language-select-header").is_visible()
    assert not page.evaluate(SCROLLS)
    context.close()


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("locale", LOCALES)
def test_team_pages_do_not_scroll_sideways_on_a_phone(
    live_server, browser, admin_with_a_long_name, assigned, learner, locale, width
):
    context, page = _logged_in(
        browser, live_server, admin_with_a_long_name, locale=locale, width=width
    )
    scrolling = []
    for path in [
        "/team/",
        "/team/?status=overdue",
        f"/team/people/{learner.pk}/",
        "/team/assign/",
        "/team/assignments/",
        f"/team/assignments/{assigned.pk}/",
        f"/team/assignments/{assigned.pk}/withdraw/",
        "/team/certificates/",
    ]:
        page.goto(live_server.url + path)
        if page.evaluate(SCROLLS):
            scrolling.append(path)
    assert scrolling == []
    context.close()
