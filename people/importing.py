"""Staff import from the HR export (CSV): an idempotent upsert with a line report.

People are matched by employee number (then e-mail), units by code. Missing units
are created, nobody is ever deleted, and a full import deactivates those missing
from the file. Bad lines are reported with their number and skipped; the good lines
still import. Every text is checked against its field before anything is saved, so
no line can make the database refuse the whole import. A file that is not UTF-8 or
not valid CSV imports nothing. A dry run does everything in a transaction that is
rolled back.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
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


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    units_created: int = 0
    errors: list = field(default_factory=list)  # (line number, message)
    fatal: str = ""
    seen_numbers: set = field(default_factory=set, repr=False)
    parent_of: dict = field(default_factory=dict, repr=False)

    @property
    def imported(self):
        return self.created + self.updated + self.unchanged

    def add_error(self, line, message):
        self.errors.append((line, message))


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


def import_people(data: bytes, *, dry_run=False, full=False) -> ImportReport:
    """Import the HR export; return what was (or, in a dry run, would be) done."""
    report = ImportReport(dry_run=dry_run)
    rows = _read_rows(data, report)
    if report.fatal:
        return report
    rows = _drop_duplicates(rows, report)
    rows = _check_units(rows, report)
    rows = _check_manager_emails(rows, report)
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
    report.errors.sort(key=lambda error: error[0])
    return report


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
        row = _parse_row(line, cells, report)
        if row:
            rows.append(row)
    report.seen_numbers = {number for number in seen if number}
    return rows


def _parse_row(line, cells, report):
    cells = _as_stored(cells)
    problem = _text_problem(cells) or _value_problem(cells)
    if problem:
        report.add_error(line, problem)
        return None
    return _Row(
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


def _as_stored(cells):
    """Return every column's value as it would be stored, e-mails in lower case."""
    return {
        **{column: cells.get(column, "") for column in COLUMNS},
        "email": cells.get("email", "").lower(),
        "manager_email": cells.get("manager_email", "").lower(),
        "language": (cells.get("language") or settings.LANGUAGE_CODE).lower(),
        "is_manager": cells.get("is_manager", "").lower(),
    }


def _text_problem(cells):
    """Return why a text cell cannot be stored as it is, or None."""
    for column, text_column in TEXT_COLUMNS.items():
        problem = _cell_problem(cells[column], text_column)
        if problem:
            return problem
    return None


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


def _value_problem(cells):
    """Return why the line's values make no person, or None."""
    if not cells["employee_number"]:
        return _("The employee number is missing.")
    try:
        validate_email(cells["email"])
    except ValidationError:
        return _("%(email)s is not a valid e-mail address.") % {"email": cells["email"]}
    if not cells["unit_code"]:
        return _("The unit code is missing.")
    if cells["language"] not in {code for code, _name in settings.LANGUAGES}:
        return _("Unknown language %(language)s: use fi, sv or en.") % {
            "language": cells["language"]
        }
    if cells["is_manager"] not in TRUE_WORDS | FALSE_WORDS:
        return _("The manager flag must be yes or no, not %(value)s.") % {
            "value": cells["is_manager"]
        }
    return None


def _drop_duplicates(rows, report):
    first_line = {}
    kept = []
    for row in rows:
        for key in (("number", row.employee_number), ("email", row.email)):
            if key in first_line:
                report.add_error(
                    row.line,
                    _("Same %(what)s as line %(line)s.")
                    % {
                        "what": _("employee number")
                        if key[0] == "number"
                        else _("e-mail"),
                        "line": first_line[key],
                    },
                )
                break
        else:
            first_line[("number", row.employee_number)] = row.line
            first_line[("email", row.email)] = row.line
            kept.append(row)
    return kept


def _check_units(rows, report):
    """Drop lines whose unit has an unknown parent, sits in a cycle or too deep."""
    parent_of = _existing_parents()
    for row in rows:
        parent_of[row.unit_code] = row.parent_unit_code or parent_of.get(
            row.unit_code, ""
        )
    bad_units = {}
    for code in parent_of:
        problem = _place_problem(code, parent_of)
        if problem:
            bad_units[code] = problem
    kept = []
    for row in rows:
        if row.unit_code in bad_units:
            report.add_error(row.line, bad_units[row.unit_code])
        else:
            kept.append(row)
    report.parent_of = parent_of
    return kept


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


def _check_manager_emails(rows, report):
    known = {row.email for row in rows}
    wanted = {row.manager_email for row in rows if row.manager_email} - known
    known |= set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    kept = []
    for row in rows:
        if row.manager_email and row.manager_email not in known:
            report.add_error(
                row.line,
                _("Unknown manager e-mail %(email)s.") % {"email": row.manager_email},
            )
        else:
            kept.append(row)
    return kept


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
