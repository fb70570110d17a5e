from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from config import backups


class Command(BaseCommand):
    help = (
        "Back up the database and every object of the media and private storages "
        "into an empty folder, with a manifest of SHA-256 digests."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *, folder, **options):
        try:
            manifest = backups.make_backup(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        count = sum(len(entries) for entries in manifest["objects"].values())
        message = ngettext(
            "Backed up the database and %(count)d object to %(folder)s.",
            "Backed up the database and %(count)d objects to %(folder)s.",
            count,
        )
        self.stdout.write(message % {"count": count, "folder": folder})
