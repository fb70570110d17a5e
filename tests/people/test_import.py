"""Staff import from the HR export."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from people.importing import import_people
from people.models import OrgUnit, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """The report's messages are checked in English here."""
    with translation.override("en"):
        yield


HEADER = (
    "employee_number;email;first_name;last_name;unit_code;unit_name;"
    "parent_unit_code;is_manager;language\n"
)
CITY = (
    "1001;maija.virtanen@kaupunki.fi;Maija;Virtanen;"
    "KASKO;Kasvatus ja koulutus;;kyllä;fi\n"
    "1002;anders.lindqvist@kaupunki.fi;Anders;Lindqvist;"
    "KASKO-PK;Päiväkodit;KASKO;ei;sv\n"
    "1003;aino.korhonen@kaupunki.fi;Aino;Korhonen;"
    "KASKO-PK-1;Päiväkoti Satakieli;KASKO-PK;yes;fi\n"
    "1004;liam.smith@kaupunki.fi;Liam;Smith;"
    "KASKO-PK-1;Päiväkoti Satakieli;KASKO-PK;;en\n"
)


def _import(text, **options):
    return import_people(text.encode("utf-8"), **options)


def test_import_creates_people_units_tree_and_managers():
    report = _import(HEADER + CITY)
    assert (report.created, report.units_created, report.errors) == (4, 3, [])
    team = OrgUnit.objects.get(code="KASKO-PK-1")
    assert (
        team.get_parent().code == "KASKO-PK"
        and team.get_parent().get_parent().code == "KASKO"
    )
    assert list(team.managers.values_list("email", flat=True)) == [
        "aino.korhonen@kaupunki.fi"
    ]
    liam = User.objects.get(employee_number="1004")
    assert (liam.org_unit, liam.preferred_language, liam.has_usable_password()) == (
        team,
        "en",
        False,
    )


def test_importing_the_same_file_again_changes_nothing():
    _import(HEADER + CITY)
    again = _import(HEADER + CITY)
    assert (again.created, again.updated, again.unchanged, again.units_created) == (
        0,
        0,
        4,
        0,
    )
    assert User.objects.count() == 4 and OrgUnit.objects.count() == 3


def test_dry_run_reports_but_saves_nothing():
    report = _import(HEADER + CITY, dry_run=True)
    assert report.created == 4 and report.units_created == 3
    assert not User.objects.exists() and not OrgUnit.objects.exists()


def test_comma_separated_files_with_a_byte_order_mark_work():
    text = (HEADER + CITY).replace(";", ",")
    assert import_people(("\ufeff" + text).encode("utf-8")).created == 4


def test_updates_match_by_employee_number_then_by_email():
    _import(HEADER + CITY)
    moved = CITY.replace("Anders;Lindqvist;KASKO-PK;", "Anders;Lindqvist;KASKO-PK-1;")
    report = _import(HEADER + moved)
    assert report.updated == 1
    assert User.objects.get(employee_number="1002").org_unit.code == "KASKO-PK-1"
    existing = UserFactory(email="uusi.tyontekija@kaupunki.fi")
    _import(HEADER + "2001;uusi.tyontekija@kaupunki.fi;Uusi;Tekijä;KASKO;;;;fi\n")
    existing.refresh_from_db()
    assert existing.employee_number == "2001"


def test_bad_lines_are_reported_by_number_and_the_good_ones_still_import():
    _import(HEADER + "9000;someone@kaupunki.fi;Some;One;OLD;Vanha;;;fi\n")
    bad = (
        "1005;not-an-email;X;Y;KASKO;;;;fi\n"  # line 6
        "1001;other@kaupunki.fi;X;Y;KASKO;;;;fi\n"  # line 7: duplicate number
        "1006;z@kaupunki.fi;Z;Z;NEW;Uusi;NOWHERE;;fi\n"  # line 8: unknown parent
        "1007;w@kaupunki.fi;W;W;KASKO;;;maybe;fi\n"  # line 9: bad flag
        "1008;q@kaupunki.fi;Q;Q;KASKO;;;;de\n"  # line 10: language
        ";e@kaupunki.fi;E;E;KASKO;;;;fi\n"  # line 11: no number
    )
    report = _import(HEADER + CITY + bad)
    assert [line for line, _message in report.errors] == [6, 7, 8, 9, 10, 11]
    assert "line 2" in report.errors[1][1] and "NOWHERE" in report.errors[2][1]
    assert report.created == 4
    assert not User.objects.filter(email="z@kaupunki.fi").exists()


