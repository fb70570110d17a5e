"""A training admin's tools in the Wagtail admin: staff import, certificates, privacy.

Each journey audits the pages it passes with axe-core.
"""

import pytest
from django.core.files.base import ContentFile

from certificates.issuing import issue_certificate
from certificates.models import Certificate, CertificateTemplate
from lessons import progress
from lessons.models import Enrollment
from people.models import User
from tests.e2e.conftest import log_in, run_axe
from tests.people.test_import import CITY, HEADER

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IMPORT_URL = "/admin/people/import/"


def _audit(page, found):
    _let_messages_appear(page)
    if violations := run_axe(page):
        found[page.url] = violations


def _let_messages_appear(page):
    """Wait for Wagtail's messages to fade in: half-faded text fails contrast."""
    page.wait_for_function(
        """() => [...document.querySelectorAll(".messages > ul")].every(
            (list) => getComputedStyle(list).opacity === "1")"""
    )


def test_the_training_admins_dashboard_has_no_wcag_violations(
    live_server, audit_page, training_admin
):
    log_in(audit_page, live_server, training_admin.email, "/admin/")
    assert audit_page.locator("#training-admin-content a").count() == 6
    assert run_axe(audit_page) == []


def test_a_training_admin_previews_then_imports_staff(
    live_server, audit_page, training_admin
):
    page, found = audit_page, {}
    log_in(page, live_server, training_admin.email, "/admin/")
    page.goto(live_server.url + IMPORT_URL)
    _audit(page, found)
    csv = HEADER + CITY + "1005;not-an-email;X;Y;NEW;Uusi;NOWHERE;;fi\n"
    page.set_input_files(
        "#id_file",
        files=[{"name": "hr.csv", "mimeType": "text/csv", "buffer": csv.encode()}],
    )
    assert page.is_checked("#id_dry_run")
    page.click("form[action='/admin/people/import/'] button[type=submit]")
    page.wait_for_selector("#problems-heading")
    assert page.inner_text("#problems-heading") == "1 rivi ohitettaisiin"
    assert page.locator("table[aria-labelledby=problems-heading] li").count() == 2
    assert not User.objects.filter(email__endswith="@kaupunki.fi").exists()
    _audit(page, found)

    page.click("form[action='/admin/people/import/now/'] button[type=submit]")
    page.wait_for_selector("text=Tuonti tehty")
    assert User.objects.filter(email__endswith="@kaupunki.fi").count() == 4
    _audit(page, found)
    assert found == {}


@pytest.fixture
def certificate(demo_course, learner):
    course, steps = demo_course
    course.certificate_template = CertificateTemplate.objects.create(
        name="Perus", title_fi="Todistus", body_fi="{name} suoritti kurssin {course}."
    )
    course.save_revision().publish()
    for step in steps:
        progress.complete_step(user=learner, step=step)
    certificate = issue_certificate(Enrollment.objects.get(user=learner))
    certificate.pdf.save("stand-in.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    return certificate


def _inspect(certificate):
    return f"/admin/certificate_register/inspect/{certificate.pk}/"


def _act(page, certificate, action, reason, found):
    """Follow the inspect page's button to the confirmation page, and confirm."""
    page.click(f"header a[href$='/{action}/{certificate.pk}/']")
    page.wait_for_selector("#id_reason")
    _audit(page, found)
    page.fill("#id_reason", reason)
    page.click("form button[type=submit].button:not(.button-secondary)")
    page.wait_for_url(f"**{_inspect(certificate)}")
    _audit(page, found)


def test_a_training_admin_reissues_then_revokes_from_the_inspect_page(
    live_server, audit_page, training_admin, certificate
):
    page, found = audit_page, {}
    log_in(page, live_server, training_admin.email, "/admin/")
    page.goto(live_server.url + _inspect(certificate))
    _audit(page, found)

    _act(page, certificate, "reissue", "Nimi muuttui", found)
    fresh = Certificate.objects.get(revoked_at__isnull=True)
    assert fresh.display_code in page.inner_text(".messages")

    page.click(f"a[href='{_inspect(fresh)}']")
    page.wait_for_url(f"**{_inspect(fresh)}")
    _act(page, fresh, "revoke", "Myönnetty väärälle", found)
    assert page.locator(".messages").count() == 1
    assert not Certificate.objects.filter(revoked_at__isnull=True).exists()
    assert found == {}


def test_the_anonymise_page_warns_of_units_left_without_a_manager(
    live_server, audit_page, training_admin, superuser, learner, org
):
    org.team_b.managers.add(learner)
    page, found = audit_page, {}
    log_in(page, live_server, training_admin.email, "/admin/")
    page.goto(f"{live_server.url}/admin/people/anonymise/{superuser.pk}/")
    assert page.locator("form button.serious").count() == 0
    _audit(page, found)
    page.goto(f"{live_server.url}/admin/people/anonymise/{learner.pk}/")
    warning = page.locator("[aria-labelledby=unmanaged-heading]")
    assert warning.locator("li").all_inner_texts() == ["Tiimi B (TEAM-B)"]
    _audit(page, found)
    page.click("form button.serious")
    page.wait_for_url("**/admin/users/")
    assert User.objects.get(pk=learner.pk).anonymised_at is not None
    assert found == {}
