"""The quiz's preview in the admin: its questions as a learner sees them, or with
the right answers and feedback (two preview modes). Unsaved edits show; nothing is
stored and nothing in it posts.
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    streamfield,
)

from quizzes.models import PreviewMode, QuizAttempt, QuizPage
from tests.factories import QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND

pytestmark = pytest.mark.django_db

QUESTION = "Kuka päättää **etätyöstä**?"
RIGHT, WRONG = "Esihenkilö yhdessä työntekijän kanssa", "Työterveyshuolto"
RIGHT_FEEDBACK, WRONG_FEEDBACK = "Juuri näin: siitä sovitaan.", "Ei, se neuvoo."
GENERAL_FEEDBACK = "Etätyöstä sovitaan aina kirjallisesti."


@pytest.fixture
def quiz(quiz_course):
    _course, _lesson, quiz = quiz_course
    return quiz


def _choice(text, *, correct, feedback):
    return {
        "text": text,
        "correct": "on" if correct else "",
        "weight": "",
        "feedback": feedback,
    }


def _one_question():
    """Return the form data of a quiz's questions: one single-choice question."""
    choices = [
        _choice(WRONG, correct=False, feedback=WRONG_FEEDBACK),
        _choice(RIGHT, correct=True, feedback=RIGHT_FEEDBACK),
    ]
    question = {
        "name": "",
        "text": QUESTION,
        "points": "2",
        "feedback": GENERAL_FEEDBACK,
        "choices": {
            "count": str(len(choices)),
            **{
                str(index): {"value": choice, "deleted": "", "order": str(index)}
                for index, choice in enumerate(choices)
            },
        },
    }
    return nested_form_data({"questions": streamfield([("single_choice", question)])})


def _edited_form(client, page):
    """Return the edit form's data with the questions replaced by _one_question."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), "page-edit-form")
    for name in [name for name in data if name.startswith("questions-")]:
        del data[name]
    data.update(_one_question())
    return data


def _preview(client, url, data, mode=None):
    """Send the form data to Wagtail's preview, then return the previewed page."""
    answer = client.post(url, data).json()
    assert answer["is_valid"], answer
    response = client.get(url, {"mode": mode} if mode is not None else {})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _edit_preview_url(page):
    return reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])


def _section(html):
    return html.select_one(".quiz-preview")


def test_the_quiz_offers_both_preview_modes():
    assert [mode for mode, _label in QuizPage().preview_modes] == [
        PreviewMode.LEARNER,
        PreviewMode.ANSWERS,
    ]


def test_learner_mode_shows_unsaved_questions_without_answers_or_feedback(
    client, editor, quiz
):
    client.force_login(editor)
    html = _preview(client, _edit_preview_url(quiz), _edited_form(client, quiz))

    section = _section(html)
    question = section.select_one("fieldset.question")
    assert question.select_one(".question__text").decode_contents().strip() == (
        "<p>Kuka päättää <strong>etätyöstä</strong>?</p>"
    )
    assert [label.get_text() for label in question.select("label")][:2] == [
        WRONG,
        RIGHT,
    ]
    assert len(question.select("input[type=radio]")) == 2
    text = section.get_text()
    for secret in (RIGHT_FEEDBACK, WRONG_FEEDBACK, GENERAL_FEEDBACK):
        assert secret not in text
    assert not section.select(".question__tag--right")
    assert not html.select(".quiz-preview form, form.quiz-form, form[action*=quiz]")


def test_answers_mode_marks_the_right_choice_and_shows_every_feedback(
    client, editor, quiz
):
    client.force_login(editor)
    html = _preview(
        client, _edit_preview_url(quiz), _edited_form(client, quiz), "answers"
    )

    question = _section(html).select_one(".question--answers")
    choices = question.select(".question__choices li")
    assert [choice.get("class") for choice in choices] == [[], ["is-right"]]
    assert "Oikea vastaus" in choices[1].get_text()  # "Right answer", in Finnish
    assert choices[0].select_one(".question__feedback").get_text(strip=True) == (
        WRONG_FEEDBACK
    )
    assert choices[1].select_one(".question__feedback").get_text(strip=True) == (
        RIGHT_FEEDBACK
    )
    general = question.select_one(".question__feedback--general")
    assert GENERAL_FEEDBACK in general.get_text()
    assert not question.select("input")


