"""An editor's Wagtail admin speaks Finnish (and Swedish): no English string is left.

Every page an editor of ours uses is fetched with the editor's admin language set,
and its visible text (and the title, aria-label, placeholder and alt texts) is
compared with the English source strings of the catalogues the admin draws on:
Wagtail's, Django's, django-taggit's and ours. A source string on the page means a
translation is missing (or the page was not rendered in the editor's language). A
source string whose translation is the same word (a name, "OK") is not English. In
Swedish, a Finnish text is wrong too: Django falls back to the default language
(Finnish) for a string Swedish lacks.
"""

import re
from functools import cache
from pathlib import Path
from pprint import pformat

import django
import polib
import pytest
import taggit
import wagtail
from bs4 import BeautifulSoup, NavigableString
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from certificates.models import CertificateTemplate
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    QuizPageFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
WAGTAIL = Path(wagtail.__file__).parent
WAGTAIL_APPS = [
    ".", "admin", "snippets", "documents", "images", "users", "search", "sites",
    "contrib/settings", "contrib/redirects",
]  # fmt: skip
DJANGO = Path(django.__file__).parent
DJANGO_APPS = ["conf", "contrib/auth", "contrib/contenttypes", "contrib/humanize"]
# Texts that read the same in any language: names, and languages in their own names.
NOT_ENGLISH = {"Oppimo", "Wagtail"} | {
    info["name_local"] for info in LANG_INFO.values() if "name_local" in info
}
# Wagtail's markup that no catalogue can reach: (selector, attribute or None for text).
UNREACHABLE = [
    # a hidden counter that the side panel's script fills with a number
    ("[data-side-panel-toggle-counter]", None),
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w+\}")
ATTRIBUTES = ["title", "aria-label", "placeholder", "alt"]


def _source_catalogues(domain):
    """Return the .po files whose msgids are the English sources of `domain`."""
    sources = [WAGTAIL / app / "locale" / "en" / "LC_MESSAGES" for app in WAGTAIL_APPS]
    if domain == "django":
        sources += [
            DJANGO / app / "locale" / "en" / "LC_MESSAGES" for app in DJANGO_APPS
        ]
        sources.append(Path(taggit.__file__).parent / "locale" / "en" / "LC_MESSAGES")
        sources.append(ROOT / "site" / "locale" / "fi" / "LC_MESSAGES")
    return [
        path / f"{domain}.po" for path in sources if (path / f"{domain}.po").exists()
    ]


def _translated_catalogues(language, domain):
    """Return every .po file that gives `language` translations for `domain`."""
    apps = [WAGTAIL / app for app in WAGTAIL_APPS]
    apps += [DJANGO / app for app in DJANGO_APPS] + [Path(taggit.__file__).parent]
    folders = [app / "locale" for app in apps]
    folders += [ROOT / "site" / "locale", ROOT / "site" / "locale_overrides"]
    paths = [folder / language / "LC_MESSAGES" / f"{domain}.po" for folder in folders]
    return [path for path in paths if path.exists()]


@cache
def _translations(language, domain):
    """Return {source: its translations} over every catalogue of `language`."""
    found = {}
    for path in _translated_catalogues(language, domain):
        for entry in polib.pofile(path):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            texts = (
                entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            )
            texts = {_normalise(text) for text in texts if text}
            for source in filter(None, [entry.msgid, entry.msgid_plural]):
                found.setdefault(_normalise(source), set()).update(texts)
    return found


def _sources(domain):
    return {
        _normalise(text)
        for path in _source_catalogues(domain)
        for entry in polib.pofile(path)
        for text in filter(None, [entry.msgid, entry.msgid_plural])
    }


def _normalise(text):
    return " ".join(text.split())


def _has_words(text):
    """Tell whether a text has words to translate (not only placeholders or markup)."""
    words = re.findall(r"[^\W\d_]{2,}", PLACEHOLDER.sub("", text))
    return bool(words) and "<" not in text and text not in NOT_ENGLISH


@cache
def untranslated_texts(language, domain="django"):
    """Return (exact texts, one pattern for those with placeholders) out of `language`.

    They are the English sources, but those some catalogue translates into the same
    text, and for a language other than the default, the default language's
    translations of the sources `language` has none for: Django falls back to them.
    """
    translated = _translations(language, domain)
    texts = {
        source
        for source in _sources(domain)
        if source not in translated.get(source, ())
    }
    if language != settings.LANGUAGE_CODE:
        known = set().union(*translated.values())
        for source, fallbacks in _translations(settings.LANGUAGE_CODE, domain).items():
            if source not in translated:
                texts |= fallbacks - known - {source}
    texts = {text for text in texts if _has_words(text)}
    exact = {text for text in texts if not PLACEHOLDER.search(text)}
    patterns = _templates(texts - exact)
    return exact, re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _templates(texts):
    """Turn source strings with placeholders into patterns of their fixed words."""
    for text in texts:
        parts = re.split(f"({PLACEHOLDER.pattern})", text)
        fixed = "".join(part for part in parts if not PLACEHOLDER.fullmatch(part))
        if len(re.findall(r"[^\W\d_]{2,}", fixed)) < 2:
            continue
        yield "".join(
            ".+?" if PLACEHOLDER.fullmatch(part) else re.escape(part) for part in parts
        )


