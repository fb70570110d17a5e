"""The whole demo, composed from each app's demo pieces: run by `load_demo`.

Courses with their lessons (lessons), quizzes (quizzes), the certificate template
(certificates), the accounts and staff (people), then the assignments and the
progress people have made (here). Every step is idempotent: running the loader
again updates what is there and creates nothing twice.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from certificates.demo import VALIDITY_MONTHS, ensure_template
from lessons import demo as lessons_demo
from lessons import progress
from lessons.models import CoursePage, LessonPage
from people import demo as people_demo
from people.models import OrgUnit, User
from quizzes.demo import pass_quiz, upsert_quiz
from quizzes.models import QuizPage
from team.assignments import assign_course
from team.models import CourseAssignment

# (course slug, unit code or None for all managers, days to the due date)
DEMO_ASSIGNMENTS = [
    ("welcome-to-the-city", "KAUPUNKI", 45),
    ("saavutettavuuden-perusteet", "KYMP-LUPA", -10),
    ("asiakaskokemus-nousuun", "KYMP-LUPA-2", 5),
    ("dataskydd-i-vardagen", "SOTE", -3),
    ("hyvan-esihenkilon-abc", None, 60),
]


@transaction.atomic
def load_demo() -> dict[str, str]:
    """Create or update the whole demo; return each demo e-mail with its password."""
    catalogue = lessons_demo.ensure_catalogue()
    template = ensure_template()
    colours = lessons_demo.COVER_COLOURS
    for number, folder in enumerate(lessons_demo.course_folders()):
        course = lessons_demo.upsert_course(
            catalogue,
            folder,
            colour=colours[number % len(colours)],
            certificate_template=template,
            validity_months=VALIDITY_MONTHS.get(folder.name),
        )
        upsert_quiz(course, folder)
    logins = people_demo.ensure_accounts(editable_root=catalogue.get_parent())
    ensure_demo_progress()
    people_demo.import_demo_staff()
    ensure_demo_assignments()
    return logins


# learner2 has finished one course and is midway through another, so that
# "My learning" and the course statistics have something to show.
DEMO_PROGRESS = {"dataskydd-i-vardagen": None, "tekoaly-ja-me": 2}


def ensure_demo_progress():
    learner = User.objects.get(email="learner2@example.org")
    for slug, steps_done in DEMO_PROGRESS.items():
        course = CoursePage.objects.get(slug=slug)
        for step in progress.outline_of(course).steps[:steps_done]:
            lesson = LessonPage.objects.filter(pk=step.pk).first()
            if lesson:
                progress.complete_step(user=learner, step=lesson, course=course)
            elif not progress.is_step_done(user=learner, step_id=step.pk):
                pass_quiz(learner, QuizPage.objects.get(pk=step.pk))


def ensure_demo_assignments():
    """Assign courses once to the demo city's units and spread some progress."""
    today = timezone.localdate()
    rng = random.Random(2026)
    for slug, unit_code, days in DEMO_ASSIGNMENTS:
        course = CoursePage.objects.get(slug=slug)
        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        if CourseAssignment.objects.filter(course=course, org_unit=unit).exists():
            continue
        assigner = (unit.managers.first() if unit else None) or User.objects.get(
            email=people_demo.DEMO_MANAGER
        )
        people = (
            []
            if unit
            else list(User.objects.filter(managed_units__isnull=False).distinct())
        )
        assign_course(
            course=course,
            due_date=today + timedelta(days=days),
            assigned_by=assigner,
            unit=unit,
            people=people,
        )
        _spread_progress(course, rng)


def _spread_progress(course, rng):
    """Let the assigned people get various distances into the course."""
    steps = progress.outline_of(course).steps
    step_ids = [step.pk for step in steps]
    pages = {page.pk: page for page in LessonPage.objects.filter(pk__in=step_ids)}
    pages |= {page.pk: page for page in QuizPage.objects.filter(pk__in=step_ids)}
    learners = User.objects.filter(enrollments__course=course, is_active=True).exclude(
        email=people_demo.DEMO_LEARNER
    )
    for learner in learners.order_by("pk"):
        done = rng.choice([0, 0, 1, len(steps) // 2, len(steps), len(steps)])
        for step in steps[:done]:
            page = pages[step.pk]
            if isinstance(page, QuizPage):
                pass_quiz(learner, page)
            else:
                progress.complete_step(user=learner, step=page, course=course)
