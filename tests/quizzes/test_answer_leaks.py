"""Nothing a learner receives while taking a quiz tells the right answers apart.

Choices, matches and items are served with ids made at random for each attempt, so
answering by id, by place or by the look of the markup earns nothing. The checks
read the take page as the learner's browser gets it and tell right from wrong by
the texts the editor wrote (EVERY_KIND), never by the ids under test.
"""

import json
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.demo import pass_quiz
from quizzes.models import QuizAttempt
from tests.factories import CoursePageFactory, QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND

pytestmark = pytest.mark.django_db

KINDS = [question["type"] for question in EVERY_KIND]
AUTHORED = {question["type"]: question["value"] for question in EVERY_KIND}
TYPED_KINDS = ["short_text", "numeric"]
PICKED_KINDS = [kind for kind in KINDS if kind not in TYPED_KINDS]
# What a positional id looks like: a kind letter and the position ("c0", "i12").
POSITIONAL = re.compile(r"[a-z]\d{1,3}")
ATTEMPTS = 12


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass(eq=False)
class Control:
    """A form control or a select's option as served, its attributes in order.

    Two options with the same value in different selects are different controls.
    """

    attrs: list
    text: str = ""
    options: list = field(default_factory=list)

    def get(self, name):
        return dict(self.attrs).get(name, "")


# The "flag for review" checkbox, the same in every question: not an answer.
FLAG_FIELD = "flagged"


class _TakePage(HTMLParser):
    """Collect each question's form controls, with their labels' texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.questions = []
        self._in_question = False
        self._labels = {}
        self._label_for = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        if tag == "fieldset":
            self._in_question = True
            self.questions.append([])
        elif tag in ("input", "select") and self._in_question:
            if dict(attrs).get("name") != FLAG_FIELD:
                self.questions[-1].append(Control(attrs))
        elif tag == "option" and self._in_question:
            self._option = Control(attrs)
            self.questions[-1][-1].options.append(self._option)
        elif tag == "label":
            self._label_for = dict(attrs)["for"]
            self._labels[self._label_for] = ""

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._in_question = False
        elif tag == "label":
            self._label_for = None
        elif tag == "option":
            self._option = None

    def handle_data(self, data):
        if self._label_for:
            self._labels[self._label_for] += data
        if self._option:
            self._option.text += data

    def close(self):
        super().close()
        for controls in self.questions:
            for control in controls:
                control.text = " ".join(self._labels.get(control.get("id"), "").split())


@dataclass
class Served:
    """One question as served: what can be picked, and which picks are right."""

    kind: str
    controls: list
    ids: list  # every id served: picks, and for matching the items to match
    shown: list  # the ids to pick from, in the order shown
    right: list  # the right ids (for ordering: the items in the right order)
    picks: list  # (control, whether picking it is right)

    @property
    def places(self):
        return tuple(self.shown.index(right) for right in self.right)

    @property
    def sorted_places(self):
        return tuple(sorted(self.shown).index(right) for right in self.right)


def _item_id(select):
    return select.get("name").split(".", 2)[2]


def _served(kind, controls) -> Served:
    authored = AUTHORED[kind]
    if kind in ("single_choice", "multiple_choice", "true_false"):
        if kind == "true_false":
            right = {"True": authored["correct"], "False": not authored["correct"]}
        else:
            right = {c["text"]: c["correct"] for c in authored["choices"]}
        picks = [(control, right[control.text]) for control in controls]
        ids = [control.get("value") for control in controls]
        return Served(
            kind, controls, ids, ids, [c.get("value") for c, ok in picks if ok], picks
        )
    if kind == "matching":
        match = {pair["left"]: pair["right"] for pair in authored["pairs"]}
        picks = [
            (option, option.text == match[select.text])
            for select in controls
            for option in select.options
            if option.get("value")
        ]
        options = [option for option in controls[0].options if option.get("value")]
        shown = [option.get("value") for option in options]
        right = [
            next(o.get("value") for o in options if o.text == match[select.text])
            for select in controls
        ]
        lefts = [_item_id(select) for select in controls]
        return Served(kind, controls, lefts + shown, shown, right, picks)
    if kind == "ordering":
        place = {text: str(n) for n, text in enumerate(authored["items"], start=1)}
        picks = [
            (option, option.get("value") == place[select.text])
            for select in controls
            for option in select.options
            if option.get("value")
        ]
        shown = [_item_id(select) for select in controls]
        in_order = sorted(controls, key=lambda select: int(place[select.text]))
        right = [_item_id(select) for select in in_order]
        return Served(kind, controls, shown, shown, right, picks)
    return Served(kind, controls, [], [], [], [])  # typed: nothing to pick from


def take_page(client, attempt) -> dict:
    """Return {kind: Served} read from the attempt's take page."""
    response = client.get(reverse("quizzes:take", args=[attempt.pk]))
    assert response.status_code == 200
    parser = _TakePage()
    parser.feed(response.content.decode())
    parser.close()
    assert len(parser.questions) == len(KINDS)
    return {
        kind: _served(kind, controls)
        for kind, controls in zip(KINDS, parser.questions, strict=True)
    }