def visible_texts(html):
    """Return the texts a person reads or hears on the page."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "noscript"]):
        hidden.decompose()
    for selector, attribute in UNREACHABLE:
        for tag in soup.select(selector):
            if attribute:
                del tag[attribute]
            else:
                tag.decompose()
    texts = [
        _normalise(text)
        for text in soup.find_all(string=True)
        if type(text) is NavigableString  # not a comment or a doctype
    ]
    for attribute in ATTRIBUTES:
        texts += [
            _normalise(tag[attribute]) for tag in soup.find_all(attrs={attribute: True})
        ]
    texts += [
        _normalise(tag["value"])
        for tag in soup.find_all("input", attrs={"type": ["submit", "button"]})
        if tag.get("value")
    ]
    return [text for text in texts if text]


def untranslated_on(html, language, domains=("django",)):
    """Return the texts on the page that are not in `language`."""
    sources = [untranslated_texts(language, domain) for domain in domains]
    return sorted(
        {
            text
            for text in visible_texts(html)
            for exact, pattern in sources
            if text in exact or pattern.fullmatch(text)
        }
    )


@pytest.fixture
def course(catalogue):
    """A course with a module, a lesson and a quiz, and a certificate template."""
    template = CertificateTemplate.objects.create(
        name="Perus", title_fi="Todistus", body_fi="{name} on suorittanut {course}."
    )
    course = CoursePageFactory(
        parent=catalogue, title="Saavutettavuus", certificate_template=template
    )
    module = ModulePageFactory(parent=course, title="Perusteet")
    LessonPageFactory(parent=module, title="Periaatteet")
    QuizPageFactory(parent=module, title="Loppukoe")
    return course


@pytest.fixture
def media(db):
    image = Image.objects.create(title="Kaavio", file=get_test_image_file())
    document = Document.objects.create(title="Ohje")
    document.file.save("ohje.txt", ContentFile(b"Ohje"))
    return image, document


def _speaking(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def finnish_editor(editor):
    return _speaking(editor, "fi")


@pytest.fixture
def swedish_editor(editor):
    return _speaking(editor, "sv")


def _pages(course):
    module = course.get_children().get().specific
    lesson, quiz = (page.specific for page in module.get_children())
    return course, module, lesson, quiz


def _add(model, parent):
    meta = model._meta
    return reverse(
        "wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk]
    )


def _editor_pages(course, media):
    """Return the admin pages an editor of ours uses, by a name to report."""
    course, module, lesson, quiz = _pages(course)
    image, document = media
    template = course.certificate_template
    snippets = "wagtailsnippets_certificates_certificatetemplate"
    no_hits = "?q=xyzzyqwerty"
    pages = {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore_root"),
        "explorer of a course": reverse("wagtailadmin_explore", args=[course.pk]),
        "explorer of a module": reverse("wagtailadmin_explore", args=[module.pk]),
        "choose a page type": reverse(
            "wagtailadmin_pages:add_subpage", args=[course.pk]
        ),
        "add a course": _add(type(course), course.get_parent()),
        "add a module": _add(type(module), course),
        "add a lesson": _add(type(lesson), module),
        "add a quiz": _add(type(quiz), module),
        "page search with no hits": reverse("wagtailadmin_pages:search") + no_hits,
        "GIFT import": reverse("quizzes_import_gift", args=[quiz.pk]),
        "quiz statistics": reverse("quizzes_statistics", args=[quiz.pk]),
        "certificate templates": reverse(f"{snippets}:list"),
        "certificate templates with no hits": reverse(f"{snippets}:list") + no_hits,
        "add a certificate template": reverse(f"{snippets}:add"),
        "edit a certificate template": reverse(f"{snippets}:edit", args=[template.pk]),
        "certificate template history": reverse(
            f"{snippets}:history", args=[template.pk]
        ),
        "images": reverse("wagtailimages:index"),
        "images with no hits": reverse("wagtailimages:index") + no_hits,
        "add images": reverse("wagtailimages:add_multiple"),
        "edit an image": reverse("wagtailimages:edit", args=[image.pk]),
        "documents": reverse("wagtaildocs:index"),
        "documents with no hits": reverse("wagtaildocs:index") + no_hits,
        "add documents": reverse("wagtaildocs:add_multiple"),
        "edit a document": reverse("wagtaildocs:edit", args=[document.pk]),
        "account": reverse("wagtailadmin_account"),
    }
    for page in (course, module, lesson, quiz):
        kind = page._meta.model_name
        pages[f"edit a {kind}"] = reverse("wagtailadmin_pages:edit", args=[page.pk])
        for view in ("history", "workflow_history", "copy", "move"):
            pages[f"{view} of a {kind}"] = reverse(
                f"wagtailadmin_pages:{view}", args=[page.pk]
            )
    return pages


@pytest.fixture
def publishing(editor):
    """Let the editors' group publish, as ours does, so the publishing menus show."""
    GroupPagePermission.objects.get_or_create(
        group=editor.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )


