"""Taking a quiz over HTTP: start, autosave, submit, results, limits and integrity."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from lessons import progress
from lessons.models import Enrollment, StepCompletion
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import QuizAttempt
from tests.factories import QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND, choice, question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def right_answers(attempt):
    """Form data answering every question of the attempt right."""
    data = {"shown": [q["id"] for q in attempt.questions]}
    for q in attempt.questions:
        name = f"q.{q['id']}"
        kind = q["kind"]
        if kind == "single_choice":
            data[name] = next(c["id"] for c in q["choices"] if c["correct"])
        elif kind == "multiple_choice":
            data[name] = [c["id"] for c in q["choices"] if c["correct"]]
        elif kind == "true_false":
            data[name] = _true_false_choice(q, right=True)
        elif kind == "short_text":
            data[name] = q["answers"][0]["text"].lower() + "  "
        elif kind == "numeric":
            data[name] = str(q["answers"][0]["value"]).replace(".", ",")
        elif kind == "matching":
            for left, right in q["key"].items():
                data[f"{name}.{left}"] = right
        else:
            for position, item in enumerate(q["order"], start=1):
                data[f"{name}.{item}"] = str(position)
    return data


def wrong_answers(attempt):
    data = {"shown": [q["id"] for q in attempt.questions]}
    for q in attempt.questions:
        if q["kind"] == "true_false":
            data[f"q.{q['id']}"] = _true_false_choice(q, right=False)
    return data


def _true_false_choice(q, *, right):
    """The id of the served true/false choice that is right (or wrong)."""
    return next(c["id"] for c in q["choices"] if (c["value"] == q["correct"]) == right)


def start(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302, response.content[:500]
    return QuizAttempt.objects.filter(quiz=quiz).latest("number")


def save(client, attempt, data, **headers):
    return client.post(reverse("quizzes:save", args=[attempt.pk]), data, **headers)


def submit(client, attempt):
    return client.post(reverse("quizzes:submit", args=[attempt.pk]))


def test_a_learner_fails_then_passes_and_the_pass_completes_the_course(
    client, learner, quiz_course
):
    course, lesson, quiz = quiz_course
    progress.complete_step(user=learner, step=lesson)
    client.force_login(learner)
    assert client.get(quiz.url).status_code == 200

    first = start(client, quiz)
    assert save(client, first, wrong_answers(first)).status_code == 302
    assert submit(client, first).status_code == 302
    first.refresh_from_db()
    assert (first.number, first.passed, first.score) == (1, False, 0)
    assert not StepCompletion.objects.filter(user=learner, page=quiz).exists()

    second = start(client, quiz)
    assert second.number == 2
    save(client, second, right_answers(second))
    response = submit(client, second)
    assert response["Location"] == reverse("lessons:course_completed", args=[course.pk])
    second.refresh_from_db()
    assert second.passed and second.score == second.max_score == 8
    assert StepCompletion.objects.filter(user=learner, page=quiz).exists()
    assert Enrollment.objects.get(user=learner, course=course).completed_at
    page = client.get(reverse("quizzes:result", args=[second.pk])).content.decode()
    assert "Passed" in page and "You scored 8 of 8 points (100 %)" in page


def test_lessons_button_cannot_complete_a_quiz(client, learner, quiz_course):
    _course, _lesson, quiz = quiz_course
    client.force_login(learner)
    response = client.post(reverse("lessons:complete_step", args=[quiz.pk]))
    assert response.status_code == 404
    assert not StepCompletion.objects.filter(page=quiz).exists()


def test_autosave_then_reload_keeps_the_answers(client, learner, quiz_course):
    _course, _lesson, quiz = quiz_course
    client.force_login(learner)
    attempt = start(client, quiz)
    data = right_answers(attempt)
    response = save(client, attempt, data, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200
    numbers = list(range(1, len(attempt.questions) + 1))
    assert response.json() == {
        "saved": True,
        "unanswered": 0,
        "answered": numbers,
        "flagged": [],
    }
    page = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    single = next(q for q in attempt.questions if q["kind"] == "single_choice")
    right = data[f"q.{single['id']}"]
    assert f'value="{right}" checked' in page
    numeric = next(q for q in attempt.questions if q["kind"] == "numeric")
    typed = data["q." + numeric["id"]]
    assert f'value="{typed}"' in page
    assert "7 of 7 answered" in page
    clearing = {"shown": [single["id"]]}
    save(client, attempt, clearing, HTTP_X_REQUESTED_WITH="fetch")
    attempt.refresh_from_db()
    assert single["id"] not in attempt.answers and len(attempt.answers) == 6


SECRET = [
    question(
        "single_choice",
        "Valitse yksi.",
        feedback="SALAINEN-YLEISPALAUTE",
        choices=[
            choice("Ensimmäinen", feedback="SALAINEN-VALINTAPALAUTE"),
            choice("Toinen", correct=True, feedback="SALAINEN-OIKEA"),
        ],
    ),
    question(
        "short_text",
        "Kirjoita sana.",
        case_sensitive=False,
        answers=[{"text": "SALASANA-VASTAUS", "weight": 100, "feedback": ""}],
    ),
    question(
        "numeric",
        "Anna luku.",
        answers=[
            {
                "mode": "tolerance",
                "value": 98765.4,
                "tolerance": 0.25,
                "low": None,
                "high": None,
                "weight": 100,
                "feedback": "SALAINEN-LUKUPALAUTE",
            }
        ],
    ),  # fmt: skip
    question(
        "true_false",
        "Väite.",
        correct=True,
        feedback_true="SALAINEN-TOSI",
        feedback_false="SALAINEN-EPATOSI",
    ),
    question(
        "matching",
        "Yhdistä.",
        pairs=[{"left": "A", "right": "1"}, {"left": "B", "right": "2"}],
        distractors=[],
    ),
]


def test_the_take_page_and_its_json_never_reveal_answers(client, learner, catalogue):
    from tests.factories import CoursePageFactory

    course = CoursePageFactory(parent=catalogue)
    quiz = QuizPageFactory(parent=course, questions=SECRET, one_question_per_page=True)
    client.force_login(learner)
    attempt = start(client, quiz)
    pages = [client.get(quiz.url).content.decode()]
    for number in range(1, 6):
        url = reverse("quizzes:take", args=[attempt.pk])
        pages.append(client.get(url, {"page": number}).content.decode())
    pages.append(
        client.get(reverse("quizzes:submit", args=[attempt.pk])).content.decode()
    )
    pages.append(
        save(
            client, attempt, {"shown": []}, HTTP_X_REQUESTED_WITH="fetch"
        ).content.decode()
    )
    everything = "\n".join(pages)
    for secret in (
        "SALAINEN",
        "SALASANA-VASTAUS",
        "98765",
        "0.25",
        "correct",
        "weight",
    ):
        assert secret not in everything, secret  # fmt: skip
    matching = next(q for q in attempt.questions if q["kind"] == "matching")
    assert json.dumps(matching["key"]) not in everything
    lefts = [left["id"][1:] for left in matching["lefts"]]
    rights = [matching["key"][left["id"]][1:] for left in matching["lefts"]]
    assert lefts != rights  # ids do not pair up the matches


def test_ids_never_tell_the_right_order_or_matches(catalogue):
    """Sorting ids, or pairing them by number, must not give the answer away."""
    import random

    from quizzes.questions import snapshot

    quiz = _quiz(catalogue)
    orders_sorted, pairs_by_number = [], []
    for seed in range(20):
        served = {q["kind"]: q for q in snapshot(quiz, random.Random(seed))}
        order = served["ordering"]["order"]
        orders_sorted.append(order == sorted(order))
        key = served["matching"]["key"]
        pairs_by_number.append(
            all(left[1:] == right[1:] for left, right in key.items())
        )
    assert not all(orders_sorted) and not any(pairs_by_number)


def _quiz(catalogue, **settings):
    from tests.factories import CoursePageFactory

    course = CoursePageFactory(parent=catalogue)
    return QuizPageFactory(parent=course, questions=EVERY_KIND, **settings)


def test_the_attempt_limit(client, learner, catalogue):
    quiz = _quiz(catalogue, attempts_allowed=1)
    client.force_login(learner)
    attempt = start(client, quiz)
    submit(client, attempt)
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 409
    assert "You have used all your attempts." in response.content.decode()
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
    assert "You have used all your attempts." in client.get(quiz.url).content.decode()


def test_the_cooldown_between_attempts(client, learner, catalogue):
    quiz = _quiz(catalogue, cooldown_minutes=30)
    client.force_login(learner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        submit(client, start(client, quiz))
        refused = client.post(reverse("quizzes:start", args=[quiz.pk]))
        assert refused.status_code == 409
        assert "You can try again at" in refused.content.decode()
        traveller.shift(timedelta(minutes=31))
        assert start(client, quiz).number == 2


def test_the_time_limit_submits_what_was_saved(client, learner, catalogue):
    quiz = _quiz(catalogue, time_limit_minutes=10)
    client.force_login(learner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        attempt = start(client, quiz)
        assert attempt.deadline == timezone.now() + timedelta(minutes=10)
        answers = right_answers(attempt)
        first = attempt.questions[0]["id"]
        only_first = {k: v for k, v in answers.items() if k.startswith(f"q.{first}")}
        save(client, attempt, {"shown": [first], **only_first})
        assert (
            "data-deadline"
            in client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
        )
        traveller.shift(timedelta(minutes=11))
        late = save(client, attempt, answers)
        assert late.status_code == 409
        assert "The time ran out" in late.content.decode()
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.submitted_late
    assert list(attempt.answers) == [first]
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == 1


def test_a_submit_after_the_deadline_is_409_and_counts_the_saved_answers(
    client, learner, catalogue
):
    quiz = _quiz(catalogue, time_limit_minutes=10)
    client.force_login(learner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        attempt = start(client, quiz)
        save(client, attempt, right_answers(attempt))
        traveller.shift(timedelta(minutes=10, seconds=1))
        response = submit(client, attempt)
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.submitted_late and attempt.submitted_at == attempt.deadline
    assert attempt.passed


def test_a_quiz_left_open_past_its_deadline_is_submitted_when_seen(
    client, learner, catalogue
):
    quiz = _quiz(catalogue, time_limit_minutes=5)
    client.force_login(learner)
    attempt = start(client, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(reverse("quizzes:take", args=[attempt.pk]))
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_late and attempt.passed is False


def test_the_snapshot_survives_edits_to_the_quiz(client, learner, catalogue):
    quiz = _quiz(catalogue)
    client.force_login(learner)
    attempt = start(client, quiz)
    answers = right_answers(attempt)
    quiz.questions = [EVERY_KIND[2]]  # every other question removed
    quiz.save_revision().publish()
    save(client, attempt, answers)
    submit(client, attempt)
    attempt.refresh_from_db()
    assert len(attempt.questions) == 7 and attempt.score == 8
    page = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "Mikä kontrastisuhde vaaditaan leipätekstille?" in page


def test_draw_and_shuffle(learner, catalogue):
    import random

    quiz = _quiz(catalogue, draw_count=3, shuffle_questions=True)
    attempt, _created = start_attempt(user=learner, quiz=quiz, rng=random.Random(4))
    assert len(attempt.questions) == 3
    kinds = [q["kind"] for q in attempt.questions]
    assert len(set(kinds)) == 3
    points = {q["type"]: q["value"]["points"] for q in EVERY_KIND}
    assert attempt.max_score == sum(points[kind] for kind in kinds)


def test_one_question_per_page(client, learner, catalogue):
    quiz = _quiz(catalogue, one_question_per_page=True)
    client.force_login(learner)
    attempt = start(client, quiz)
    url = reverse("quizzes:take", args=[attempt.pk])
    second = client.get(url, {"page": 2}).content.decode()
    assert "Question 2 of 7" in second
    assert second.count('name="shown"') == 1
    first_id = attempt.questions[0]["id"]
    data = {k: v for k, v in right_answers(attempt).items() if first_id in k}
    response = save(client, attempt, {**data, "shown": [first_id], "go": "page:2"})
    assert response["Location"] == f"{url}?page=2"
    review = client.get(reverse("quizzes:submit", args=[attempt.pk])).content.decode()
    assert "6 questions are not answered" in review
    assert f"{url}?page=7" in review


def _review_page(client, learner, catalogue, answers=wrong_answers, **settings):
    quiz = _quiz(catalogue, **settings)
    client.force_login(learner)
    attempt = start(client, quiz)
    save(client, attempt, answers(attempt))
    submit(client, attempt)
    return client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()


def test_review_policy_score_only(client, learner, catalogue):
    page = _review_page(client, learner, catalogue, review_policy="score")
    assert "You scored" in page and "Your answers" not in page
    assert "WCAG 2.1 AA" not in page


def test_review_policy_marks_without_feedback(client, learner, catalogue):
    page = _review_page(client, learner, catalogue, review_policy="marks")
    assert "Your answers" in page and "Wrong" in page
    assert "WCAG 2.1 AA" not in page and "Right answer" not in page


def test_review_policy_feedback_hides_right_answers_until_passed(
    client, learner, catalogue
):
    failed = _review_page(client, learner, catalogue, review_policy="feedback")
    assert "WCAG 2.1 AA" in failed and "Oikein: se koskee kaikkia." not in failed
    assert "Right answer" not in failed
    passed = _review_page(
        client, learner, catalogue, answers=right_answers, review_policy="feedback"
    )
    assert "Right answer" in passed and "Oikein." in passed


def test_the_result_lists_every_question_first_and_folds_the_right_ones(
    client, learner, catalogue
):
    from bs4 import BeautifulSoup

    def half_right(attempt):
        data = wrong_answers(attempt)
        data.update(
            {
                key: value
                for key, value in right_answers(attempt).items()
                if key.startswith(f"q.{attempt.questions[0]['id']}")
            }
        )
        return data

    html = _review_page(
        client, learner, catalogue, answers=half_right, review_policy="marks"
    )
    soup = BeautifulSoup(html, "html.parser")
    overview = soup.select(".result-overview li a")
    reviews = soup.select("details.question--review")
    assert len(overview) == len(reviews) > 1
    assert [link["href"] for link in overview] == [f"#{r['id']}" for r in reviews]
    assert overview[0].get_text(" ", strip=True).endswith("Right")
    assert not reviews[0].has_attr("open")
    assert all(review.has_attr("open") for review in reviews[1:])
    assert "<table" not in html


def test_right_answers_after_the_final_failed_attempt(client, learner, catalogue):
    page = _review_page(
        client,
        learner,
        catalogue,
        review_policy="score",
        attempts_allowed=1,
        show_answers_after_final_fail=True,
    )
    assert "Right answer" in page and "WCAG 2.1 AA" in page
    hidden = _review_page(
        client, learner, catalogue, review_policy="score", attempts_allowed=2,
        show_answers_after_final_fail=True,
    )  # fmt: skip
    assert "Right answer" not in hidden


@pytest.fixture
def open_attempt(client, learner, quiz_course):
    _course, _lesson, quiz = quiz_course
    client.force_login(learner)
    attempt = start(client, quiz)
    save(client, attempt, right_answers(attempt))
    attempt.refresh_from_db()
    return attempt


def _unchanged(attempt, before):
    attempt.refresh_from_db()
    assert attempt.answers == before and attempt.is_open


def test_bad_answers_get_400_and_change_nothing(client, open_attempt):
    before = dict(open_attempt.answers)
    single = next(q for q in open_attempt.questions if q["kind"] == "single_choice")
    numeric = next(q for q in open_attempt.questions if q["kind"] == "numeric")
    ordering = next(q for q in open_attempt.questions if q["kind"] == "ordering")
    matching = next(q for q in open_attempt.questions if q["kind"] == "matching")
    items = [item["id"] for item in ordering["items"]]
    left = matching["lefts"][0]["id"]
    bad = [
        {"shown": ["not-a-question"], "q.not-a-question": "c0"},
        {"shown": [single["id"]], "q.other": "c0"},
        {"shown": [single["id"]], f"q.{single['id']}": "c99"},
        {"shown": [numeric["id"]], f"q.{numeric['id']}": "neljä"},
        {"shown": [ordering["id"]], f"q.{ordering['id']}.{items[0]}": "1",
         f"q.{ordering['id']}.{items[1]}": "1", f"q.{ordering['id']}.{items[2]}": "2"},
        {"shown": [ordering["id"]], f"q.{ordering['id']}.{items[0]}": "9"},
        {"shown": [ordering["id"]], f"q.{ordering['id']}.{items[0]}": "²"},
        {"shown": [ordering["id"]], f"q.{ordering['id']}.{items[0]}": "9" * 5000},
        {"shown": [ordering["id"]], f"q.{ordering['id']}.{items[0]}": "١"},
        {"shown": [matching["id"]], f"q.{matching['id']}.{left}": "r99"},
    ]  # fmt: skip
    for data in bad:
        response = save(client, open_attempt, data)
        assert response.status_code == 400, data
        json_response = save(client, open_attempt, data, HTTP_X_REQUESTED_WITH="fetch")
        assert json_response.status_code == 400 and json_response.json()["error"]
    _unchanged(open_attempt, before)


def test_a_typed_answer_is_stored_without_control_characters(client, open_attempt):
    short = next(q for q in open_attempt.questions if q["kind"] == "short_text")
    typed = "\u202eabc\x00 de\tf\u2066g\u2069\x07"
    response = save(
        client, open_attempt, {"shown": [short["id"]], f"q.{short['id']}": typed}
    )
    assert response.status_code == 302
    open_attempt.refresh_from_db()
    assert open_attempt.answers[short["id"]] == "abc de fg"


def test_an_oversized_payload_gets_413(client, open_attempt):
    before = dict(open_attempt.answers)
    short = next(q for q in open_attempt.questions if q["kind"] == "short_text")
    data = {"shown": [short["id"]], f"q.{short['id']}": "x" * 70_000}
    assert save(client, open_attempt, data).status_code == 413
    _unchanged(open_attempt, before)


def test_a_second_submit_and_a_save_after_submit_get_409(client, open_attempt):
    assert submit(client, open_attempt).status_code == 302
    open_attempt.refresh_from_db()
    score = open_attempt.score
    assert submit(client, open_attempt).status_code == 409
    assert save(client, open_attempt, {"shown": []}).status_code == 409
    open_attempt.refresh_from_db()
    assert open_attempt.score == score


def test_another_persons_attempt_is_404(client, open_attempt, second_learner):
    client.force_login(second_learner)
    for name, method in (
        ("quizzes:take", "get"),
        ("quizzes:save", "post"),
        ("quizzes:submit", "get"),
        ("quizzes:submit", "post"),
        ("quizzes:result", "get"),
    ):
        response = getattr(client, method)(reverse(name, args=[open_attempt.pk]))
        assert response.status_code == 404, name
    open_attempt.refresh_from_db()
    assert open_attempt.is_open


def test_gets_to_post_endpoints_are_405(client, open_attempt, quiz_course):
    _course, _lesson, quiz = quiz_course
    assert client.get(reverse("quizzes:start", args=[quiz.pk])).status_code == 405
    assert (
        client.get(reverse("quizzes:save", args=[open_attempt.pk])).status_code == 405
    )


def test_anonymous_visitors_are_asked_to_log_in(client, quiz_course):
    _course, _lesson, quiz = quiz_course
    response = client.get(quiz.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_an_unpublished_quiz_cannot_be_started(client, learner, quiz_course):
    _course, _lesson, quiz = quiz_course
    quiz.unpublish()
    client.force_login(learner)
    assert client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 404


def test_a_quiz_without_questions_cannot_be_started(client, learner, catalogue):
    quiz = _quiz(catalogue)
    quiz.questions = []
    quiz.save_revision().publish()
    client.force_login(learner)
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 409


def test_submitting_twice_in_the_service_grades_once(learner, catalogue):
    from quizzes.attempts import AttemptClosed

    quiz = _quiz(catalogue)
    attempt, _created = start_attempt(user=learner, quiz=quiz)
    submit_attempt(attempt)
    with pytest.raises(AttemptClosed):
        submit_attempt(attempt)
