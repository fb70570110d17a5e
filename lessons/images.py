"""Uploaded images, stored encoded again so that only the picture is kept.

Phones and cameras write where and when a photo was taken, and with what device,
into its EXIF, XMP and comments. Every uploaded image is decoded and encoded again
in its own format: turned upright by its EXIF orientation, keeping its ICC colour
profile (without it, wide-gamut photos lose their colours) and nothing else.
Animated GIF, PNG and WebP images keep their frames, durations and looping; their
frames are not turned, as animations carry no orientation in practice.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, ImageSequence

# The format Pillow reads, the format stored. A multi-picture JPEG (MPO, from some
# cameras) is stored as a JPEG of its main picture.
STORED_FORMATS = {
    "JPEG": "JPEG",
    "MPO": "JPEG",
    "PNG": "PNG",
    "GIF": "GIF",
    "WEBP": "WEBP",
}
ANIMATED_FORMATS = {"PNG", "GIF", "WEBP"}
# What the picture needs of the image's info to look the same; the rest is dropped.
KEPT_INFO = ("transparency", "background")
# Empty metadata, so that no plugin falls back to what the upload carried.
_NO_METADATA = {"exif": b"", "xmp": b"", "comment": b""}
_ENCODER_OPTIONS = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}
_DECODING_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombError,
)


def reencoded(upload, *, name: str | None = None) -> ContentFile:
    """Return the image encoded again in its format, upright, without metadata."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            data = _encode(image)
    except _DECODING_ERRORS as error:
        raise ValidationError(
            _("The file is not an image we can use."), code="invalid_image"
        ) from error
    return ContentFile(data, name=name or upload.name)


def _encode(image) -> bytes:
    stored_format = STORED_FORMATS.get(image.format)
    if stored_format is None:
        raise ValidationError(
            _("Use a JPEG, PNG, GIF or WebP image."), code="invalid_image_format"
        )
    options = {
        "format": stored_format,
        **_NO_METADATA,
        **_ENCODER_OPTIONS.get(stored_format, {}),
    }
    if icc_profile := image.info.get("icc_profile"):
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    if stored_format in ANIMATED_FORMATS and getattr(image, "n_frames", 1) > 1:
        _save_animation(image, buffer, options)
    else:
        _upright_picture(image).save(buffer, **options)
    return buffer.getvalue()


def _upright_picture(image):
    """Return a copy turned by its EXIF orientation, with only the info it needs."""
    upright = ImageOps.exif_transpose(image)
    upright.info = {key: upright.info[key] for key in KEPT_INFO if key in upright.info}
    return upright


def _save_animation(image, buffer, options):
    if "loop" in image.info:
        options["loop"] = image.info["loop"]
    durations = _frame_durations(image)
    image.seek(0)
    image.save(buffer, save_all=True, duration=durations, **options)


def _frame_durations(image) -> list:
    durations = []
    for frame in ImageSequence.Iterator(image):
        frame.load()  # WebP reads a frame's duration with its pixels
        durations.append(frame.info.get("duration", 0))
    return durations