def test_every_admin_page_an_editor_uses_is_in_finnish(
    client, finnish_editor, course, media, publishing
):
    client.force_login(finnish_editor)
    found = {}
    for name, url in _editor_pages(course, media).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        if untranslated := untranslated_on(response.content.decode(), "fi"):
            found[name] = untranslated
    assert not found, pformat(found)


def _untranslated_after_post(client, url, data, language):
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return untranslated_on(response.content.decode(), language)


def _lesson_form(title, slug):
    return {"title": title, "slug": slug, "body": "Teksti", "estimated_minutes": "5"}


def test_a_page_with_validation_errors_is_explained_in_finnish(
    client, finnish_editor, course
):
    client.force_login(finnish_editor)
    _course, module, lesson, _quiz = _pages(course)
    response = client.post(_add(type(lesson), module), _lesson_form("", ""))
    html = response.content.decode()
    assert "Sivua ei voitu luoda, koska lomakkeessa on virheitä." in html
    assert "Siirry ensimmäiseen virheeseen" in html
    assert untranslated_on(html, "fi") == []


def test_a_slug_in_use_is_explained_in_finnish(client, finnish_editor, course):
    client.force_login(finnish_editor)
    _course, module, lesson, _quiz = _pages(course)
    response = client.post(
        _add(type(lesson), module), _lesson_form("Toinen", lesson.slug)
    )
    html = response.content.decode()
    assert (
        f"Lyhytnimi &#x27;{lesson.slug}&#x27; on jo käytössä saman yläsivun alla."
        in html
    )
    assert untranslated_on(html, "fi") == []


def test_a_saved_lesson_and_its_history_are_in_finnish(client, finnish_editor, course):
    client.force_login(finnish_editor)
    _course, _module, lesson, _quiz = _pages(course)
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert (
        _untranslated_after_post(
            client, edit, _lesson_form("Uusi nimi", lesson.slug), "fi"
        )
        == []
    )
    history = client.get(reverse("wagtailadmin_pages:history", args=[lesson.pk]))
    assert untranslated_on(history.content.decode(), "fi") == []


def test_a_certificate_template_with_errors_is_explained_in_finnish(
    client, finnish_editor, course
):
    client.force_login(finnish_editor)
    add = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    response = client.post(add, {"name": ""})
    html = response.content.decode()
    assert "ei voitu luoda virheiden vuoksi" in html
    assert untranslated_on(html, "fi") == []


SWEDISH_PAGES = [
    "dashboard",
    "explorer of a course",
    "add a lesson",
    "edit a lessonpage",
    "edit a quizpage",
    "history of a lessonpage",
    "GIFT import",
    "quiz statistics",
    "certificate templates with no hits",
    "edit a certificate template",
    "images with no hits",
    "documents with no hits",
    "account",
]


def test_the_pages_an_editor_uses_most_are_in_swedish(
    client, swedish_editor, course, media, publishing
):
    client.force_login(swedish_editor)
    pages = _editor_pages(course, media)
    found = {}
    for name in SWEDISH_PAGES:
        response = client.get(pages[name])
        assert response.status_code == 200, (name, response.status_code)
        if untranslated := untranslated_on(response.content.decode(), "sv"):
            found[name] = untranslated
    assert not found, pformat(found)


def test_a_page_with_validation_errors_is_explained_in_swedish(
    client, swedish_editor, course
):
    client.force_login(swedish_editor)
    _course, module, lesson, _quiz = _pages(course)
    response = client.post(_add(type(lesson), module), _lesson_form("", ""))
    assert untranslated_on(response.content.decode(), "sv") == []


@pytest.mark.parametrize(
    ("language", "no_hits"),
    [
        ("fi", "Hakuasi vastaavia kohteita ei löytynyt."),
        ("sv", "Inga träffar för din sökning."),
    ],
)
def test_a_search_without_hits_reads_naturally(
    client, editor, course, language, no_hits
):
    """The listing's plural name does not fit the sentence, so none is used."""
    client.force_login(_speaking(editor, language))
    url = reverse("wagtailsnippets_certificates_certificatetemplate:list")
    html = client.get(url, {"q": "xyzzyqwerty"}).content.decode()
    assert no_hits in html