def test_cycles_in_the_unit_tree_are_refused():
    cycle = (
        "1;a@k.fi;A;A;U1;Yksi;U2;;fi\n"
        "2;b@k.fi;B;B;U2;Kaksi;U1;;fi\n"
        "3;c@k.fi;C;C;ROOT;Juuri;;;fi\n"
    )
    report = _import(HEADER + cycle)
    assert [line for line, _m in report.errors] == [2, 3]
    assert "cycle" in report.errors[0][1]
    assert list(OrgUnit.objects.values_list("code", flat=True)) == ["ROOT"]


def test_units_deeper_than_the_tree_allows_are_refused():
    deepest = OrgUnit._meta.get_field("path").max_length // OrgUnit.steplen
    chain = "".join(
        f"{n};p{n}@k.fi;P;P;U{n};Yksikkö {n};{f'U{n - 1}' if n else ''};;fi\n"
        for n in range(deepest + 2)
    )
    report = _import(HEADER + chain)
    message = f"The unit is more than {deepest} levels deep."
    assert report.errors == [(deepest + 2, message), (deepest + 3, message)]
    assert OrgUnit.objects.count() == report.created == deepest
    assert OrgUnit.objects.get(code=f"U{deepest - 1}").depth == deepest


def test_unknown_manager_email_is_a_bad_line():
    header = HEADER.replace("is_manager", "manager_email")
    rows = (
        "1;boss@k.fi;B;B;U;Yksikkö;;;fi\n"
        "2;a@k.fi;A;A;U;Yksikkö;;boss@k.fi;fi\n"
        "3;b@k.fi;B;B;U;Yksikkö;;ghost@k.fi;fi\n"
    )
    report = _import(header + rows)
    assert [line for line, _m in report.errors] == [4]
    assert list(
        OrgUnit.objects.get(code="U").managers.values_list("email", flat=True)
    ) == ["boss@k.fi"]


@pytest.mark.parametrize(
    "data, fragment",
    [
        (
            (HEADER + CITY).encode("latin-1", errors="replace").replace(b"?", b"\xe4"),
            "UTF-8",
        ),
        ((HEADER + CITY).encode("utf-16"), "UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "UTF-8"),
        (HEADER.encode("utf-16-le"), "missing these columns"),
        (b"id;name\n1;x\n", "missing these columns"),
        (b"", "missing these columns"),
    ],
    ids=["latin-1", "utf-16", "xlsx", "utf-16-without-bom", "other-header", "empty"],
)
def test_wrong_encoding_or_header_imports_nothing(data, fragment):
    report = import_people(data)
    assert fragment in report.fatal
    assert not User.objects.exists()


QUOTED_LINE_BREAK = '1005;break@kaupunki.fi;"Anna\nMaria";Virta;KASKO;;;;fi\n'
AFTER_THE_BREAK = "1006;not-an-email;X;Y;KASKO;;;;fi\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_any_line_ending_imports_and_lines_are_numbered_as_an_editor_shows_them(
    newline,
):
    text = HEADER + CITY + QUOTED_LINE_BREAK + AFTER_THE_BREAK  # lines 6-7, line 8
    report = _import(text.replace("\n", newline))
    assert report.created == 4 and report.units_created == 3
    assert report.errors == [
        (6, "First name contains a line break."),
        (8, "not-an-email is not a valid e-mail address."),
    ]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x7f", "\x9b"])
def test_a_control_character_in_a_field_is_a_bad_line(character):
    line = f"1005;nul@kaupunki.fi;Anna;Vir{character}ta;KASKO;;;;fi\n"
    report = _import(HEADER + CITY + line)
    code = f"U+{ord(character):04X}"
    assert report.errors == [(6, f"Last name contains a control character ({code}).")]
    assert report.created == 4
    assert not User.objects.filter(email="nul@kaupunki.fi").exists()