def form_data(served: Served, *, right: bool) -> dict:
    """Form data answering one question right, or wrong, as read from the page."""
    kind, controls = served.kind, served.controls
    name = controls[0].get("name")
    wanted = [control.get("value") for control, ok in served.picks if ok == right]
    if kind in ("single_choice", "true_false"):
        return {name: wanted[0]}
    if kind == "multiple_choice":
        return {name: wanted if right else wanted[:1]}
    if kind in ("matching", "ordering"):
        chosen = [
            next(option for option in select.options if (option, True) in served.picks)
            for select in controls
        ]
        if not right:  # every one moved on: each position is still used once
            chosen = [chosen[-1]] + chosen[:-1]
        return {
            select.get("name"): option.get("value")
            for select, option in zip(controls, chosen, strict=True)
        }
    typed = {"short_text": ("WCAG", "HTML"), "numeric": ("4", "7")}[kind]
    return {name: typed[0] if right else typed[1]}


def question_id(served: Served) -> str:
    return served.controls[0].get("name").split(".")[1]


def _quiz(catalogue, **settings):
    course = CoursePageFactory(parent=catalogue)
    return QuizPageFactory(parent=course, questions=EVERY_KIND, **settings)


def start(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302
    return QuizAttempt.objects.filter(quiz=quiz).latest("number")


def save(client, attempt, data, **headers):
    return client.post(reverse("quizzes:save", args=[attempt.pk]), data, **headers)


@pytest.mark.parametrize("kind", PICKED_KINDS)
def test_served_ids_are_not_positions_and_change_with_every_attempt(
    client, learner, catalogue, kind
):
    quiz = _quiz(catalogue)
    client.force_login(learner)
    first = start(client, quiz)
    first_ids = take_page(client, first)[kind].ids
    client.post(reverse("quizzes:submit", args=[first.pk]))
    second_ids = take_page(client, start(client, quiz))[kind].ids
    assert first_ids and second_ids
    for served_id in first_ids + second_ids:
        assert not POSITIONAL.fullmatch(served_id), served_id
        assert served_id not in ("true", "false"), served_id
    assert set(first_ids).isdisjoint(second_ids)


def _shape(control):
    """Attribute names in order, with the length of each value."""
    return [(name, len(value or "")) for name, value in control.attrs]


@pytest.mark.parametrize("shuffle", [True, False], ids=["shuffled", "authored order"])
@pytest.mark.parametrize("kind", PICKED_KINDS)
def test_right_and_wrong_picks_have_the_same_markup(
    client, learner, catalogue, kind, shuffle
):
    quiz = _quiz(catalogue, shuffle_choices=shuffle)
    client.force_login(learner)
    served = take_page(client, start(client, quiz))[kind]
    right = [_shape(control) for control, ok in served.picks if ok]
    wrong = [_shape(control) for control, ok in served.picks if not ok]
    assert right and wrong
    assert all(shape == right[0] for shape in right + wrong), (right, wrong)


@pytest.mark.parametrize("shuffle", [True, False], ids=["shuffled", "authored order"])
@pytest.mark.parametrize("kind", PICKED_KINDS)
def test_neither_place_nor_sorted_ids_point_to_the_right_answer(
    client, learner, catalogue, kind, shuffle
):
    """Over many attempts the right answer moves, among places and sorted ids.

    Without shuffling, choices keep the order the editor wrote (by design), and
    true/false always reads "True", "False"; matches and items are always shuffled.
    """
    quiz = _quiz(catalogue, shuffle_choices=shuffle)
    client.force_login(learner)
    places, sorted_places = set(), set()
    for seed in range(ATTEMPTS):
        attempt, _created = start_attempt(
            user=learner, quiz=quiz, rng=random.Random(seed)
        )
        served = take_page(client, attempt)[kind]
        places.add(served.places)
        sorted_places.add(served.sorted_places)
        submit_attempt(attempt)
    assert len(sorted_places) > 1, sorted_places
    if (shuffle and kind != "true_false") or kind in ("matching", "ordering"):
        assert len(places) > 1, places


@pytest.mark.parametrize("kind", KINDS)
def test_autosave_answers_a_right_and_a_wrong_answer_alike(
    client, learner, catalogue, kind
):
    quiz = _quiz(catalogue)
    client.force_login(learner)
    attempt = start(client, quiz)
    served = take_page(client, attempt)[kind]
    replies = []
    for right in (True, False):
        data = {"shown": [question_id(served)], **form_data(served, right=right)}
        response = save(client, attempt, data, HTTP_X_REQUESTED_WITH="fetch")
        replies.append((response.status_code, response.content))
    assert replies[0] == replies[1]
    status, body = replies[0]
    assert status == 200 and json.loads(body)["unanswered"] == 6


@pytest.mark.parametrize("kind", TYPED_KINDS)
def test_a_typed_question_serves_one_empty_field_and_no_answer(
    client, learner, catalogue, kind
):
    quiz = _quiz(catalogue)
    client.force_login(learner)
    attempt = start(client, quiz)
    [field_] = take_page(client, attempt)[kind].controls
    assert field_.get("type") == "text" and field_.get("value") == ""
    page = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    fieldset = re.findall(r"<fieldset.*?</fieldset>", page, re.DOTALL)[
        KINDS.index(kind)
    ]
    accepted = AUTHORED[kind]["answers"][0]
    for secret in (accepted.get("text"), accepted.get("tolerance"), "weight"):
        if secret is not None:
            assert str(secret) not in fieldset, secret


@pytest.mark.parametrize("shuffle", [True, False], ids=["shuffled", "authored order"])
def test_a_full_attempt_answered_from_the_page_gets_full_marks(
    client, learner, catalogue, shuffle
):
    quiz = _quiz(catalogue, shuffle_choices=shuffle)
    client.force_login(learner)
    attempt = start(client, quiz)
    data = {"shown": []}
    for served in take_page(client, attempt).values():
        data["shown"].append(question_id(served))
        data.update(form_data(served, right=True))
    assert save(client, attempt, data).status_code == 302
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == attempt.max_score == 8
    page = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert "You scored 8 of 8 points (100 %)" in page
    assert page.count("question--right") == len(KINDS)


def test_the_demo_learner_still_passes_with_random_ids(learner, catalogue):
    attempt = pass_quiz(learner, _quiz(catalogue, shuffle_choices=True))
    assert attempt.passed and attempt.score == attempt.max_score == 8


def test_positional_ids_are_refused(client, learner, catalogue):
    quiz = _quiz(catalogue)
    client.force_login(learner)
    attempt = start(client, quiz)
    served = take_page(client, attempt)
    ids = {kind: question_id(served[kind]) for kind in PICKED_KINDS}
    left = _item_id(served["matching"].controls[0])
    for data in (
        {f"q.{ids['single_choice']}": "c1"},
        {f"q.{ids['multiple_choice']}": ["c0", "c1"]},
        {f"q.{ids['true_false']}": "false"},
        {f"q.{ids['matching']}.{left}": "r0"},
    ):
        data["shown"] = list(ids.values())
        response = save(client, attempt, data, HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 400, data
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_answers_right_by_position_earn_nothing(learner, catalogue):
    """Stored answers that positional ids would have made right score zero."""
    quiz = _quiz(catalogue)
    attempt, _created = start_attempt(user=learner, quiz=quiz)
    by_kind = {question["kind"]: question["id"] for question in attempt.questions}
    attempt.answers = {
        by_kind["single_choice"]: "c1",
        by_kind["multiple_choice"]: ["c0", "c1"],
        by_kind["true_false"]: "false",
    }
    attempt.save(update_fields=["answers"])
    attempt = submit_attempt(attempt)
    assert attempt.score == 0
    assert {mark["score"] for mark in attempt.marks.values()} == {"0.00"}


def _old_choice(index, html, correct, feedback_html=""):
    return {
        "id": f"c{index}",
        "html": html,
        "correct": correct,
        "weight": None,
        "feedback_html": feedback_html,
    }


OLD_SNAPSHOT = [
    {
        "id": "old-single",
        "kind": "single_choice",
        "name": "",
        "points": "1.00",
        "text_html": "<p>Mikä kontrastisuhde?</p>",
        "feedback_html": "",
        "choices": [
            _old_choice(0, "3:1", False),
            _old_choice(1, "4,5:1", True, "<p>VANHA-OIKEA</p>"),
        ],
    },
    {
        "id": "old-multiple",
        "kind": "multiple_choice",
        "name": "",
        "points": "2.00",
        "text_html": "<p>Mitkä auttavat?</p>",
        "feedback_html": "",
        "scoring": "partial",
        "choices": [
            _old_choice(0, "Otsikkotasot", True),
            _old_choice(1, "Tekstivastineet", True),
            _old_choice(2, "Vilkkuva teksti", False),
        ],
    },
    {
        "id": "old-true-false",
        "kind": "true_false",
        "name": "",
        "points": "1.00",
        "text_html": "<p>Vain näkövammaisille.</p>",
        "feedback_html": "",
        "correct": False,
        "feedback_true_html": "<p>VANHA-VÄÄRIN</p>",
        "feedback_false_html": "<p>VANHA-OIKEIN</p>",
    },
]


def test_an_attempt_served_with_positional_ids_still_grades_and_reviews(
    client, learner, catalogue
):
    """Attempts started before random ids keep their snapshot, answers and grade."""
    quiz = _quiz(catalogue)
    attempt, _created = start_attempt(user=learner, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        questions=OLD_SNAPSHOT, max_score=Decimal(4)
    )
    client.force_login(learner)
    page = client.get(reverse("quizzes:take", args=[attempt.pk])).content.decode()
    assert 'value="c1"' in page and 'value="false"' in page
    data = {
        "shown": ["old-single", "old-multiple", "old-true-false"],
        "q.old-single": "c1",
        "q.old-multiple": ["c0", "c1"],
        "q.old-true-false": "false",
    }
    assert save(client, attempt, data).status_code == 302
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == attempt.max_score == 4
    result = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert result.count("question--right") == 3
    assert "VANHA-OIKEA" in result and "VANHA-OIKEIN" in result
    assert "VANHA-VÄÄRIN" not in result
