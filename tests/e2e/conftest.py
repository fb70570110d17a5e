"""Browser tests: Playwright drives Debian's Chromium against a live server.

Without Chromium (or axe-core from npm) these tests are skipped with a loud message;
with REQUIRE_BROWSER=1 (as CI sets it) a missing browser fails them instead.
"""

import os
from pathlib import Path

import pytest
from django.db import connections

from tests.factories import (
    PASSWORD,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
)

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MISSING_BROWSER = (
    "BROWSER TESTS SKIPPED: Chromium is missing. Install Debian's package: "
    "`apt-get install chromium` (CI installs it and fails instead of skipping)."
)
MISSING_AXE = (
    "ACCESSIBILITY AUDITS SKIPPED: axe-core is missing. Install Debian's 'npm' "
    "package; `make test` then installs axe-core with `npm ci`."
)
_skipped_reasons: set[str] = set()


def _unavailable(reason):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason, pytrace=False)
    _skipped_reasons.add(reason)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    for reason in sorted(_skipped_reasons):
        terminalreporter.write_line("!" * 78, red=True, bold=True)
        terminalreporter.write_line(reason, red=True, bold=True)
        terminalreporter.write_line("!" * 78, red=True, bold=True)


@pytest.fixture(scope="session")
def static_files_as_deployed():
    """With production settings, let WhiteNoise serve the collected static files.

    The live server normally serves static files from the apps' folders under their
    plain names, before any middleware; with the manifest storage the pages ask for
    hashed names, which only the collected files (served by WhiteNoise, as in
    production) have. So a file missing from the collection fails these tests.
    """
    from django.conf import settings
    from django.contrib.staticfiles import handlers

    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" not in backend:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "StaticFilesHandler", lambda application: application)
        yield


@pytest.fixture(scope="session")
def live_server(static_files_as_deployed, live_server):
    return live_server


@pytest.fixture(autouse=True)
def async_unsafe_orm(monkeypatch):
    """Allow the ORM in the test's thread while Playwright's event loop runs in it.

    Playwright's sync API keeps an event loop running in this thread, so Django
    takes the test's plain synchronous ORM calls for calls from async code.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(live_server):
    """Chromium for one test.

    Started per test: a session-wide browser would keep later tests from
    restoring the migrated data. While Playwright's event loop runs, Django keeps
    this thread's connections apart from its usual ones, where nothing else closes
    them: they are closed here, before the loop stops, or the last one stays open
    and PostgreSQL refuses to drop the test database at the end of the run.
    """
    if not CHROMIUM.exists():
        _unavailable(MISSING_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        connections.close_all()
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="fi-FI", viewport={"width": 1280, "height": 900}, bypass_csp=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def audit_page(browser):
    """A page whose context lets the axe-core script in despite the site's CSP."""
    if not AXE_SCRIPT.exists():
        _unavailable(MISSING_AXE)
    context = browser.new_context(locale="fi-FI", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def run_axe(page):
    """Return the WCAG 2.1 A/AA violations axe-core finds on the page."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        })"""
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


@pytest.fixture
def course_editor(db):
    """An editor who may publish anywhere in the tree."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Page

    editor = UserFactory(email="kirjoittaja@example.org", groups=["Editors"])
    GroupPagePermission.objects.create(
        group=editor.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    return editor


@pytest.fixture
def demo_course(catalogue):
    """A small course with a step directly under it and two modules."""
    course = CoursePageFactory(
        parent=catalogue,
        title="Saavutettavuuden perusteet",
        summary="Saavutettava sisältö kaikille.",
        description="Kurssi **kaikille**, jotka julkaisevat sisältöä.",
        learning_outcomes="Tunnet WCAG:n periaatteet.\nOsaat kirjoittaa alt-tekstin.",
    )
    course.topics.add("saavutettavuus")
    course.save_revision().publish()
    intro = LessonPageFactory(parent=course, title="Aluksi")
    module = ModulePageFactory(parent=course, title="Perusteet")
    body = (
        "## WCAG\n\nNeljä periaatetta.\n\n| Periaate | Esimerkki |\n|---|---|\n"
        "| Havaittava | Alt-teksti |\n\n/// tip | Vinkki\nTarkista kontrasti.\n///\n\n"
        "/// details | Esimerkki\nPiilotettu sisältö.\n///\n\nAlaviite[^1].\n\n"
        "[^1]: Lähde.\n"
    )
    first = LessonPageFactory(parent=module, title="Neljä periaatetta", body=body)
    second = LessonPageFactory(parent=module, title="Kontrasti")
    return course, [intro, first, second]


def log_in(page, live_server, email, target="/"):
    """Sign in through the login page as email and wait to land on target."""
    next_query = "" if target == "/" else f"?next={target}"
    page.goto(f"{live_server.url}/accounts/login/{next_query}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + target)
