from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from config import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database (migrated, no "
        "users) and empty storages, checking every file against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *, folder, **options):
        try:
            manifest = backups.restore_backup(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        message = _("Restored the backup made at %(time)s.")
        self.stdout.write(message % {"time": manifest["created_at"]})
