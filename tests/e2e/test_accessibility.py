"""axe-core audits (WCAG 2.1 A and AA) of the pages every visitor meets."""

import pytest

from tests.e2e.conftest import run_axe
from themes.models import SiteAppearance

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("theme", ["default", "city"])
def test_public_pages_have_no_wcag_violations(
    live_server, audit_page, demo_course, theme
):
    course, steps = demo_course
    appearance = SiteAppearance.for_site(course.get_site())
    appearance.theme = theme
    appearance.save()
    paths = [
        "/",
        "/?q=zzzz",
        course.url,
        "/search/?q=periaatteet",
        "/accounts/login/",
        "/accounts/password_reset/",
        "/ei-ole-olemassa/",
    ]
    found = {}
    for path in paths:
        audit_page.goto(live_server.url + path)
        violations = run_axe(audit_page)
        if violations:
            found[path] = violations
    assert found == {}


def test_login_errors_have_no_wcag_violations(live_server, audit_page, demo_course):
    audit_page.goto(live_server.url + "/accounts/login/")
    audit_page.fill("#id_username", "nobody@example.org")
    audit_page.fill("#id_password", "wrong")
    audit_page.press("#id_password", "Enter")
    audit_page.wait_for_selector(".form-errors")
    assert run_axe(audit_page) == []


def test_learner_pages_have_no_wcag_violations(
    live_server, audit_page, demo_course, learner
):
    from lessons import progress

    course, steps = demo_course
    progress.complete_step(user=learner, step=steps[0])
    audit_page.goto(live_server.url + "/accounts/login/")
    audit_page.fill("#id_username", learner.email)
    audit_page.fill("#id_password", "correct horse battery staple")
    audit_page.press("#id_password", "Enter")
    audit_page.wait_for_url(live_server.url + "/")
    found = {}
    for path in ["/", course.url, steps[0].url, steps[1].url, "/learning/"]:
        audit_page.goto(live_server.url + path)
        violations = run_axe(audit_page)
        if violations:
            found[path] = violations
    assert found == {}


def test_manager_pages_have_no_wcag_violations(
    live_server, audit_page, demo_course, learner, manager, org
):
    from datetime import timedelta

    from django.utils import timezone

    from team.assignments import assign_course

    course, steps = demo_course
    assignment, _covered = assign_course(
        course=course,
        due_date=timezone.localdate() - timedelta(days=1),
        assigned_by=manager,
        unit=org.team_a,
    )
    audit_page.goto(live_server.url + "/accounts/login/")
    audit_page.fill("#id_username", manager.email)
    audit_page.fill("#id_password", "correct horse battery staple")
    audit_page.press("#id_password", "Enter")
    audit_page.wait_for_url(live_server.url + "/")
    found = {}
    for path in [
        "/team/",
        "/team/?status=overdue",
        f"/team/people/{learner.pk}/",
        f"/team/assign/?people={learner.pk}",
        "/team/assign/",
        "/team/assignments/",
        f"/team/assignments/{assignment.pk}/",
        f"/team/assignments/{assignment.pk}/withdraw/",
        "/team/certificates/",
    ]:
        audit_page.goto(live_server.url + path)
        violations = run_axe(audit_page)
        if violations:
            found[path] = violations
    audit_page.goto(live_server.url + "/team/assign/")
    audit_page.click("form.stacked-form button[type=submit]")
    audit_page.wait_for_selector(".field__errors")
    if violations := run_axe(audit_page):
        found["assign with errors"] = violations
    audit_page.goto(live_server.url + f"/team/assignments/{assignment.pk}/")
    audit_page.fill("#id_due_date", "")
    audit_page.click("form.stacked-form button[type=submit]")
    audit_page.wait_for_selector(".field__errors")
    if violations := run_axe(audit_page):
        found["due date with errors"] = violations
    audit_page.goto(live_server.url + f"/team/assignments/{assignment.pk}/withdraw/")
    audit_page.click("main form button[type=submit]")
    audit_page.wait_for_selector(".message")
    if violations := run_axe(audit_page):
        found["withdrawn assignment"] = violations
    assert found == {}
