"""Staff import from the HR export (CSV): an idempotent upsert with a line report.

People are matched by employee number (then e-mail), units by code. Missing units
are created, nobody is ever deleted, and a full import deactivates those missing
from the file. Bad lines are reported with their number and skipped; the good lines
still import. Every text is checked against its field before anything is saved, so
no line can make the database refuse the whole import. A file that is not UTF-8 or
not valid CSV imports nothing. A dry run does everything in a transaction that is
rolled back. Every problem of a line is reported, not only the first.

After a dry run in the admin the file is staged: kept in private storage for
`STAGED_MINUTES` under a signed ticket that names the person who uploaded it and the
file's hash, so "import these now" imports exactly the file that was previewed.
"""

import csv
import hashlib
import io
import re
import secrets
from collections import ChainMap
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from people.models import OrgUnit, User
from people.signals import people_imported

REQUIRED_COLUMNS = ["employee_number", "email", "first_name", "last_name", "unit_code"]
OPTIONAL_COLUMNS = [
    "unit_name",
    "parent_unit_code",
    "is_manager",
    "manager_email",
    "language",
]
COLUMNS = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
TRUE_WORDS = {"1", "true", "yes", "kyllä", "k", "x", "ja"}
FALSE_WORDS = {"", "0", "false", "no", "ei", "e", "nej"}
BATCH = 1000
# PostgreSQL refuses NUL in text; the other control characters are junk in a name.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class _TextColumn:
    """A text column of the file and the model field that bounds its length."""

    model: type
    field_name: str
    label: str

    @property
    def max_length(self):
        return self.model._meta.get_field(self.field_name).max_length


TEXT_COLUMNS = {
    "employee_number": _TextColumn(
        User, "employee_number", gettext_lazy("Employee number")
    ),
    "email": _TextColumn(User, "email", gettext_lazy("E-mail address")),
    "first_name": _TextColumn(User, "first_name", gettext_lazy("First name")),
    "last_name": _TextColumn(User, "last_name", gettext_lazy("Last name")),
    "language": _TextColumn(User, "preferred_language", gettext_lazy("Language")),
    "unit_code": _TextColumn(OrgUnit, "code", gettext_lazy("Unit code")),
    "unit_name": _TextColumn(OrgUnit, "name", gettext_lazy("Unit name")),
    "parent_unit_code": _TextColumn(OrgUnit, "code", gettext_lazy("Parent unit code")),
    "manager_email": _TextColumn(User, "email", gettext_lazy("Manager e-mail")),
}


@dataclass(frozen=True)
class ColumnGuide:
    """One column of the HR export as the import page explains it."""

    name: str
    required: bool
    meaning: str
    example: str


COLUMN_GUIDE = [
    ColumnGuide(
        "employee_number",
        True,
        gettext_lazy(
            "The person's employee number in the HR system. It identifies "
            "the person from one import to the next."
        ),
        "1001",
    ),
    ColumnGuide(
        "email",
        True,
        gettext_lazy("Work e-mail address, used to log in."),
        "maija.virtanen@kaupunki.fi",
    ),
    ColumnGuide("first_name", True, gettext_lazy("First name."), "Maija"),
    ColumnGuide("last_name", True, gettext_lazy("Last name."), "Virtanen"),
    ColumnGuide(
        "unit_code",
        True,
        gettext_lazy(
            "Code of the person's unit. A unit missing from the site is created."
        ),
        "KASKO-PK",
    ),
    ColumnGuide(
        "unit_name",
        False,
        gettext_lazy(
            "Name of the unit. Empty: the code is used as the name of a new "
            "unit, and an existing unit keeps its name."
        ),
        "Päiväkodit",
    ),
    ColumnGuide(
        "parent_unit_code",
        False,
        gettext_lazy(
            "Code of the unit above it. Empty: a top-level unit, or the unit "
            "stays where it is."
        ),
        "KASKO",
    ),
    ColumnGuide(
        "is_manager",
        False,
        gettext_lazy(
            "Whether the person manages their unit: kyllä/ei, ja/nej, "
            "yes/no, 1/0 or x. Empty means no."
        ),
        "kyllä",
    ),
    ColumnGuide(
        "manager_email",
        False,
        gettext_lazy(
            "E-mail address of the unit's manager, when the manager is not "
            "marked with is_manager. The manager must be in the file or "
            "already on the site."
        ),
        "esihenkilo@kaupunki.fi",
    ),
    ColumnGuide(
        "language",
        False,
        gettext_lazy("Language of the site and e-mails: fi, sv or en. Empty: fi."),
        "fi",
    ),
]
# One line a template file carries: it imports on its own, into an empty site too.
TEMPLATE_ROW = {
    "employee_number": "1001",
    "email": "maija.virtanen@kaupunki.fi",
    "first_name": "Maija",
    "last_name": "Virtanen",
    "unit_code": "KASKO",
    "unit_name": "Kasvatus ja koulutus",
    "is_manager": "kyllä",
    "language": "fi",
}


