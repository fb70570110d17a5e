"""Changing a quiz's questions from outside the page editor (GIFT import)."""

import uuid

from django.core.exceptions import ValidationError

from quizzes.gift import parse_gift


def questions_as_data(quiz) -> list[dict]:
    """Return a quiz's questions as plain data ({"type", "value"} dicts)."""
    return [
        {
            "type": block.block_type,
            "value": _plain(block.block.get_prep_value(block.value)),
        }
        for block in quiz.questions
    ]


def _plain(data):
    """Unwrap list items stored as {"type": "item", "value": ..., "id": ...}."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [
            _plain(item["value"])
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item
            else _plain(item)
            for item in data
        ]
    return data


def add_questions(quiz, new_questions, *, user=None, publish=False):
    """Add questions to the quiz's latest draft; return the revision.

    Raise ValidationError when a question cannot be graded as it stands.
    """
    page = quiz.get_latest_revision_as_object()
    check_questions(page.questions.stream_block, new_questions)
    raw = list(page.questions.raw_data)
    raw += [{**question, "id": str(uuid.uuid4())} for question in new_questions]
    page.questions = raw
    page.full_clean()
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return revision


def check_questions(stream_block, new_questions):
    """Check the new questions as the page editor would (Model.full_clean does not).

    Raise ValidationError with "<number>. <problem>" messages, numbered as listed.
    """
    problems = []
    for number, question in enumerate(new_questions, start=1):
        try:
            stream_block.clean(stream_block.to_python([question]))
        except ValidationError as error:
            problems += [f"{number}. {text}" for text in _messages(error)]
    if problems:
        raise ValidationError(problems)


def _messages(error) -> list[str]:
    """Return the messages nested in a block's validation error."""
    if hasattr(error, "as_json_data"):
        return _json_messages(error.as_json_data())
    return list(error.messages)


def _json_messages(data) -> list[str]:
    if isinstance(data, list):
        return [text for item in data for text in _json_messages(item)]
    if isinstance(data, dict):
        return _json_messages(data.get("messages", [])) + _json_messages(
            list(data.get("blockErrors", {}).values())
        )
    return [str(data)]


def import_gift_text(quiz, text, *, user=None, dry_run=False, publish=False):
    """Parse GIFT and (unless a dry run) add its questions; return the parse result.

    A dry run checks the questions too: it raises ValidationError where a real run
    would.
    """
    result = parse_gift(text)
    if result.questions and dry_run:
        check_questions(quiz.questions.stream_block, result.questions)
    elif result.questions:
        add_questions(quiz, result.questions, user=user, publish=publish)
    return result
