"""Journeys people make, done with the keyboard only."""

import pytest

from tests.helpers import translated

PASSWORD = "correct horse battery staple"

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


def _log_in_with_the_keyboard(page, email):
    _tab_to(page, "#id_username")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_learner_takes_a_course_leaves_and_continues_with_the_keyboard(
    live_server, page, demo_course, learner
):
    course, steps = demo_course
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"

    _tab_to(page, f'a[href="{course.url}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + course.url)
    assert page.locator("h1").inner_text() == "Saavutettavuuden perusteet"

    _tab_to(page, "a.button--primary")  # "Log in to start the course"
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
    _log_in_with_the_keyboard(page, learner.email)
    page.wait_for_url(live_server.url + course.url)

    _tab_to(page, "form button.button--primary")  # "Start the course"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + steps[0].url)
    assert page.locator("h1").inner_text() == "Aluksi"

    _tab_to(page, ".step-done button")  # "Mark as done and continue"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + steps[1].url)
    assert page.locator(".prose table").count() == 1
    _tab_to(page, ".prose details summary")
    page.keyboard.press("Enter")
    assert page.locator(".prose details").evaluate("(d) => d.open")

    page.goto(live_server.url + "/")  # leave, and come back later
    page.goto(live_server.url + course.url)
    _tab_to(page, f'a.button--primary[href="{steps[1].url}"]')  # continue
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + steps[1].url)

    for following in steps[2:]:
        _tab_to(page, ".step-done button")
        page.keyboard.press("Enter")
        page.wait_for_url(live_server.url + following.url)
    _tab_to(page, ".step-done button")  # the last step: "Mark as done"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + f"/courses/{course.pk}/completed/")
    assert page.locator(".completion__facts").count() == 1

    _tab_to(page, 'a[href="/learning/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/learning/")
    completed = page.locator("#completed-heading + .learning-list")
    assert "Saavutettavuuden perusteet" in completed.inner_text()


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
    _tab_to(page, "#language-select-header")
    page.keyboard.press("End")  # the last language: English
    _tab_to(page, ".language-switcher button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".skip-link").inner_text() == translated(
        "Skip to main content", "en"
    )


def test_manager_assigns_a_course_and_exports_the_team_with_the_keyboard(
    live_server, page, demo_course, learner, manager, org
):
    from datetime import timedelta

    from django.utils import timezone

    from lessons.models import Enrollment

    course, _steps = demo_course
    page.goto(live_server.url + "/accounts/login/")
    _log_in_with_the_keyboard(page, manager.email)
    page.wait_for_url(live_server.url + "/")

    _tab_to(page, 'a[href="/team/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/team/")
    assert learner.get_full_name() in page.locator("table").inner_text()

    _tab_to(page, 'a.button[href^="/team/assign/"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/team/assign/**")
    _tab_to(page, "#id_course")
    page.select_option("#id_course", str(course.pk))
    due = timezone.localdate() + timedelta(days=21)
    _tab_to(page, "#id_due_date")
    page.fill("#id_due_date", due.isoformat())
    _tab_to(page, "#id_unit")
    page.select_option("#id_unit", str(org.team_a.pk))
    _tab_to(page, "form.stacked-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/team/?**")
    assert page.locator(".message").count() == 1
    assert set(
        Enrollment.objects.filter(course=course).values_list("user__email", flat=True)
    ) == {learner.email, manager.email}

    for link, suffix in (("CSV", ".csv"), ("XLSX", ".xlsx")):
        _tab_to(page, f'a[href*="/team/export{suffix}"]')
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        assert download.value.suggested_filename.endswith(suffix), link
