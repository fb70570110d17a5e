"""Four requests starting the same quiz at once give the learner one open attempt."""

import pytest
from django.db import connection

from quizzes.attempts import start_attempt
from quizzes.models import AttemptState, QuizAttempt
from tests.concurrency import insert_into, run_in_parallel
from tests.factories import CoursePageFactory, QuizPageFactory, UserFactory
from tests.quizzes.conftest import EVERY_KIND

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs parallel transactions: runs when the suite runs on PostgreSQL",
    ),
    pytest.mark.timeout(60),
]

STARTS = 4


def test_parallel_starts_share_one_open_attempt(catalogue):
    course = CoursePageFactory(parent=catalogue)
    quiz = QuizPageFactory(parent=course, questions=EVERY_KIND)
    learner = UserFactory()
    started, errors = run_in_parallel(
        lambda: start_attempt(user=learner, quiz=quiz),
        threads=STARTS,
        meet_before=[insert_into(QuizAttempt)],
    )

    assert errors == []
    attempts = QuizAttempt.objects.filter(user=learner, quiz=quiz)
    assert attempts.count() == 1
    attempt = attempts.get()
    assert attempt.state == AttemptState.OPEN and attempt.number == 1
    assert [got.pk for got, _created in started] == [attempt.pk] * STARTS
    assert sorted(created for _got, created in started) == [False] * 3 + [True]
