"""Shared fixtures: the site with its catalogue root, an org tree, named users.

The tree is a sector with two teams: the learner and their manager are in team A,
the second learner and an unrelated manager in team B.
"""

import os
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from wagtail.models import Page, Site

from people.models import OrgUnit
from tests.factories import CourseIndexPageFactory, UserFactory

_RUN_FOLDER = []


def pytest_configure(config):
    """Write the run's files into a temporary folder, never into the checkout.

    Media, private files, mail, collected static files and the SQLite test database
    go there, and it is removed at the end. A run that sets VAR_DIR itself (CI's
    production phase, which collects static files first) keeps its static files
    there. Each pytest-xdist worker has a folder and a Redis database of its own.
    """
    folder = Path(tempfile.mkdtemp(prefix="oppimo-test-"))
    _RUN_FOLDER.append(folder)
    if not os.environ.get("VAR_DIR"):
        settings.VAR_DIR = folder
        settings.STATIC_ROOT = folder / "static"
    settings.MEDIA_ROOT = folder / "media"
    settings.PRIVATE_STORAGE_ROOT = folder / "private"
    settings.EMAIL_FILE_PATH = folder / "mail"
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database["TEST"] = {**database.get("TEST", {}), "NAME": folder / "test.sqlite3"}
    _use_own_redis_database()


def _use_own_redis_database():
    """Under pytest-xdist, worker gwN uses Redis database N + 1 (tests empty it)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL")
    if not worker.startswith("gw") or not url:
        return
    own = urlsplit(url)._replace(path=f"/{int(worker[2:]) + 1}").geturl()
    os.environ["REDIS_URL"] = own
    settings.CACHES["default"]["LOCATION"] = own


def pytest_unconfigure(config):
    for folder in _RUN_FOLDER:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_report_header(config):
    lines = [f"files written to: {_RUN_FOLDER[0]}"]
    lines.append(f"playwright {metadata.version('playwright')}")
    chromium = shutil.which("chromium")
    if chromium:
        version = subprocess.run(  # noqa: S603 (a fixed local binary)
            [chromium, "--version"], capture_output=True, text=True, check=False
        )
        lines.append(version.stdout.strip() or version.stderr.strip())
    else:
        lines.append("chromium: not installed")
    return lines


@pytest.fixture(autouse=True)
def empty_caches():
    """Start every test with empty caches (rate limits and cached sessions included)."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply; the real hasher is for real passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def catalogue(db):
    """A catalogue page as the root of the default site."""
    root = Page.get_first_root_node()
    index = CourseIndexPageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index},
    )
    Page.objects.filter(depth=2).exclude(pk=index.pk).delete()
    return index


@pytest.fixture
def org(db):
    sector = OrgUnit.add_root(name="Toimiala", code="SECTOR")
    team_a = sector.add_child(name="Tiimi A", code="TEAM-A")
    team_b = OrgUnit.objects.get(pk=sector.pk).add_child(name="Tiimi B", code="TEAM-B")
    return SimpleNamespace(
        sector=OrgUnit.objects.get(pk=sector.pk), team_a=team_a, team_b=team_b
    )


@pytest.fixture
def learner(org):
    return UserFactory(
        email="learner@example.org",
        first_name="Leena",
        last_name="Laine",
        org_unit=org.team_a,
    )


@pytest.fixture
def second_learner(org):
    return UserFactory(
        email="learner2@example.org",
        first_name="Linnea",
        last_name="Lind",
        org_unit=org.team_b,
    )


@pytest.fixture
def manager(org):
    """The learner's manager: manages team A."""
    person = UserFactory(
        email="manager@example.org",
        first_name="Maija",
        last_name="Esimies",
        org_unit=org.team_a,
    )
    org.team_a.managers.add(person)
    return person


@pytest.fixture
def unrelated_manager(org):
    """Manages team B, where the learner is not."""
    person = UserFactory(
        email="other.manager@example.org",
        first_name="Olli",
        last_name="Muu",
        org_unit=org.team_b,
    )
    org.team_b.managers.add(person)
    return person


@pytest.fixture
def editor(db):
    return UserFactory(email="editor@example.org", groups=["Editors"])


@pytest.fixture
def training_admin(db):
    return UserFactory(
        email="training.admin@example.org", groups=["Training administrators"]
    )


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
