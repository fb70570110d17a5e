from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from lessons import lookups, progress, registry
from lessons.catalogue import SEARCH_MAX_LENGTH, places_of, search_terms
from lessons.markdown_fields import editing_language, page_markdown_limit
from lessons.models import CoursePage, LessonPage
from lessons.rendering import render_markdown
from lessons.uploads import MarkdownImageForm
from people import access

SEARCH_PAGE_SIZE = 20


def _require_page_editor(request):
    """Send anonymous users to log in and refuse anyone who may not edit pages."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_edit_pages(request.user):
        raise PermissionDenied
    return None


@require_POST
def markdown_preview(request):
    """Render the editor's Markdown for the live preview, if its field may hold it.

    `limit` (optional) is the field's own limit, never above a page's; `editing`
    (optional) is the admin path of the page edited, whose language it renders in.
    """
    if refusal := _require_page_editor(request):
        return refusal
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("content is required")
    limit = _preview_limit(request.POST.get("limit"))
    if limit is None:
        return HttpResponseBadRequest("limit must be a positive whole number")
    try:
        MaxLengthValidator(limit)(content)
    except ValidationError as error:
        # The editor's script shows this answer in the preview pane, so the
        # editor sees why.
        return HttpResponseBadRequest(
            format_html('<p class="block-error" role="note">{}</p>', error.messages[0])
        )
    language = editing_language(request.POST.get("editing", ""))
    return HttpResponse(render_markdown(content, language=language))


def _preview_limit(value) -> int | None:
    """Return the limit asked for (a page's when none), or None when it is bad."""
    if value is None:
        return page_markdown_limit()
    if not (value.isascii() and value.isdigit() and len(value) < 10):
        return None
    if int(value) == 0:
        return None
    return min(int(value), page_markdown_limit())


@require_POST
def markdown_upload(request):
    """Store an image dropped into the Markdown editor; answer with its Markdown."""
    if refusal := _require_page_editor(request):
        return refusal
    form = MarkdownImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    return JsonResponse({"image_code": f"![]({form.save()})"})


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    terms = search_terms(query)
    results = []
    if terms:
        # The search backend takes plain filters only, so the visible pages
        # (a subquery) are named by their ids.
        visible = access.visible_pages().type(CoursePage, LessonPage).values("pk")
        results = Page.objects.filter(pk__in=visible).specific().search(terms)
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    places = places_of(page.object_list)
    context = {
        "query": query,
        "results": page,
        "found": [(result, places[result.pk]) for result in page.object_list],
        "paginator": paginator,
    }
    return render(request, "lessons/search.html", context)


@require_POST
def enrol(request, course_id):
    """Start a course: enrol the learner and take them to where they continue."""
    course = lookups.get_visible_course(course_id)
    if not access.can_learn(request.user):
        return redirect_to_login(course.url)
    enrollment, _created = progress.enrol(user=request.user, course=course)
    step = course.get_progress(request.user, enrollment).resume_step
    return redirect(step.url if step else course.url)


@require_POST
def complete_step(request, page_id):
    """Mark a lesson done and go on to the next step (or to the completion page).

    Quizzes are completed by passing them, never by this button.
    """
    step, course = lookups.get_visible_step(page_id)
    if not getattr(step, "is_marked_done_by_learner", False):
        raise Http404
    if not access.can_learn(request.user):
        return redirect_to_login(step.url)
    _enrollment, completed_now = progress.complete_step(
        user=request.user, step=step, course=course
    )
    if completed_now:
        return redirect("lessons:course_completed", course.pk)
    _previous, following = progress.outline_of(course).neighbours(step)
    return redirect(following.url if following else course.url)


@never_cache
@require_GET
def course_completed(request, course_id):
    """The learner's own moment of completion: the course, the date, what it earned.

    Each learner sees only their own completion; before it the course page.
    """
    course = lookups.get_visible_course(course_id)
    if not access.can_learn(request.user):
        return redirect_to_login(request.get_full_path())
    standing = progress.progress_for(user=request.user, courses=[course])[course.pk]
    if not standing.is_completed:
        return redirect(course.url)
    context = {
        "course": course,
        "progress": standing,
        "sections": registry.completion_sections(standing.enrollment),
    }
    return render(request, "lessons/course_completed.html", context)


def my_learning(request):
    """The learner's own courses: assigned, in progress and completed."""
    if not access.can_learn(request.user):
        return redirect_to_login(request.get_full_path())
    context = {
        "overview": progress.learning_overview(user=request.user),
        "sections": registry.learning_sections(request.user),
    }
    return render(request, "lessons/my_learning.html", context)