def _stored_texts(quiz):
    quiz = QuizPage.objects.get(pk=quiz.pk)
    return [question.value["text"] for question in quiz.questions]


def test_preview_changes_nothing_stored(client, editor, quiz):
    client.force_login(editor)
    before, revisions = _stored_texts(quiz), quiz.revisions.count()
    url = _edit_preview_url(quiz)
    data = _edited_form(client, quiz)
    _preview(client, url, data)
    _preview(client, url, data, "answers")

    assert QuizAttempt.objects.count() == 0
    assert _stored_texts(quiz) == before
    assert quiz.revisions.count() == revisions


def test_preview_of_a_new_quiz_shows_its_questions(client, editor, quiz_course):
    course, _lesson, _quiz = quiz_course
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", course.pk])
    data = querydict_from_html(client.get(add).content.decode(), "page-edit-form")
    data.update({"title": "Etätyö", "slug": "etatyo", **_one_question()})
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["quizzes", "quizpage", course.pk],
    )
    html = _preview(client, url, data, "answers")

    assert "etätyöstä" in _section(html).select_one(".question__text").get_text()
    assert RIGHT_FEEDBACK in _section(html).get_text()


@pytest.mark.parametrize("mode", ["", "answers"])
def test_every_kind_of_question_shows_in_both_modes(client, editor, quiz, mode):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:view_draft", args=[quiz.pk])
    response = client.get(url, {"mode": mode})

    assert response.status_code == 200
    section = _section(BeautifulSoup(response.content, "html.parser"))
    texts = [text.get_text(strip=True) for text in section.select(".question__text")]
    assert texts == [question["value"]["text"] for question in EVERY_KIND]


def test_answers_mode_shows_the_right_answer_of_every_kind(client, editor, quiz):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:view_draft", args=[quiz.pk])
    html = BeautifulSoup(client.get(url, {"mode": "answers"}).content, "html.parser")

    questions = _section(html).select(".question--answers")
    single, multiple, true_false, short, numeric, matching, ordering = questions
    assert (
        single.select_one(".is-right")
        .get_text(" ", strip=True)
        .endswith("4,5:1 Oikein.")
    )
    assert len(multiple.select(".is-right")) == 2
    assert "Epätosi" in true_false.get_text()  # "False", the right answer
    assert "Oikein: se koskee kaikkia." in true_false.get_text()
    assert "WCAG" in short.select_one(".is-right").get_text()
    assert "4 ± 0,5" in numeric.select_one(".is-right").get_text()
    pairs = [
        pair.get_text(" ", strip=True)
        for pair in matching.select(".match-review__pair")
    ]
    assert pairs == [
        "Havaittava Oikea vastine: Tekstivastine",
        "Hallittava Oikea vastine: Näppäimistö",
    ]
    assert "Vilkkuminen" in matching.get_text()
    order = [item.get_text() for item in ordering.select("ol li")]
    assert order == ["Kirjoita", "Tarkista", "Julkaise"]


def test_preview_tells_how_attempts_differ_from_it(client, editor, quiz_course):
    course, _lesson, _quiz = quiz_course
    quiz = QuizPageFactory(
        parent=course,
        questions=EVERY_KIND,
        draw_count=3,
        shuffle_questions=True,
        shuffle_choices=True,
    )
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:view_draft", args=[quiz.pk])
    html = BeautifulSoup(client.get(url).content, "html.parser")

    notes = [note.get_text() for note in html.select(".quiz-preview__notes li")]
    assert len(notes) == 4
    assert "3" in notes[1]
    texts = [text.get_text(strip=True) for text in html.select(".question__text")]
    assert texts == [question["value"]["text"] for question in EVERY_KIND]


def test_a_quiz_without_questions_says_so(client, editor, quiz_course):
    course, _lesson, _quiz = quiz_course
    quiz = QuizPageFactory(parent=course, questions=[])
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:view_draft", args=[quiz.pk])
    html = BeautifulSoup(client.get(url).content, "html.parser")

    assert "ei ole vielä kysymyksiä" in _section(html).get_text()
