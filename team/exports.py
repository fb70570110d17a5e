"""Exports of the team report: CSV streamed row by row, XLSX in write-only mode.

Both walk the report in batches (`TeamReport.iter_rows`), so a team of any size
is never held in memory.
"""

import csv
import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
                _local_date(enrollment.enrolled_at) if enrollment else None,
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


def _xlsx_cell(sheet, value):
    """Store text that looks like a formula as text."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_file(report):
    """Write the team report to a temporary XLSX file; return the open file."""
    return xlsx_workbook(_("Team report"), header(), report_records(report))


def xlsx_workbook(title, columns, records):
    """Write rows to a temporary XLSX file in write-only mode; return the open file."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(columns)
    for record in records:
        sheet.append([_xlsx_cell(sheet, value) for value in record])
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    workbook.save(target)
    target.seek(0)
    return target
