"""The only way a certificate's PDF may load anything: our own static and media files.

No network, no redirects, no data: URLs, no file outside the static and media roots.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse


def allowed_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


class LocalFilesOnly(URLFetcher):
    """Serve file:// URLs inside the allowed roots; refuse everything else."""

    def __init__(self):
        super().__init__(allow_redirects=False, allowed_protocols={"file"})
        self.roots = allowed_roots()
        self.refused = []

    def fetch(self, url, headers=None):
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url!r} for a certificate")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": kind}
        )

    def _allowed_path(self, url) -> Path | None:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parsed.path)).resolve()
        if not path.is_file():
            return None
        if any(path.is_relative_to(root) for root in self.roots):
            return path
        return None


def static_file_url(relative: str) -> str | None:
    """Return the file:// URL of a static file, or None if it does not exist."""
    found = finders.find(relative)
    path = Path(found) if found else Path(settings.STATIC_ROOT) / relative
    return path.resolve().as_uri() if path.is_file() else None


def media_file_url(field_file) -> str | None:
    """Return the file:// URL of an uploaded file (an image's original)."""
    try:
        path = Path(field_file.path)
    except (ValueError, NotImplementedError):
        return None
    return path.resolve().as_uri() if path.is_file() else None
