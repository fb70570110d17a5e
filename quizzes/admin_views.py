"""Admin views of a quiz: statistics, GIFT import (with a preview) and export."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages

from people import access
from quizzes import editing, statistics
from quizzes.forms import GiftImportForm
from quizzes.gift import export_gift, kind_label, parse_gift
from quizzes.models import QuizPage


def _editable_quiz(request, page_id):
    quiz = get_object_or_404(QuizPage, pk=page_id)
    if not access.can_edit_page(request.user, quiz):
        raise PermissionDenied
    return quiz


def quiz_statistics(request, page_id):
    """Attempts, pass rate, average score and each question's share of full marks."""
    quiz = _editable_quiz(request, page_id)
    context = {
        "quiz": quiz,
        "stats": statistics.quiz_statistics(quiz),
        "weak_below": statistics.WEAK_BELOW,
        "page_title": _("Quiz statistics"),
    }
    return TemplateResponse(request, "quizzes/admin/statistics.html", context)


def import_gift(request, page_id):
    """Upload or paste GIFT, preview what would be added, then add it to a draft."""
    quiz = _editable_quiz(request, page_id)
    form = GiftImportForm(request.POST or None, request.FILES or None)
    result, problem = None, ""
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["gift_text"]
        if request.POST.get("action") == "import":
            result = parse_gift(text)
            if result.questions:
                try:
                    editing.add_questions(quiz, result.questions, user=request.user)
                except ValidationError as error:
                    form.add_error(None, _invalid(error))
                else:
                    messages.success(request, _added(len(result.questions)))
                    return redirect("wagtailadmin_pages:edit", quiz.pk)
        else:
            result = parse_gift(text)
            form = GiftImportForm(initial={"gift_text": text})
            try:
                editing.check_questions(quiz.questions.stream_block, result.questions)
            except ValidationError as error:
                problem = _invalid(error)
    context = {
        "quiz": quiz,
        "form": form,
        "result": result,
        "previews": [
            (kind_label(question["type"]), question)
            for question in (result.questions if result else [])
        ],
        "problem": problem,
        "page_title": _("Import questions from GIFT"),
    }
    return TemplateResponse(request, "quizzes/admin/import_gift.html", context)


def _invalid(error):
    return _("The questions could not be added: %(problem)s") % {
        "problem": "; ".join(error.messages)
    }


def _added(count):
    return ngettext(
        "%(count)d question was added to a draft of the quiz. Publish to use it.",
        "%(count)d questions were added to a draft of the quiz. Publish to use them.",
        count,
    ) % {"count": count}


def export_questions(request, page_id):
    """Download the quiz's questions as a GIFT file."""
    quiz = _editable_quiz(request, page_id)
    text = export_gift(editing.questions_as_data(quiz))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}.gift"'
    return response
