from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from people.assignments import apply_assignments_to
from people.models import User

#: Sent with `person` after a leaver's personal data has been removed.
person_anonymised = Signal()

_FIELDS_THAT_MOVE_PEOPLE = {"org_unit", "is_active"}


@receiver(post_save, sender=User, dispatch_uid="people.enrol_joiner")
def enrol_joiner(sender, instance, update_fields=None, raw=False, **kwargs):
    """Give a person who joins or moves to a unit the courses assigned to it."""
    if raw or (update_fields and not _FIELDS_THAT_MOVE_PEOPLE & set(update_fields)):
        return
    apply_assignments_to(instance)
