"""Exports of the team report: CSV streamed row by row, XLSX in write-only mode.

Both walk the report in batches (`TeamReport.iter_rows`), so a team of any size
is never held in memory, and hold one line per cell the dashboard shows, in its
order. A workbook has one sheet: a title row saying what was filtered, a frozen
header row with an autofilter, columns as wide as their content, real dates.
"""

import csv
import pickle
import tempfile
from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60
DATE_WIDTH = 12
EXCEL_DATE_FORMATS = {"en": "yyyy-mm-dd"}
EXCEL_DATE_FORMAT = "d.m.yyyy"


def header():
    return [
        _("Employee number"),
        _("Last name"),
        _("First name"),
        _("E-mail address"),
        _("Unit code"),
        _("Unit"),
        _("Course"),
        _("Status"),
        _("Progress (%)"),
        _("Enrolled on"),
        _("Due date"),
        _("Completed on"),
    ]


def report_records(report):
    """Yield one record (a list of values) per person and course of the report."""
    for row in report.iter_rows():
        person, unit = row.person, row.person.org_unit
        for course, cell in zip(report.courses, row.cells, strict=True):
            enrollment = cell.enrollment
            if enrollment is None or not cell.shown:
                continue
            yield [
                person.employee_number or "",
                person.last_name,
                person.first_name,
                person.email,
                unit.code if unit else "",
                unit.name if unit else "",
                course.title,
                str(cell.label),
                cell.percent,
                _local_date(enrollment.enrolled_at),
                cell.due_date,
                _local_date(cell.completed_at),
            ]


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


class _Echo:
    def write(self, value):
        return value


def csv_chunks(report):
    """Yield the team report as CSV lines."""
    return csv_lines(header(), report_records(report))


def csv_lines(columns, records):
    """Yield CSV lines (UTF-8 with a BOM, so Excel reads it right), row by row."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(columns)
    for record in records:
        yield writer.writerow([spreadsheet_safe(value) for value in record])


def spreadsheet_safe(value):
    """Keep spreadsheet programs from running a cell as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value.isoformat() if hasattr(value, "isoformat") else value


def filter_caption(title, filters, today=None) -> str:
    """Return a title row's text: the report, its filters and the export date.

    `filters` are (label, value) pairs; those without a value are left out.
    """
    today = today or timezone.localdate()
    parts = [f"{label}: {value}" for label, value in filters if value]
    exported = _("Exported on %(date)s") % {
        "date": date_format(today, "SHORT_DATE_FORMAT")
    }
    return " · ".join([str(title), *parts, exported])


def _xlsx_cell(sheet, value, *, bold=False, date_style=""):
    """Return a write-only cell; text that looks like a formula stays text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, date):
        cell.number_format = date_style
    return cell


def xlsx_file(report, caption=None):
    """Write the team report to a temporary XLSX file; return the open file."""
    return xlsx_workbook(
        _("Team report"), header(), report_records(report), caption=caption
    )


def xlsx_workbook(title, columns, records, *, caption=None):
    """Write rows to a temporary XLSX file in write-only mode; return the open file.

    Write-only sheets take their column widths before the first row, so the
    records are spooled to a temporary file while their widths are measured.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    widths = [_width(column) for column in columns]
    with tempfile.SpooledTemporaryFile(max_size=1 << 20) as spool:
        count = _spool(records, spool, widths)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(title)[:31])
        for index, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A3"
        date_style = _excel_date_format()
        sheet.append([_xlsx_cell(sheet, caption or str(title), bold=True)])
        sheet.append([_xlsx_cell(sheet, str(name), bold=True) for name in columns])
        for record in _unspool(spool, count):
            sheet.append(
                [_xlsx_cell(sheet, value, date_style=date_style) for value in record]
            )
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A2:{last}{count + 2}"
        target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
        workbook.save(target)
    target.seek(0)
    return target


def _spool(records, spool, widths) -> int:
    count = 0
    for record in records:
        for index, value in enumerate(record):
            widths[index] = max(widths[index], _width(value))
        pickle.dump(record, spool)
        count += 1
    spool.seek(0)
    return count


def _unspool(spool, count):
    for _number in range(count):
        yield pickle.load(spool)  # noqa: S301 - our own file, written just now


def _width(value) -> int:
    if isinstance(value, (date, datetime)):
        return DATE_WIDTH
    text = "" if value is None else str(value)
    return min(len(text) + 2, MAX_COLUMN_WIDTH)


def _excel_date_format():
    return EXCEL_DATE_FORMATS.get(translation.get_language(), EXCEL_DATE_FORMAT)
