"""Training admins import staff from the Wagtail admin."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from people.importing import COLUMNS, REQUIRED_COLUMNS, STAGED_MINUTES, import_people
from people.models import User
from tests.factories import UserFactory
from tests.helpers import translated
from tests.people.test_import import AFTER_THE_BREAK, CITY, HEADER, QUOTED_LINE_BREAK

pytestmark = pytest.mark.django_db
URL = reverse("people_import")
STAGED_URL = reverse("people_import_staged")
TEMPLATE_URL = reverse("people_import_template")
STAGED_FOLDER = "staged-imports"


@pytest.fixture(autouse=True)
def no_staged_files():
    """Start and end each test with no staged import files."""
    _remove_staged()
    yield
    _remove_staged()


def _remove_staged():
    storage = storages["private"]
    for name in _staged_files():
        storage.delete(f"{STAGED_FOLDER}/{name}")


def _staged_files():
    try:
        return storages["private"].listdir(STAGED_FOLDER)[1]
    except FileNotFoundError:
        return []


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _problem_rows(response):
    rows = _soup(response).select("table[aria-labelledby=problems-heading] tbody tr")
    return [row.get_text("|", strip=True) for row in rows]


def _ticket(response):
    field = _soup(response).select_one(f'form[action="{STAGED_URL}"] [name=ticket]')
    return field["value"] if field else None


def _dry_run(client, text, **options):
    response = _upload(client, text, dry_run=True, **options)
    assert response.status_code == 200
    return response


def _import_now(client, ticket):
    return client.post(STAGED_URL, {"ticket": ticket})


def _city_people():
    return User.objects.filter(email__endswith="@kaupunki.fi")


def _upload(client, text, **options):
    return _upload_bytes(client, text.encode("utf-8"), **options)


def _upload_bytes(client, content, **options):
    data = {"file": SimpleUploadedFile("hr.csv", content, "text/csv")}
    data.update({name: "on" for name, value in options.items() if value})
    return client.post(URL, data)


def _alert(response):
    alert = BeautifulSoup(response.content, "html.parser").select_one("[role=alert]")
    return alert.get_text(strip=True)


def test_dry_run_shows_the_report_and_saves_nothing(client, training_admin):
    client.force_login(training_admin)
    response = _upload(client, HEADER + CITY + "x;bad;;;;;;;fi\n", dry_run=True)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.dry_run and report.created == 4
    assert [line for line, _message in report.errors] == [6]
    assert "<td>6</td>" in response.content.decode()
    assert not User.objects.filter(email__endswith="@kaupunki.fi").exists()


def test_import_saves_the_good_lines(client, training_admin):
    client.force_login(training_admin)
    response = _upload(client, HEADER + CITY + "x;bad;;;;;;;fi\n")
    assert response.context["report"].created == 4
    assert User.objects.filter(email__endswith="@kaupunki.fi").count() == 4


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b"id;name\n1;x\n",
            "The header is missing these columns: "
            "employee_number, email, first_name, last_name, unit_code.",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8",
            "The file is not UTF-8 text. Save it as CSV UTF-8 and try again.",
        ),
        (
            (HEADER + '1;"a@k.fi;A;A;U;;;;fi\n2;b@k.fi;B;B;U;;;;fi\n').encode(),
            "Line 2 cannot be read as CSV: a quotation mark is missing or out of "
            "place, or a field is far too long. Nothing was imported.",
        ),
    ],
    ids=["header", "binary", "quote-never-closed"],
)
def test_a_broken_file_gets_a_clear_message(
    client, training_admin, settings, content, message
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    response = _upload_bytes(client, content)
    assert response.status_code == 200
    assert _alert(response) == message
    assert not User.objects.exclude(pk=training_admin.pk).exists()


def test_a_cr_only_file_with_a_quoted_line_break_gets_its_report(
    client, training_admin
):
    client.force_login(training_admin)
    text = HEADER + CITY + QUOTED_LINE_BREAK + AFTER_THE_BREAK
    response = _upload(client, text.replace("\n", "\r"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.created == 4
    assert [line for line, _message in report.errors] == [6, 8]
    assert "<td>8</td>" in response.content.decode()


def test_an_over_long_name_is_a_skipped_line_and_the_rest_is_saved(
    client, training_admin, settings
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    line = f"1005;long@kaupunki.fi;{'A' * 5000};Pitkä;KASKO;;;;fi\n"
    response = _upload(client, HEADER + CITY + line)
    assert response.status_code == 200
    assert _problem_rows(response) == ["6|First name is longer than 150 characters."]
    assert User.objects.filter(email__endswith="@kaupunki.fi").count() == 4


def test_the_menu_shows_the_import_only_to_those_who_may_use_it(
    client, training_admin, editor
):
    client.force_login(training_admin)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_after_a_dry_run_the_same_file_imports_without_a_second_upload(
    client, training_admin
):
    client.force_login(training_admin)
    ticket = _ticket(_dry_run(client, HEADER + CITY + "x;bad;;;;;;;fi\n"))
    assert ticket and len(_staged_files()) == 1
    assert not _city_people().exists()

    response = _import_now(client, ticket)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.dry_run, report.created, report.skipped_lines) == (False, 4, 1)
    assert _city_people().count() == 4
    assert _ticket(response) is None
    assert _staged_files() == []


def test_a_staged_file_imports_only_once(client, training_admin, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    ticket = _ticket(_dry_run(client, HEADER + CITY))
    _import_now(client, ticket)
    User.objects.filter(employee_number="1004").delete()

    again = _import_now(client, ticket)

    assert again.status_code == 410
    assert _alert(again).startswith("This preview has expired or has already been")
    assert not User.objects.filter(employee_number="1004").exists()


def test_a_staged_import_keeps_the_options_of_its_dry_run(client, training_admin):
    client.force_login(training_admin)
    _upload(client, HEADER + CITY)
    without_liam = "".join(line for line in CITY.splitlines(True) if "1004" not in line)
    ticket = _ticket(_dry_run(client, HEADER + without_liam, full=True))

    report = _import_now(client, ticket).context["report"]

    assert report.deactivated == 1
    assert not User.objects.get(employee_number="1004").is_active


def test_nobody_else_can_use_a_staged_import(client, training_admin, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    ticket = _ticket(_dry_run(client, HEADER + CITY))
    colleague = UserFactory(groups=["Training administrators"])
    client.force_login(colleague)

    response = _import_now(client, ticket)

    assert response.status_code == 403
    assert _alert(response) == (
        "Someone else previewed this file. Upload it yourself to import it."
    )
    assert not _city_people().exists()
    client.force_login(training_admin)
    assert _import_now(client, ticket).context["report"].created == 4


def test_a_staged_import_expires_with_a_clear_message_and_its_file_goes(
    client, training_admin, settings
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    ticket = _ticket(_dry_run(client, HEADER + CITY))
    later = timezone.now() + timedelta(minutes=STAGED_MINUTES, seconds=5)

    with time_machine.travel(later, tick=False):
        response = _import_now(client, ticket)

    assert response.status_code == 410
    assert _alert(response) == (
        "This preview has expired or has already been imported: a previewed file "
        f"is kept for {STAGED_MINUTES} minutes. Upload the file again."
    )
    assert _staged_files() == []
    assert not _city_people().exists()


def test_the_expired_staged_files_are_removed_by_a_command(client, training_admin):
    client.force_login(training_admin)
    _dry_run(client, HEADER + CITY)
    out = io.StringIO()
    call_command("remove_expired_imports", stdout=out)
    assert len(_staged_files()) == 1
    later = timezone.now() + timedelta(minutes=STAGED_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        call_command("remove_expired_imports", stdout=out)
    assert _staged_files() == []


def test_the_import_refuses_a_staged_file_that_is_not_the_one_previewed(
    client, training_admin, settings
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    ticket = _ticket(_dry_run(client, HEADER + CITY))
    (name,) = _staged_files()
    storage = storages["private"]
    storage.delete(f"{STAGED_FOLDER}/{name}")
    other = HEADER + "9;someone@kaupunki.fi;S;O;KASKO;;;;fi\n"
    storage.save(f"{STAGED_FOLDER}/{name}", io.BytesIO(other.encode()))

    response = _import_now(client, ticket)

    assert response.status_code == 409
    assert _alert(response) == (
        "The kept file is not the one you previewed. Upload the file again."
    )
    assert not _city_people().exists()


@pytest.mark.parametrize("ticket", ["", "forged", "eyJuYW1lIjoiLi4vIn0:x:y"])
def test_a_broken_ticket_is_a_clear_bad_request(client, training_admin, ticket):
    client.force_login(training_admin)
    response = _import_now(client, ticket)
    assert response.status_code == 400
    assert _alert(response) == translated(
        "This import cannot be read. Upload the file again."
    )


@pytest.mark.parametrize(
    "text",
    [b"id;name\n1;x\n", (HEADER + "x;bad;;;;;;;fi\n").encode()],
    ids=["broken-file", "only-bad-lines"],
)
def test_a_dry_run_with_nothing_to_import_offers_no_import(
    client, training_admin, text
):
    client.force_login(training_admin)
    response = _upload_bytes(client, text, dry_run=True)
    assert _ticket(response) is None
    assert _staged_files() == []


def test_an_import_without_a_dry_run_stages_nothing(client, training_admin):
    client.force_login(training_admin)
    response = _upload(client, HEADER + CITY)
    assert response.context["report"].created == 4
    assert _ticket(response) is None and _staged_files() == []


def test_every_problem_of_a_line_is_shown(client, training_admin, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    line = "1005;not-an-email;X;Y;NEW;Uusi;NOWHERE;maybe;fi\n"
    response = _dry_run(client, HEADER + CITY + line)
    assert _problem_rows(response) == [
        "6|not-an-email is not a valid e-mail address."
        "|The manager flag must be yes or no, not maybe."
        "|Unknown parent unit NOWHERE."
    ]


@pytest.mark.parametrize(
    "language, one, many",
    [
        ("fi", "1 rivi ohitettaisiin", "2 riviä ohitettaisiin"),
        ("sv", "1 rad skulle hoppas över", "2 rader skulle hoppas över"),
        ("en", "1 line would be skipped", "2 lines would be skipped"),
    ],
)
def test_the_report_counts_lines_with_plurals(
    client, training_admin, settings, language, one, many
):
    settings.LANGUAGE_CODE = language
    client.force_login(training_admin)
    bad = "x;bad;;;;;;;fi\n"
    heading = "#problems-heading"
    assert _soup(_dry_run(client, HEADER + CITY + bad)).select_one(heading).text == one
    both = _dry_run(client, HEADER + CITY + bad + bad)
    assert _soup(both).select_one(heading).text == many


def test_the_page_explains_every_column(client, training_admin, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    rows = _soup(client.get(URL)).select("#columns-heading ~ table tbody tr")
    cells = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row("td")]
        for row in rows
    }
    assert list(cells) == COLUMNS
    for name, (required, meaning, example) in cells.items():
        assert required == ("Required" if name in REQUIRED_COLUMNS else "Optional")
        assert meaning and example


def test_the_template_file_has_the_header_and_imports_as_it_is(client, training_admin):
    client.force_login(training_admin)
    page = _soup(client.get(URL))
    assert page.select_one(f'a[href="{TEMPLATE_URL}"]')
    response = client.get(TEMPLATE_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    header, example = csv.reader(
        io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"
    )
    assert header == COLUMNS and len(example) == len(COLUMNS)
    report = import_people(response.content, dry_run=True)
    assert (report.fatal, report.errors, report.created) == ("", [], 1)


@pytest.mark.parametrize("role", ["editor", "manager"])
def test_the_staged_import_and_the_template_are_for_importers_only(
    client, request, training_admin, role
):
    client.force_login(training_admin)
    ticket = _ticket(_dry_run(client, HEADER + CITY))
    client.force_login(request.getfixturevalue(role))
    assert _import_now(client, ticket).status_code == 302
    assert client.get(TEMPLATE_URL).status_code == 302
    assert not _city_people().exists()
    assert len(_staged_files()) == 1
