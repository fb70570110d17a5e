"""Enrolment, step completion, course completion and progress: the learning rules.

Views, tasks and commands call these functions; nothing else writes learning
records. Course completion is decided in one place, `update_course_completion`.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page

from lessons import registry
from lessons.caching import cached_outlines
from lessons.models import CoursePage, Enrollment, StepCompletion
from lessons.models.records import EnrollmentSource
from lessons.outline import EMPTY_OUTLINE, Outline
from lessons.signals import course_completed
from people.access import visible_pages


@dataclass
class CourseProgress:
    """Where one learner stands in one course."""

    course: object
    outline: Outline
    enrollment: Enrollment | None = None
    completed_step_ids: set = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.outline.steps)

    @property
    def done(self) -> int:
        return sum(1 for pk in self.outline.step_ids if pk in self.completed_step_ids)

    @property
    def percent(self) -> int:
        if self.is_completed:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_enrolled(self) -> bool:
        return self.enrollment is not None

    @property
    def is_completed(self) -> bool:
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def is_overdue(self) -> bool:
        """Whether the course is due and not completed by its due date."""
        due = self.enrollment.due_date if self.enrollment else None
        return bool(due and not self.is_completed and due < timezone.localdate())

    @property
    def action(self) -> str:
        """What the learner does next: "start", "continue" or "review"."""
        if self.is_completed:
            return "review"
        return "continue" if self.done else "start"

    @property
    def resume_step(self):
        """Return the first step not yet done, from the last visited one onwards."""
        steps = self.outline.steps
        if not steps:
            return None
        last_id = self.enrollment.last_step_id if self.enrollment else None
        start = (
            self.outline.step_ids.index(last_id)
            if last_id in self.outline.step_ids
            else 0
        )
        for step in steps[start:] + steps[:start]:
            if step.pk not in self.completed_step_ids:
                return step
        return steps[start]


def enrol(*, user, course, source=EnrollmentSource.SELF, due_date=None):
    """Enrol the user in the course once; return (enrolment, created).

    The enrolment is read first, so opening a lesson takes no write lock when the
    learner is already enrolled.
    """
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Enrollment.objects.get_or_create(
                user=user,
                course=course,
                defaults={"source": source, "due_date": due_date},
            )
    except IntegrityError:
        return Enrollment.objects.get(user=user, course=course), False


def record_visit(*, enrollment, step) -> None:
    """Remember the step the learner opened last, for "continue where you left off"."""
    if enrollment.last_step_id != step.pk:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_step=step)
        enrollment.last_step_id = step.pk


def complete_step(*, user, step, course=None) -> tuple[Enrollment, bool]:
    """Mark a step done (once); return the enrolment and whether the course completed.

    The course completes when this was its last step not yet done.
    """
    course = course or course_of_step(step)
    enrollment, _created = enrol(user=user, course=course)
    if enrollment.last_step_id is None:
        record_visit(enrollment=enrollment, step=step)
    try:
        with transaction.atomic():
            done, created = StepCompletion.objects.get_or_create(user=user, page=step)
    except IntegrityError:
        created = True  # a parallel request recorded the same completion
    if not created and not enrollment.counts(done.completed_at):
        StepCompletion.objects.filter(pk=done.pk).update(completed_at=timezone.now())
    completed = update_course_completion(
        enrollment=enrollment, outline=outline_of(course)
    )
    return enrollment, completed


def update_course_completion(*, enrollment, outline=None) -> bool:
    """Complete the enrolment if every current step is done; return True only the once.

    The conditional update makes completion happen exactly once even when two
    requests finish the last step at the same moment.
    """
    if enrollment.completed_at:
        return False
    outline = outline or outline_of(enrollment.course)
    done = {
        page_id
        for page_id, completed_at in StepCompletion.objects.filter(
            user_id=enrollment.user_id, page_id__in=outline.step_ids
        ).values_list("page_id", "completed_at")
        if enrollment.counts(completed_at)
    }
    if not outline.steps or done != set(outline.step_ids):
        return False
    now = timezone.now()
    with transaction.atomic():
        updated = Enrollment.objects.filter(
            pk=enrollment.pk, completed_at__isnull=True
        ).update(completed_at=now)
        if not updated:
            return False
        enrollment.completed_at = now
        transaction.on_commit(lambda: _announce_completion(enrollment))
    return True


def _announce_completion(enrollment):
    course_completed.send(
        sender=Enrollment,
        enrollment=enrollment,
        user=enrollment.user,
        course=enrollment.course,
    )


def outline_of(course) -> Outline:
    """Return the outline of one course, loaded once per course object."""
    return course.get_outline()


def progress_for(*, user, courses, outlines=None, enrollments=None) -> dict:
    """Return each course's CourseProgress for the user in a fixed number of queries.

    `enrollments` (course id -> enrolment) may be passed when the caller has them.
    """
    courses = list(courses)
    outlines = outlines or cached_outlines(courses)
    completed = set()
    if user.is_authenticated and courses:
        if enrollments is None:
            enrollments = {
                e.course_id: e
                for e in Enrollment.objects.filter(
                    user=user, course__in=[c.pk for c in courses]
                )
            }
        completed = steps_that_count(
            user_ids=[user.pk],
            outlines={course.pk: outlines[course.pk] for course in courses},
            enrollments={(user.pk, pk): e for pk, e in enrollments.items()},
        ).get(user.pk, set())
    enrollments = enrollments or {}
    return {
        course.pk: CourseProgress(
            course=course,
            outline=outlines[course.pk],
            enrollment=enrollments.get(course.pk),
            completed_step_ids=completed,
        )
        for course in courses
    }


def steps_that_count(*, user_ids, outlines, enrollments) -> dict:
    """Return, per person, the ids of the steps done that still count.

    `outlines` maps course id to outline; `enrollments` maps (user id, course id) to
    the enrolment. A step done before its course was reopened (an expired
    certificate) counts again only when done again.
    """
    course_of_step = {
        pk: course_id
        for course_id, outline in outlines.items()
        for pk in outline.step_ids
    }
    done = {}
    rows = StepCompletion.objects.filter(
        user_id__in=user_ids, page_id__in=list(course_of_step)
    ).values_list("user_id", "page_id", "completed_at")
    for user_id, page_id, completed_at in rows:
        enrollment = enrollments.get((user_id, course_of_step[page_id]))
        if enrollment is None or enrollment.counts(completed_at):
            done.setdefault(user_id, set()).add(page_id)
    return done


def reopen(enrollment, *, now=None) -> None:
    """Open a completed course again (its certificate expired): do it again."""
    now = now or timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        completed_at=None, reopened_at=now, last_step=None
    )
    enrollment.completed_at, enrollment.reopened_at = None, now
    enrollment.last_step_id = None


def reevaluate_course(*, course) -> int:
    """Complete in-progress enrolments whose remaining steps are now all done."""
    outline = outline_of(course)
    pending = Enrollment.objects.filter(course=course, completed_at__isnull=True)
    return sum(
        update_course_completion(enrollment=enrollment, outline=outline)
        for enrollment in pending.iterator()
    )


@dataclass
class LearningOverview:
    """A learner's courses, in the sections of "My learning"."""

    assigned: list
    in_progress: list
    completed: list

    @property
    def is_empty(self):
        return not (self.assigned or self.in_progress or self.completed)


