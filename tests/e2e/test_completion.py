"""The completion moment in the browser, and the verification page on a phone."""

import re

import pytest
from django.core.files.base import ContentFile

from certificates.issuing import revoke
from certificates.models import Certificate, CertificateTemplate
from lessons import progress
from tests.e2e.conftest import log_in, run_axe
from tests.helpers import translated

PREPARING = (
    "Your certificate is being prepared. This page updates itself when it is ready."
)
READY = "Your certificate is ready."

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def certified_course(demo_course):
    course, steps = demo_course
    course.certificate_template = CertificateTemplate.objects.create(
        name="Perus", title_fi="Todistus", body_fi="{name} suoritti kurssin {course}."
    )
    course.validity_months = 24
    course.save_revision().publish()
    return course, steps


@pytest.fixture
def renders_later(monkeypatch):
    """Leave the PDF to render later (a task worker), so the page waits for it."""
    monkeypatch.setattr("certificates.issuing._enqueue_render", lambda pk: None)


def _completed_path(course):
    return f"/courses/{course.pk}/completed/"


def _finish_all_but_last(learner, course, steps):
    for step in steps[:-1]:
        progress.complete_step(user=learner, step=step, course=course)


def _store_pdf(learner):
    certificate = Certificate.objects.get(user=learner)
    certificate.pdf.save("stand-in.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    return certificate


def test_the_last_lesson_leads_to_the_completion_page_with_the_certificate(
    live_server, audit_page, certified_course, learner
):
    course, steps = certified_course
    _finish_all_but_last(learner, course, steps)
    log_in(audit_page, live_server, learner.email)
    audit_page.goto(live_server.url + steps[-1].url)
    audit_page.click(".step-done button")
    audit_page.wait_for_url(live_server.url + _completed_path(course))
    assert "Saavutettavuuden perusteet" in audit_page.locator("h1").inner_text()
    section = audit_page.locator("[data-certificate-section]")
    assert translated(READY) in section.locator("[role=status]").inner_text()
    certificate = Certificate.objects.get(user=learner)
    share = section.locator("input[data-copy-source]").input_value()
    assert share == f"{live_server.url}/certificates/verify/{certificate.code}/"
    assert section.locator("a[href$='/download/']").count() == 1
    assert run_axe(audit_page) == []


def test_the_state_being_prepared_has_no_wcag_violations(
    live_server, audit_page, certified_course, learner, renders_later
):
    course, steps = certified_course
    for step in steps:
        progress.complete_step(user=learner, step=step, course=course)
    log_in(audit_page, live_server, learner.email)
    audit_page.goto(live_server.url + _completed_path(course))
    assert translated(PREPARING) in audit_page.locator("[role=status]").inner_text()
    assert run_axe(audit_page) == []


def test_the_page_shows_the_certificate_once_its_pdf_is_ready(
    live_server, page, certified_course, learner, renders_later
):
    course, steps = certified_course
    for step in steps:
        progress.complete_step(user=learner, step=step, course=course)
    log_in(page, live_server, learner.email)
    page.goto(live_server.url + _completed_path(course))
    status = page.locator("[data-certificate-status]")
    assert status.get_attribute("role") == "status"
    assert translated(PREPARING) in status.inner_text()

    _store_pdf(learner)
    page.wait_for_selector("[data-certificate-section] a[href$='/download/']")
    assert translated(READY) in status.inner_text()
    assert page.locator("[data-copy-button]").is_visible()


def test_without_javascript_the_page_refreshes_until_the_pdf_is_ready(
    live_server, browser, certified_course, learner, renders_later
):
    course, steps = certified_course
    for step in steps:
        progress.complete_step(user=learner, step=step, course=course)
    context = browser.new_context(locale="fi-FI", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server, learner.email)
    page.goto(live_server.url + _completed_path(course))
    assert translated(PREPARING) in page.locator("[role=status]").inner_text()

    _store_pdf(learner)
    page.wait_for_selector("[data-certificate-section] a[href$='/download/']")
    assert translated(READY) in page.locator("[role=status]").inner_text()
    context.close()


def _phone(browser):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": 320, "height": 640}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.mark.parametrize("state", ["valid", "revoked"])
def test_the_verification_page_reads_on_a_phone_without_scrolling_sideways(
    live_server, browser, certified_course, learner, state
):
    course, steps = certified_course
    for step in steps:
        progress.complete_step(user=learner, step=step, course=course)
    certificate = _store_pdf(learner)
    if state == "revoked":
        revoke(certificate, reason="Myönnetty väärälle henkilölle " * 3)
    context, page = _phone(browser)
    page.goto(f"{live_server.url}/certificates/verify/{certificate.code}/")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1] == 320
    assert page.locator(f".certificate-status--{state}").is_visible()
    labels = page.locator(".certificate-facts dt").all_inner_texts()
    assert [re.sub(r"\W", "", label) for label in labels[:6]] == [
        "Haltija",
        "Kurssi",
        "Suorituspäivä",
        "Myöntämispäivä",
        "Voimassaasti",
        "Koodi",
    ]
    assert run_axe(page) == []
    context.close()