UNREADABLE_LINES = [
    '1005;"open@kaupunki.fi;X;Y;KASKO;;;;fi\n',
    '1005;junk@kaupunki.fi;"X"Y;Z;KASKO;;;;fi\n',
    "1005;long@kaupunki.fi;" + "X" * 200_000 + ";Y;KASKO;;;;fi\n",
]
UNREADABLE_IDS = ["quote-never-closed", "text-after-a-closing-quote", "huge-field"]


@pytest.mark.parametrize("line", UNREADABLE_LINES, ids=UNREADABLE_IDS)
def test_a_line_that_is_not_valid_csv_is_named_and_nothing_imports(line):
    report = _import(HEADER + CITY + line + "1006;last@kaupunki.fi;L;L;KASKO;;;;fi\n")
    assert report.fatal.startswith("Line 6 cannot be read as CSV:")
    assert not User.objects.exists() and not OrgUnit.objects.exists()


def test_a_quote_never_closed_makes_a_full_import_deactivate_nobody():
    _import(HEADER + CITY)
    lines = CITY.splitlines(True)
    broken = lines[0].replace(";Maija;", ';"Maija;')
    report = _import(HEADER + broken + "".join(lines[1:]), full=True)
    assert "Line 2" in report.fatal
    assert report.deactivated == 0
    assert User.objects.filter(is_active=True).count() == 4


def test_full_import_deactivates_leavers_and_never_deletes():
    _import(HEADER + CITY)
    without_liam = "".join(line for line in CITY.splitlines(True) if "1004" not in line)
    report = _import(HEADER + without_liam, full=True)
    assert report.deactivated == 1
    liam = User.objects.get(employee_number="1004")
    assert not liam.is_active
    assert _import(HEADER + CITY, full=True).updated == 1  # a returning person
    liam.refresh_from_db()
    assert liam.is_active


def test_people_without_employee_numbers_are_never_deactivated(superuser):
    _import(HEADER + CITY, full=True)
    superuser.refresh_from_db()
    assert superuser.is_active


def test_a_thousand_rows_import_in_one_go():
    rows = "".join(
        f"{5000 + n};henkilo{n}@kaupunki.fi;Etu{n};Suku{n};T{n % 40};Tiimi {n % 40};"
        f"{'' if n % 40 == 0 else 'T0'};{'kyllä' if n < 40 else ''};fi\n"
        for n in range(1000)
    )
    report = _import(HEADER + rows)
    assert (report.created, report.units_created, report.errors) == (1000, 40, [])
    assert OrgUnit.objects.get(code="T7").members.count() == 25


def test_the_command_prints_the_report(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(HEADER + CITY + "x;bad;;;;;;;fi\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_people", str(path), "--dry-run", stdout=out, stderr=err)
    assert err.getvalue() == (
        "Line 6: bad is not a valid e-mail address. The unit code is missing.\n"
    )
    assert out.getvalue() == (
        "Dry run, nothing saved: 4 created, 0 updated, 0 unchanged, 0 deactivated, "
        "3 units created, 1 bad lines.\n"
    )
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="missing.csv"):
        call_command("import_people", str(tmp_path / "missing.csv"))


def test_the_command_reads_any_line_ending_and_refuses_broken_csv(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes((HEADER + CITY).replace("\n", "\r").encode("utf-8"))
    out = io.StringIO()
    call_command("import_people", str(path), stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("4 created, 0 updated")
    path.write_text(HEADER + '1;"a@k.fi;A;A;U;;;;fi\n', encoding="utf-8")
    with pytest.raises(CommandError, match="^Line 2 cannot be read as CSV"):
        call_command("import_people", str(path))


def test_a_manager_named_by_email_may_come_from_an_earlier_import():
    boss = UserFactory(email="boss@k.fi")
    header = HEADER.replace("is_manager", "manager_email")
    report = _import(header + "2;a@k.fi;A;A;U;Yksikkö;;boss@k.fi;fi\n")
    assert report.errors == []
    assert list(OrgUnit.objects.get(code="U").managers.all()) == [boss]
