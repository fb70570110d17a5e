"""Parallel completions of one course give one certificate (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from certificates.issuing import issue_certificate
from certificates.models import Certificate
from lessons import progress
from lessons.models import Enrollment, LessonPage

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs parallel transactions: runs when the suite runs on PostgreSQL",
    ),
    pytest.mark.usefixtures("stand_in_pdfs"),
]

THREADS = 4


def _at_once(work):
    """Run `work` in THREADS threads released together; return results and errors."""
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # surfaced by the callers' assertions
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_finishing_the_last_step_in_parallel_issues_one_certificate(course, learner):
    first, last = LessonPage.objects.child_of(course).order_by("path")
    progress.complete_step(user=learner, step=first, course=course)

    results, errors = _at_once(
        lambda: progress.complete_step(user=learner, step=last, course=course)[1]
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

    results, errors = _at_once(
        lambda: issue_certificate(Enrollment.objects.get(pk=enrollment_id)).pk
    )

    assert errors == []
    assert len(results) == THREADS
    assert set(results) == {Certificate.objects.get().pk}
