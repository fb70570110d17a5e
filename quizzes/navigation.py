"""Finding one's way in an open attempt: flags for review and the question panel."""

from dataclasses import dataclass

from django.urls import reverse

from quizzes.models import AttemptState, QuizAttempt


@dataclass(frozen=True)
class NavigationItem:
    """One question in the panel: where it is, and whether it is answered or flagged."""

    number: int
    url: str
    answered: bool
    flagged: bool
    current: bool


def save_flags(attempt, *, shown, flagged) -> list[str]:
    """Set the flags of the questions shown to those flagged; return all flags.

    Ids that are not the attempt's questions are ignored, and a closed attempt
    keeps its flags as they were.
    """
    question_ids = [question["id"] for question in attempt.questions]
    shown, flagged = set(shown) & set(question_ids), set(flagged)
    kept = set(attempt.flagged) - shown
    result = [pk for pk in question_ids if pk in kept or pk in (shown & flagged)]
    if result != attempt.flagged:
        QuizAttempt.objects.filter(pk=attempt.pk, state=AttemptState.OPEN).update(
            flagged=result
        )
        attempt.flagged = result
    return result


def panel(attempt, *, shown_numbers) -> list[NavigationItem]:
    """Every question of the attempt, in order, for the navigation panel."""
    take = reverse("quizzes:take", args=[attempt.pk])
    one_per_page = attempt.quiz.one_question_per_page
    flagged = set(attempt.flagged)
    return [
        NavigationItem(
            number=number,
            url=f"{take}?page={number}" if one_per_page else f"#question-{number}",
            answered=question["id"] in attempt.answers,
            flagged=question["id"] in flagged,
            current=one_per_page and number in shown_numbers,
        )
        for number, question in enumerate(attempt.questions, start=1)
    ]


def flagged_numbers(attempt) -> list[int]:
    """The numbers (1-based) of the questions flagged for review."""
    flagged = set(attempt.flagged)
    return [
        number
        for number, question in enumerate(attempt.questions, start=1)
        if question["id"] in flagged
    ]
