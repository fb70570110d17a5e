"""Course assignments: who must take which course by when.

Assigning enrols people as "assigned" with the due date. An enrolment keeps the
earliest due date its assignments give it, and completed enrolments are left as
they are. People who join a unit later are enrolled by `apply_assignments_to`.

An assignment's due date can be changed and the assignment withdrawn. Withdrawing
keeps the assignment (marked withdrawn) and every learning record: the open
enrolments it covered stay in the people's learning, no longer assigned and
without a due date, unless another assignment of the course still covers them.
"""

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Enrollment
from lessons.models.records import EnrollmentSource
from people import access
from people.models import User
from team.models import CourseAssignment

BATCH = 500


@transaction.atomic
def assign_course(
    *, course, due_date, assigned_by, unit=None, include_subunits=True, people=()
):
    """Assign a course to a unit or to chosen people; return (assignment, enrolled).

    `enrolled` counts the people the assignment covers now.
    """
    if (unit is None) == (not people):
        raise ValueError("Assign to a unit or to chosen people, not both or neither.")
    assignment = CourseAssignment.objects.create(
        course=course,
        org_unit=unit,
        include_subunits=include_subunits,
        due_date=due_date,
        assigned_by=assigned_by,
    )
    if people:
        assignment.people.set(people)
    return assignment, enrol_covered(assignment)


def people_covered(assignment, among=None, *, active_only=True):
    """Return the (active) people an assignment covers (optionally among some)."""
    people = among if among is not None else User.objects.all()
    if active_only:
        people = people.filter(is_active=True)
    if assignment.org_unit_id is None:
        return people.filter(course_assignments=assignment)
    if assignment.include_subunits:
        return people.filter(org_unit__path__startswith=assignment.org_unit.path)
    return people.filter(org_unit_id=assignment.org_unit_id)


def enrol_covered(assignment, among=None) -> int:
    """Enrol the people the assignment covers; return how many it covers."""
    people = people_covered(assignment, among)
    return enrol_as_assigned(
        course=assignment.course, people=people, due_date=assignment.due_date
    )


def enrol_as_assigned(*, course, people, due_date) -> int:
    """Enrol people (a queryset) as assigned; keep any earlier due date.

    Works in batches, so a unit of any size is never loaded into memory at once.
    """
    current = Enrollment.objects.filter(
        course=course, user__in=people, completed_at__isnull=True
    )
    current.filter(Q(due_date__isnull=True) | Q(due_date__gt=due_date)).update(
        due_date=due_date
    )
    current.exclude(source=EnrollmentSource.ASSIGNED).update(
        source=EnrollmentSource.ASSIGNED
    )
    newcomers = people.exclude(enrollments__course=course).values_list("pk", flat=True)
    batch = []
    for user_id in newcomers.iterator(chunk_size=BATCH):
        batch.append(user_id)
        if len(batch) == BATCH:
            _create_enrollments(course, batch, due_date)
            batch = []
    _create_enrollments(course, batch, due_date)
    return people.count()


def _create_enrollments(course, user_ids, due_date):
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user_id=user_id,
                course=course,
                source=EnrollmentSource.ASSIGNED,
                due_date=due_date,
            )
            for user_id in user_ids
        ],
        ignore_conflicts=True,
    )


def assignments_covering_unit(unit):
    """Return the unit assignments that cover the people of this unit."""
    return CourseAssignment.objects.filter(
        Q(org_unit=unit)
        | Q(org_unit__path__in=unit.ancestor_paths(), include_subunits=True),
        withdrawn_at__isnull=True,
    ).select_related("course", "org_unit")


def apply_assignments_to(user) -> None:
    """Enrol a person in what their unit has been assigned (for joiners and movers)."""
    if not (user.is_active and user.org_unit_id):
        return
    person = User.objects.filter(pk=user.pk)
    for assignment in assignments_covering_unit(user.org_unit):
        enrol_as_assigned(
            course=assignment.course, people=person, due_date=assignment.due_date
        )


def apply_all_unit_assignments() -> None:
    """Enrol everyone their units' assignments cover (after a staff import)."""
    assignments = CourseAssignment.objects.filter(
        org_unit__isnull=False, withdrawn_at__isnull=True
    )
    for assignment in assignments.select_related("course", "org_unit"):
        enrol_covered(assignment)


