"""LocalFilesOnly: a certificate's PDF may load our static and media files only."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from certificates.fetcher import LocalFilesOnly

STYLESHEET = "themes/default/certificate.css"


def _stylesheet() -> Path:
    return Path(finders.find(STYLESHEET))


def _escaping_the_static_root(target):
    """A file URL that starts in the theme's folder and climbs out of it with ../."""
    folder = _stylesheet().parent
    return f"file://{folder}/{'../' * len(folder.parts)}{target.lstrip('/')}"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/",
        "https://example.org/",
        "data:text/css,body%7Bcolor:red%7D",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "ftp://example.org/logo.svg",
        _escaping_the_static_root("/etc/passwd"),
        _escaping_the_static_root(str(settings.BASE_DIR / "config" / "settings.py")),
        f"file://example.org{_stylesheet()}",
    ],
)
def test_everything_but_our_own_files_is_refused(url):
    fetcher = LocalFilesOnly()
    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_a_symlink_out_of_the_static_root_is_refused(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    link = tmp_path / "innocent.css"
    link.symlink_to("/etc/passwd")
    fetcher = LocalFilesOnly()
    with pytest.raises(ValueError):
        fetcher.fetch(link.as_uri())
    assert fetcher.refused == [link.as_uri()]


@pytest.mark.parametrize("host", ["", "localhost"])
def test_a_static_file_of_the_theme_is_served(host):
    path = _stylesheet()
    url = f"file://{host}{path}"
    fetcher = LocalFilesOnly()
    response = fetcher.fetch(url)
    assert response.read() == path.read_bytes()
    assert response.headers["Content-Type"] == "text/css"
    assert fetcher.refused == []
