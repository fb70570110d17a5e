"""The team dashboard's rules: who is where in which assigned course.

A report is people (rows) × courses (columns). Filters pick the people (unit,
status, search) and the courses; sorting and paging work in the database, and
the cells of one page of people take a fixed number of queries whatever the size
of the team or of the courses. A status filter is about cells: it keeps the people
with a course in that status and shows only those cells. Exports walk the same
rows in batches and hold one line per cell shown, in the order shown.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models import CoursePage, Enrollment
from lessons.models.records import EnrollmentSource
from lessons.outline import EMPTY_OUTLINE, load_outlines
from lessons.progress import CourseProgress, steps_that_count
from people.access import visible_pages
from quizzes.models import AttemptState, QuizAttempt

EXPORT_BATCH = 500


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    OVERDUE = "overdue", _("Overdue")
    COMPLETED = "completed", _("Completed")


class Sort(models.TextChoices):
    NAME = "name", _("Name (A–Z)")
    NAME_DESC = "-name", _("Name (Z–A)")
    UNIT = "unit", _("Unit (A–Z)")
    UNIT_DESC = "-unit", _("Unit (Z–A)")
    MOST_COMPLETED = "-completed", _("Most courses completed")
    LEAST_COMPLETED = "completed", _("Fewest courses completed")


_NAME = ["last_name", "first_name", "email"]
_ORDERINGS = {
    Sort.NAME: _NAME,
    Sort.NAME_DESC: [f"-{name}" for name in _NAME],
    Sort.UNIT: ["org_unit__name", *_NAME],
    Sort.UNIT_DESC: ["-org_unit__name", *_NAME],
    Sort.MOST_COMPLETED: ["-completed_count", *_NAME],
    Sort.LEAST_COMPLETED: ["completed_count", *_NAME],
}


@dataclass(frozen=True)
class Cell:
    """One person's standing in one course."""

    status: str
    percent: int = 0
    enrollment: Enrollment | None = None
    shown: bool = True

    @property
    def label(self):
        if self.enrollment is None:
            return _("Not enrolled")
        return Status(self.status).label

    @property
    def due_date(self):
        return self.enrollment.due_date if self.enrollment else None

    @property
    def completed_at(self):
        return self.enrollment.completed_at if self.enrollment else None


@dataclass
class Row:
    person: object
    cells: list


@dataclass(frozen=True)
class CourseSummary:
    course: CoursePage
    assigned: int
    completed: int
    overdue: int

    @property
    def percent(self):
        return round(100 * self.completed / self.assigned) if self.assigned else 0


@dataclass
class TeamReport:
    courses: list
    people: object  # the filtered, sorted queryset of people (not evaluated)
    today: date
    status: str = ""

    def summaries(self) -> list[CourseSummary]:
        """Count, per course, the filtered people enrolled, completed and overdue."""
        counts = {
            row["course_id"]: row
            for row in Enrollment.objects.filter(
                user__in=self.people.values("pk"), course__in=self.courses
            )
            .values("course_id")
            .annotate(
                assigned=Count("pk"),
                completed=Count("pk", filter=_status_q(Status.COMPLETED, self.today)),
                overdue=Count("pk", filter=_status_q(Status.OVERDUE, self.today)),
            )
        }
        return [
            CourseSummary(
                course=course,
                assigned=counts.get(course.pk, {}).get("assigned", 0),
                completed=counts.get(course.pk, {}).get("completed", 0),
                overdue=counts.get(course.pk, {}).get("overdue", 0),
            )
            for course in self.courses
        ]

    def rows(self, people) -> list[Row]:
        """Return the cells of these people (one page of the report)."""
        rows = _rows(list(people), self.courses, self.today, self._outlines)
        if self.status:
            for row in rows:
                row.cells = [self._filtered(cell) for cell in row.cells]
        return rows

    def _filtered(self, cell):
        if cell.enrollment is not None and cell.status == self.status:
            return cell
        return replace(cell, shown=False)

    def iter_rows(self, batch=EXPORT_BATCH):
        """Yield every row of the report, reading the people in batches."""
        people = []
        for person in self.people.select_related("org_unit").iterator(chunk_size=batch):
            people.append(person)
            if len(people) == batch:
                yield from self.rows(people)
                people = []
        yield from self.rows(people)

    @property
    def _outlines(self):
        if not hasattr(self, "_outline_cache"):
            self._outline_cache = load_outlines(self.courses)
        return self._outline_cache


def assigned_courses(members):
    """Return the visible courses assigned to any of these people, by title."""
    return list(assigned_courses_queryset(members))


