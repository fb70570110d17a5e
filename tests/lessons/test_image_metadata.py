"""Uploaded images are stored encoded again: upright, without EXIF, GPS or XMP.

Both ways in are covered: the Markdown editor's upload endpoint and Wagtail's
image library (single and multiple upload). The photos are built here with
Pillow, with a camera make, a GPS position, XMP and a comment to lose.
"""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, ImageSequence
from PIL.PngImagePlugin import PngInfo
from wagtail.images import get_image_model

from lessons.images import reencoded

pytestmark = pytest.mark.django_db

UPLOAD = reverse("lessons:markdown_upload")
MAKE = "SecretCam"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP</x:xmpmeta>'
COMMENT = b"SECRET-COMMENT"
PNG_TEXT = "SECRET-PNG-TEXT"
SECRETS = [MAKE.encode(), b"SECRET-XMP", COMMENT, PNG_TEXT.encode()]
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "Author"}
FORMATS = ["JPEG", "PNG", "GIF", "WEBP"]
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _exif(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKE
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (60.0, 10.0, 5.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (24.0, 56.0, 7.0),
    }
    return exif


def _photo(image_format="JPEG", *, size=(20, 10), orientation=1, frames=1, icc=None):
    """Return image bytes carrying every kind of metadata the format can hold."""
    colours = ["#0b5394", "#cc0000", "#38761d"]
    pictures = [Image.new("RGB", size, colours[n % 3]) for n in range(frames)]
    options = {"exif": _exif(orientation), "xmp": XMP, "comment": COMMENT}
    if image_format == "PNG":
        text = PngInfo()
        text.add_text("Author", PNG_TEXT)
        options["pnginfo"] = text
    if icc:
        options["icc_profile"] = icc
    if frames > 1:
        options.update(
            save_all=True, append_images=pictures[1:], duration=[70, 80, 90], loop=0
        )
    buffer = io.BytesIO()
    pictures[0].save(buffer, image_format, **options)
    return buffer.getvalue()


def _assert_no_metadata(data):
    assert not [secret for secret in SECRETS if secret in data]
    with Image.open(io.BytesIO(data)) as image:
        assert not METADATA_KEYS & set(image.info)
        exif = image.getexif()
        assert dict(exif) == {}
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}


def _assert_has_metadata(data):
    """The photo built for a test does carry what the test expects to be removed."""
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) or (
            image.format == "GIF" and COMMENT in data
        )


def _upload(data, image_format="JPEG", name="photo"):
    extension = EXTENSIONS[image_format]
    return SimpleUploadedFile(
        f"{name}.{extension}", data, content_type=f"image/{image_format.lower()}"
    )


def _durations(image):
    durations = []
    for frame in ImageSequence.Iterator(image):
        frame.load()
        durations.append(frame.info["duration"])
    return durations


def _opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("image_format", FORMATS)
def test_an_image_is_encoded_again_in_its_format_without_metadata(image_format):
    photo = _photo(image_format)
    _assert_has_metadata(photo)

    data = reencoded(_upload(photo, image_format)).read()

    _assert_no_metadata(data)
    image = _opened(data)
    assert (image.format, image.size) == (image_format, (20, 10))


@pytest.mark.parametrize("image_format", ["GIF", "PNG", "WEBP"])
def test_an_animation_keeps_its_frames_and_their_durations(image_format):
    photo = _photo(image_format, frames=3)

    data = reencoded(_upload(photo, image_format)).read()

    _assert_no_metadata(data)
    image = _opened(data)
    assert image.info["loop"] == 0
    assert _durations(image) == [70, 80, 90]


def test_a_photo_is_turned_upright_by_its_exif_orientation():
    # Orientation 6: the camera was turned; the picture is shown turned 90° right.
    photo = _photo(size=(20, 10), orientation=6)

    image = _opened(reencoded(_upload(photo)).read())

    assert image.size == (10, 20)
    assert ExifTags.Base.Orientation not in image.getexif()


def test_the_colour_profile_is_kept():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = _photo(icc=srgb)

    image = _opened(reencoded(_upload(photo)).read())

    assert image.info["icc_profile"] == srgb


def test_a_file_that_does_not_decode_is_refused():
    broken = _photo()[:200]
    with pytest.raises(ValidationError):
        reencoded(_upload(broken))


