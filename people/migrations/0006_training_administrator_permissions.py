from django.db import migrations

GROUP = "Training administrators"
CODENAMES = [
    "view_all_learning",
    "anonymise_person",
    "add_orgunit",
    "change_orgunit",
    "delete_orgunit",
    "view_orgunit",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="people", codename__in=CODENAMES
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="people", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_assignments_reminders_privacy")]

    operations = [migrations.RunPython(grant, revoke)]
