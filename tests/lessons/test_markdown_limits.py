"""Markdown sources have a length limit, and rendering one stays linear in its length.

Page fields (lesson body, course description, quiz introduction) take at most
MARKDOWN_MAX_CHARACTERS, each quiz text at most MARKDOWN_QUIZ_MAX_CHARACTERS; the
admin shows a field error naming the limit and saves nothing longer.
"""

import cProfile
import pstats

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    streamfield,
)

from lessons import rendering
from lessons.markdown_fields import markdown_key, stored_renders
from lessons.models import CoursePage, LessonPage
from lessons.rendering import render_markdown
from quizzes.models import QuizPage
from tests.factories import CoursePageFactory, LessonPageFactory, QuizPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Saavutettavuus")


@pytest.fixture
def lesson(course):
    return LessonPageFactory(parent=course, title="Periaatteet")


@pytest.fixture
def quiz(course):
    return QuizPageFactory(
        parent=course, title="Loppukoe", questions=[_single_choice("Mikä?")]
    )


def _single_choice(text):
    choice = {"correct": False, "weight": None, "feedback": ""}
    return {
        "type": "single_choice",
        "value": {
            "name": "",
            "text": text,
            "points": 1,
            "feedback": "",
            "choices": [
                {**choice, "text": "A", "correct": True},
                {**choice, "text": "B"},
            ],
        },
    }


