"""Failed background tasks run again with backoff; admins see those that finally fail.

Tasks are queued in the database and run by django-tasks-db's own worker loop, here
in the test process (tests/config/test_task_recovery.py runs a real worker
process). time_machine moves the clock past each backoff.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from certificates.models import Certificate
from certificates.tasks import render_certificate
from tests.certificates.conftest import *  # noqa: F403 (its fixtures apply here)
from tests.certificates.conftest import finish, make_course

pytestmark = pytest.mark.django_db

RENDER = "certificates.tasks.render_certificate"


@pytest.fixture(autouse=True)
def queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def broken_template(monkeypatch):
    """Rendering fails, as with a certificate template that breaks."""

    def fail(certificate, template, course):
        raise ValueError("The certificate template is broken")

    monkeypatch.setattr("certificates.issuing.render_pdf", fail)


@pytest.fixture
def certificate(catalogue, template, learner):
    finish(learner, make_course(catalogue, "Tietoturva", template=template))
    return Certificate.objects.get(user=learner)


def run_worker():
    """Run every task that is due now, as `manage.py db_worker --batch` does.

    The worker's own loop closes the database connection between tasks, which a
    test's transaction cannot survive: this loop claims and runs as it does.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def render_result():
    return DBTaskResult.objects.get(task_path=RENDER)


def test_a_failed_render_runs_again_after_1_5_and_30_minutes_then_stops(
    certificate, broken_template
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        run_worker()
        for minutes in (1, 5, 30):
            result = render_result()
            assert result.status == "READY"
            assert result.run_after == timezone.now() + timedelta(minutes=minutes)
            clock.shift(timedelta(minutes=minutes) - timedelta(seconds=1))
            run_worker()
            assert render_result().status == "READY"
            clock.shift(timedelta(seconds=1))
            run_worker()

    result = render_result()
    assert result.status == "FAILED"
    assert len(result.worker_ids) == 4
    assert "The certificate template is broken" in result.traceback


def test_a_render_that_succeeds_on_a_later_attempt_stores_its_pdf(
    certificate, broken_template, monkeypatch
):
    run_worker()
    monkeypatch.undo()
    monkeypatch.setattr(
        "certificates.issuing.render_pdf", lambda *args: b"%PDF-1.7 stand-in"
    )
    render_result_row = render_result()
    DBTaskResult.objects.filter(pk=render_result_row.pk).update(
        run_after=timezone.now()
    )

    run_worker()

    assert render_result().status == "SUCCESSFUL"
    certificate.refresh_from_db()
    assert certificate.pdf.name == f"certificates/{certificate.pk}.pdf"


def test_a_certificate_without_a_template_fails_at_once(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(template=None)

    run_worker()

    result = render_result()
    assert result.status == "FAILED"
    assert len(result.worker_ids) == 1


def _finally_failed(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(template=None)
    run_worker()
    return render_result()


def test_training_admins_see_what_failed_and_on_what(
    certificate, client, training_admin
):
    _finally_failed(certificate)
    client.force_login(training_admin)

    page = client.get(reverse("team_failed_tasks")).content.decode()

    assert certificate.display_code in page
    assert certificate.holder_name in page
    assert (
        f"MissingTemplate: The certificate {certificate.display_code} has no template."
        in (page)
    )


@pytest.mark.parametrize("person", ["learner", "manager", "editor"])
def test_others_are_turned_away_and_cannot_run_a_task_again(
    certificate, client, request, person
):
    _finally_failed(certificate)
    client.force_login(request.getfixturevalue(person))

    response = client.get(reverse("team_failed_tasks"))
    assert response.status_code == 302
    assert certificate.display_code not in response.content.decode()
    client.post(reverse("team_run_task_again", args=[render_result().pk]))
    assert render_result().status == "FAILED"


def test_superusers_open_the_page_and_run_a_task_again(certificate, client, superuser):
    _finally_failed(certificate)
    client.force_login(superuser)

    assert (
        certificate.display_code
        in client.get(reverse("team_failed_tasks")).content.decode()
    )
    client.post(reverse("team_run_task_again", args=[render_result().pk]))
    assert render_result().status == "READY"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("team_failed_tasks"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_try_again_runs_the_task_once_more(certificate, client, training_admin):
    result = _finally_failed(certificate)
    client.force_login(training_admin)

    assert client.get(reverse("team_run_task_again", args=[result.pk])).status_code == (
        405
    )
    response = client.post(reverse("team_run_task_again", args=[result.pk]))

    assert response["Location"] == reverse("team_failed_tasks")
    assert render_result().status == "READY"
    assert (
        certificate.display_code
        not in client.get(reverse("team_failed_tasks")).content.decode()
    )


def test_try_again_of_an_unknown_task_is_not_found(client, training_admin):
    client.force_login(training_admin)
    missing = "00000000-0000-0000-0000-000000000000"
    response = client.post(reverse("team_run_task_again", args=[missing]))
    assert response.status_code == 404


def test_a_task_with_attempts_left_is_not_listed_nor_run_early(
    certificate, broken_template, client, training_admin
):
    run_worker()
    client.force_login(training_admin)

    assert (
        certificate.display_code
        not in client.get(reverse("team_failed_tasks")).content.decode()
    )
    client.post(reverse("team_run_task_again", args=[render_result().pk]))
    assert render_result().run_after > timezone.now()


def test_the_page_asks_as_many_queries_for_ten_failures_as_for_one(
    catalogue, template, learner, client, training_admin, django_assert_max_num_queries
):
    course = make_course(catalogue, "Tietoturva", template=template)
    Certificate.objects.update(template=None)
    client.force_login(training_admin)
    client.get(reverse("team_failed_tasks"))
    finish(learner, course)
    Certificate.objects.update(template=None)
    run_worker()
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("team_failed_tasks"))
    for _number in range(9):
        render_certificate.enqueue(str(Certificate.objects.get().pk))
    run_worker()

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("team_failed_tasks")).content.decode()
    assert page.count("MissingTemplate") == 10


def test_a_retry_lost_with_its_worker_is_scheduled_by_recover_tasks(
    certificate, broken_template
):
    run_worker()
    DBTaskResult.objects.filter(task_path=RENDER).update(status="FAILED")

    call_command("recover_tasks")

    assert render_result().status == "READY"
