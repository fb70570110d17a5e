"""Take CourseAssignment and ReminderLog over from people (state only).

people's migration 0007 has renamed their tables; here the models enter this app's
state and their content types move with them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["courseassignment", "reminderlog"]


def _move_content_types(apps, *, source, target):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label=source, model__in=MODELS).update(
        app_label=target
    )


def forwards(apps, schema_editor):
    _move_content_types(apps, source="people", target="team")


def backwards(apps, schema_editor):
    _move_content_types(apps, source="team", target="people")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("lessons", "0004_enrollment_reopened_at"),
        ("people", "0007_move_assignments_and_reminders_to_team"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CourseAssignment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "include_subunits",
                            models.BooleanField(
                                default=True, verbose_name="include subunits"
                            ),
                        ),
                        ("due_date", models.DateField(verbose_name="due date")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                verbose_name="assigned at",
                            ),
                        ),
                        (
                            "assigned_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="assigned by",
                            ),
                        ),
                        (
                            "course",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assignments",
                                to="lessons.coursepage",
                                verbose_name="course",
                            ),
                        ),
                        (
                            "org_unit",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assignments",
                                to="people.orgunit",
                                verbose_name="organisation unit",
                            ),
                        ),
                        (
                            "people",
                            models.ManyToManyField(
                                blank=True,
                                related_name="course_assignments",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="people",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "course assignment",
                        "verbose_name_plural": "course assignments",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ReminderLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "key",
                            models.CharField(
                                max_length=200, unique=True, verbose_name="key"
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                verbose_name="sent at",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recipient",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "reminder sent",
                        "verbose_name_plural": "reminders sent",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