def _text_of(length):
    """Return words of exactly length characters (the form strips an ending space)."""
    return ("Sana " * (length // 5 + 1))[: length - 1] + "."


def _edit_form(client, page, **changes):
    """Return the edit URL and the form data the admin shows, with changes."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), "page-edit-form")
    for name, value in changes.items():
        data[name] = value
    return url, data


def _quiz_question_data(text):
    """Return the edit form's data for a quiz of one single-choice question."""
    value = _single_choice(text)["value"]
    for choice in value["choices"]:
        choice["weight"] = ""  # an empty field, as the form sends it
    choices = {
        "count": "2",
        **{
            str(index): {"value": choice, "deleted": "", "order": str(index)}
            for index, choice in enumerate(value["choices"])
        },
    }
    question = {**value, "choices": choices}
    return nested_form_data({"questions": streamfield([("single_choice", question)])})


def _messages(error):
    """Return every message in a field's errors, however deeply the blocks nest."""
    if hasattr(error, "as_json_data"):
        return _json_messages(error.as_json_data())
    return list(error.messages)


def _json_messages(data):
    if isinstance(data, list):
        return [text for item in data for text in _json_messages(item)]
    if isinstance(data, dict):
        return _json_messages(data.get("messages", [])) + _json_messages(
            list(data.get("blockErrors", {}).values())
        )
    return [str(data)]


def test_a_lesson_body_as_long_as_the_limit_is_saved(client, editor, lesson, settings):
    client.force_login(editor)
    body = _text_of(settings.MARKDOWN_MAX_CHARACTERS)
    url, data = _edit_form(client, lesson, body=body)

    response = client.post(url, data)

    assert response.status_code == 302
    assert (
        LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object().body
        == body
    )


def test_a_lesson_body_over_the_limit_is_a_field_error_and_saves_nothing(
    client, editor, lesson, settings
):
    client.force_login(editor)
    limit = settings.MARKDOWN_MAX_CHARACTERS
    revisions = lesson.revisions.count()
    url, data = _edit_form(client, lesson, body=_text_of(limit + 1))

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["body"]
    [message] = errors["body"]
    assert str(limit) in message
    assert lesson.revisions.count() == revisions
    assert LessonPage.objects.get(pk=lesson.pk).body == lesson.body


def test_a_question_text_as_long_as_the_limit_is_saved(client, editor, quiz, settings):
    client.force_login(editor)
    text = _text_of(settings.MARKDOWN_QUIZ_MAX_CHARACTERS)
    url, data = _edit_form(client, quiz, **_quiz_question_data(text))

    response = client.post(url, data)

    assert response.status_code == 302
    draft = QuizPage.objects.get(pk=quiz.pk).get_latest_revision_as_object()
    assert draft.questions[0].value["text"] == text
    key = markdown_key(text, draft.markdown_language())
    assert stored_renders(draft.questions)[0][key] == str(render_markdown(text))


def test_a_question_text_over_the_limit_is_a_field_error_and_saves_nothing(
    client, editor, quiz, settings
):
    client.force_login(editor)
    limit = settings.MARKDOWN_QUIZ_MAX_CHARACTERS
    revisions = quiz.revisions.count()
    url, data = _edit_form(client, quiz, **_quiz_question_data(_text_of(limit + 1)))

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["questions"]
    assert any(
        str(limit) in message for message in _messages(errors["questions"].as_data()[0])
    )
    assert quiz.revisions.count() == revisions
    assert QuizPage.objects.get(pk=quiz.pk).questions[0].value["text"] == "Mikä?"


@pytest.mark.parametrize(
    ("model", "field"),
    [(CoursePage, "description"), (LessonPage, "body"), (QuizPage, "intro")],
)
def test_every_markdown_field_of_a_page_has_the_limit(
    course, lesson, quiz, settings, model, field
):
    page = model.objects.get(
        pk={CoursePage: course, LessonPage: lesson}.get(model, quiz).pk
    )
    limit = settings.MARKDOWN_MAX_CHARACTERS = 40
    setattr(page, field, "x" * (limit + 1))

    with pytest.raises(ValidationError) as raised:
        page.full_clean()

    assert list(raised.value.message_dict) == [field]
    [message] = raised.value.message_dict[field]
    assert str(limit) in message


# Rendering: the limits of Python-Markdown's scans (lessons/rendering.py).


def _nested_link(depth):
    return "[" * depth + "x" + "]" * depth + "(https://example.org/)"


def test_links_nested_up_to_the_limit_are_links_and_deeper_ones_text():
    limit = rendering.LINK_NESTING_LIMIT
    assert 'href="https://example.org/"' in render_markdown(_nested_link(limit))
    assert "href" not in render_markdown(_nested_link(limit + 1))


def test_a_link_target_with_parentheses_still_closes():
    html = render_markdown("[Ohje](https://example.org/a_(b)) ja [x](y 'otsikko')")
    assert 'href="https://example.org/a_(b)"' in html
    assert 'href="y"' in html


def test_a_start_tag_under_the_limit_opens_an_html_block_and_a_longer_one_not():
    # Markdown inside an HTML block stays as written; outside one it is rendered.
    block = '<div title="{}">\n*kursiivi*\n</div>'
    fits = block.format("a" * (rendering.HTML_TAG_LIMIT - 30))
    too_long = block.format("a" * rendering.HTML_TAG_LIMIT)
    assert "*kursiivi*" in render_markdown(fits)
    assert "<em>kursiivi</em>" in render_markdown(too_long)


def test_footnote_labels_up_to_the_limit_are_footnotes():
    label = "n" * rendering.FOOTNOTE_LABEL_LIMIT
    html = render_markdown(f"Teksti[^{label}].\n\n[^{label}]: Huomautus.")
    assert 'class="footnote-ref"' in html


def test_many_references_to_one_footnote_get_the_ids_python_markdown_gives():
    html = render_markdown("a[^1] b[^1] c[^1]\n\n[^1]: Huomautus.")
    backrefs = ['href="#fnref:1"', 'href="#fnref2:1"', 'href="#fnref3:1"']
    assert all(backref in html for backref in backrefs)


def test_a_long_table_keeps_every_row():
    rows = 300
    html = render_markdown("|a|\n|-|\n" + "|b|\n" * rows)
    assert html.count("<tr>") == rows + 1


def _function_calls(text):
    profile = cProfile.Profile()
    profile.runcall(render_markdown, text)
    return pstats.Stats(profile).total_calls


@pytest.mark.parametrize("unit", ["[", "![", "[][", "[^", "\\[["])
def test_unclosed_brackets_cost_function_calls_in_proportion_to_their_number(unit):
    # Counted calls, not time: twice the brackets make about twice the calls when
    # each "[" is looked past a bounded number of brackets, four times when the
    # scan for its "]" runs on to the end of the text (Python-Markdown #798).
    _function_calls(unit * 10)
    ratio = _function_calls(unit * 2000) / _function_calls(unit * 1000)
    assert ratio < 2.5
