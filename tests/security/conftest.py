"""What every security test asks about: a course, its steps, attempts, a certificate."""

import pytest

from lessons import progress
from quizzes.attempts import start_attempt, submit_attempt
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    QuizPageFactory,
    UserFactory,
)
from tests.quizzes.conftest import EVERY_KIND


@pytest.fixture
def content(catalogue, org, learner, manager, unrelated_manager, editor, superuser):
    course = CoursePageFactory(parent=catalogue, title="Kurssi")
    lesson = LessonPageFactory(parent=course, title="Oppitunti")
    draft = LessonPageFactory(parent=course, title="Luonnos")
    draft.unpublish()
    draft_course = CoursePageFactory(parent=catalogue, title="Piilotettu")
    draft_course.unpublish()
    progress.complete_step(user=learner, step=lesson)
    quiz = QuizPageFactory(parent=course, title="Koe", questions=EVERY_KIND)
    submitted, _created = start_attempt(user=learner, quiz=quiz)
    submit_attempt(submitted)
    open_attempt, _created = start_attempt(user=learner, quiz=quiz)
    certificate = _certificate(learner, course)
    return {
        "certificate": certificate,
        "second_certificate": _second_certificate(catalogue, learner),
        "quiz": quiz,
        "submitted_attempt": submitted,
        "open_attempt": open_attempt,
        "course": course,
        "lesson": lesson,
        "draft": draft,
        "draft_course": draft_course,
        "org": org,
        "learner": learner,
        "leaver": UserFactory(email="leaver@example.org"),
        "assignment": _assignment(course, manager, org),
        "editor": editor,
        "superuser": superuser,
    }


def _assignment(course, manager, org):
    """The course, assigned by the manager to team A."""
    from datetime import timedelta

    from django.utils import timezone

    from team.assignments import assign_course

    assignment, _enrolled = assign_course(
        course=course,
        due_date=timezone.localdate() + timedelta(days=30),
        assigned_by=manager,
        unit=org.team_a,
    )
    return assignment


def _second_certificate(catalogue, learner):
    """A certificate of the learner's from another course."""
    course = CoursePageFactory(parent=catalogue, title="Toinen kurssi")
    progress.complete_step(
        user=learner, step=LessonPageFactory(parent=course, title="Ainoa")
    )
    return _certificate(learner, course)


def _certificate(learner, course):
    """A certificate of the learner's, with a stored (stand-in) PDF."""
    from django.core.files.base import ContentFile

    from certificates.issuing import issue_certificate
    from certificates.models import CertificateTemplate
    from lessons.models import Enrollment

    course.certificate_template = CertificateTemplate.objects.create(
        name="Perus", title_fi="Todistus", body_fi="{name}: {course}"
    )
    course.save()
    enrollment = Enrollment.objects.get(user=learner, course=course)
    enrollment.completed_at = enrollment.enrolled_at
    certificate = issue_certificate(enrollment)
    certificate.pdf.save("stand-in.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    return certificate
