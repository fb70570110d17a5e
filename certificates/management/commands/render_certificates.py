from django.core.management.base import BaseCommand

from certificates.issuing import render_missing_pdfs


class Command(BaseCommand):
    help = "Render the PDF of every certificate that does not have one yet."

    def handle(self, *args, **options):
        rendered, failed = render_missing_pdfs()
        self.stdout.write(f"Rendered {rendered} certificates; {failed} failed.")
        if failed:
            self.stderr.write("See the log for why rendering failed.")
