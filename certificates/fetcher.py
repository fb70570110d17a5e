"""The only way a certificate's PDF may load anything: our own static and media files.

No network, no redirects, no data: URLs, no file outside the static and media roots
(or, for uploads kept in an S3 bucket, outside the media storage).
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

from certificates.assets import STORED_MEDIA, allowed_roots, read_stored_media


class LocalFilesOnly(URLFetcher):
    """Serve file:// URLs inside the allowed roots; refuse everything else."""

    def __init__(self):
        super().__init__(allow_redirects=False, allowed_protocols={"file"})
        self.roots = allowed_roots()
        self.refused = []

    def fetch(self, url, headers=None):
        if urlparse(url).scheme == STORED_MEDIA:
            return self._stored_media(url)
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url!r} for a certificate")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": kind}
        )

    def _stored_media(self, url):
        body, kind = read_stored_media(url)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": kind})

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
