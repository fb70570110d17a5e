from django.dispatch import Signal

#: Sent with `person` after a leaver's personal data has been removed.
person_anonymised = Signal()

#: Sent inside the import's transaction after a staff import (not a dry run) saved.
people_imported = Signal()
