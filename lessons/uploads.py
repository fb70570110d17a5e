"""Images that editors drop into the Markdown editor."""

import uuid

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Pillow's format name, the file extension we store; SVG is never accepted.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
UPLOAD_FOLDER = "lesson-images"


class MarkdownImageForm(forms.Form):
    image = forms.FileField(label=_("Image"))

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > settings.MARKDOWN_UPLOAD_MAX_BYTES:
            limit = settings.MARKDOWN_UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                _("The image is too large; the limit is %(limit)s MB.")
                % {"limit": limit}
            )
        self.image_format = _detect_format(upload)
        return upload

    def save(self) -> str:
        """Store the image under a random name and return its URL."""
        upload = self.cleaned_data["image"]
        upload.seek(0)
        name = (
            f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{ALLOWED_FORMATS[self.image_format]}"
        )
        stored = default_storage.save(name, ContentFile(upload.read()))
        return default_storage.url(stored)


def _detect_format(upload) -> str:
    """Return the image's real format, read from its content, not its name or header."""
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise forms.ValidationError(_("The file is not an image we can use."))
    if image_format not in ALLOWED_FORMATS:
        raise forms.ValidationError(_("Use a JPEG, PNG, GIF or WebP image."))
    if width * height > settings.MARKDOWN_UPLOAD_MAX_PIXELS:
        raise forms.ValidationError(_("The image has too many pixels."))
    return image_format
