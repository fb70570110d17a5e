"""A quiz in the browser: axe audits, the keyboard, autosave and the timer."""

import pytest

from quizzes.models import QuizAttempt
from tests.e2e.conftest import run_axe
from tests.factories import QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND

PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page, live_server, person):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", person.email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + "/")


@pytest.fixture
def quiz(demo_course):
    course, _steps = demo_course
    return QuizPageFactory(
        parent=course, title="Loppukoe", questions=EVERY_KIND, time_limit_minutes=20
    )


def test_quiz_pages_have_no_wcag_violations(live_server, audit_page, quiz, learner):
    _log_in(audit_page, live_server, learner)
    found = {}

    def audit(name):
        if violations := run_axe(audit_page):
            found[name] = violations

    audit_page.goto(live_server.url + quiz.url)
    audit("quiz page")
    audit_page.click("form[action*='/start/'] button")
    audit_page.wait_for_url("**/quizzes/attempts/**")
    audit("take page")
    audit_page.click("button[value='review']")
    audit_page.wait_for_url("**/submit/")
    audit("review and submit")
    audit_page.click("form.quiz__actions button[type=submit]")
    audit_page.wait_for_url("**/result/")
    audit("result")
    assert found == {}


def test_answers_autosave_and_survive_a_reload(live_server, page, quiz, learner):
    _log_in(page, live_server, learner)
    page.goto(live_server.url + quiz.url)
    page.click("form[action*='/start/'] button")
    page.wait_for_url("**/quizzes/attempts/**")
    attempt = QuizAttempt.objects.get()
    single = next(q for q in attempt.questions if q["kind"] == "single_choice")
    numeric = next(q for q in attempt.questions if q["kind"] == "numeric")
    page.check(f"input[name='q.{single['id']}'][value='c1']")
    page.wait_for_selector("[data-save-status]:not(:empty)")
    number_field = page.locator(f"input[name='q.{numeric['id']}']")
    number_field.fill("4,2")
    number_field.press("Tab")
    for _ in range(50):
        attempt.refresh_from_db()
        if numeric["id"] in attempt.answers:
            break
        page.wait_for_timeout(100)
    assert attempt.answers[single["id"]] == "c1"
    assert attempt.answers[numeric["id"]] == "4,2"
    page.reload()
    assert page.is_checked(f"input[name='q.{single['id']}'][value='c1']")
    assert number_field.input_value() == "4,2"


def test_a_bad_number_is_explained_without_losing_the_rest(
    live_server, page, quiz, learner
):
    _log_in(page, live_server, learner)
    page.goto(live_server.url + quiz.url)
    page.click("form[action*='/start/'] button")
    page.wait_for_url("**/quizzes/attempts/**")
    attempt = QuizAttempt.objects.get()
    numeric = next(q for q in attempt.questions if q["kind"] == "numeric")
    field = page.locator(f"input[name='q.{numeric['id']}']")
    field.fill("neljä")
    field.press("Tab")
    status = page.locator("[data-save-status]")
    status.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-save-status]').textContent.length > 0"
    )
    assert "3,5" in status.inner_text()
    attempt.refresh_from_db()
    assert numeric["id"] not in attempt.answers


def test_the_time_left_is_read_on_request(live_server, page, quiz, learner):
    _log_in(page, live_server, learner)
    page.goto(live_server.url + quiz.url)
    page.click("form[action*='/start/'] button")
    page.wait_for_url("**/quizzes/attempts/**")
    status = page.locator("[data-timer-status]")
    assert status.get_attribute("aria-live") == "polite"
    page.wait_for_timeout(1200)
    assert status.inner_text() == ""  # not announced every second
    page.focus("[data-timer-announce]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-timer-status]').textContent.length > 0"
    )
    assert "19:" in status.inner_text() or "20:" in status.inner_text()
