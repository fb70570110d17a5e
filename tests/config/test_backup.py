"""`manage.py backup` and `manage.py restore`: database and objects, round trip."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from wagtail.models import Page

from certificates.models import Certificate
from config import backups
from lessons import progress
from lessons.models import Enrollment, StepCompletion
from people.models import User
from tests.certificates.conftest import *  # noqa: F403 (its fixtures apply here)
from tests.certificates.conftest import finish, make_course, stand_in_pdf
from tests.helpers import stored_bytes

# The commands speak the site's language; these tests read them in English.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MEDIA_NAME = "documents/ohje.txt"


@pytest.fixture(autouse=True)
def own_storages(settings, tmp_path):
    """Storages of this test's own, so that the backup holds only its objects."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def fresh_content_types():
    """A restore makes content types anew; later tests must not see their ids."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def content(catalogue, template, learner, second_learner, stand_in_pdfs):
    """Two learners, one of them through a course with its certificate, and media."""
    course = make_course(catalogue, "Tietoturva", template=template, lessons=3)
    finish(learner, course)
    first_lesson = course.get_children().first()
    progress.complete_step(user=second_learner, step=first_lesson, course=course)
    storages["default"].save(MEDIA_NAME, ContentFile(b"Ohje"))
    return course


def snapshot(course, learner):
    certificate = Certificate.objects.get(user=learner, course=course)
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (User, Page, Enrollment, StepCompletion, Certificate)
        },
        "progress": sorted(
            StepCompletion.objects.filter(user=learner).values_list(
                "page_id", flat=True
            )
        ),
        "completed_at": Enrollment.objects.get(
            user=learner, course=course
        ).completed_at,
        "certificate": (certificate.code, stored_bytes(certificate.pdf)),
        "media": _read(storages["default"], MEDIA_NAME),
    }


def _read(storage, name):
    with storage.open(name, "rb") as stored:
        return stored.read()


def wipe():
    """Empty the database and both storages, as a new installation is."""
    backups.empty_database()
    for alias in backups.STORAGE_ALIASES:
        for name in list(backups.stored_names(storages[alias])):
            storages[alias].delete(name)


def test_a_backup_restored_into_an_empty_site_gives_everything_back(
    content, learner, tmp_path
):
    before = snapshot(content, learner)
    assert before["certificate"][1] == stand_in_pdf(before["certificate"][0])

    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    wipe()
    assert not User.objects.exists()
    call_command("restore", str(tmp_path / "backup"), verbosity=0)

    assert snapshot(content, learner) == before


def test_the_manifest_lists_every_object_with_its_digest(content, learner, tmp_path):
    call_command("backup", str(tmp_path / "backup"), verbosity=0)

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    certificate = Certificate.objects.get(user=learner)
    [private] = manifest["objects"]["private"]
    assert private["name"] == certificate.pdf.name
    assert private["size"] == len(stored_bytes(certificate.pdf))
    assert [entry["name"] for entry in manifest["objects"]["default"]] == [MEDIA_NAME]
    assert len(manifest["database"]["sha256"]) == 64


def test_a_restore_refuses_a_database_that_has_users(content, tmp_path):
    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    with pytest.raises(CommandError, match="restore only into an empty one"):
        call_command("restore", str(tmp_path / "backup"), verbosity=0)


def test_a_restore_refuses_storage_that_is_not_empty(content, tmp_path):
    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    backups.empty_database()
    with pytest.raises(CommandError, match="storage is not empty"):
        call_command("restore", str(tmp_path / "backup"), verbosity=0)


def test_a_changed_backup_is_refused_before_anything_is_written(content, tmp_path):
    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    (tmp_path / "backup" / "objects" / "default" / MEDIA_NAME).write_text("Muutettu")
    wipe()

    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(tmp_path / "backup"), verbosity=0)
    assert not User.objects.exists()
    assert list(backups.stored_names(storages["default"])) == []


def test_a_backup_goes_only_into_an_empty_folder(content, tmp_path):
    (tmp_path / "old.txt").write_text("")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path), verbosity=0)
