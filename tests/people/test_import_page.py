"""Training admins import staff from the Wagtail admin."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import User
from tests.people.test_import import AFTER_THE_BREAK, CITY, HEADER, QUOTED_LINE_BREAK

pytestmark = pytest.mark.django_db
URL = reverse("people_import")


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
    rows = BeautifulSoup(response.content, "html.parser").select("tbody tr")
    assert [row.get_text("|", strip=True) for row in rows] == [
        "6|First name is longer than 150 characters."
    ]
    assert User.objects.filter(email__endswith="@kaupunki.fi").count() == 4


def test_the_menu_shows_the_import_only_to_those_who_may_use_it(
    client, training_admin, editor
):
    client.force_login(training_admin)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
