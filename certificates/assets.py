"""Where a certificate's PDF finds our static and uploaded files (no PDF library).

certificates/fetcher.py loads them while the PDF is rendered; the pages that never
render one need not load WeasyPrint to link them.
"""

import mimetypes
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import storages

# Uploaded files kept where no local path reaches them (an S3 bucket) are named by
# this scheme and read through the media storage.
STORED_MEDIA = "stored-media"


def allowed_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


def read_stored_media(url) -> tuple[bytes, str]:
    """Return the bytes and the type of an uploaded file named by a stored-media URL."""
    name = unquote(urlparse(url).path)
    with storages["default"].open(name, "rb") as stored:
        body = stored.read()
    return body, mimetypes.guess_type(name)[0] or "application/octet-stream"


def static_file_url(relative: str) -> str | None:
    """Return the file:// URL of a static file, or None if it does not exist."""
    found = finders.find(relative)
    path = Path(found) if found else Path(settings.STATIC_ROOT) / relative
    return path.resolve().as_uri() if path.is_file() else None


def media_file_url(field_file) -> str | None:
    """Return the URL the PDF loads an uploaded file (an image's original) from.

    A file on local disk has its file:// URL; one in a storage without local paths
    (an S3 bucket) is read through the media storage.
    """
    if not field_file:
        return None
    try:
        path = Path(field_file.path)
    except NotImplementedError:
        return f"{STORED_MEDIA}:{quote(field_file.name)}"
    except ValueError:
        return None
    return path.resolve().as_uri() if path.is_file() else None
