"""The demo city: staff from a sample HR export, assignments and spread progress.

Idempotent like the rest of the demo: the staff import upserts, and assignments
(with the progress made on them) are created only the first time.
"""

import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from lessons import progress
from lessons.models import CoursePage, LessonPage
from people.assignments import assign_course
from people.importing import import_people
from people.models import CourseAssignment, OrgUnit, User

CITY_CSV = Path(__file__).resolve().parent / "demo_content" / "city.csv"
DEMO_MANAGER = "manager@example.org"
DEMO_LEARNER = "learner1@example.org"

# (course slug, unit code or None for all managers, days to the due date)
DEMO_ASSIGNMENTS = [
    ("welcome-to-the-city", "KAUPUNKI", 45),
    ("saavutettavuuden-perusteet", "KYMP-LUPA", -10),
    ("asiakaskokemus-nousuun", "KYMP-LUPA-2", 5),
    ("dataskydd-i-vardagen", "SOTE", -3),
    ("hyvan-esihenkilon-abc", None, 60),
]


def ensure_demo_city():
    """Import the demo staff, then assign courses once and spread some progress."""
    report = import_people(CITY_CSV.read_bytes())
    if report.fatal or report.errors:
        raise RuntimeError(f"The demo staff file does not import: {report}")
    today = timezone.localdate()
    rng = random.Random(2026)
    for slug, unit_code, days in DEMO_ASSIGNMENTS:
        course = CoursePage.objects.get(slug=slug)
        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        if CourseAssignment.objects.filter(course=course, org_unit=unit).exists():
            continue
        assigner = (unit.managers.first() if unit else None) or User.objects.get(
            email=DEMO_MANAGER
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
    from quizzes.demo import pass_quiz
    from quizzes.models import QuizPage

    steps = progress.outline_of(course).steps
    step_ids = [step.pk for step in steps]
    pages = {page.pk: page for page in LessonPage.objects.filter(pk__in=step_ids)}
    pages |= {page.pk: page for page in QuizPage.objects.filter(pk__in=step_ids)}
    learners = User.objects.filter(enrollments__course=course, is_active=True).exclude(
        email=DEMO_LEARNER
    )
    for learner in learners.order_by("pk"):
        done = rng.choice([0, 0, 1, len(steps) // 2, len(steps), len(steps)])
        for step in steps[:done]:
            page = pages[step.pk]
            if isinstance(page, QuizPage):
                pass_quiz(learner, page)
            else:
                progress.complete_step(user=learner, step=page, course=course)
