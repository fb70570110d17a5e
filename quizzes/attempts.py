"""Attempts: starting, saving answers, submitting and reviewing; the quiz rules.

Views, tasks and commands call these functions. Grading itself is in grading.py;
what the learner may see of a question is in questions.py.
"""

import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import CoursePage, Enrollment
from lessons.progress import complete_step
from quizzes import grading, questions
from quizzes.models import AttemptState, QuizAttempt, ReviewPolicy

MAX_TEXT_ANSWER = 500
MAX_NUMBER_ANSWER = 50


class AttemptRefused(Exception):
    """A new attempt may not start now; the message says why."""


class AttemptClosed(Exception):
    """The attempt takes no more answers (submitted, or its time ran out)."""


class BadAnswers(ValueError):
    """The answers sent do not fit the attempt; the message says what is wrong."""


@dataclass
class Standing:
    """Where a learner stands with a quiz: attempts made and whether one may start."""

    attempts: list
    open_attempt: QuizAttempt | None
    can_start: bool
    reason: str
    attempts_left: int | None
    counted: list  # the attempts since the course was last reopened

    @property
    def passed(self):
        return any(attempt.passed for attempt in self.counted)

    @property
    def best(self):
        graded = [a for a in self.attempts if a.score is not None]
        return max(graded, key=lambda a: a.score / (a.max_score or 1), default=None)


def quiz_standing(*, user, quiz, now=None) -> Standing:
    """Return the learner's attempts and whether they may start one now."""
    now = now or timezone.now()
    attempts = [
        submit_if_open(attempt, now=now, late=True)
        if attempt.is_open and _time_is_up(attempt, now)
        else attempt
        for attempt in QuizAttempt.objects.filter(user=user, quiz=quiz).order_by(
            "number"
        )
    ]
    open_attempt = next((a for a in attempts if a.is_open), None)
    done = [a for a in attempts if not a.is_open]
    since = _reopened_at(user, quiz)
    counted = [a for a in done if since is None or a.started_at >= since]
    reason = _why_not_start(quiz, counted, now) if open_attempt is None else ""
    allowed = quiz.attempts_allowed
    left = max(allowed - len(counted), 0) if allowed else None
    return Standing(
        attempts=done,
        open_attempt=open_attempt,
        can_start=open_attempt is None and not reason,
        reason=reason,
        attempts_left=left,
        counted=counted,
    )


def _reopened_at(user, quiz):
    """When the quiz's course was reopened for the learner (an expired certificate)."""
    return (
        Enrollment.objects.filter(
            user=user, course__in=CoursePage.objects.ancestor_of(quiz).values("pk")
        )
        .values_list("reopened_at", flat=True)
        .first()
    )


def _why_not_start(quiz, done, now) -> str:
    if not any(block.block_type for block in quiz.questions):
        return _("This quiz has no questions yet.")
    if quiz.attempts_allowed and len(done) >= quiz.attempts_allowed:
        return _("You have used all your attempts.")
    if quiz.cooldown_minutes and done:
        ready_at = done[-1].submitted_at + timedelta(minutes=quiz.cooldown_minutes)
        if now < ready_at:
            local = timezone.localtime(ready_at)
            return _("You can try again at %(time)s.") % {
                "time": local.strftime("%H:%M")
                if local.date() == timezone.localdate(now)
                else local.strftime("%d.%m.%Y %H:%M")
            }
    return ""


def start_attempt(*, user, quiz, now=None, rng=None) -> tuple[QuizAttempt, bool]:
    """Start attempt n+1 (or return the open one); raise AttemptRefused if not now.

    The partial unique constraint keeps parallel starts to one open attempt.
    """
    now = now or timezone.now()
    standing = quiz_standing(user=user, quiz=quiz, now=now)
    if standing.open_attempt:
        return standing.open_attempt, False
    if standing.reason:
        raise AttemptRefused(standing.reason)
    served = questions.snapshot(quiz, rng)
    deadline = (
        now + timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None
    )
    try:
        with transaction.atomic():
            number = (
                QuizAttempt.objects.filter(user=user, quiz=quiz).aggregate(
                    last=Max("number")
                )["last"]
                or 0
            ) + 1
            attempt = QuizAttempt.objects.create(
                user=user,
                quiz=quiz,
                number=number,
                started_at=now,
                deadline=deadline,
                questions=served,
                max_score=sum(Decimal(q["points"]) for q in served),
            )
    except IntegrityError:
        existing = QuizAttempt.objects.filter(
            user=user, quiz=quiz, state=AttemptState.OPEN
        ).first()
        if existing is None:
            raise
        return existing, False
    return attempt, True


