"""Give the moderation workflow and task Wagtail creates Finnish and Swedish names.

Wagtail's own migration names both "Moderators approval"; one name serves both
languages of the admin, so it says it in both.
"""

from django.db import migrations

NAMES = {
    "Moderators approval": "Moderaattorien hyväksyntä – Moderatorernas godkännande"
}


def _rename(apps, names):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in names.items():
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)


def translate_names(apps, schema_editor):
    _rename(apps, NAMES)


def restore_names(apps, schema_editor):
    _rename(apps, {new: old for old, new in NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_move_assignments_and_reminders_to_team"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(translate_names, restore_names)]
