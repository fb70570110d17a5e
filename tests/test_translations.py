"""The Finnish and Swedish catalogues: complete, not fuzzy, compiled, placeholders kept.

polib reads the catalogues as gettext does, so wrapped (multi-line) and plural
entries are checked like any other.
"""

import re
from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "site" / "locale"
LANGUAGES = ["fi", "sv"]
# Python's %(name)s (and %s, %d) and str.format's {name}; "%%" is a literal percent.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif]|\{\w+\}")


def _catalogue(language, kind="po"):
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"django.{kind}"
    return polib.pofile(path) if kind == "po" else polib.mofile(path)


def _placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text.replace("%%", ""))))


def _translations(entry):
    """Return (the source the translation renders, the translation) pairs."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if index == 0 else entry.msgid_plural, text)
        for index, text in sorted(entry.msgstr_plural.items())
    ]


def _label(entry):
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def _plural_count(catalogue):
    match = re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"])
    return int(match[1])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_and_every_plural_form_is_translated(language):
    catalogue = _catalogue(language)
    forms = _plural_count(catalogue)
    untranslated = [
        _label(entry)
        for entry in catalogue
        if not entry.obsolete
        and (
            any(not text for _source, text in _translations(entry))
            or (entry.msgid_plural and len(entry.msgstr_plural) != forms)
        )
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    catalogue = _catalogue(language)
    assert not catalogue.metadata_is_fuzzy
    assert [_label(entry) for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(language):
    mismatched = [
        (_label(entry), _placeholders(source), _placeholders(text))
        for entry in _catalogue(language)
        if not entry.obsolete
        for source, text in _translations(entry)
        if _placeholders(source) != _placeholders(text)
    ]
    assert mismatched == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    def entries(catalogue):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural)
            for entry in catalogue
            if not entry.obsolete
        }

    source = entries(_catalogue(language))
    compiled = entries(_catalogue(language, "mo"))
    keys = source.keys() | compiled.keys()
    stale = sorted(str(key) for key in keys if source.get(key) != compiled.get(key))
    assert stale == [], "run `make messages`"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, skip_link",
    [
        ("fi", "Siirry pääsisältöön"),
        ("sv", "Hoppa till huvudinnehållet"),
        ("en", "Skip to main content"),
    ],
)
def test_site_speaks_finnish_swedish_and_english(
    client, catalogue, language, skip_link
):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in html
    assert skip_link in html
