"""The team dashboard at /team/: progress, assignments, exports, a person's page.

Every view asks people/access.py who the viewer may follow; units and people
outside the viewer's team answer 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from certificates.register import certificates_of
from people import access
from team import exports, overview
from team.assignments import (
    assign_course,
    assignments_of,
    assignments_visible_to,
)
from team.forms import AssignCourseForm, TeamFilterForm

PAGE_SIZE = 50
RECENT_ASSIGNMENTS = 10


def require_team(request):
    """Send anonymous users to log in; refuse those who follow no team."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_follow_team(request.user):
        raise PermissionDenied
    return None


def parse_ids(values):
    try:
        return [int(value) for value in values]
    except ValueError:
        raise Http404 from None


def _no_form_kwargs(request):
    return {}


def for_filtered_team(*, form_class, template, select, form_kwargs=_no_form_kwargs):
    """Decorate a view of the viewer's team, filtered by a form from the query string.

    Anonymous people are sent to log in and people without a team refused; a unit
    outside the team answers 404 and bad filters 400. The view gets the form and
    what `select(request, cleaned_data)` returns; `form_kwargs(request)` gives the
    form more arguments.
    """

    def decorate(view):
        @require_GET
        @wraps(view)
        def wrapper(request):
            if refusal := require_team(request):
                return refusal
            unit_id = request.GET.get("unit")
            if unit_id:
                access.get_team_unit(request.user, *parse_ids([unit_id]))
            form = form_class(
                request.GET,
                units=access.team_units(request.user),
                **form_kwargs(request),
            )
            if not form.is_valid():
                return render(request, template, {"form": form}, status=400)
            return view(request, form, select(request, form.cleaned_data))

        return wrapper

    return decorate


def _team_report(request, data):
    return overview.team_report(
        members=access.team_members(request.user, unit=data["unit"]),
        course=data["course"],
        status=data["status"],
        query=data["q"].strip(),
        sort=data["sort"] or overview.Sort.NAME,
    )


def _team_form_kwargs(request):
    return {"members": access.team_members(request.user)}


_for_team_report = for_filtered_team(
    form_class=TeamFilterForm,
    template="team/dashboard.html",
    select=_team_report,
    form_kwargs=_team_form_kwargs,
)


@_for_team_report
def dashboard(request, form, report):
    """People × assigned courses for the viewer's team, filtered and paged."""
    page = Paginator(report.people, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = urlencode(
        [(k, v) for k, v in request.GET.items() if k != "page" and v], doseq=False
    )
    context = {
        "form": form,
        "report": report,
        "summaries": report.summaries(),
        "page_obj": page,
        "rows": report.rows(page.object_list),
        "filters": filters,
        "can_assign": access.can_assign_courses(request.user),
        "recent": assignments_visible_to(request.user)[:RECENT_ASSIGNMENTS],
    }
    return render(request, "team/dashboard.html", context)


@_for_team_report
def export_csv(request, form, report):
    """Stream exactly what the dashboard's filters show, as CSV."""
    response = StreamingHttpResponse(
        exports.csv_chunks(report), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    return response


@_for_team_report
def export_xlsx(request, form, report):
    """Send exactly what the dashboard's filters show, as an Excel workbook."""
    caption = exports.filter_caption(_("Team report"), form.caption_filters())
    return FileResponse(
        exports.xlsx_file(report, caption=caption),
        as_attachment=True,
        filename=_file_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _file_name(extension):
    return f"team-report-{timezone.localdate().isoformat()}.{extension}"


@require_GET
def person(request, person_id):
    """One person of the team: their courses and how far they are in each."""
    if refusal := require_team(request):
        return refusal
    member = access.get_team_member(request.user, person_id)
    context = {
        "person": member,
        "courses": _with_assignments(
            overview.person_courses(member), assignments_of(member)
        ),
        "attempts": overview.person_quiz_attempts(member),
        "certificates": certificates_of(member),
    }
    return render(request, "team/person.html", context)


def _with_assignments(courses, assignments):
    return [(course, cell, assignments.get(course.pk, [])) for course, cell in courses]


@require_http_methods(["GET", "POST"])
def assign(request):
    """Assign a course with a due date to a unit of the team or to chosen people."""
    if refusal := require_team(request):
        return refusal
    if not access.can_assign_courses(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    person_ids = parse_ids(source.getlist("people"))
    people = None
    if person_ids:
        access.get_team_members(request.user, person_ids)
        people = access.team_members(request.user).filter(pk__in=person_ids)
    unit_id = source.get("unit")
    if unit_id:
        access.get_team_unit(request.user, *parse_ids([unit_id]))
    units = access.team_units(request.user)
    initial = {"people": person_ids, "unit": unit_id, "course": source.get("course")}
    recent = assignments_visible_to(request.user)[:RECENT_ASSIGNMENTS]
    if request.method == "POST":
        form = AssignCourseForm(request.POST, units=units, people=people)
        if form.is_valid():
            return _assign_and_return(request, form)
    else:
        form = AssignCourseForm(units=units, people=people, initial=initial)
    context = {
        "form": form,
        "recent": recent,
    }
    status = 400 if form.is_bound else 200
    return render(request, "team/assign.html", context, status=status)


def _assign_and_return(request, form):
    data = form.cleaned_data
    assignment, covered = assign_course(
        course=data["course"],
        due_date=data["due_date"],
        assigned_by=request.user,
        unit=data.get("unit"),
        include_subunits=data.get("include_subunits", False),
        people=list(data.get("people") or []),
    )
    messages.success(
        request,
        ngettext(
            "“%(course)s” assigned to %(count)d person, due %(date)s.",
            "“%(course)s” assigned to %(count)d people, due %(date)s.",
            covered,
        )
        % {
            "course": assignment.course.title,
            "count": covered,
            "date": _date(assignment.due_date),
        },
    )
    query = {"course": assignment.course.pk}
    if assignment.org_unit_id:
        query["unit"] = assignment.org_unit_id
    return redirect(f"{reverse('team:dashboard')}?{urlencode(query)}")


def _date(value):
    return date_format(value, "SHORT_DATE_FORMAT")