def _time_is_up(attempt, now) -> bool:
    return attempt.deadline is not None and now >= attempt.deadline


def read_answers(served: list[dict], data, shown_ids: list[str]) -> dict:
    """Read the answers to the shown questions from form data; raise BadAnswers.

    Field names: `q.<question id>` and, for matching and ordering, `q.<id>.<item>`.
    A shown question with no answer is returned as None (its answer is cleared).
    """
    by_id = {question["id"]: question for question in served}
    unknown = [qid for qid in shown_ids if qid not in by_id]
    asked = {key.split(".")[1] for key in data if key.startswith("q.")}
    if unknown or not asked <= set(shown_ids):
        raise BadAnswers(_("The answers are for questions not in this attempt."))
    return {qid: _read_one(by_id[qid], data) for qid in shown_ids}


def _read_one(question, data):
    name = f"q.{question['id']}"
    kind = question["kind"]
    if kind == "single_choice":
        value = data.get(name) or None
        _check_choices(question, [value] if value else [])
        return value
    if kind == "multiple_choice":
        values = sorted(set(data.getlist(name)))
        _check_choices(question, values)
        return values or None
    if kind == "true_false":
        value = data.get(name) or None
        if value is not None and grading.stated_truth(question, value) is None:
            raise BadAnswers(_("Answer true or false."))
        return value
    if kind == "short_text":
        return _text(data.get(name, ""), MAX_TEXT_ANSWER)
    if kind == "numeric":
        value = _text(data.get(name, ""), MAX_NUMBER_ANSWER)
        if value is not None and grading.parse_number(value) is None:
            raise BadAnswers(_("Write a number, for example 3,5."))
        return value
    if kind == "matching":
        return _read_matching(question, data, name)
    return _read_ordering(question, data, name)


def _check_choices(question, values):
    ids = {choice["id"] for choice in question["choices"]}
    if not set(values) <= ids:
        raise BadAnswers(_("That choice does not exist."))


# Bidirectional embeddings, overrides and isolates: they can make a stored answer
# read differently from what was typed, in a review or an export.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], None)


def _without_control_characters(value: str) -> str:
    """Drop control characters (NUL included: PostgreSQL cannot store it) and
    bidirectional controls; a tab or line break becomes a space."""
    value = value.translate(_BIDI_CONTROLS)
    return "".join(
        " " if character in "\t\r\n" else character
        for character in value
        if character in "\t\r\n" or unicodedata.category(character) != "Cc"
    )


def _text(value, limit):
    value = _without_control_characters(str(value)).strip()
    if len(value) > limit:
        raise BadAnswers(_("The answer is too long."))
    return value or None


def _read_matching(question, data, name):
    rights = {right["id"] for right in question["rights"]}
    chosen = {}
    for left in question["lefts"]:
        value = data.get(f"{name}.{left['id']}") or ""
        if value and value not in rights:
            raise BadAnswers(_("That match does not exist."))
        if value:
            chosen[left["id"]] = value
    return chosen or None


def _read_ordering(question, data, name):
    count = len(question["items"])
    allowed = {str(position): position for position in range(1, count + 1)}
    positions = {}
    for item in question["items"]:
        value = (data.get(f"{name}.{item['id']}") or "").strip()
        if not value:
            continue
        if value not in allowed:
            raise BadAnswers(
                _("Give each item a position from 1 to %(count)s.") % {"count": count}
            )
        positions[item["id"]] = allowed[value]
    if not positions:
        return None
    if len(positions) < count or len(set(positions.values())) < count:
        raise BadAnswers(_("Give each item a different position."))
    return sorted(positions, key=positions.get)


