"""A consistent backup of the database and of both storages, and its restore.

A backup is a folder: `database.json` (Django's serialised data, read in one
transaction that sees one snapshot), `objects/<storage alias>/<name>` for every
object of the default (media) and private (certificates) storages, and
`manifest.json` with the size and SHA-256 of each of them. The database is read
first: objects are only added while the site runs, so every file the data names is
in the copy. A restore checks the manifest before and after it writes anything, and
only goes into an empty database (no users) and empty storages.
"""

import hashlib
import json
import posixpath
import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.storage import STORAGE_ALIASES

MANIFEST = "manifest.json"
DATABASE_FILE = "database.json"
OBJECTS_FOLDER = "objects"
# Rebuilt by migrate (content types, permissions), rebuilt by update_index (the
# search index), or short-lived (sessions, editing sessions).
EXCLUDED_MODELS = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "wagtailsearch",
    "wagtailadmin.editingsession",
)
CHUNK_BYTES = 1024 * 1024
BACKUP_FORMAT = "backup-json"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


def make_backup(folder: Path) -> dict:
    """Write a backup of the database and both storages into an empty `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(_("%(folder)s is not empty.") % {"folder": folder})
    database = folder / DATABASE_FILE
    _dump_database(database)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": {"file": DATABASE_FILE, **_digest(database)},
        "objects": {
            alias: _copy_out(storages[alias], folder / OBJECTS_FOLDER / alias)
            for alias in STORAGE_ALIASES
        },
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore_backup(folder: Path) -> dict:
    """Restore a backup into an empty database and storages; return its manifest."""
    manifest = read_verified_manifest(folder)
    _require_empty_target()
    with transaction.atomic():
        empty_database()
        call_command("loaddata", str(folder / DATABASE_FILE), verbosity=0)
    for alias, entries in manifest["objects"].items():
        _copy_in(storages[alias], folder / OBJECTS_FOLDER / alias, entries)
    call_command("update_index", verbosity=0)
    return manifest


def empty_database() -> None:
    """Delete every row, then make the content types and permissions anew."""
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            # Checks deferred to the commit would keep TRUNCATE from running.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    ContentType.objects.clear_cache()


def read_verified_manifest(folder: Path) -> dict:
    """Return the backup's manifest once every file in it matches its digest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        message = _("No readable %(file)s in %(folder)s: %(error)s")
        raise BackupError(
            message % {"file": MANIFEST, "folder": folder, "error": error}
        ) from error
    _verify_file(folder / DATABASE_FILE, manifest["database"])
    for alias, entries in manifest["objects"].items():
        for entry in entries:
            _verify_file(folder / OBJECTS_FOLDER / alias / entry["name"], entry)
    return manifest


def stored_names(storage, folder: str = ""):
    """Yield the name of every object in `storage`, in every folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, name))


def _dump_database(path: Path) -> None:
    # One snapshot for every table: PostgreSQL's default isolation gives each
    # query its own. A transaction opened earlier (a test's) keeps its own level.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        serializers.register_serializer(BACKUP_FORMAT, "config.backup_format")
        call_command(
            "dumpdata",
            format=BACKUP_FORMAT,
            exclude=list(EXCLUDED_MODELS),
            output=str(path),
            verbosity=0,
        )


def _copy_out(storage, target: Path) -> list[dict]:
    entries = []
    for name in stored_names(storage):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, destination.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK_BYTES)
        entries.append({"name": name, **_digest(destination)})
    return entries


def _copy_in(storage, source: Path, entries: list[dict]) -> None:
    for entry in entries:
        with (source / entry["name"]).open("rb") as content:
            saved = storage.save(entry["name"], File(content))
        if saved != entry["name"]:
            message = _("%(name)s was stored as %(saved)s.")
            raise BackupError(message % {"name": entry["name"], "saved": saved})
        with storage.open(saved, "rb") as stored:
            if _digest_of(stored) != entry["sha256"]:
                message = _("%(name)s does not match the manifest once stored.")
                raise BackupError(message % {"name": saved})


def _require_empty_target() -> None:
    if get_user_model().objects.exists():
        raise BackupError(_("The database has users: restore only into an empty one."))
    for alias in STORAGE_ALIASES:
        if next(stored_names(storages[alias]), None) is not None:
            message = _("The %(storage)s storage is not empty.")
            raise BackupError(message % {"storage": alias})


def _verify_file(path: Path, entry: dict) -> None:
    if not path.is_file():
        message = _("%(path)s is in the manifest but missing.")
        raise BackupError(message % {"path": path})
    if _digest(path) != {"size": entry["size"], "sha256": entry["sha256"]}:
        raise BackupError(_("%(path)s does not match the manifest.") % {"path": path})


def _digest(path: Path) -> dict:
    with path.open("rb") as content:
        return {"size": path.stat().st_size, "sha256": _digest_of(content)}


def _digest_of(content) -> str:
    digest = hashlib.sha256()
    while chunk := content.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()
