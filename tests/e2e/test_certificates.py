"""Certificates in the browser: axe audits, and a download whose code verifies."""

import pytest
from django.core.files.base import ContentFile

from certificates.issuing import issue_certificate
from certificates.models import CertificateTemplate
from lessons import progress
from lessons.models import Enrollment
from tests.e2e.conftest import log_in, run_axe

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def certificate(demo_course, learner):
    course, steps = demo_course
    course.certificate_template = CertificateTemplate.objects.create(
        name="Perus", title_fi="Todistus", body_fi="{name} suoritti kurssin {course}."
    )
    course.validity_months = 24
    course.save_revision().publish()
    for step in steps:
        progress.complete_step(user=learner, step=step)
    enrollment = Enrollment.objects.get(user=learner)
    certificate = issue_certificate(enrollment)
    certificate.pdf.save("stand-in.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    return certificate


def test_certificate_pages_have_no_wcag_violations(
    live_server, audit_page, certificate, learner, manager
):
    found = {}
    for path in [
        "/certificates/verify/",
        f"/certificates/verify/{certificate.code}/",
        "/certificates/verify/0000AAAA0000/",
    ]:
        audit_page.goto(live_server.url + path)
        if violations := run_axe(audit_page):
            found[path] = violations
    log_in(audit_page, live_server, learner.email)
    for path in ["/certificates/", "/learning/"]:
        audit_page.goto(live_server.url + path)
        if violations := run_axe(audit_page):
            found[path] = violations
    audit_page.context.clear_cookies()
    log_in(audit_page, live_server, manager.email)
    audit_page.goto(live_server.url + "/team/certificates/")
    if violations := run_axe(audit_page):
        found["/team/certificates/"] = violations
    assert found == {}


def test_a_learner_downloads_the_certificate_and_its_code_verifies(
    live_server, page, certificate, learner
):
    log_in(page, live_server, learner.email)
    page.goto(live_server.url + "/certificates/")
    with page.expect_download() as download:
        page.click("a[href$='/download/']")
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(live_server.url + "/certificates/verify/")
    page.fill("#id_code", certificate.display_code.lower())
    page.press("#id_code", "Enter")
    page.wait_for_url(f"**/certificates/verify/{certificate.code}/")
    assert page.locator(".certificate-status--valid").count() == 1