def _stored_markdown_image(response):
    assert response.status_code == 200, response.content
    code = response.json()["image_code"]
    with default_storage.open(code[len("![](/media/") : -1]) as stored:
        return stored.read()


def test_a_photo_dropped_into_the_markdown_editor_loses_its_gps(client, editor):
    client.force_login(editor)
    photo = _photo(size=(40, 30))
    _assert_has_metadata(photo)

    response = client.post(UPLOAD, {"image": _upload(photo)})

    data = _stored_markdown_image(response)
    _assert_no_metadata(data)
    image = _opened(data)
    assert (image.format, image.size) == ("JPEG", (40, 30))


def test_an_animation_dropped_into_the_markdown_editor_keeps_its_frames(client, editor):
    client.force_login(editor)
    for image_format in ["GIF", "PNG", "WEBP"]:
        photo = _photo(image_format, frames=3)
        upload = _upload(photo, image_format)

        data = _stored_markdown_image(client.post(UPLOAD, {"image": upload}))

        _assert_no_metadata(data)
        assert _opened(data).n_frames == 3


def test_an_animation_is_counted_by_all_its_pixels(client, editor, settings):
    settings.MARKDOWN_UPLOAD_MAX_PIXELS = 20 * 10 * 2
    client.force_login(editor)
    upload = _upload(_photo("GIF", frames=3), "GIF")
    assert client.post(UPLOAD, {"image": upload}).status_code == 400


def _assert_library_image_is_clean(image, size):
    with image.open_file() as stored:
        data = stored.read()
    _assert_no_metadata(data)
    opened = _opened(data)
    assert (opened.format, opened.size) == ("JPEG", size)
    assert (image.width, image.height) == size
    assert image.file_size == len(data)
    assert image.file_hash == hashlib.sha1(data).hexdigest()  # noqa: S324 (Wagtail's)


def test_a_photo_added_to_the_image_library_loses_its_gps(client, editor):
    client.force_login(editor)
    photo = _photo(size=(40, 30))

    response = client.post(
        reverse("wagtailimages:add"), {"title": "Kuva", "file": _upload(photo)}
    )

    assert response.status_code == 302, response.context["form"].errors
    image = get_image_model().objects.get(title="Kuva")
    _assert_library_image_is_clean(image, (40, 30))


def test_a_photo_added_by_multiple_upload_loses_its_gps(client, editor):
    client.force_login(editor)
    photo = _photo(size=(40, 30))

    response = client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": _upload(photo)}
    )

    assert response.json()["success"], response.json()
    image = get_image_model().objects.get(pk=response.json()["image_id"])
    _assert_library_image_is_clean(image, (40, 30))


def test_a_photo_turned_sideways_is_stored_upright_in_the_library(client, editor):
    client.force_login(editor)
    photo = _photo(size=(40, 30), orientation=6)

    client.post(reverse("wagtailimages:add"), {"title": "Kuva", "file": _upload(photo)})

    image = get_image_model().objects.get(title="Kuva")
    _assert_library_image_is_clean(image, (30, 40))


def test_editing_an_image_without_a_new_file_keeps_the_stored_file(client, editor):
    client.force_login(editor)
    client.post(
        reverse("wagtailimages:add"), {"title": "Kuva", "file": _upload(_photo())}
    )
    image = get_image_model().objects.get(title="Kuva")
    name = image.file.name
    with image.open_file() as stored:
        before = stored.read()

    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]), {"title": "Uusi nimi"}
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.title, image.file.name) == ("Uusi nimi", name)
    with image.open_file() as stored:
        assert stored.read() == before


def test_a_photo_completed_after_a_refused_title_loses_its_gps(
    client, editor, tmp_path
):
    """Wagtail keeps an upload whose title was refused, then makes it an image."""
    client.force_login(editor)
    upload = _upload(_photo(size=(40, 30)))
    kept = client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload, "title": ""}
    ).json()
    upload_id = kept["uploaded_file_id"]

    response = client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=[upload_id]),
        {f"uploaded-image-{upload_id}-title": "Kuva"},
    )

    assert response.json()["success"], response.json()
    image = get_image_model().objects.get(pk=response.json()["image_id"])
    _assert_library_image_is_clean(image, (40, 30))
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert [path.relative_to(tmp_path).parts[0] for path in stored] == [
        "original_images"
    ]