def assignments_for_team(units):
    """Return the assignments made to these units or to people in them, newest first."""
    return (
        CourseAssignment.objects.filter(
            Q(org_unit__in=units) | Q(people__org_unit__in=units)
        )
        .distinct()
        .select_related("course", "org_unit", "assigned_by")
    )


def assignments_visible_to(user):
    """Return the assignments the user may look at: their team's, or all of them."""
    if access.sees_everyone(user):
        assignments = CourseAssignment.objects.select_related(
            "course", "org_unit", "assigned_by"
        )
    else:
        assignments = assignments_for_team(access.team_units(user))
    return assignments.select_related("withdrawn_by", "due_date_changed_by")


def get_assignment_for(user, assignment_id):
    """Return an assignment the user may look at, or raise Http404."""
    return get_object_or_404(assignments_visible_to(user), pk=assignment_id)


def assignments_of(person) -> dict:
    """Return the assignments (withdrawn ones too) covering a person, by course id."""
    covering = Q(people=person)
    if person.org_unit_id:
        unit = person.org_unit
        covering |= Q(org_unit=unit) | Q(
            org_unit__path__in=unit.ancestor_paths(), include_subunits=True
        )
    by_course = {}
    assignments = (
        CourseAssignment.objects.filter(covering)
        .distinct()
        .select_related("assigned_by", "withdrawn_by")
        .order_by("created_at")
    )
    for assignment in assignments:
        by_course.setdefault(assignment.course_id, []).append(assignment)
    return by_course


def assignment_progress(assignment) -> dict:
    """Count the active people an assignment covers and those who completed."""
    people = people_covered(assignment)
    enrollments = Enrollment.objects.filter(course=assignment.course, user__in=people)
    return {
        "covered": people.count(),
        "completed": enrollments.filter(completed_at__isnull=False).count(),
    }


@transaction.atomic
def change_due_date(*, assignment, due_date, changed_by) -> int:
    """Move an assignment's due date; return how many open enrolments follow it.

    The open enrolments it covers take the new date, unless another assignment of
    the course gives them an earlier one. Reminders key on the enrolment's due
    date, so they follow the new date by themselves.
    """
    assignment.due_date = due_date
    assignment.due_date_changed_at = timezone.now()
    assignment.due_date_changed_by = changed_by
    assignment.save(
        update_fields=["due_date", "due_date_changed_at", "due_date_changed_by"]
    )
    people = people_covered(assignment)
    moved = _open_enrollments(assignment, people).update(
        due_date=due_date, source=EnrollmentSource.ASSIGNED
    )
    _reapply_other_assignments(assignment, people)
    return moved


@transaction.atomic
def withdraw_assignment(*, assignment, withdrawn_by) -> int:
    """Withdraw an assignment; return how many people it no longer makes take it.

    Nothing learnt is removed: progress, attempts, certificates and the enrolments
    stay. Open enrolments that no other assignment covers become the person's own,
    without a due date, so no more reminders go out about them.
    """
    if assignment.is_withdrawn:
        return 0
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawn_by = withdrawn_by
    assignment.save(update_fields=["withdrawn_at", "withdrawn_by"])
    people = people_covered(assignment, active_only=False)
    _open_enrollments(assignment, people).update(
        source=EnrollmentSource.SELF, due_date=None
    )
    _reapply_other_assignments(assignment, people)
    return (
        _open_enrollments(assignment, people)
        .filter(source=EnrollmentSource.SELF)
        .count()
    )


def _open_enrollments(assignment, people):
    return Enrollment.objects.filter(
        course=assignment.course, user__in=people, completed_at__isnull=True
    )


def _reapply_other_assignments(assignment, people):
    """Give back what the course's other live assignments give these people."""
    others = CourseAssignment.objects.filter(
        course=assignment.course, withdrawn_at__isnull=True
    ).exclude(pk=assignment.pk)
    for other in others.select_related("course", "org_unit"):
        enrol_covered(other, among=people)


def unit_assignment_blocker(unit):
    """Return why a unit with assignments cannot be deleted, or None."""
    if unit.assignments.exists():
        return _("Courses have been assigned to it.")
    return None
