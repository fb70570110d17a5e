from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.issuing import render_missing_pdfs


class Command(BaseCommand):
    help = "Render the PDF of every certificate that does not have one yet."

    def handle(self, *args, **options):
        rendered, failed = render_missing_pdfs()
        self.stdout.write(
            ngettext(
                "Rendered %(count)d certificate.",
                "Rendered %(count)d certificates.",
                rendered,
            )
            % {"count": rendered}
        )
        if failed:
            raise CommandError(
                ngettext(
                    "%(count)d certificate could not be rendered; the log says why.",
                    "%(count)d certificates could not be rendered; the log says why.",
                    failed,
                )
                % {"count": failed}
            )
        self.stdout.write(_("Every certificate has its PDF."))
