import gettext
import re
from pathlib import Path

import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "site" / "locale"
ENTRY = re.compile(
    r'^(?:msgctxt "(?P<context>.*)"\n)?'
    r'msgid "(.+)"\n((?:".*"\n)*)'
    r'msgstr "(.*)"\n((?:".*"\n)*)',
    re.M,
)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_ui_string_is_translated(language):
    catalogue = (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").read_text()
    untranslated = [
        match.group(2)
        for match in ENTRY.finditer(catalogue)
        if not match.group(4) and not match.group(5)
    ]
    assert untranslated == []
    assert "#, fuzzy" not in catalogue


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    source = (folder / "django.po").read_text()
    for match in ENTRY.finditer(source):
        if match.group(3) or match.group(5) or "msgid_plural" in match.group(0):
            continue  # multi-line and plural entries: checked by their single-line kin
        msgid, msgstr = (_unescape(match.group(n)) for n in (2, 4))
        if match.group("context"):
            found = compiled.pgettext(match.group("context"), msgid)
        else:
            found = compiled.gettext(msgid)
        assert found == msgstr, "run `make messages`"


def _unescape(text):
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


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
