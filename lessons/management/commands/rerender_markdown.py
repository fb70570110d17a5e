from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lessons.markdown_fields import rerender_all


class Command(BaseCommand):
    help = "Render every stored Markdown field again (after the renderer changes)."

    def handle(self, *args, **options):
        for label, count in rerender_all().items():
            self.stdout.write(
                _("%(model)s: %(count)s updated") % {"model": label, "count": count}
            )
