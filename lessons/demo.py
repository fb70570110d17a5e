"""Demo content: the catalogue and seven real courses (their lessons).

Every function here is idempotent: running the loader again updates what is there
and creates nothing twice.
"""

import io
import tomllib
from pathlib import Path

from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page, Site

from lessons.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
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


def course_folders() -> list[Path]:
    """Return the demo courses' folders, in the order they are loaded."""
    return sorted(path for path in CONTENT_DIR.iterdir() if path.is_dir())


def upsert_course(
    catalogue,
    folder: Path,
    *,
    colour: str,
    certificate_template=None,
    validity_months=None,
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
        validity_months=validity_months,
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
