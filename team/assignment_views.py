"""A team's assignments at /team/assignments/: the list, one assignment, changes.

The one who assigned a course and training admins may move its due date or
withdraw it (people/access.py); others in the team see it, and people outside
the team get 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from people import access
from team.assignments import (
    assignment_progress,
    assignments_visible_to,
    change_due_date,
    get_assignment_for,
    withdraw_assignment,
)
from team.forms import DueDateForm
from team.views import require_team

PAGE_SIZE = 50


@require_GET
def assignment_list(request):
    """Every assignment of the viewer's team, newest first."""
    if refusal := require_team(request):
        return refusal
    page = Paginator(assignments_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "team/assignment_list.html", {"page_obj": page})


@require_http_methods(["GET", "POST"])
def assignment_detail(request, assignment_id):
    """One assignment: whom it covers, how far they are; move its due date."""
    if refusal := require_team(request):
        return refusal
    assignment = get_assignment_for(request.user, assignment_id)
    can_change = access.can_change_assignment(request.user, assignment)
    form = DueDateForm(initial={"due_date": assignment.due_date})
    if request.method == "POST":
        _require_change(request, assignment)
        form = DueDateForm(request.POST)
        if form.is_valid():
            return _move_due_date(request, assignment, form.cleaned_data["due_date"])
    context = {
        "assignment": assignment,
        "can_change": can_change and not assignment.is_withdrawn,
        "form": form,
        "progress": assignment_progress(assignment),
    }
    status = 400 if form.is_bound else 200
    return render(request, "team/assignment_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def assignment_withdraw(request, assignment_id):
    """Ask before withdrawing an assignment, then withdraw it."""
    if refusal := require_team(request):
        return refusal
    assignment = get_assignment_for(request.user, assignment_id)
    _require_change(request, assignment)
    if assignment.is_withdrawn:
        messages.info(request, _("This assignment has already been withdrawn."))
        return redirect(assignment)
    if request.method == "POST":
        released = withdraw_assignment(assignment=assignment, withdrawn_by=request.user)
        messages.success(request, _withdrawn_message(assignment, released))
        return redirect(assignment)
    context = {
        "assignment": assignment,
        "progress": assignment_progress(assignment),
    }
    return render(request, "team/assignment_withdraw.html", context)


def _require_change(request, assignment):
    if not access.can_change_assignment(request.user, assignment):
        raise PermissionDenied


def _move_due_date(request, assignment, due_date):
    if assignment.is_withdrawn:
        messages.error(request, _("A withdrawn assignment cannot be changed."))
        return redirect(assignment)
    moved = change_due_date(
        assignment=assignment, due_date=due_date, changed_by=request.user
    )
    messages.success(
        request,
        ngettext(
            "The due date is now %(date)s for %(count)d person.",
            "The due date is now %(date)s for %(count)d people.",
            moved,
        )
        % {"date": date_format(due_date, "SHORT_DATE_FORMAT"), "count": moved},
    )
    return redirect(assignment)


def _withdrawn_message(assignment, released):
    return ngettext(
        "“%(course)s” withdrawn. %(count)d person keeps the course and what they "
        "have done in it, without a due date.",
        "“%(course)s” withdrawn. %(count)d people keep the course and what they "
        "have done in it, without a due date.",
        released,
    ) % {"course": assignment.course.title, "count": released}
