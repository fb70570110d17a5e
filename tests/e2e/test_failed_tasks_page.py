"""The failed tasks page in a browser: no WCAG violations, and "Try again" works."""

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from tests.certificates.conftest import *  # noqa: F403 (its fixtures apply here)
from tests.certificates.conftest import finish, make_course
from tests.e2e.conftest import log_in, run_axe
from tests.helpers import translated
from tests.team.test_failed_tasks import render_result, run_worker

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def failed_render(settings, catalogue, template, learner):
    """A certificate whose PDF task finally failed (its template is gone)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    finish(learner, make_course(catalogue, "Tietoturva", template=template))
    certificate = Certificate.objects.get(user=learner)
    Certificate.objects.filter(pk=certificate.pk).update(template=None)
    run_worker()
    return certificate


def test_the_page_has_no_wcag_violations_and_try_again_queues_the_task(
    live_server, audit_page, failed_render, training_admin
):
    log_in(audit_page, live_server, training_admin.email, "/admin/")
    audit_page.goto(f"{live_server.url}/admin/tasks/failed/")
    about = f"{failed_render.holder_name}: Tietoturva ({failed_render.display_code})"
    expect(audit_page.get_by_role("cell", name=about, exact=True)).to_be_visible()

    assert run_axe(audit_page) == []

    audit_page.get_by_role("button", name=translated("Try again")).click()
    done = translated("The task will run again in a moment.")
    expect(audit_page.get_by_text(done)).to_be_visible()
    expect(
        audit_page.get_by_text(translated("No background task has failed."))
    ).to_be_visible()
    assert render_result().status == "READY"
