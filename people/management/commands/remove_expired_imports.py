from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from people.importing import remove_expired_imports


class Command(BaseCommand):
    help = "Delete the staff import files kept after a dry run that have expired."

    def handle(self, *args, **options):
        removed = remove_expired_imports()
        self.stdout.write(
            ngettext(
                "%(count)s expired import file removed.",
                "%(count)s expired import files removed.",
                removed,
            )
            % {"count": removed}
        )
