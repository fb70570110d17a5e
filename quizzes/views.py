"""Taking a quiz: start, answer (autosaved), review and submit, see the result.

Views are thin: the rules are in quizzes/attempts.py; who may see what is asked of
people/access.py. Another person's attempt answers 404.
"""

import re

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lessons import progress
from people import access
from quizzes import attempts as quiz_attempts
from quizzes import lookups, navigation

MAX_SAVE_BYTES = 64 * 1024


def _login_first(request):
    if not access.can_learn(request.user):
        return redirect_to_login(request.get_full_path())
    return None


def _has_completed(user, course) -> bool:
    if course is None:
        return False
    return progress.progress_for(user=user, courses=[course])[course.pk].is_completed


def _wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch"


@require_POST
def start(request, quiz_id):
    """Start a new attempt (or continue the open one)."""
    if refusal := _login_first(request):
        return refusal
    quiz, _course = lookups.get_visible_quiz(quiz_id)
    try:
        attempt, _created = quiz_attempts.start_attempt(user=request.user, quiz=quiz)
    except quiz_attempts.AttemptRefused as refused:
        return _refused_page(request, quiz, str(refused))
    return redirect("quizzes:take", attempt.pk)


def _refused_page(request, quiz, message):
    context = {"quiz": quiz, "message": message}
    return render(request, "quizzes/refused.html", context, status=409)


def _open_attempt(request, attempt_id):
    """Return the user's open attempt, or a response: the result once it is closed."""
    attempt = lookups.get_own_attempt(request.user, attempt_id)
    standing = quiz_attempts.quiz_standing(user=request.user, quiz=attempt.quiz)
    if standing.open_attempt is None or standing.open_attempt.pk != attempt.pk:
        return None, redirect("quizzes:result", attempt.pk)
    return standing.open_attempt, None


@require_GET
def take(request, attempt_id):
    """The questions of an open attempt: all on one page, or one per page."""
    if refusal := _login_first(request):
        return refusal
    attempt, closed = _open_attempt(request, attempt_id)
    if closed:
        return closed
    questions = quiz_attempts.public_questions(attempt)
    page_number, shown = _page_of(attempt, questions, request.GET.get("page"))
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "questions": quiz_attempts.form_questions(attempt, shown),
        "page_number": page_number,
        "page_count": len(questions) if attempt.quiz.one_question_per_page else 1,
        "question_count": len(questions),
        "answered_count": len(questions) - len(quiz_attempts.unanswered(attempt)),
        "navigation": navigation.panel(
            attempt, shown_numbers={number for number, _question in shown}
        ),
        "flagged": set(attempt.flagged),
    }
    return render(request, "quizzes/take.html", context)


def _page_of(attempt, questions, page):
    """Return (page number, [(number, question)]) for the page asked for."""
    numbered = list(enumerate(questions, start=1))
    if not attempt.quiz.one_question_per_page:
        return 1, numbered
    try:
        number = min(max(int(page or 1), 1), len(numbered))
    except ValueError:
        number = 1
    return number, numbered[number - 1 : number]


@require_POST
def save(request, attempt_id):
    """Store the answers of the shown questions (autosave, or a plain form post)."""
    if refusal := _login_first(request):
        return refusal
    attempt = lookups.get_own_attempt(request.user, attempt_id)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_SAVE_BYTES:
        return _problem(request, attempt, _("Too much data was sent."), 413)
    try:
        shown = request.POST.getlist("shown")
        attempt = quiz_attempts.save_answers(attempt, request.POST, shown)
        navigation.save_flags(
            attempt, shown=shown, flagged=request.POST.getlist("flagged")
        )
    except quiz_attempts.AttemptClosed as closed:
        return _problem(request, attempt, str(closed), 409)
    except quiz_attempts.BadAnswers as bad:
        return _problem(request, attempt, str(bad), 400)
    if _wants_json(request):
        return JsonResponse(
            {
                "saved": True,
                "unanswered": len(quiz_attempts.unanswered(attempt)),
                "answered": [item.number for item in _panel(attempt) if item.answered],
                "flagged": navigation.flagged_numbers(attempt),
            }
        )
    return redirect(_next_place(attempt, request.POST.get("go", "")))


def _panel(attempt):
    return navigation.panel(attempt, shown_numbers=set())


def _next_place(attempt, go):
    if go == "review":
        return reverse("quizzes:submit", args=[attempt.pk])
    if page := re.fullmatch(r"page:([0-9]{1,4})", go):
        return f"{reverse('quizzes:take', args=[attempt.pk])}?page={page[1]}"
    return reverse("quizzes:take", args=[attempt.pk])


def _problem(request, attempt, message, status):
    if _wants_json(request):
        return JsonResponse({"saved": False, "error": message}, status=status)
    context = {"attempt": attempt, "quiz": attempt.quiz, "message": message}
    return render(request, "quizzes/problem.html", context, status=status)


@require_http_methods(["GET", "POST"])
def submit(request, attempt_id):
    """Review the answers (unanswered questions listed), then submit for grading."""
    if refusal := _login_first(request):
        return refusal
    attempt = lookups.get_own_attempt(request.user, attempt_id)
    if request.method == "POST":
        course = attempt.quiz.get_course()
        was_completed = _has_completed(request.user, course)
        try:
            submitted = quiz_attempts.submit_by_learner(attempt)
        except quiz_attempts.AttemptClosed as closed:
            return _problem(request, attempt, str(closed), 409)
        if (
            submitted.passed
            and not was_completed
            and _has_completed(request.user, course)
        ):
            return redirect("lessons:course_completed", course.pk)
        return redirect("quizzes:result", attempt.pk)
    attempt, closed = _open_attempt(request, attempt_id)
    if closed:
        return closed
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "unanswered": quiz_attempts.unanswered(attempt),
        "flagged": navigation.flagged_numbers(attempt),
        "question_count": len(attempt.questions),
    }
    return render(request, "quizzes/submit.html", context)


@require_GET
def result(request, attempt_id):
    """A submitted attempt's score, and as much review as the quiz's policy allows."""
    if refusal := _login_first(request):
        return refusal
    attempt = lookups.get_own_attempt(request.user, attempt_id)
    standing = quiz_attempts.quiz_standing(user=request.user, quiz=attempt.quiz)
    attempt = next((a for a in standing.attempts if a.pk == attempt.pk), None)
    if attempt is None:
        raise Http404
    quiz = attempt.quiz
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "standing": standing,
        "items": quiz_attempts.review(attempt, standing),
        "course": quiz.get_course(),
    }
    return render(request, "quizzes/result.html", context)
