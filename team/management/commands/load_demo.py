from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from people.demo import DEMO_ACCOUNTS
from team.demo import load_demo


class Command(BaseCommand):
    help = "Create or update the demo site, courses and accounts (safe to run again)."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS(_("Demo content is ready.")))
        self.stdout.write(_("Demo logins (e-mail / password / role):"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.email:<28} {logins[account.email]:<14} {account.role}"
            )
