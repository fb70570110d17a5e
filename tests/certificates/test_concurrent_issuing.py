"""Parallel completions of one course give one certificate (PostgreSQL only)."""

import pytest
from django.db import connection
from django.utils import timezone

from certificates.issuing import issue_certificate
from certificates.models import Certificate
from lessons import progress
from lessons.models import Enrollment, LessonPage, StepCompletion
from tests.concurrency import insert_into, run_in_parallel, update_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs parallel transactions: runs when the suite runs on PostgreSQL",
    ),
    pytest.mark.usefixtures("stand_in_pdfs"),
    pytest.mark.timeout(60),
]

THREADS = 4


def test_finishing_the_last_step_in_parallel_issues_one_certificate(course, learner):
    first, last = LessonPage.objects.child_of(course).order_by("path")
    progress.complete_step(user=learner, step=first, course=course)

    results, errors = run_in_parallel(
        lambda: progress.complete_step(user=learner, step=last, course=course)[1],
        threads=THREADS,
        meet_before=[
            insert_into(StepCompletion),
            update_of(Enrollment, "completed_at"),
        ],
    )

    assert errors == []
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    certificate = Certificate.objects.get()
    assert certificate.enrollment == Enrollment.objects.get(completed_at__isnull=False)
    assert certificate.pdf


def test_issuing_one_completion_in_parallel_creates_one_certificate(course, learner):
    enrollment_id = Enrollment.objects.create(
        user=learner, course=course, completed_at=timezone.now()
    ).pk

    results, errors = run_in_parallel(
        lambda: issue_certificate(Enrollment.objects.get(pk=enrollment_id)).pk,
        threads=THREADS,
        meet_before=[insert_into(Certificate)],
    )

    assert errors == []
    assert len(results) == THREADS
    assert set(results) == {Certificate.objects.get().pk}
