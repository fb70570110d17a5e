"""Quiz statistics for editors: attempts, pass rate, scores and item difficulty."""

from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape

from django.db.models import Avg, Count, Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lessons.markdown_fields import stored_html, stored_renders
from quizzes.models import AttemptState, QuizAttempt


@dataclass
class QuestionStatistics:
    id: str
    label: str
    answered: int = 0
    full_marks: int = 0
    score_share_total: Decimal = Decimal(0)
    in_quiz: bool = True

    @property
    def full_marks_share(self) -> int:
        """Per cent of attempts that got full marks (the item's facility)."""
        return round(100 * self.full_marks / self.answered) if self.answered else 0

    @property
    def average_share(self) -> int:
        if not self.answered:
            return 0
        return round(100 * self.score_share_total / self.answered)


@dataclass
class QuizStatistics:
    attempts: int
    learners: int
    passed_learners: int
    average_percent: int
    questions: list = field(default_factory=list)

    @property
    def pass_rate(self) -> int:
        return round(100 * self.passed_learners / self.learners) if self.learners else 0


WEAK_BELOW = 50  # per cent of full marks: questions under this stand out


def quiz_statistics(quiz) -> QuizStatistics:
    """Summarise every submitted attempt of a quiz (read in one pass, in batches)."""
    submitted = QuizAttempt.objects.filter(quiz=quiz, state=AttemptState.SUBMITTED)
    totals = submitted.aggregate(
        attempts=Count("pk"),
        learners=Count("user", distinct=True),
        passed_learners=Count("user", filter=Q(passed=True), distinct=True),
    )
    average = _average_percent(submitted)
    language = quiz.markdown_language()
    by_id = {
        block.id: QuestionStatistics(
            id=block.id, label=_label(block.value, renders, language)
        )
        for block, renders in zip(
            quiz.questions, stored_renders(quiz.questions), strict=True
        )
    }
    order = list(by_id)
    for marks in submitted.values_list("marks", flat=True).iterator(chunk_size=500):
        for qid, mark in marks.items():
            if qid not in by_id:
                by_id[qid] = QuestionStatistics(
                    id=qid, label=_("A question removed from the quiz"), in_quiz=False
                )
                order.append(qid)
            _count(by_id[qid], mark)
    return QuizStatistics(
        attempts=totals["attempts"],
        learners=totals["learners"],
        passed_learners=totals["passed_learners"],
        average_percent=average,
        questions=[by_id[qid] for qid in order],
    )


def _average_percent(submitted) -> int:
    sums = submitted.aggregate(score=Avg("score"), maximum=Avg("max_score"))
    if not sums["maximum"]:
        return 0
    return round(100 * sums["score"] / sums["maximum"])


def _count(stats, mark):
    score, maximum = Decimal(mark["score"]), Decimal(mark["max"])
    stats.answered += 1
    if maximum and score >= maximum:
        stats.full_marks += 1
    if maximum:
        stats.score_share_total += score / maximum


def _label(value, renders, language) -> str:
    """Return the question's name, else the start of its text as plain text."""
    name = value.get("name") if hasattr(value, "get") else ""
    if name:
        return name
    html = stored_html(value["text"], renders=renders, language=language)
    text = " ".join(unescape(strip_tags(html)).split())
    return Truncator(text).chars(90)
