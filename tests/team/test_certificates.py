"""A team's certificates at /team/certificates/: the list, its filters, ZIP, register.

Time stands at 15 June 2026. Team A holds every certificate but Linnea's (team B).
"""

import csv
import io
import re
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from certificates.issuing import revoke
from tests.certificates.conftest import *  # noqa: F403 (its fixtures apply here)
from tests.certificates.conftest import make_certificate, make_course, stand_in_pdf
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english", "stand_in_pdfs"),
]

HELSINKI = ZoneInfo("Europe/Helsinki")
SAFE_NAME = re.compile(r"^[\w-]+\.pdf$")


@pytest.fixture(autouse=True)
def mid_june():
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, tzinfo=HELSINKI)):
        yield


def _day(year, month, day):
    return datetime(year, month, day, 12, 0, tzinfo=HELSINKI)


def _issue(person, course, day, **changes):
    return make_certificate(person, course, completed_at=day, issued_at=day, **changes)


@pytest.fixture
def team(catalogue, template, org, learner, second_learner, manager):
    """Certificates by name; `security` never expires, `first_aid` after 24 months."""
    security = make_course(catalogue, "Tietoturva", template=template)
    first_aid = make_course(catalogue, "Ensiapu", template=template, validity=24)
    twin = UserFactory(first_name="Leena", last_name="Laine", org_unit=org.team_a)
    aku = UserFactory(first_name="Aku", last_name="Aalto", org_unit=org.team_a)
    formula = UserFactory(first_name="=SUM(A1)", last_name="Kaava", org_unit=org.team_a)
    certificates = {
        "leena security": _issue(learner, security, _day(2026, 1, 10)),
        "twin security": _issue(twin, security, _day(2026, 1, 10)),
        "leena first aid (expired)": _issue(learner, first_aid, _day(2024, 3, 1)),
        "aku security (revoked)": _issue(aku, security, _day(2026, 2, 15)),
        "aku first aid": _issue(aku, first_aid, _day(2026, 3, 20)),
        "formula security": _issue(formula, security, _day(2026, 4, 1)),
        "linnea security": _issue(second_learner, security, _day(2026, 2, 1)),
    }
    revoke(certificates["aku security (revoked)"], reason="Väärä henkilö")
    return {
        "security": security,
        "first_aid": first_aid,
        "org": org,
        "certificates": certificates,
    }


TEAM_A = {
    "leena security",
    "twin security",
    "leena first aid (expired)",
    "aku security (revoked)",
    "aku first aid",
    "formula security",
}


def _query(team, filters):
    """Turn symbolic filters (course and unit names) into query parameters."""
    query = dict(filters)
    if "course" in query:
        query["course"] = team[query["course"]].pk
    if "unit" in query:
        query["unit"] = getattr(team["org"], query["unit"]).pk
    return query


def _listed(client, team, filters=None):
    response = client.get(reverse("team:certificates"), _query(team, filters or {}))
    assert response.status_code == 200
    by_pk = {c.pk: name for name, c in team["certificates"].items()}
    return {by_pk[c.pk] for c in response.context["page_obj"].object_list}


def test_a_manager_sees_only_their_teams_certificates(client, team, manager):
    client.force_login(manager)
    assert _listed(client, team) == TEAM_A


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"course": "first_aid"}, {"leena first aid (expired)", "aku first aid"}),
        (
            {"status": "valid"},
            TEAM_A - {"leena first aid (expired)", "aku security (revoked)"},
        ),
        ({"status": "expired"}, {"leena first aid (expired)"}),
        ({"status": "revoked"}, {"aku security (revoked)"}),
        (
            {"issued_from": "2026-02-01", "issued_to": "2026-03-31"},
            {"aku security (revoked)", "aku first aid"},
        ),
        ({"issued_from": "2026-03-20"}, {"aku first aid", "formula security"}),
        ({"issued_to": "2024-12-31"}, {"leena first aid (expired)"}),
        (
            {"course": "security", "status": "valid", "issued_to": "2026-01-31"},
            {"leena security", "twin security"},
        ),
        ({"unit": "team_a"}, TEAM_A),
    ],
)
def test_the_filters_narrow_the_list(client, team, manager, filters, expected):
    client.force_login(manager)
    assert _listed(client, team, filters) == expected


