"""Grading on the server: each served question and its answer give a score.

Every function takes a question as served (quizzes/questions.py) and the answer as
stored on the attempt, and returns the share of the question's points earned,
between 0 and 1.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from quizzes.questions import served_choices

CENT = Decimal("0.01")
FLOAT_SLACK = 1e-9


@dataclass(frozen=True)
class Grade:
    score: Decimal
    max_score: Decimal
    marks: dict  # question id -> {"score": str, "max": str}

    @property
    def percent(self) -> Decimal:
        if not self.max_score:
            return Decimal(0)
        return self.score * 100 / self.max_score


def grade(questions: list[dict], answers: dict) -> Grade:
    """Grade every question of an attempt."""
    marks, total, maximum = {}, Decimal(0), Decimal(0)
    for question in questions:
        points = Decimal(question["points"])
        share = share_earned(question, answers.get(question["id"]))
        score = (
            points * Decimal(share.numerator) / Decimal(share.denominator)
        ).quantize(CENT, rounding=ROUND_HALF_UP)
        marks[question["id"]] = {"score": str(score), "max": str(points)}
        total += score
        maximum += points
    return Grade(score=total, max_score=maximum, marks=marks)


def share_earned(question: dict, answer) -> Fraction:
    """Return the share (0..1) of a question's points this answer earns."""
    if answer in (None, "", [], {}):
        return Fraction(0)
    grader = {
        "single_choice": _single_choice,
        "multiple_choice": _multiple_choice,
        "true_false": _true_false,
        "short_text": _short_text,
        "numeric": _numeric,
        "matching": _matching,
        "ordering": _ordering,
    }[question["kind"]]
    return _clamp(grader(question, answer))


def _clamp(share) -> Fraction:
    return min(max(Fraction(share), Fraction(0)), Fraction(1))


def choice_weight(question: dict, choice: dict) -> Fraction:
    """Return a choice's share of the points (negative for a wrong pick)."""
    if choice.get("weight") is not None:
        return Fraction(choice["weight"], 100)
    if question["kind"] == "single_choice":
        return Fraction(1 if choice["correct"] else 0)
    right = sum(1 for c in question["choices"] if c["correct"]) or 1
    return Fraction(1 if choice["correct"] else -1, right)


def _single_choice(question, answer):
    for choice in question["choices"]:
        if choice["id"] == answer:
            return choice_weight(question, choice)
    return 0


def _multiple_choice(question, answer):
    picked = set(answer)
    if question.get("scoring") == "all_or_nothing":
        right = {c["id"] for c in question["choices"] if is_right(question, c)}
        return 1 if picked == right else 0
    return sum(
        (choice_weight(question, c) for c in question["choices"] if c["id"] in picked),
        Fraction(0),
    )


def is_right(question: dict, choice: dict) -> bool:
    """Return whether picking the choice is (at least partly) right."""
    return choice_weight(question, choice) > 0


def stated_truth(question: dict, answer) -> bool | None:
    """Return what an answer to a true/false question says, or None for no choice."""
    for choice in served_choices(question):
        if choice["id"] == answer:
            return choice["value"]
    return None


def _true_false(question, answer):
    return 1 if stated_truth(question, answer) == question["correct"] else 0


def normalise_text(text: str, *, case_sensitive: bool) -> str:
    """Ignore surrounding and repeated spaces, and letter case unless it matters."""
    text = " ".join(str(text).split())
    return text if case_sensitive else text.casefold()


def matching_short_answer(question: dict, answer: str):
    """Return the accepted answer that best matches, or None."""
    given = normalise_text(answer, case_sensitive=question["case_sensitive"])
    matches = [
        accepted
        for accepted in question["answers"]
        if normalise_text(accepted["text"], case_sensitive=question["case_sensitive"])
        == given
    ]
    return max(matches, key=lambda accepted: accepted["weight"], default=None)


def _short_text(question, answer):
    accepted = matching_short_answer(question, answer)
    return Fraction(accepted["weight"], 100) if accepted else 0


NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_number(text) -> float | None:
    """Read a number as people type it: a decimal comma or point, spaces between
    thousands, a Unicode minus. Return None for anything else."""
    cleaned = (
        str(text).strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    )
    cleaned = cleaned.replace("\u202f", "")
    if not NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", "."))


def numeric_answer_matches(accepted: dict, number: float) -> bool:
    mode = accepted["mode"]
    if mode == "range":
        return accepted["low"] - FLOAT_SLACK <= number <= accepted["high"] + FLOAT_SLACK
    tolerance = (accepted.get("tolerance") or 0) if mode == "tolerance" else 0
    return abs(number - accepted["value"]) <= tolerance + FLOAT_SLACK


def matching_numeric_answer(question: dict, answer):
    number = parse_number(answer)
    if number is None:
        return None
    matches = [a for a in question["answers"] if numeric_answer_matches(a, number)]
    return max(matches, key=lambda accepted: accepted["weight"], default=None)


def _numeric(question, answer):
    accepted = matching_numeric_answer(question, answer)
    return Fraction(accepted["weight"], 100) if accepted else 0


def _matching(question, answer):
    key = question["key"]
    right = sum(1 for left, chosen in answer.items() if key.get(left) == chosen)
    return Fraction(right, len(key))


def _ordering(question, answer):
    order = question["order"]
    in_place = sum(
        1 for given, wanted in zip(answer, order, strict=False) if given == wanted
    )
    return Fraction(in_place, len(order))
