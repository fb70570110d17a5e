"""Course assignments: who must take which course by when.

Assigning enrols people as "assigned" with the due date. An enrolment keeps the
earliest due date it was given, and completed enrolments are left as they are.
People who join a unit later are enrolled by `apply_assignments_to`.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lessons.models import Enrollment
from lessons.models.records import EnrollmentSource
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


def people_covered(assignment, among=None):
    """Return the active people an assignment covers (optionally among some)."""
    people = among if among is not None else User.objects.all()
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
        | Q(org_unit__path__in=unit.ancestor_paths(), include_subunits=True)
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
    assignments = CourseAssignment.objects.filter(org_unit__isnull=False)
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


def unit_assignment_blocker(unit):
    """Return why a unit with assignments cannot be deleted, or None."""
    if unit.assignments.exists():
        return _("Courses have been assigned to it.")
    return None
