from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from django.utils.functional import cached_property
from storages.backends.s3 import S3Storage

# The storages of uploaded and generated files (static files aside): media and the
# private one.
STORAGE_ALIASES = ("default", "private")


class PrivateStorage(FileSystemStorage):
    """Files that must never have a public URL (certificates): served by views only.

    Without a `location` it keeps its files under PRIVATE_STORAGE_ROOT, read when
    first needed, as FileSystemStorage reads MEDIA_ROOT.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_STORAGE_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_STORAGE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


class MediaS3Storage(S3Storage):
    """Media (images, documents) in an S3-compatible bucket, linked under MEDIA_URL.

    The proxy in front (deploy/nginx.conf.template) or a CDN maps MEDIA_URL to the
    bucket, so pages link to their own origin and the Content-Security-Policy's
    'self' covers the images.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))


class PrivateS3Storage(S3Storage):
    """Private files in a bucket of their own, never public: served by views only."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; serve them through a view.")
