"""Two requests finishing the last step at once give one completion and one signal."""

import pytest
from django.db import connection

from lessons import progress
from lessons.models import Enrollment, StepCompletion
from lessons.signals import course_completed
from tests.concurrency import insert_into, run_in_parallel, update_of
from tests.factories import CoursePageFactory, LessonPageFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs parallel transactions: runs when the suite runs on PostgreSQL",
    ),
    pytest.mark.timeout(60),
]


def test_parallel_completion_of_the_last_step_completes_once(catalogue):
    course = CoursePageFactory(parent=catalogue)
    steps = [LessonPageFactory(parent=course) for _ in range(3)]
    learner = UserFactory()
    for step in steps[:2]:
        progress.complete_step(user=learner, step=step)

    signals = []

    def listener(sender, enrollment, **kwargs):
        signals.append(enrollment.pk)

    course_completed.connect(listener)
    try:
        _results, errors = run_in_parallel(
            lambda: progress.complete_step(user=learner, step=steps[2], course=course),
            threads=4,
            meet_before=[
                insert_into(StepCompletion),
                update_of(Enrollment, "completed_at"),
            ],
        )
    finally:
        course_completed.disconnect(listener)

    assert errors == []
    assert StepCompletion.objects.filter(user=learner, page=steps[2]).count() == 1
    assert Enrollment.objects.get(user=learner).completed_at is not None
    assert len(signals) == 1
