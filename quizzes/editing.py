"""Changing a quiz's questions from outside the page editor (GIFT import)."""

import uuid

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
    raw = list(page.questions.raw_data)
    raw += [{**question, "id": str(uuid.uuid4())} for question in new_questions]
    page.questions = raw
    page.full_clean()
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return revision


def import_gift_text(quiz, text, *, user=None, dry_run=False, publish=False):
    """Parse GIFT and (unless a dry run) add its questions; return the parse result."""
    result = parse_gift(text)
    if result.questions and not dry_run:
        add_questions(quiz, result.questions, user=user, publish=publish)
    return result
