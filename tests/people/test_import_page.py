"""Training admins import staff from the Wagtail admin."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import User
from tests.people.test_import import CITY, HEADER

pytestmark = pytest.mark.django_db
URL = reverse("people_import")


def _upload(client, text, **options):
    data = {"file": SimpleUploadedFile("hr.csv", text.encode("utf-8"), "text/csv")}
    data.update({name: "on" for name, value in options.items() if value})
    return client.post(URL, data)


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


def test_a_broken_file_gets_a_clear_message(client, training_admin, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(training_admin)
    response = _upload(client, "id;name\n1;x\n")
    assert response.status_code == 200
    alert = BeautifulSoup(response.content, "html.parser").select_one("[role=alert]")
    assert alert.get_text(strip=True) == (
        "The header is missing these columns: "
        "employee_number, email, first_name, last_name, unit_code."
    )
    assert not User.objects.exclude(pk=training_admin.pk).exists()


def test_the_menu_shows_the_import_only_to_those_who_may_use_it(
    client, training_admin, editor
):
    client.force_login(training_admin)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
