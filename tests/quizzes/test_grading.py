"""Grading of every kind of question, on served questions (quizzes/grading.py)."""

from decimal import Decimal
from fractions import Fraction

import pytest

from quizzes.grading import grade, parse_number, share_earned


def choices(*specs):
    return [
        {"id": f"c{n}", "html": "", "correct": correct, "weight": weight,
         "feedback_html": ""}
        for n, (correct, weight) in enumerate(specs)
    ]  # fmt: skip


def q(kind, **served):
    return {"id": "q1", "kind": kind, "points": "2.00"} | served


SINGLE = q("single_choice", choices=choices((False, None), (True, None), (False, 50)))
MULTIPLE = q(
    "multiple_choice",
    scoring="partial",
    choices=choices((True, None), (True, None), (False, None), (False, None)),
)


@pytest.mark.parametrize(
    "answer, share",
    [("c1", 1), ("c0", 0), ("c2", Fraction(1, 2)), ("c9", 0), (None, 0), ("", 0)],
)
def test_single_choice_with_a_partly_right_choice(answer, share):
    assert share_earned(SINGLE, answer) == share


@pytest.mark.parametrize(
    "answer, share",
    [
        (["c0", "c1"], 1),
        (["c0"], Fraction(1, 2)),
        (["c0", "c2"], 0),  # one right minus one wrong
        (["c0", "c1", "c2"], Fraction(1, 2)),
        (["c2", "c3"], 0),  # floored at zero, never negative
        (["c0", "c1", "c2", "c3"], 0),
        ([], 0),
    ],
)
def test_multiple_choice_right_picks_minus_wrong_picks(answer, share):
    assert share_earned(MULTIPLE, answer) == share


def test_multiple_choice_all_or_nothing():
    strict = MULTIPLE | {"scoring": "all_or_nothing"}
    assert share_earned(strict, ["c1", "c0"]) == 1
    assert share_earned(strict, ["c0"]) == 0
    assert share_earned(strict, ["c0", "c1", "c3"]) == 0


def test_explicit_weights_including_negative_ones_are_floored():
    weighted = q(
        "multiple_choice",
        scoring="partial",
        choices=choices((True, 50), (True, 50), (False, -100)),
    )
    assert share_earned(weighted, ["c0", "c1"]) == 1
    assert share_earned(weighted, ["c0"]) == Fraction(1, 2)
    assert share_earned(weighted, ["c0", "c2"]) == 0
    assert share_earned(weighted, ["c2"]) == 0


TRUE_FALSE_CHOICES = [
    {"id": "c5e1f0a2b", "value": True},
    {"id": "c0d93b7e4", "value": False},
]


@pytest.mark.parametrize(
    "correct, answer, share",
    [
        (True, "c5e1f0a2b", 1),
        (True, "c0d93b7e4", 0),
        (False, "c0d93b7e4", 1),
        (False, "false", 0),  # the words are no longer the ids
        (True, "c9", 0),
        (False, None, 0),
    ],
)
def test_true_false_is_graded_by_the_served_choice(correct, answer, share):
    question = q("true_false", correct=correct, choices=TRUE_FALSE_CHOICES)
    assert share_earned(question, answer) == share


@pytest.mark.parametrize(
    "correct, answer, share",
    [(True, "true", 1), (True, "false", 0), (False, "false", 1), (False, None, 0)],
)
def test_true_false_served_before_choices_had_ids(correct, answer, share):
    assert share_earned(q("true_false", correct=correct), answer) == share


SHORT = q(
    "short_text",
    case_sensitive=False,
    answers=[
        {"text": "Saavutettavuus", "weight": 100, "feedback_html": ""},
        {"text": "esteettömyys", "weight": 50, "feedback_html": ""},
    ],
)


@pytest.mark.parametrize(
    "answer, share",
    [
        ("saavutettavuus", 1),
        ("  SAAVUTETTAVUUS ", 1),
        ("Esteettömyys", Fraction(1, 2)),
        ("saavutettavuu", 0),
        ("", 0),
    ],
)
def test_short_text_ignores_case_and_surrounding_spaces(answer, share):
    assert share_earned(SHORT, answer) == share


def test_short_text_can_care_about_case():
    strict = SHORT | {"case_sensitive": True}
    assert share_earned(strict, "Saavutettavuus") == 1
    assert share_earned(strict, "saavutettavuus") == 0


def numeric(*answers):
    keys = ("mode", "value", "tolerance", "low", "high", "weight")
    return q(
        "numeric",
        answers=[dict(zip(keys, a, strict=True)) | {"feedback_html": ""}
                 for a in answers],
    )  # fmt: skip


@pytest.mark.parametrize(
    "answer, share",
    [
        ("4,5", 1),
        ("4.5", 1),
        (" 4,50 ", 1),
        ("4,6", 1),  # the edge of the tolerance counts
        ("4,61", 0),
        ("4,4", 1),
        ("3", Fraction(1, 2)),  # inside the half-mark range
        ("−4,5", 0),
        ("neljä", 0),
    ],
)
def test_numeric_tolerance_range_and_decimal_comma(answer, share):
    question = numeric(
        ("tolerance", 4.5, 0.1, None, None, 100), ("range", None, None, 2, 3, 50)
    )
    assert share_earned(question, answer) == share


def test_numeric_exact():
    question = numeric(("exact", 1000, None, None, None, 100))
    assert share_earned(question, "1 000") == 1
    assert share_earned(question, "1000,0") == 1
    assert share_earned(question, "1000,01") == 0


@pytest.mark.parametrize(
    "text, number",
    [("3,14", 3.14), ("-2", -2.0), ("\u22122,5", -2.5), (",5", 0.5), ("1e3", 1000.0)],
)
def test_numbers_are_read_as_people_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "1,2,3", "abc", "1.2.3", "--1"])
def test_non_numbers_are_refused(text):
    assert parse_number(text) is None


def test_matching_gives_a_share_per_pair():
    question = q("matching", key={"l0": "r0", "l1": "r1", "l2": "r2"})
    assert share_earned(question, {"l0": "r0", "l1": "r1", "l2": "r2"}) == 1
    assert share_earned(question, {"l0": "r0", "l1": "r2", "l2": "r1"}) == Fraction(
        1, 3
    )
    assert share_earned(question, {"l0": "r3"}) == 0


def test_ordering_gives_a_share_per_item_in_place():
    question = q("ordering", order=["i0", "i1", "i2", "i3"])
    assert share_earned(question, ["i0", "i1", "i2", "i3"]) == 1
    assert share_earned(question, ["i0", "i1", "i3", "i2"]) == Fraction(1, 2)
    assert share_earned(question, ["i3", "i2", "i1", "i0"]) == 0


def test_an_attempt_is_graded_in_points_rounded_to_hundredths():
    questions = [
        SINGLE | {"id": "a", "points": "1.00"},
        MULTIPLE | {"id": "b", "points": "1.00"},
        q("ordering", order=["i0", "i1", "i2"]) | {"id": "c", "points": "1.00"},
    ]
    result = grade(questions, {"a": "c1", "b": ["c0"], "c": ["i0", "i2", "i1"]})
    assert result.marks == {
        "a": {"score": "1.00", "max": "1.00"},
        "b": {"score": "0.50", "max": "1.00"},
        "c": {"score": "0.33", "max": "1.00"},
    }
    assert (result.score, result.max_score) == (Decimal("1.83"), Decimal("3.00"))
    assert round(result.percent) == 61
