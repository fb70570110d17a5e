"""Starting an attempt takes the question HTML stored with the quiz page.

Only a text whose stored HTML is missing or not current (saved before the HTML was
stored, or changed behind the page's back) is rendered when an attempt starts.
"""

from unittest import mock

import pytest
from django.core.management import call_command

from lessons import rendering
from lessons.models import CoursePage
from quizzes.attempts import start_attempt
from quizzes.models import QuizPage

pytestmark = pytest.mark.django_db

QUESTION_HTML = "<p>Mikä kontrastisuhde vaaditaan leipätekstille?</p>"


@pytest.fixture
def quiz(quiz_course):
    return quiz_course[2]


def _start(user, quiz):
    """Start an attempt on the quiz as stored; return it and the renders it made."""
    stored = QuizPage.objects.get(pk=quiz.pk)
    real = rendering.render_markdown_checked
    with mock.patch.object(rendering, "render_markdown_checked", wraps=real) as calls:
        attempt, _created = start_attempt(user=user, quiz=stored)
    return attempt, calls.call_count


def _store_questions(quiz, change):
    """Write the quiz's stored questions back after change(raw items), unrendered."""
    raw = [dict(item) for item in QuizPage.objects.get(pk=quiz.pk).questions.raw_data]
    change(raw)
    QuizPage.objects.filter(pk=quiz.pk).update(questions=raw)


def _forget_html(raw):
    for item in raw:
        item.pop("rendered")


def test_starting_an_attempt_renders_nothing_when_the_stored_html_is_current(
    learner, quiz
):
    attempt, renders = _start(learner, quiz)

    assert renders == 0
    first = attempt.questions[0]
    assert first["text_html"] == QUESTION_HTML
    assert [choice["html"] for choice in first["choices"]] == ["3:1", "4,5:1", "7:1"]
    assert first["choices"][1]["feedback_html"] == "<p>Oikein.</p>"


def test_a_quiz_published_from_a_revision_needs_no_render_at_start(learner, quiz):
    draft = quiz.get_latest_revision_as_object()
    draft.questions[0].value["text"] = "Mikä on *kontrasti*?"
    draft.save_revision().publish()

    attempt, renders = _start(learner, quiz)

    assert renders == 0
    assert attempt.questions[0]["text_html"] == "<p>Mikä on <em>kontrasti</em>?</p>"


def test_questions_stored_without_html_are_rendered_at_start(learner, quiz):
    expected, _renders = _start(learner, quiz)
    expected.delete()
    _store_questions(quiz, _forget_html)

    attempt, renders = _start(learner, quiz)

    assert renders > 0
    html = ["text_html", "feedback_html"]
    assert [[q[key] for key in html] for q in attempt.questions] == [
        [q[key] for key in html] for q in expected.questions
    ]
    assert attempt.questions[0]["choices"][0]["html"] == "3:1"


def test_a_text_changed_behind_the_pages_back_is_rendered_anew(learner, quiz):
    def change_first_text(raw):
        raw[0]["value"] = {**raw[0]["value"], "text": "Uusi *kysymys*"}

    _store_questions(quiz, change_first_text)

    attempt, renders = _start(learner, quiz)

    assert renders == 1
    assert attempt.questions[0]["text_html"] == "<p>Uusi <em>kysymys</em></p>"


def test_html_stored_for_another_language_is_not_current(learner, quiz, quiz_course):
    course = CoursePage.objects.get(pk=quiz_course[0].pk)
    course.language = "sv"
    course.save()

    _attempt, renders = _start(learner, quiz)

    assert renders > 0


def test_rerender_command_refreshes_the_stored_question_html(learner, quiz):
    def spoil_html(raw):
        for item in raw:
            item["rendered"] = dict.fromkeys(item["rendered"], "<p>vanha</p>")

    _store_questions(quiz, spoil_html)
    call_command("rerender_markdown", stdout=mock.Mock())

    attempt, renders = _start(learner, quiz)

    assert renders == 0
    assert attempt.questions[0]["text_html"] == QUESTION_HTML
