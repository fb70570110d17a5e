from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from people.importing import import_people


class Command(BaseCommand):
    help = "Import staff from the HR export (CSV, UTF-8, ';' or ',')."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Report, change nothing."
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="The file lists everyone: deactivate people missing from it.",
        )

    def handle(self, *args, file, dry_run, full, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        report = import_people(data, dry_run=dry_run, full=full)
        if report.fatal:
            raise CommandError(report.fatal)
        for line, message in report.errors:
            self.stderr.write(
                _("Line %(line)s: %(message)s") % {"line": line, "message": message}
            )
        summary = _(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(deactivated)s deactivated, %(units)s units created, "
            "%(errors)s bad lines."
        ) % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "deactivated": report.deactivated,
            "units": report.units_created,
            "errors": len(report.errors),
        }
        prefix = _("Dry run, nothing saved: ") if dry_run else ""
        self.stdout.write(prefix + summary)
