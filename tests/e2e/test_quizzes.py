"""A quiz in the browser: axe audits, the keyboard, autosave and the timer."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from quizzes.models import QuizAttempt
from tests.e2e.conftest import log_in, run_axe
from tests.factories import QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _start(page, live_server, quiz):
    page.goto(live_server.url + quiz.url)
    page.click("form[action*='/start/'] button")
    page.wait_for_url("**/quizzes/attempts/**")
    return QuizAttempt.objects.get()


def _is_autosave(response):
    return response.request.method == "POST" and response.url.endswith("/save/")


@pytest.fixture
def quiz(demo_course):
    course, _steps = demo_course
    return QuizPageFactory(
        parent=course, title="Loppukoe", questions=EVERY_KIND, time_limit_minutes=20
    )


def test_quiz_pages_have_no_wcag_violations(live_server, audit_page, quiz, learner):
    log_in(audit_page, live_server, learner.email)
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
    log_in(page, live_server, learner.email)
    attempt = _start(page, live_server, quiz)
    single = next(q for q in attempt.questions if q["kind"] == "single_choice")
    numeric = next(q for q in attempt.questions if q["kind"] == "numeric")
    second_choice = single["choices"][1]["id"]  # ids are random, made per attempt
    choice = page.locator(f"input[name='q.{single['id']}'][value='{second_choice}']")
    number_field = page.locator(f"input[name='q.{numeric['id']}']")
    with page.expect_response(_is_autosave) as saved:
        choice.check()
    assert saved.value.ok
    with page.expect_response(_is_autosave) as saved:
        number_field.fill("4,2")
        number_field.press("Tab")
    assert saved.value.ok
    attempt.refresh_from_db()
    assert attempt.answers[single["id"]] == second_choice
    assert attempt.answers[numeric["id"]] == "4,2"
    page.reload()
    expect(choice).to_be_checked()
    expect(number_field).to_have_value("4,2")


def test_a_bad_number_is_explained_without_losing_the_rest(
    live_server, page, quiz, learner
):
    log_in(page, live_server, learner.email)
    attempt = _start(page, live_server, quiz)
    numeric = next(q for q in attempt.questions if q["kind"] == "numeric")
    field = page.locator(f"input[name='q.{numeric['id']}']")
    with page.expect_response(_is_autosave) as refused:
        field.fill("neljä")
        field.press("Tab")
    assert refused.value.status == 400
    expect(page.locator("[data-save-status]")).to_contain_text("3,5")
    attempt.refresh_from_db()
    assert numeric["id"] not in attempt.answers


def test_the_time_left_is_read_on_request(live_server, page, quiz, learner):
    page.clock.install()
    log_in(page, live_server, learner.email)
    deadline = _start(page, live_server, quiz).deadline
    display = page.locator("[data-timer-display]")
    status = page.locator("[data-timer-status]")
    expect(status).to_have_attribute("aria-live", "polite")
    # The page's clock stands still from here on and moves only when told to, so
    # nothing can change the status between a step and the assertion after it.
    page.clock.pause_at(deadline - timedelta(minutes=7, seconds=30))
    page.clock.run_for(3_000)
    expect(display).to_have_text("Aikaa jäljellä: 7:27")
    expect(status).to_have_text("")  # three ticks shown, none announced
    page.focus("[data-timer-announce]")
    page.keyboard.press("Enter")
    page.clock.run_for(100)
    expect(status).to_have_text("Aikaa jäljellä: 7:27")


def test_typing_saves_without_leaving_the_field(live_server, page, quiz, learner):
    log_in(page, live_server, learner.email)
    attempt = _start(page, live_server, quiz)
    numeric = next(q for q in attempt.questions if q["kind"] == "numeric")
    field = page.locator(f"input[name='q.{numeric['id']}']")
    with page.expect_response(_is_autosave, timeout=5_000) as saved:
        field.press_sequentially("4,5", delay=50)
    assert saved.value.ok
    expect(page.locator("[data-save-status]")).to_have_text(
        "Vastauksesi on tallennettu."
    )
    page.reload()
    expect(field).to_have_value("4,5")


def test_the_answered_count_follows_the_answers_and_the_review(
    live_server, page, quiz, learner
):
    log_in(page, live_server, learner.email)
    attempt = _start(page, live_server, quiz)
    counter = page.locator("[data-answered-count]")
    total = len(attempt.questions)
    expect(counter).to_have_text(f"Vastattu 0 / {total}")
    single = next(q for q in attempt.questions if q["kind"] == "single_choice")
    short = next(q for q in attempt.questions if q["kind"] == "short_text")
    with page.expect_response(_is_autosave):
        page.locator(f"input[name='q.{single['id']}']").first.check()
    expect(counter).to_have_text(f"Vastattu 1 / {total}")
    with page.expect_response(_is_autosave):
        page.locator(f"input[name='q.{short['id']}']").fill("vastaus")
    expect(counter).to_have_text(f"Vastattu 2 / {total}")
    page.click("button[value='review']")
    page.wait_for_url("**/submit/")
    assert page.locator(".quiz-unanswered li").count() == total - 2


def test_a_failed_save_is_shown_and_tried_again(live_server, page, quiz, learner):
    log_in(page, live_server, learner.email)
    attempt = _start(page, live_server, quiz)
    short = next(q for q in attempt.questions if q["kind"] == "short_text")
    failures = []

    def fail_once(route):
        if not failures:
            failures.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/save/", fail_once)
    page.locator(f"input[name='q.{short['id']}']").fill("vastaus")
    status = page.locator("[data-save-status]")
    expect(status).to_have_text("Ei vielä tallennettu – yritetään uudelleen.")
    expect(status).to_have_text("Vastauksesi on tallennettu.", timeout=8_000)
    attempt.refresh_from_db()
    assert attempt.answers[short["id"]] == "vastaus"


@pytest.mark.parametrize("width", [320, 390])
def test_quiz_pages_reflow_on_a_phone(live_server, browser, quiz, learner, width):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    log_in(page, live_server, learner.email)
    _start(page, live_server, quiz)
    scrolls = "() => document.documentElement.scrollWidth > window.innerWidth"
    assert not page.evaluate(scrolls), "take"
    page.click("button[value='review']")
    page.wait_for_url("**/submit/")
    assert not page.evaluate(scrolls), "review"
    page.click("form.quiz__actions button[type=submit]")
    page.wait_for_url("**/result/")
    for review in page.locator("details.question--review").all():
        review.evaluate("(details) => { details.open = true; }")
    assert not page.evaluate(scrolls), "result"
    context.close()


def test_a_question_is_flagged_and_found_from_the_panel_with_the_keyboard(
    live_server, page, quiz, learner
):
    log_in(page, live_server, learner.email)
    attempt = _start(page, live_server, quiz)
    flag = page.locator(f"#q\\.{attempt.questions[1]['id']}-flag")
    flag.focus()
    with page.expect_response(_is_autosave):
        page.keyboard.press("Space")
    second = page.locator(".quiz-nav__item[data-number='2']")
    expect(second).to_have_class(re.compile("is-flagged"))
    expect(second).to_contain_text("merkitty")
    page.locator(".quiz-nav__item[data-number='3']").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#question-3$"))
    attempt.refresh_from_db()
    assert attempt.flagged == [attempt.questions[1]["id"]]
