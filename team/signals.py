from django.db.models.signals import post_save
from django.dispatch import receiver

from people.models import User
from people.signals import people_imported
from team.assignments import apply_all_unit_assignments, apply_assignments_to

_FIELDS_THAT_MOVE_PEOPLE = {"org_unit", "is_active"}


@receiver(post_save, sender=User, dispatch_uid="team.enrol_joiner")
def enrol_joiner(sender, instance, update_fields=None, raw=False, **kwargs):
    """Give a person who joins or moves to a unit the courses assigned to it."""
    if raw or (update_fields and not _FIELDS_THAT_MOVE_PEOPLE & set(update_fields)):
        return
    apply_assignments_to(instance)


@receiver(people_imported, dispatch_uid="team.enrol_imported")
def enrol_imported(sender, **kwargs):
    """Enrol everyone their units' assignments cover, once per staff import."""
    apply_all_unit_assignments()
