"""Hand CourseAssignment and ReminderLog to the team app, keeping every row.

The tables are renamed here; team's first migration takes the models into its
state and moves their content types, so permissions and log entries follow.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_training_administrator_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("courseassignment", "team_courseassignment"),
                migrations.AlterModelTable("reminderlog", "team_reminderlog"),
            ],
            state_operations=[
                migrations.DeleteModel("CourseAssignment"),
                migrations.DeleteModel("ReminderLog"),
            ],
        ),
    ]