def test_a_training_admin_filters_by_any_unit(client, team, training_admin):
    client.force_login(training_admin)
    assert _listed(client, team, {"unit": "team_b"}) == {"linnea security"}
    assert _listed(client, team, {"unit": "sector"}) == TEAM_A | {"linnea security"}


def test_a_unit_outside_the_managers_team_is_not_found(client, team, manager):
    client.force_login(manager)
    query = _query(team, {"unit": "team_b"})
    response = client.get(reverse("team:certificates"), query)
    assert response.status_code == 404


def _zip(client, team, filters):
    response = client.get(reverse("team:certificates_zip"), _query(team, filters))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_holds_the_filtered_pdfs_not_revoked_under_unique_safe_names(
    client, team, manager
):
    client.force_login(manager)
    files = _zip(client, team, {"course": "security"})

    assert set(files) == {
        "Laine_Leena_Tietoturva_2026-01-10.pdf",
        "Laine_Leena_Tietoturva_2026-01-10_2.pdf",
        "Kaava_SUM-A1_Tietoturva_2026-04-01.pdf",
    }
    assert all(SAFE_NAME.match(name) for name in files)
    certificates = team["certificates"]
    expected = ["leena security", "twin security", "formula security"]
    assert sorted(files.values()) == sorted(
        stand_in_pdf(certificates[name].code) for name in expected
    )


def test_the_zip_of_revoked_certificates_is_empty(client, team, manager):
    client.force_login(manager)
    assert _zip(client, team, {"status": "revoked"}) == {}


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_register_lists_the_filtered_rows_with_status_and_safe_cells(
    client, team, manager
):
    client.force_login(manager)
    response = client.get(
        reverse("team:certificates_csv"),
        _query(team, {"course": "security"}),
    )
    header, *rows = _csv_rows(response)

    assert header[1:3] == ["Last name", "First name"]
    by_name = {(row[1], row[2]): row for row in rows}
    assert len(rows) == 4
    assert set(by_name) == {
        ("Laine", "Leena"),
        ("Aalto", "Aku"),
        ("Kaava", "'=SUM(A1)"),
    }
    revoked = by_name[("Aalto", "Aku")]
    certificate = team["certificates"]["aku security (revoked)"]
    assert revoked[3:] == [
        "Tiimi A",
        "Tietoturva",
        "2026-02-15",
        "2026-02-15",
        "",
        "Revoked",
        certificate.display_code,
    ]
    assert all(row[8] == "Valid" for row in rows if row is not revoked)


def test_the_xlsx_register_stores_a_formula_as_text(client, team, manager):
    client.force_login(manager)
    response = client.get(
        reverse("team:certificates_xlsx"),
        _query(team, {"status": "revoked"}),
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    title, header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert title[0].startswith("Certificates · Unit: Whole team")
    assert "Status: Revoked" in title[0]
    assert header[8] == "Status"
    assert [(row[1], row[8]) for row in rows] == [("Aalto", "Revoked")]

    response = client.get(
        reverse("team:certificates_xlsx"),
        _query(team, {"issued_from": "2026-04-01"}),
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    [name_cell] = [row[2] for row in sheet.iter_rows(min_row=3)]
    assert (name_cell.value, name_cell.data_type) == ("=SUM(A1)", "s")


def test_a_persons_team_page_lists_their_certificates(client, manager, learner, course):
    from tests.certificates.conftest import make_certificate

    certificate = make_certificate(learner, course)
    client.force_login(manager)
    page = client.get(reverse("team:person", args=[learner.pk]))
    assert page.status_code == 200
    assert certificate.display_code in page.content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) in (
        page.content.decode()
    )


def test_the_certificate_table_shows_each_code_and_expiry(client, team, manager):
    client.force_login(manager)
    response = client.get(reverse("team:certificates"), _query(team, {}))
    html = response.content.decode()
    assert ">Code</th>" in html and ">Expires on</th>" in html
    aku = team["certificates"]["aku first aid"]
    verify = reverse("certificates:verify", args=[aku.code])
    assert f'<a class="certificate-code" href="{verify}">{aku.display_code}</a>' in html
    assert "<td>20.3.2028</td>" in html
    assert "Does not expire" in html
