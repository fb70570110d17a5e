"""What an attempt serves: the snapshot of its questions, and what the page shows.

`snapshot` freezes the questions drawn for an attempt (rendered HTML included), so
later edits never change an attempt. It takes the HTML stored with the quiz page
(MarkdownStreamBlock) and renders only a text whose stored HTML is missing or not
current, as in pages saved before it was stored. `public` strips a served question
down to what the learner may see before submitting: never which choice is right, the
accepted answers, tolerances or feedback.

Choices, matches and items get ids made at random for each attempt (`_random_ids`)
and kept in the snapshot, which grading and review read: authored positions as
ids would tell the right answer (editors, and GIFT files, often put it first).
"""

import random
from decimal import Decimal
from functools import partial

from lessons.markdown_fields import stored_html, stored_renders

CHOICE_KINDS = {"single_choice", "multiple_choice"}

# Attempts started before true/false choices had ids of their own were answered
# "true" or "false"; their snapshots have no choices, so these stand in.
LEGACY_TRUE_FALSE_CHOICES = [
    {"id": "true", "value": True},
    {"id": "false", "value": False},
]


def snapshot(quiz, rng: random.Random | None = None) -> list[dict]:
    """Draw, order and freeze the questions of a new attempt."""
    rng = rng or random.SystemRandom()
    stored = stored_renders(quiz.questions)
    blocks = [
        (block, renders)
        for block, renders in zip(quiz.questions, stored, strict=True)
        if block.block_type
    ]
    if quiz.draw_count and quiz.draw_count < len(blocks):
        drawn = rng.sample(range(len(blocks)), quiz.draw_count)
        blocks = [blocks[index] for index in sorted(drawn)]
    if quiz.shuffle_questions:
        rng.shuffle(blocks)
    language = quiz.markdown_language()
    return [
        _serve(
            block,
            html=partial(stored_html, renders=renders, language=language),
            rng=rng,
            shuffle=quiz.shuffle_choices,
        )
        for block, renders in blocks
    ]


def _inline_html(text, html):
    """Return a short text's HTML (a choice) without the paragraph around it."""
    shown = html(text).strip()
    if shown.startswith("<p>") and shown.endswith("</p>") and shown.count("<p>") == 1:
        return shown[3:-4]
    return shown


def _serve(block, *, html, rng, shuffle) -> dict:
    """Serve one question; html(text) gives the HTML of each of its Markdown texts."""
    value, kind = block.value, block.block_type
    question = {
        "id": block.id,
        "kind": kind,
        "name": value.get("name") or "",
        "points": str(Decimal(value["points"]).quantize(Decimal("0.01"))),
        "text_html": html(value["text"]),
        "feedback_html": html(value.get("feedback")),
    }
    serve_kind = {
        "single_choice": _serve_choices,
        "multiple_choice": _serve_choices,
        "true_false": _serve_true_false,
        "short_text": _serve_short_text,
        "numeric": _serve_numeric,
        "matching": _serve_matching,
        "ordering": _serve_ordering,
    }[kind]
    question.update(serve_kind(value, html=html, rng=rng, shuffle=shuffle))
    return question


def _serve_choices(value, *, html, rng, shuffle):
    ids = _random_ids(rng, "c", len(value["choices"]))
    choices = [
        {
            "id": choice_id,
            "html": _inline_html(choice["text"], html),
            "correct": bool(choice["correct"]),
            "weight": choice.get("weight"),
            "feedback_html": html(choice.get("feedback")),
        }
        for choice_id, choice in zip(ids, value["choices"], strict=True)
    ]
    if shuffle:
        rng.shuffle(choices)
    served = {"choices": choices}
    if "scoring" in value:
        served["scoring"] = value["scoring"]
    return served


def _serve_true_false(value, *, html, rng, shuffle):
    """Serve "true" and "false" as two choices, always in that order."""
    true_id, false_id = _random_ids(rng, "c", 2)
    return {
        "correct": bool(value["correct"]),
        "choices": [{"id": true_id, "value": True}, {"id": false_id, "value": False}],
        "feedback_true_html": html(value.get("feedback_true")),
        "feedback_false_html": html(value.get("feedback_false")),
    }


def _serve_short_text(value, *, html, rng, shuffle):
    return {
        "case_sensitive": bool(value.get("case_sensitive")),
        "answers": [
            {
                "text": answer["text"],
                "weight": answer["weight"],
                "feedback_html": html(answer.get("feedback")),
            }
            for answer in value["answers"]
        ],
    }


def _serve_numeric(value, *, html, rng, shuffle):
    keys = ("mode", "value", "tolerance", "low", "high", "weight")
    return {
        "answers": [
            {
                **{key: answer.get(key) for key in keys},
                "feedback_html": html(answer.get("feedback")),
            }
            for answer in value["answers"]
        ]
    }


def _random_ids(rng, prefix, count) -> list[str]:
    """Return distinct ids of one length, in random order, that say nothing of
    the right answer: neither an id nor the sorted order of the ids does."""
    ids = set()
    while len(ids) < count:
        ids.add(f"{prefix}{rng.getrandbits(32):08x}")
    # Sorted first: a set's order varies between processes, a seeded rng must not.
    ordered = sorted(ids)
    rng.shuffle(ordered)
    return ordered


def _serve_matching(value, *, html, rng, shuffle):
    pairs = value["pairs"]
    left_ids = _random_ids(rng, "l", len(pairs))
    texts = [pair["right"] for pair in pairs] + list(value["distractors"])
    right_ids = _random_ids(rng, "r", len(texts))
    lefts = [
        {"id": left_id, "text": pair["left"]}
        for left_id, pair in zip(left_ids, pairs, strict=True)
    ]
    rights = [
        {"id": right_id, "text": text}
        for right_id, text in zip(right_ids, texts, strict=True)
    ]
    rng.shuffle(rights)
    return {
        "lefts": lefts,
        "rights": rights,
        "key": {left["id"]: right_ids[index] for index, left in enumerate(lefts)},
    }


def _serve_ordering(value, *, html, rng, shuffle):
    ids = _random_ids(rng, "i", len(value["items"]))
    items = [
        {"id": item_id, "text": text}
        for item_id, text in zip(ids, value["items"], strict=True)
    ]
    order = [item["id"] for item in items]
    shown = items[:]
    while len(shown) > 1 and [item["id"] for item in shown] == order:
        rng.shuffle(shown)
    return {"items": shown, "order": order}


PUBLIC_KEYS = {
    "id",
    "kind",
    "points",
    "text_html",
    "choices",
    "lefts",
    "rights",
    "items",
}


# A choice's "value" is what a true/false choice says (its label), nothing secret.
PUBLIC_CHOICE_KEYS = ("id", "html", "value")


def served_choices(question: dict) -> list[dict]:
    """Return the choices of a served single, multiple or true/false question."""
    if question["kind"] == "true_false" and "choices" not in question:
        return LEGACY_TRUE_FALSE_CHOICES
    return question["choices"]


def public(question: dict) -> dict:
    """Return what a learner may see of a question before submitting."""
    shown = {key: value for key, value in question.items() if key in PUBLIC_KEYS}
    if question["kind"] in CHOICE_KINDS or question["kind"] == "true_false":
        shown["choices"] = [
            {key: choice[key] for key in PUBLIC_CHOICE_KEYS if key in choice}
            for choice in served_choices(question)
        ]
    return shown
