"""Fetch the quizzes and attempts a person may open; people/access.py decides."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from lessons.lookups import get_visible_step
from people import access
from quizzes.models import QuizAttempt, QuizPage


def get_visible_quiz(quiz_id):
    """Return (quiz, course) for a live quiz step of a visible course, or raise 404."""
    step, course = get_visible_step(quiz_id)
    if not isinstance(step, QuizPage):
        raise Http404
    return step, course


def get_own_attempt(user, attempt_id):
    """Return the user's own quiz attempt, or raise Http404 (also for others')."""
    if not access.can_learn(user):
        raise Http404
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("quiz"), pk=attempt_id
    )
    if not access.can_open_attempt(user, attempt):
        raise Http404
    return attempt