def template_csv() -> str:
    """Return a template HR export: the header and one example line.

    Semicolons and a byte order mark let Excel with Finnish or Swedish settings open
    it in columns and with ä and ö intact.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow([TEMPLATE_ROW.get(column, "") for column in COLUMNS])
    return "\ufeff" + out.getvalue()


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    units_created: int = 0
    fatal: str = ""
    problems: dict = field(default_factory=dict)  # line number: [message]
    seen_numbers: set = field(default_factory=set, repr=False)
    parent_of: dict = field(default_factory=dict, repr=False)

    @property
    def imported(self):
        return self.created + self.updated + self.unchanged

    @property
    def skipped_lines(self):
        return len(self.problems)

    @property
    def errors(self):
        """Return each skipped line with its problems in one message, by line."""
        return [(line, " ".join(messages)) for line, messages in self.problems_by_line]

    @property
    def problems_by_line(self):
        """Return each skipped line with all its problems: [(line, [message])]."""
        return sorted(self.problems.items())

    def add_error(self, line, message):
        self.problems.setdefault(line, []).append(message)


@dataclass
class _Row:
    line: int
    employee_number: str
    email: str
    first_name: str
    last_name: str
    unit_code: str
    unit_name: str
    parent_unit_code: str
    is_manager: bool
    manager_email: str
    language: str
    problems: list = field(default_factory=list)
    bad_columns: set = field(default_factory=set)

    @property
    def is_good(self):
        return not self.problems

    def add_problem(self, message, column=None):
        self.problems.append(message)
        if column:
            self.bad_columns.add(column)

    def has_good(self, *columns):
        """Return whether these columns passed their own checks (so can be judged)."""
        return not self.bad_columns.intersection(columns)


def import_people(data: bytes, *, dry_run=False, full=False) -> ImportReport:
    """Import the HR export; return what was (or, in a dry run, would be) done."""
    report = ImportReport(dry_run=dry_run)
    rows = _read_rows(data, report)
    if report.fatal:
        return report
    _check_duplicates(rows)
    _check_units(rows, report)
    _check_manager_emails(rows)
    rows = _good_rows(rows, report)
    with transaction.atomic():
        units = _upsert_units(rows, report)
        people = _upsert_people(rows, units, report)
        _set_managers(rows, units, people)
        if full:
            _deactivate_missing(report, seen=report.seen_numbers)
        if dry_run:
            transaction.set_rollback(True)
        else:
            people_imported.send(sender=User)
    return report


def _good_rows(rows, report):
    """Report the problems of the bad rows; return the good ones."""
    for row in rows:
        for message in row.problems:
            report.add_error(row.line, message)
    return [row for row in rows if row.is_good]


class _UnreadableLine(Exception):
    """The CSV structure breaks on this line: a quotation mark out of place, say."""

    def __init__(self, line):
        super().__init__(line)
        self.line = line


def _read_rows(data, report):
    text = _decode(data, report)
    if text is None:
        return []
    try:
        return _rows_from(_records(text), report)
    except _UnreadableLine as error:
        report.fatal = _(
            "Line %(line)s cannot be read as CSV: a quotation mark is missing or "
            "out of place, or a field is far too long. Nothing was imported."
        ) % {"line": error.line}
        return []


def _decode(data, report):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.fatal = _(
            "The file is not UTF-8 text. Save it as CSV UTF-8 and try again."
        )
        return None


def _records(text):
    """Yield each record with the line it starts on, as an editor numbers lines.

    Lines end in LF, CRLF or a lone CR (Excel's "CSV (Macintosh)"), and a quoted
    field may run over several lines.
    """
    lines = io.StringIO(text, newline="")
    delimiter = _delimiter(lines.readline())
    lines.seek(0)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as error:
        raise _UnreadableLine(line) from error


def _delimiter(header_line):
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def _rows_from(records, report):
    _header_line, values = next(records, (1, []))
    header = [column.strip().lower() for column in values]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        report.fatal = _("The header is missing these columns: %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        return []
    rows, seen = [], set()
    for line, values in records:
        if not any(value.strip() for value in values):
            continue
        cells = dict(zip(header, (value.strip() for value in values), strict=False))
        seen.add(cells.get("employee_number", ""))
        rows.append(_parse_row(line, cells))
    report.seen_numbers = {number for number in seen if number}
    return rows


def _parse_row(line, cells):
    cells = _as_stored(cells)
    row = _Row(
        line=line,
        employee_number=cells["employee_number"],
        email=cells["email"],
        first_name=cells["first_name"],
        last_name=cells["last_name"],
        unit_code=cells["unit_code"],
        unit_name=cells["unit_name"],
        parent_unit_code=cells["parent_unit_code"],
        is_manager=cells["is_manager"] in TRUE_WORDS,
        manager_email=cells["manager_email"],
        language=cells["language"],
    )
    for column, text_column in TEXT_COLUMNS.items():
        problem = _cell_problem(cells[column], text_column)
        if problem:
            row.add_problem(problem, column)
    for column, problem in _value_problems(cells):
        if row.has_good(column):
            row.add_problem(problem, column)
    return row


def _as_stored(cells):
    """Return every column's value as it would be stored, e-mails in lower case."""
    return {
        **{column: cells.get(column, "") for column in COLUMNS},
        "email": cells.get("email", "").lower(),
        "manager_email": cells.get("manager_email", "").lower(),
        "language": (cells.get("language") or settings.LANGUAGE_CODE).lower(),
        "is_manager": cells.get("is_manager", "").lower(),
    }


def _cell_problem(value, column):
    """Return why `value` cannot be stored in the column, or None."""
    if len(value.splitlines()) > 1:
        return _("%(field)s contains a line break.") % {"field": column.label}
    control = CONTROL_CHARACTER.search(value)
    if control:
        return _("%(field)s contains a control character (%(character)s).") % {
            "field": column.label,
            "character": f"U+{ord(control.group()):04X}",
        }
    if len(value) > column.max_length:
        return ngettext(
            "%(field)s is longer than %(limit)s character.",
            "%(field)s is longer than %(limit)s characters.",
            column.max_length,
        ) % {"field": column.label, "limit": column.max_length}
    return None


def _value_problems(cells):
    """Yield (column, why) for each value of the line that makes no person."""
    if not cells["employee_number"]:
        yield "employee_number", _("The employee number is missing.")
    try:
        validate_email(cells["email"])
    except ValidationError:
        yield (
            "email",
            _("%(email)s is not a valid e-mail address.") % {"email": cells["email"]},
        )
    if not cells["unit_code"]:
        yield "unit_code", _("The unit code is missing.")
    if cells["language"] not in {code for code, _name in settings.LANGUAGES}:
        yield (
            "language",
            _("Unknown language %(language)s: use fi, sv or en.")
            % {"language": cells["language"]},
        )
    if cells["is_manager"] not in TRUE_WORDS | FALSE_WORDS:
        yield (
            "is_manager",
            _("The manager flag must be yes or no, not %(value)s.")
            % {"value": cells["is_manager"]},
        )


def _check_duplicates(rows):
    """A number or e-mail a good line above already has makes the line bad."""
    first_line = {}
    for row in rows:
        keys = [
            (column, value)
            for column, value in (
                ("employee_number", row.employee_number),
                ("email", row.email),
            )
            if value and row.has_good(column)
        ]
        for key in keys:
            if key in first_line:
                row.add_problem(_duplicate_message(key[0], first_line[key]))
        if row.is_good:
            first_line.update(dict.fromkeys(keys, row.line))


def _duplicate_message(column, line):
    what = _("employee number") if column == "employee_number" else _("e-mail")
    return _("Same %(what)s as line %(line)s.") % {"what": what, "line": line}


_UNIT_COLUMNS = ("unit_code", "parent_unit_code")


def _check_units(rows, report):
    """Mark lines whose unit has an unknown parent, sits in a cycle or too deep.

    The good lines place the units; a line already bad is judged as if it alone
    moved its unit, so it never changes the verdict on the others.
    """
    parent_of = _existing_parents()
    placing = [row for row in rows if row.is_good]
    for row in placing:
        parent_of[row.unit_code] = row.parent_unit_code or parent_of.get(
            row.unit_code, ""
        )
    bad_units = {}
    for code in parent_of:
        problem = _place_problem(code, parent_of)
        if problem:
            bad_units[code] = problem
    for row in placing:
        if row.unit_code in bad_units:
            row.add_problem(bad_units[row.unit_code])
    placed = {id(row) for row in placing}
    for row in rows:
        if id(row) not in placed and row.unit_code and row.has_good(*_UNIT_COLUMNS):
            _check_own_place(row, parent_of)
    report.parent_of = parent_of


def _check_own_place(row, parent_of):
    own = {row.unit_code: row.parent_unit_code or parent_of.get(row.unit_code, "")}
    problem = _place_problem(row.unit_code, ChainMap(own, parent_of))
    if problem:
        row.add_problem(problem)


def _place_problem(code, parent_of):
    """Return why the unit cannot sit where `parent_of` puts it, or None."""
    path, current = [], code
    while current:
        if current in path:
            return _("The units form a cycle: %(cycle)s.") % {
                "cycle": " → ".join([*path[path.index(current) :], current])
            }
        if len(path) == OrgUnit.deepest_level():
            return _("The unit is more than %(levels)s levels deep.") % {
                "levels": OrgUnit.deepest_level()
            }
        path.append(current)
        if current != code and current not in parent_of:
            return _("Unknown parent unit %(code)s.") % {"code": current}
        current = parent_of.get(current, "")
    return None


def _existing_parents():
    """Return each existing unit's parent code, read from the tree paths at once."""
    code_at = dict(OrgUnit.objects.values_list("path", "code"))
    return {
        code: code_at.get(path[: -OrgUnit.steplen], "")
        for path, code in code_at.items()
    }


def _check_manager_emails(rows):
    """A manager e-mail that is neither on a good line nor on the site is a problem."""
    known = {row.email for row in rows if row.is_good}
    named = [row for row in rows if row.manager_email and row.has_good("manager_email")]
    wanted = {row.manager_email for row in named} - known
    known |= set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    for row in named:
        if row.manager_email not in known:
            row.add_problem(
                _("Unknown manager e-mail %(email)s.") % {"email": row.manager_email}
            )


def _upsert_units(rows, report):
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    names = {row.unit_code: row.unit_name for row in rows}
    for code in sorted(names, key=lambda c: _depth(c, report.parent_of)):
        parent_code = report.parent_of.get(code, "")
        name = names[code] or code
        unit = units.get(code)
        if unit is None:
            parent = units.get(parent_code)
            unit = (
                parent.add_child(name=name, code=code)
                if parent
                else OrgUnit.add_root(name=name, code=code)
            )
            units[code] = unit
            report.units_created += 1
        elif names[code] and unit.name != name:
            unit.name = name
            unit.save(update_fields=["name"])
    return units


def _depth(code, parent_of):
    depth = 0
    while parent_of.get(code):
        code, depth = parent_of[code], depth + 1
    return depth


def _upsert_people(rows, units, report):
    by_number = _existing(
        User.objects.filter(employee_number__isnull=False), "employee_number"
    )
    by_email = _existing(User.objects.all(), "email")
    to_create, to_update, people = [], [], {}
    for row in rows:
        person = by_number.get(row.employee_number) or by_email.get(row.email)
        holder = by_email.get(row.email)
        if holder and person and holder.pk != person.pk:
            report.add_error(
                row.line,
                _("%(email)s belongs to another person.") % {"email": row.email},
            )
            continue
        values = {
            "employee_number": row.employee_number,
            "email": row.email,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "preferred_language": row.language,
            "org_unit_id": units[row.unit_code].pk,
            "is_active": True,
        }
        if person is None:
            person = User(**values)
            person.set_unusable_password()
            to_create.append(person)
            report.created += 1
        elif any(getattr(person, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(person, name, value)
            to_update.append(person)
            report.updated += 1
        else:
            report.unchanged += 1
        people[row.email] = person
    User.objects.bulk_create(to_create, batch_size=BATCH)
    User.objects.bulk_update(
        to_update,
        ["employee_number", "email", "first_name", "last_name", "preferred_language",
         "org_unit_id", "is_active"],
        batch_size=BATCH,
    )  # fmt: skip
    return people


def _existing(queryset, key):
    return {
        getattr(person, key): person for person in queryset.iterator(chunk_size=BATCH)
    }


def _set_managers(rows, units, people):
    """Units whose managers the file names get exactly those managers."""
    declared = {}
    outside_file = {row.manager_email for row in rows} - set(people) - {""}
    managers = {**User.objects.in_bulk(outside_file, field_name="email"), **people}
    for row in rows:
        if row.email not in people:
            continue
        if row.is_manager:
            declared.setdefault(row.unit_code, set()).add(people[row.email].pk)
        if row.manager_email:
            declared.setdefault(row.unit_code, set()).add(
                managers[row.manager_email].pk
            )
    through = OrgUnit.managers.through
    unit_ids = [units[code].pk for code in declared]
    through.objects.filter(orgunit_id__in=unit_ids).delete()
    through.objects.bulk_create(
        [
            through(orgunit_id=units[code].pk, user_id=user_id)
            for code, user_ids in declared.items()
            for user_id in user_ids
        ],
        batch_size=BATCH,
    )


def _deactivate_missing(report, *, seen):
    """Deactivate people from earlier imports who are not in this full file."""
    active = User.objects.filter(is_active=True, employee_number__isnull=False)
    leavers = [
        pk
        for pk, number in active.values_list("pk", "employee_number")
        if number not in seen
    ]
    for start in range(0, len(leavers), BATCH):
        User.objects.filter(pk__in=leavers[start : start + BATCH]).update(
            is_active=False
        )
    report.deactivated = len(leavers)


STAGED_MINUTES = 30
_STAGED_FOLDER = "staged-imports"
_STAGED_SALT = "people.importing.staged"


class StagedImportError(Exception):
    """A staged import that cannot run; `status` is the HTTP status to answer."""

    def __init__(self, message, *, status):
        super().__init__(message)
        self.message = message
        self.status = status


def stage_import(data: bytes, *, user, full: bool, filename: str = "") -> str:
    """Keep a previewed file for `STAGED_MINUTES`; return the ticket that imports it.

    The ticket is signed: it names the file, the person who uploaded it, the
    file's hash and the options of the preview, and nobody can alter it.
    """
    remove_expired_imports()
    stamp = int(timezone.now().timestamp())
    name = f"{_STAGED_FOLDER}/{stamp}-{user.pk}-{secrets.token_urlsafe(24)}.csv"
    name = _staging_storage().save(name, ContentFile(data))
    staged = {
        "name": name,
        "user": user.pk,
        "sha256": hashlib.sha256(data).hexdigest(),
        "full": full,
        "filename": filename[:200],
    }
    return signing.dumps(staged, salt=_STAGED_SALT)


def staged_filename(ticket: str) -> str:
    """Return the name of the file the ticket stands for, as it was uploaded."""
    try:
        return signing.loads(ticket, salt=_STAGED_SALT).get("filename", "")
    except signing.BadSignature:
        return ""


def import_staged(ticket: str, *, user) -> ImportReport:
    """Import, once, exactly the file previewed under the ticket, with its options."""
    remove_expired_imports()
    staged = _open_ticket(ticket, user=user)
    data = _take_staged(staged["name"])
    if hashlib.sha256(data).hexdigest() != staged["sha256"]:
        raise StagedImportError(
            _("The kept file is not the one you previewed. Upload the file again."),
            status=409,
        )
    return import_people(data, full=staged["full"])


def remove_expired_imports() -> int:
    """Delete the staged files older than `STAGED_MINUTES`; return how many."""
    storage = _staging_storage()
    try:
        _folders, names = storage.listdir(_STAGED_FOLDER)
    except FileNotFoundError:
        return 0
    oldest = timezone.now().timestamp() - STAGED_MINUTES * 60
    expired = [name for name in names if _staged_at(name) < oldest]
    for name in expired:
        storage.delete(f"{_STAGED_FOLDER}/{name}")
    return len(expired)


def _staged_at(name):
    stamp = name.split("-", 1)[0]
    return int(stamp) if stamp.isdigit() else 0


def _open_ticket(ticket, *, user):
    try:
        staged = signing.loads(ticket, salt=_STAGED_SALT, max_age=STAGED_MINUTES * 60)
    except signing.SignatureExpired:
        raise StagedImportError(_expired_message(), status=410) from None
    except signing.BadSignature:
        raise StagedImportError(
            _("This import cannot be read. Upload the file again."), status=400
        ) from None
    if staged.get("user") != user.pk:
        raise StagedImportError(
            _("Someone else previewed this file. Upload it yourself to import it."),
            status=403,
        )
    return staged


def _take_staged(name):
    """Return the staged file's bytes and delete it, so it imports only once."""
    storage = _staging_storage()
    try:
        with storage.open(name, "rb") as staged:
            data = staged.read()
    except FileNotFoundError:
        raise StagedImportError(_expired_message(), status=410) from None
    storage.delete(name)
    return data


def _expired_message():
    return ngettext(
        "This preview has expired or has already been imported: a previewed file "
        "is kept for %(minutes)s minute. Upload the file again.",
        "This preview has expired or has already been imported: a previewed file "
        "is kept for %(minutes)s minutes. Upload the file again.",
        STAGED_MINUTES,
    ) % {"minutes": STAGED_MINUTES}


def _staging_storage():
    """The HR export names people: it is kept where no URL reaches it."""
    return storages["private"]
