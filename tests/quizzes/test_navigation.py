"""Flags for review and the question panel of an open attempt."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from quizzes import navigation
from quizzes.attempts import start_attempt, submit_attempt
from tests.factories import CoursePageFactory, QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(catalogue, learner):
    course = CoursePageFactory(parent=catalogue)
    quiz = QuizPageFactory(parent=course, questions=EVERY_KIND)
    attempt, _created = start_attempt(user=learner, quiz=quiz)
    return attempt


def _ids(attempt):
    return [question["id"] for question in attempt.questions]


def test_flags_are_set_for_the_shown_questions_only(attempt):
    first, second, third = _ids(attempt)[:3]
    navigation.save_flags(attempt, shown=[first, second], flagged=[first])
    navigation.save_flags(attempt, shown=[third], flagged=[third, "not-a-question"])
    attempt.refresh_from_db()
    assert attempt.flagged == [first, third]
    navigation.save_flags(attempt, shown=[first], flagged=[])
    attempt.refresh_from_db()
    assert attempt.flagged == [third]
    assert navigation.flagged_numbers(attempt) == [3]


def test_a_submitted_attempt_keeps_its_flags(attempt):
    first = _ids(attempt)[0]
    navigation.save_flags(attempt, shown=[first], flagged=[first])
    submit_attempt(attempt)
    navigation.save_flags(attempt, shown=[first], flagged=[])
    attempt.refresh_from_db()
    assert attempt.flagged == [first]


def test_the_panel_and_the_review_show_answers_and_flags(client, attempt, learner):
    client.force_login(learner)
    ids = _ids(attempt)
    short = next(q for q in attempt.questions if q["kind"] == "short_text")
    number = ids.index(short["id"]) + 1
    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"shown": ids, f"q.{short['id']}": "vastaus", "flagged": [ids[0]]},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.json()["answered"] == [number]
    assert response.json()["flagged"] == [1]
    page = BeautifulSoup(
        client.get(reverse("quizzes:take", args=[attempt.pk])).content, "html.parser"
    )
    items = page.select(".quiz-nav__item")
    assert len(items) == len(ids)
    assert "is-flagged" in items[0]["class"] and "is-answered" not in items[0]["class"]
    assert "is-answered" in items[number - 1]["class"]
    assert page.select_one(f"#q\\.{ids[0]}-flag").has_attr("checked")
    review = BeautifulSoup(
        client.get(reverse("quizzes:submit", args=[attempt.pk])).content,
        "html.parser",
    )
    assert [a["href"] for a in review.select(".quiz-flagged a")] == [
        reverse("quizzes:take", args=[attempt.pk]) + "#question-1"
    ]
