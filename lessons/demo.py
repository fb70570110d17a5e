"""Demo content: the catalogue, seven real courses and demo accounts.

Every function here is idempotent: running the loader again updates what is there
and creates nothing twice.
"""

import io
import json
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import GroupPagePermission, Page, Site

from certificates.demo import VALIDITY_MONTHS, ensure_template
from lessons.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from people.demo import ensure_demo_city
from people.models import User
from quizzes.demo import upsert_quiz
from themes.models import SiteAppearance

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
ORGANISATION_NAME = "Esimerkkikaupunki"
CATALOGUE_TITLE = "Kurssit"
CATALOGUE_INTRO = (
    "Itseopiskeltavia verkkokursseja kaupungin henkilöstölle. "
    "Valitse kurssi ja etene omaan tahtiisi."
)
COVER_COLOURS = [
    "#0b5394",
    "#1b7a3a",
    "#7a1b5f",
    "#9a5b00",
    "#0000bf",
    "#3d4f8f",
    "#006d77",
]


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


@transaction.atomic
def load_demo() -> dict[str, str]:
    """Create or update the whole demo; return each demo e-mail with its password."""
    catalogue = ensure_catalogue()
    template = ensure_template()
    for number, folder in enumerate(
        sorted(p for p in CONTENT_DIR.iterdir() if p.is_dir())
    ):
        upsert_course(
            catalogue,
            folder,
            colour=COVER_COLOURS[number % len(COVER_COLOURS)],
            certificate_template=template,
        )
    logins = ensure_accounts(catalogue)
    ensure_demo_progress()
    ensure_demo_city()
    return logins


def ensure_catalogue() -> CourseIndexPage:
    """Make a CourseIndexPage the root of the default site."""
    root = Page.get_first_root_node()
    catalogue = CourseIndexPage.objects.child_of(root).first()
    if catalogue is None:
        catalogue = CourseIndexPage(
            title=CATALOGUE_TITLE, slug="kurssit", intro=CATALOGUE_INTRO
        )
        root.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(
        is_default_site=True
    )
    site.hostname, site.port, site.site_name = (
        site.hostname or "localhost",
        site.port or 80,
        ORGANISATION_NAME,
    )
    site.root_page = catalogue
    site.save()
    _remove_wagtail_welcome_page(root)
    appearance = SiteAppearance.for_site(site)
    appearance.theme, appearance.organisation_name = "city", ORGANISATION_NAME
    appearance.save()
    return catalogue


def _remove_wagtail_welcome_page(root):
    """Delete the placeholder page a new Wagtail install starts with, if untouched."""
    for page in Page.objects.child_of(root).filter(
        content_type__model="page", numchild=0
    ):
        if not Site.objects.filter(root_page=page).exists():
            page.delete()


def upsert_course(
    catalogue, folder: Path, *, colour: str, certificate_template=None
) -> CoursePage:
    spec = tomllib.loads((folder / "course.toml").read_text(encoding="utf-8"))
    course = _upsert_page(
        catalogue,
        CoursePage,
        slug=folder.name,
        title=spec["title"],
        summary=spec["summary"],
        description=spec["description"].strip(),
        audience=spec["audience"],
        language=spec["language"],
        estimated_minutes=spec["estimated_minutes"],
        learning_outcomes="\n".join(spec["learning_outcomes"]),
        cover_image=_cover_image(spec["title"], folder.name, colour),
        certificate_template=certificate_template,
        validity_months=VALIDITY_MONTHS.get(folder.name),
    )
    if sorted(course.topics.names()) != sorted(spec["topics"]):
        course.topics.set(spec["topics"])
        course.save_revision().publish()
    for module_spec in spec["modules"]:
        module = _upsert_page(
            course,
            ModulePage,
            slug=slugify(module_spec["title"]),
            title=module_spec["title"],
        )
        for lesson_spec in module_spec["lessons"]:
            _upsert_page(
                module,
                LessonPage,
                slug=slugify(Path(lesson_spec["file"]).stem.split("-", 1)[1]),
                title=lesson_spec["title"],
                body=(folder / lesson_spec["file"]).read_text(encoding="utf-8"),
                estimated_minutes=lesson_spec["minutes"],
            )
    upsert_quiz(course, folder)
    return course


def _upsert_page(parent, model, *, slug, **fields):
    """Create the child page with this slug, or update it; publish only on change."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    if any(getattr(page, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
    return page


def _cover_image(title: str, slug: str, colour: str) -> Image:
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    picture = PillowImage.new("RGB", (1280, 720), colour)
    draw = ImageDraw.Draw(picture)
    for step in range(6):
        inset = 90 * step
        draw.ellipse(
            (760 + inset // 2, -200 + inset, 1480 - inset // 3, 520 + inset),
            outline="#ffffff",
            width=6,
        )
    draw.rectangle((0, 620, 1280, 720), fill="#ffc61e")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    image = Image(title=title, description="")
    image.file = ImageFile(buffer, name=f"cover-{slug}.png")
    image.save()
    return image


def ensure_accounts(catalogue) -> dict[str, str]:
    passwords = _demo_passwords()
    editors = Group.objects.get(name="Editors")
    GroupPagePermission.objects.get_or_create(
        group=editors,
        page=catalogue.get_parent(),
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


# learner2 has finished one course and is midway through another, so that
# "My learning" and the course statistics have something to show.
DEMO_PROGRESS = {"dataskydd-i-vardagen": None, "tekoaly-ja-me": 2}


def ensure_demo_progress():
    from lessons import progress
    from quizzes.demo import pass_quiz
    from quizzes.models import QuizPage

    learner = User.objects.get(email="learner2@example.org")
    for slug, steps_done in DEMO_PROGRESS.items():
        course = CoursePage.objects.get(slug=slug)
        for step in progress.outline_of(course).steps[:steps_done]:
            lesson = LessonPage.objects.filter(pk=step.pk).first()
            if lesson:
                progress.complete_step(user=learner, step=lesson, course=course)
            elif not progress.is_step_done(user=learner, step_id=step.pk):
                pass_quiz(learner, QuizPage.objects.get(pk=step.pk))
