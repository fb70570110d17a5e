from datetime import date

from django.core.management.base import BaseCommand, CommandError

from team.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail reminders of assigned courses and managers' weekly digests (daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Act as if today were this day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent."
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD.") from None
        report = send_reminders(today=today, dry_run=options["dry_run"])
        for key in report.planned:
            self.stdout.write(f"would send {key}")
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(
            f"{verb} {report.due_soon} due-date reminders, {report.overdue} overdue "
            f"reminders, {report.expiring} certificate expiry reminders and "
            f"{report.digests} manager digests."
        )
        if report.failed:
            self.stderr.write(f"{report.failed} could not be sent; see the log.")