def assigned_courses_queryset(members):
    """Return, unevaluated, the visible courses assigned to any of these people."""
    assigned = Enrollment.objects.filter(
        user__in=members.values("pk"), source=EnrollmentSource.ASSIGNED
    ).values("course_id")
    return visible_pages(CoursePage.objects.filter(pk__in=assigned)).order_by("title")


def team_report(
    *, members, course=None, status="", query="", sort=Sort.NAME, today=None
) -> TeamReport:
    """Filter and sort a team (a queryset of people) for the dashboard and exports."""
    today = today or timezone.localdate()
    courses = [course] if course else assigned_courses(members)
    people = members.select_related("org_unit")
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(employee_number__iexact=query)
        )
    if status:
        people = _with_status(people, courses, status, today)
    people = people.annotate(
        completed_count=_count_in(courses, _status_q(Status.COMPLETED, today))
    ).order_by(*_ORDERINGS[Sort(sort)])
    return TeamReport(courses=courses, people=people, today=today, status=status)


def _status_q(status, today) -> Q:
    """Return the condition on an enrolment for a cell in this status."""
    open_ = Q(completed_at__isnull=True)
    overdue = Q(due_date__lt=today)
    return {
        Status.COMPLETED: Q(completed_at__isnull=False),
        Status.OVERDUE: open_ & overdue,
        Status.IN_PROGRESS: open_ & ~overdue & Q(last_step__isnull=False),
        Status.NOT_STARTED: open_ & ~overdue & Q(last_step__isnull=True),
    }[Status(status)]


def _count_in(courses, condition):
    """A subquery counting a person's enrolments in these courses that match."""
    matching = (
        Enrollment.objects.filter(condition, user=OuterRef("pk"), course__in=courses)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(matching, output_field=IntegerField()), Value(0))


def _with_status(people, courses, status, today):
    """Keep the people enrolled in at least one of the courses in this status."""
    if not courses:
        return people.none()
    return people.filter(
        Exists(
            Enrollment.objects.filter(
                _status_q(status, today), user=OuterRef("pk"), course__in=courses
            )
        )
    )


def cell_for(enrollment, *, outline, done_ids, today) -> Cell:
    """Return the cell of one enrolment (or of no enrolment)."""
    if enrollment is None:
        return Cell(Status.NOT_STARTED)
    if enrollment.completed_at:
        return Cell(Status.COMPLETED, 100, enrollment)
    percent = CourseProgress(
        course=None,
        outline=outline,
        enrollment=enrollment,
        completed_step_ids=done_ids,
    ).percent
    if enrollment.due_date and enrollment.due_date < today:
        return Cell(Status.OVERDUE, percent, enrollment)
    if enrollment.last_step_id:
        return Cell(Status.IN_PROGRESS, percent, enrollment)
    return Cell(Status.NOT_STARTED, percent, enrollment)


def _rows(people, courses, today, outlines) -> list[Row]:
    if not people:
        return []
    person_ids = [person.pk for person in people]
    enrollments = {
        (e.user_id, e.course_id): e
        for e in Enrollment.objects.filter(user_id__in=person_ids, course__in=courses)
    }
    done = steps_that_count(
        user_ids=person_ids, outlines=outlines, enrollments=enrollments
    )
    return [
        Row(
            person=person,
            cells=[
                cell_for(
                    enrollments.get((person.pk, course.pk)),
                    outline=outlines[course.pk],
                    done_ids=done.get(person.pk, set()),
                    today=today,
                )
                for course in courses
            ],
        )
        for person in people
    ]


def person_courses(person, today=None) -> list[tuple[CoursePage, Cell]]:
    """Return every course a person is enrolled in, with their standing, by title."""
    today = today or timezone.localdate()
    enrollments = list(
        Enrollment.objects.filter(user=person)
        .select_related("course")
        .order_by("course__title")
    )
    courses = [e.course for e in enrollments]
    outlines = load_outlines(courses)
    done = steps_that_count(
        user_ids=[person.pk],
        outlines=outlines,
        enrollments={(person.pk, e.course_id): e for e in enrollments},
    ).get(person.pk, set())
    return [
        (
            e.course,
            cell_for(
                e,
                outline=outlines.get(e.course_id, EMPTY_OUTLINE),
                done_ids=done,
                today=today,
            ),
        )
        for e in enrollments
    ]


def person_quiz_attempts(person) -> list:
    """Return a person's submitted quiz attempts, newest first, with their quiz."""
    return list(
        QuizAttempt.objects.filter(user=person, state=AttemptState.SUBMITTED)
        .select_related("quiz")
        .defer("questions", "answers", "marks")
        .order_by("-submitted_at")
    )