def save_answers(attempt, data, shown_ids, now=None) -> QuizAttempt:
    """Store answers to the shown questions; raise AttemptClosed or BadAnswers.

    Once the time is up nothing more is taken: the attempt is submitted with the
    answers saved before.
    """
    now = now or timezone.now()
    if attempt.is_open and _time_is_up(attempt, now):
        submit_if_open(attempt, now=now, late=True)
        raise AttemptClosed(_("The time ran out; the answers saved before it count."))
    answers = read_answers(attempt.questions, data, shown_ids)
    with transaction.atomic():
        attempt = _locked(attempt)
        if not attempt.is_open:
            raise AttemptClosed(_("This attempt has already been submitted."))
        for qid, answer in answers.items():
            if answer is None:
                attempt.answers.pop(qid, None)
            else:
                attempt.answers[qid] = answer
        attempt.save(update_fields=["answers"])
    return attempt


def submit_by_learner(attempt, now=None) -> QuizAttempt:
    """The learner's "Submit": once the time is up it is too late (AttemptClosed).

    A late attempt is then submitted with the answers saved before the deadline.
    """
    now = now or timezone.now()
    if attempt.is_open and _time_is_up(attempt, now):
        submit_if_open(attempt, now=now, late=True)
        raise AttemptClosed(_("The time ran out; the answers saved before it count."))
    return submit_attempt(attempt, now=now)


def submit_if_open(attempt, **options):
    """Submit the attempt unless a parallel request just did."""
    try:
        return submit_attempt(attempt, **options)
    except AttemptClosed:
        return QuizAttempt.objects.get(pk=attempt.pk)


def _locked(attempt):
    return QuizAttempt.objects.select_for_update().get(pk=attempt.pk)


@transaction.atomic
def submit_attempt(attempt, *, now=None, late=False) -> QuizAttempt:
    """Grade the attempt once; a pass completes the quiz step. Raise AttemptClosed."""
    now = now or timezone.now()
    attempt = _locked(attempt)
    if not attempt.is_open:
        raise AttemptClosed(_("This attempt has already been submitted."))
    result = grading.grade(attempt.questions, attempt.answers)
    attempt.state = AttemptState.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline) if late else now
    attempt.submitted_late = late
    attempt.score, attempt.max_score = result.score, result.max_score
    attempt.marks = result.marks
    attempt.passed = result.percent >= attempt.quiz.pass_mark
    attempt.save()
    if attempt.passed:
        complete_step(user=attempt.user, step=attempt.quiz)
    return attempt


def unanswered(attempt) -> list[int]:
    """Return the numbers (1-based) of the questions not answered yet."""
    return [
        number
        for number, question in enumerate(attempt.questions, start=1)
        if question["id"] not in attempt.answers
    ]


@dataclass
class ReviewItem:
    number: int
    question: dict
    answer: object
    score: str
    max_score: str
    show_mark: bool
    show_feedback: bool
    show_right_answer: bool

    @property
    def details(self) -> dict:
        """What to show of the answer, ready for the template (by kind)."""
        return _details(self.question, self.answer)

    @property
    def outcome(self) -> str:
        """Return "right", "partly" or "wrong"."""
        score, maximum = Decimal(self.score), Decimal(self.max_score)
        if maximum and score >= maximum:
            return "right"
        return "partly" if score > 0 else "wrong"


def review(attempt, standing: Standing) -> list[ReviewItem]:
    """Return what the learner sees of a submitted attempt, per the quiz's policy."""
    policy = attempt.quiz.review_policy
    final_fail = (
        not standing.passed
        and standing.attempts_left == 0
        and attempt.quiz.show_answers_after_final_fail
    )
    show_marks = policy in (ReviewPolicy.MARKS, ReviewPolicy.FEEDBACK) or final_fail
    show_feedback = policy == ReviewPolicy.FEEDBACK or final_fail
    show_right = (
        policy == ReviewPolicy.FEEDBACK and bool(attempt.passed)
    ) or final_fail
    return [
        ReviewItem(
            number=number,
            question=question,
            answer=attempt.answers.get(question["id"]),
            score=attempt.marks.get(question["id"], {}).get("score", "0"),
            max_score=question["points"],
            show_mark=show_marks,
            show_feedback=show_feedback,
            show_right_answer=show_right,
        )
        for number, question in enumerate(attempt.questions, start=1)
    ]


