"""The demo people: the demo accounts and the city's staff from a sample HR export.

Idempotent like the rest of the demo: accounts are updated in place and the staff
import upserts.
"""

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from people.importing import import_people
from people.models import User

CITY_CSV = Path(__file__).resolve().parent / "demo_content" / "city.csv"
DEMO_MANAGER = "manager@example.org"
DEMO_LEARNER = "learner1@example.org"


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    first_name: str
    last_name: str
    language: str
    role: str


DEMO_ACCOUNTS = [
    DemoAccount("admin", "admin@example.org", "Aino", "Ylläpitäjä", "fi", "admin"),
    DemoAccount("editor", "editor@example.org", "Eero", "Editori", "fi", "editor"),
    DemoAccount(
        "trainer",
        "training.admin@example.org",
        "Tuula",
        "Koulutus",
        "fi",
        "training admin",
    ),
    DemoAccount(
        "manager", "manager@example.org", "Maija", "Esihenkilö", "fi", "manager"
    ),
    DemoAccount("learner1", "learner1@example.org", "Leena", "Laine", "fi", "learner"),
    DemoAccount(
        "learner2", "learner2@example.org", "Linnea", "Lindqvist", "sv", "learner"
    ),
    DemoAccount("learner3", "learner3@example.org", "Liam", "Lee", "en", "learner"),
]


def ensure_accounts(*, editable_root) -> dict[str, str]:
    """Create or update the demo accounts; editors may publish below `editable_root`."""
    passwords = _demo_passwords()
    editors = Group.objects.get(name="Editors")
    GroupPagePermission.objects.get_or_create(
        group=editors,
        page=editable_root,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"
        ),
    )
    logins = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or User(
            email=account.email
        )
        user.first_name, user.last_name = account.first_name, account.last_name
        user.preferred_language = account.language
        user.is_superuser = user.is_staff = account.role == "admin"
        user.set_password(passwords[account.key])
        user.save()
        if account.role == "editor":
            user.groups.add(editors)
        if account.role == "training admin":
            user.groups.add(Group.objects.get(name="Training administrators"))
        logins[account.email] = passwords[account.key]
    return logins


def _demo_passwords() -> dict[str, str]:
    """Return the demo passwords, made once per installation and kept under var/."""
    path = Path(settings.VAR_DIR) / "demo-logins.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    passwords = {
        a.key: stored.get(a.key) or secrets.token_urlsafe(9) for a in DEMO_ACCOUNTS
    }
    if passwords != stored:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(passwords, indent=2))
        path.chmod(0o600)
    return passwords


def import_demo_staff():
    """Import the demo city's staff and org tree from the sample HR export."""
    report = import_people(CITY_CSV.read_bytes())
    if report.fatal or report.errors:
        raise RuntimeError(f"The demo staff file does not import: {report}")
