"""Moving assignments and reminders from people to team keeps every row."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lessons import progress
from lessons.models import Enrollment, StepCompletion
from team.models import CourseAssignment, ReminderLog
from tests.factories import CoursePageFactory, LessonPageFactory

LAST_BEFORE_THE_MOVE = ("people", "0006_training_administrator_permissions")
BEFORE_THE_MOVE = [LAST_BEFORE_THE_MOVE, ("team", None)]


def _migrate(targets):
    """Migrate to the targets; return the models of people's state before the move."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(LAST_BEFORE_THE_MOVE).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_assignments_reminders_and_learning_records_survive_the_move(
    catalogue, learner, second_learner, manager, org
):
    course = CoursePageFactory(parent=catalogue, title="Tekoäly ja me")
    lesson = LessonPageFactory(parent=course)
    progress.complete_step(user=learner, step=lesson, course=course)
    records_before = (Enrollment.objects.count(), StepCompletion.objects.count())

    old_apps = _migrate(BEFORE_THE_MOVE)
    old_assignment = old_apps.get_model("people", "CourseAssignment").objects.create(
        course_id=course.pk,
        org_unit_id=org.team_a.pk,
        include_subunits=False,
        due_date=date(2027, 3, 31),
        assigned_by_id=manager.pk,
    )
    old_assignment.people.add(second_learner.pk)
    old_apps.get_model("people", "ReminderLog").objects.create(
        key="due-soon:1:2", recipient_id=learner.pk
    )
    _migrate(_latest())

    assignment = CourseAssignment.objects.get()
    assert (assignment.course, assignment.org_unit, assignment.due_date) == (
        course.page_ptr.specific,
        org.team_a,
        date(2027, 3, 31),
    )
    assert not assignment.include_subunits
    assert assignment.assigned_by == manager
    assert list(assignment.people.all()) == [second_learner]
    assert ReminderLog.objects.get().key == "due-soon:1:2"
    assert (Enrollment.objects.count(), StepCompletion.objects.count()) == (
        records_before
    )
    assert ContentType.objects.get_for_model(CourseAssignment).app_label == "team"
    assert Permission.objects.filter(
        content_type__app_label="team", codename="add_courseassignment"
    ).exists()
    assert not ContentType.objects.filter(
        app_label="people", model__in=["courseassignment", "reminderlog"]
    ).exists()
