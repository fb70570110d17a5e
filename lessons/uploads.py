"""Images that editors upload: into the Markdown editor and the image library.

Both store the image encoded again, without its metadata (lessons.images).
"""

import os
import uuid

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from wagtail.images.forms import BaseImageForm

from lessons.images import reencoded

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
        image_format = _detect_format(upload)
        name = f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[image_format]}"
        return reencoded(upload, name=name)

    def save(self) -> str:
        """Store the image under its random name and return its URL."""
        image = self.cleaned_data["image"]
        stored = default_storage.save(f"{UPLOAD_FOLDER}/{image.name}", image)
        return default_storage.url(stored)


class LibraryImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE); new files re-encoded."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if "file" not in self.changed_data:
            return upload
        return reencoded(upload)

    def save(self, commit=True):
        # The multiple uploader keeps a file whose title or collection was refused
        # as it came, then gives it to a new image whose form has no file field.
        if self.instance._state.adding and "file" not in self.fields:
            _reencode_stored_file(self.instance)
        return super().save(commit=commit)


def _reencode_stored_file(image):
    """Replace the image's stored file by its re-encoded copy."""
    stored = image.file
    with stored.open("rb"):
        clean = reencoded(stored, name=os.path.basename(stored.name))
    stored.storage.delete(stored.name)
    image.file = clean
    # Wagtail set file size and hash from the file it was given; set them again.
    image._set_image_file_metadata()


def _detect_format(upload) -> str:
    """Return the image's real format, read from its content, not its name or header."""
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise forms.ValidationError(_("The file is not an image we can use."))
    if image_format not in ALLOWED_FORMATS:
        raise forms.ValidationError(_("Use a JPEG, PNG, GIF or WebP image."))
    # Every frame of an animation is decoded when the image is encoded again.
    if width * height * frames > settings.MARKDOWN_UPLOAD_MAX_PIXELS:
        raise forms.ValidationError(_("The image has too many pixels."))
    return image_format