def learning_overview(*, user) -> LearningOverview:
    """Return the learner's enrolments as progress, sorted for "My learning"."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course")
        .order_by("-enrolled_at")
    )
    visible_ids = set(
        visible_pages(
            CoursePage.objects.filter(pk__in=[e.course_id for e in enrollments])
        ).values_list("pk", flat=True)
    )
    courses = [e.course for e in enrollments if e.course_id in visible_ids]
    progress = progress_for(user=user, courses=courses)
    assigned, in_progress, completed = [], [], []
    for enrollment in enrollments:
        if enrollment.completed_at:
            completed.append(
                progress.get(enrollment.course_id) or _archived(enrollment)
            )
        elif enrollment.course_id not in visible_ids:
            continue  # a course taken down before the learner finished it
        elif enrollment.source == EnrollmentSource.ASSIGNED:
            assigned.append(progress[enrollment.course_id])
        else:
            in_progress.append(progress[enrollment.course_id])
    assigned.sort(key=lambda p: (p.enrollment.due_date is None, p.enrollment.due_date))
    completed.sort(key=lambda p: p.enrollment.completed_at, reverse=True)
    return LearningOverview(
        assigned=assigned, in_progress=in_progress, completed=completed
    )


def _archived(enrollment):
    """Progress of a completed course that is no longer published."""
    return CourseProgress(
        course=enrollment.course,
        outline=EMPTY_OUTLINE,
        enrollment=enrollment,
    )


def has_learning_records(page) -> bool:
    """Return whether any learner's record points into the page's subtree."""
    subtree = Page.objects.filter(path__startswith=page.path)
    return (
        Enrollment.objects.filter(course__in=subtree).exists()
        or StepCompletion.objects.filter(page__in=subtree).exists()
        or registry.other_records_exist(pages=subtree)
    )


def user_has_learning_records(user) -> bool:
    return (
        Enrollment.objects.filter(user=user).exists()
        or StepCompletion.objects.filter(user=user).exists()
        or registry.other_records_exist(user=user)
    )


def is_step_done(*, user, step_id) -> bool:
    return StepCompletion.objects.filter(user=user, page_id=step_id).exists()


def course_of_step(page):
    """Return the course a step or module page belongs to, or None."""
    return CoursePage.objects.ancestor_of(page).first()


@dataclass(frozen=True)
class EnrollmentSummary:
    enrolled: int
    in_progress: int
    completed: int


def enrollment_summary(*, course) -> EnrollmentSummary:
    """Count a course's learners by state (one query, no personal data)."""
    counts = Enrollment.objects.filter(course=course).aggregate(
        enrolled=Count("pk"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )
    return EnrollmentSummary(
        enrolled=counts["enrolled"],
        in_progress=counts["enrolled"] - counts["completed"],
        completed=counts["completed"],
    )