def _details(question, answer) -> dict:
    kind = question["kind"]
    if kind in questions.CHOICE_KINDS:
        chosen = set(answer if isinstance(answer, list) else [answer])
        return {
            "choices": [
                {
                    "html": choice["html"],
                    "chosen": choice["id"] in chosen,
                    "right": grading.is_right(question, choice),
                    "feedback_html": choice["feedback_html"],
                }
                for choice in question["choices"]
            ]
        }
    if kind == "true_false":
        truth = grading.stated_truth(question, answer)
        given = None if truth is None else _true_or_false(truth)
        feedback = {
            "true": question["feedback_true_html"],
            "false": question["feedback_false_html"],
        }
        return {
            "given": given,
            "right": _true_or_false(question["correct"]),
            "feedback_html": feedback.get(given),
        }
    if kind == "short_text":
        accepted = grading.matching_short_answer(question, answer) if answer else None
        return _typed(answer, question, accepted, lambda a: a["text"])
    if kind == "numeric":
        accepted = grading.matching_numeric_answer(question, answer) if answer else None
        return _typed(answer, question, accepted, _numeric_text)
    if kind == "matching":
        rights = {right["id"]: right["text"] for right in question["rights"]}
        given = answer or {}
        return {
            "pairs": [
                {
                    "left": left["text"],
                    "given": rights.get(given.get(left["id"]), ""),
                    "right": rights[question["key"][left["id"]]],
                    "ok": given.get(left["id"]) == question["key"][left["id"]],
                }
                for left in question["lefts"]
            ]
        }
    texts = {item["id"]: item["text"] for item in question["items"]}
    given = answer or []
    return {
        "given": [
            {
                "text": texts[item],
                "ok": index < len(question["order"])
                and question["order"][index] == item,
            }
            for index, item in enumerate(given)
        ],
        "right": [texts[item] for item in question["order"]],
    }


def _true_or_false(truth: bool) -> str:
    return "true" if truth else "false"


def _typed(answer, question, accepted, describe):
    return {
        "given": answer or "",
        "right": [describe(a) for a in question["answers"] if a["weight"] == 100],
        "feedback_html": accepted["feedback_html"] if accepted else "",
    }


def _numeric_text(accepted) -> str:
    if accepted["mode"] == "range":
        return f"{_number(accepted['low'])}–{_number(accepted['high'])}"
    if accepted["mode"] == "tolerance" and accepted.get("tolerance"):
        return f"{_number(accepted['value'])} ± {_number(accepted['tolerance'])}"
    return _number(accepted["value"])


def _number(value) -> str:
    """Write a number the way Finnish and Swedish readers do (a decimal comma)."""
    text = f"{value:g}"
    return text.replace(".", ",")


@dataclass
class FormQuestion:
    """A question on the take page with the learner's saved answer."""

    number: int
    question: dict
    answer: object

    @property
    def chosen(self):
        if isinstance(self.answer, list):
            return set(self.answer)
        return {self.answer} if self.answer else set()

    @property
    def text(self):
        return self.answer if isinstance(self.answer, str) else ""

    @property
    def matching_rows(self):
        """Each item to match with the match chosen so far (or "")."""
        chosen = self.answer if isinstance(self.answer, dict) else {}
        return [(left, chosen.get(left["id"], "")) for left in self.question["lefts"]]

    @property
    def ordering_rows(self):
        """Each item with the position given so far (or 0), and the positions."""
        given = self.answer if isinstance(self.answer, list) else []
        position = {item: index for index, item in enumerate(given, start=1)}
        return [(item, position.get(item["id"], 0)) for item in self.question["items"]]

    @property
    def positions(self):
        return range(1, len(self.question.get("items", [])) + 1)


def form_questions(attempt, numbered) -> list[FormQuestion]:
    """Pair the shown (public) questions with the answers saved so far."""
    return [
        FormQuestion(number, question, attempt.answers.get(question["id"]))
        for number, question in numbered
    ]


def public_questions(attempt) -> list[dict]:
    """The attempt's questions as the take page may show them."""
    return [questions.public(question) for question in attempt.questions]
