"""The team dashboard: a manager's people × assigned courses, filters and exports."""

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lessons import progress
from lessons.models import Enrollment, LessonPage
from people.models import User
from team.assignments import assign_course
from tests.factories import CoursePageFactory, LessonPageFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def noon_today():
    """Stand at noon on TODAY in Helsinki, so a run crossing midnight keeps one day."""
    moment = datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Europe/Helsinki"))
    with time_machine.travel(moment):
        yield


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _course(catalogue, title, lessons=4):
    course = CoursePageFactory(parent=catalogue, title=title)
    for _number in range(lessons):
        LessonPageFactory(parent=course)
    return course


def _do(person, course, steps):
    for lesson in LessonPage.objects.child_of(course)[:steps]:
        progress.complete_step(user=person, step=lesson, course=course)


@pytest.fixture
def team(catalogue, org, learner, second_learner, manager, unrelated_manager):
    """Team A: the learner (half way, overdue), Aku (done), Ville (not started)."""
    ai = _course(catalogue, "Tekoäly ja me")
    access = _course(catalogue, "Saavutettavuuden perusteet")
    done = UserFactory(
        email="aku@example.org",
        first_name="Aku",
        last_name="Aalto",
        org_unit=org.team_a,
    )
    idle = UserFactory(
        email="ville@example.org",
        first_name="Ville",
        last_name="Vaara",
        org_unit=org.team_a,
    )
    assign_course(
        course=ai,
        due_date=TODAY - timedelta(days=3),
        assigned_by=manager,
        unit=org.team_a,
    )
    assign_course(
        course=access,
        due_date=TODAY + timedelta(days=20),
        assigned_by=manager,
        unit=org.sector,
    )
    _do(learner, ai, 2)
    _do(done, ai, 4)
    _do(done, access, 4)
    return {"ai": ai, "access": access, "done": done, "idle": idle}


def _names(response):
    return [row.person.email for row in response.context["rows"]]


def test_a_manager_sees_their_team_and_its_courses_only(client, manager, team):
    client.force_login(manager)
    response = client.get(reverse("team:dashboard"))
    assert response.status_code == 200
    assert _names(response) == [
        "aku@example.org",
        "manager@example.org",
        "learner@example.org",
        "ville@example.org",
    ]
    assert [c.title for c in response.context["report"].courses] == [
        "Saavutettavuuden perusteet",
        "Tekoäly ja me",
    ]
    cells = {
        row.person.email: [cell.status for cell in row.cells]
        for row in response.context["rows"]
    }
    assert cells["aku@example.org"] == ["completed", "completed"]
    assert cells["learner@example.org"] == ["not_started", "overdue"]
    assert cells["ville@example.org"] == ["not_started", "overdue"]
    html = response.content.decode()
    assert "Linnea" not in html and "Olli" not in html
    summaries = {s.course.title: s for s in response.context["summaries"]}
    assert (
        summaries["Tekoäly ja me"].completed,
        summaries["Tekoäly ja me"].assigned,
    ) == (
        1,
        4,
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "completed"}, ["aku@example.org"]),
        (
            {"status": "overdue"},
            ["manager@example.org", "learner@example.org", "ville@example.org"],
        ),
        (
            {"status": "not_started"},
            ["manager@example.org", "learner@example.org", "ville@example.org"],
        ),
        ({"q": "vaara"}, ["ville@example.org"]),
        (
            {"sort": "-name"},
            [
                "ville@example.org",
                "learner@example.org",
                "manager@example.org",
                "aku@example.org",
            ],
        ),
    ],
)
def test_filters_and_sorting(client, manager, team, query, expected):
    client.force_login(manager)
    assert _names(client.get(reverse("team:dashboard"), query)) == expected


def test_in_progress_and_course_filter(client, manager, learner, team):
    client.force_login(manager)
    progress.record_visit(
        enrollment=Enrollment.objects.get(user=learner, course=team["access"]),
        step=LessonPage.objects.child_of(team["access"]).first(),
    )
    response = client.get(
        reverse("team:dashboard"),
        {"course": team["access"].pk, "status": "in_progress"},
    )
    assert _names(response) == ["learner@example.org"]
    assert response.context["report"].courses == [team["access"]]
    assert response.context["rows"][0].cells[0].percent == 0


def test_the_unit_filter_and_a_unit_outside_the_team(client, manager, org, team):
    client.force_login(manager)
    inside = client.get(reverse("team:dashboard"), {"unit": org.team_a.pk})
    assert inside.status_code == 200
    for unit in (org.team_b.pk, org.sector.pk, "x", 999999):
        assert client.get(reverse("team:dashboard"), {"unit": unit}).status_code == 404


def test_a_training_admin_follows_everyone(client, training_admin, team, org):
    client.force_login(training_admin)
    response = client.get(reverse("team:dashboard"), {"unit": org.sector.pk})
    assert "learner2@example.org" in _names(response)


def test_bad_filter_values_get_400_not_500(client, manager, team):
    client.force_login(manager)
    for query in ({"status": "lost"}, {"sort": "salary"}, {"course": "abc"}):
        assert client.get(reverse("team:dashboard"), query).status_code == 400


def test_people_without_a_team_are_refused(client, learner, editor, team):
    dashboard = reverse("team:dashboard")
    response = client.get(dashboard)
    assert (response.status_code, response.get("Location")) == (
        302,
        f"{reverse('login')}?next={dashboard}",
    )
    for person in (learner, editor):
        client.force_login(person)
        assert client.get(reverse("team:dashboard")).status_code == 403


def test_pages_of_fifty(client, manager, org, team):
    User.objects.bulk_create(
        User(email=f"p{n:03}@example.org", last_name=f"Zz{n:03}", org_unit=org.team_a)
        for n in range(60)
    )
    client.force_login(manager)
    first = client.get(reverse("team:dashboard"))
    assert len(first.context["rows"]) == 50
    second = client.get(reverse("team:dashboard"), {"page": 2, "status": ""})
    assert len(second.context["rows"]) == 14
    assert 'href="?page=2"' in first.content.decode()


def _big_team(org, manager, catalogue, size):
    course = _course(catalogue, f"Kurssi {size}", lessons=3)
    people = User.objects.bulk_create(
        User(
            email=f"big{size}-{n}@example.org", last_name=f"Iso{n}", org_unit=org.team_a
        )
        for n in range(size)
    )
    assign_course(course=course, due_date=TODAY, assigned_by=manager, unit=org.team_a)
    lesson = LessonPage.objects.child_of(course).first()
    for person in people[::3]:
        progress.complete_step(user=person, step=lesson, course=course)


@pytest.mark.parametrize(
    "url_name", ["team:dashboard", "team:export_csv", "team:export_xlsx"]
)
def test_queries_do_not_grow_with_the_team(client, manager, org, catalogue, url_name):
    client.force_login(manager)
    client.get(reverse("team:dashboard"))  # the site's settings are created once
    counts = []
    for size in (5, 200):
        _big_team(org, manager, catalogue, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name), {"status": "not_started"})
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_the_csv_export_is_exactly_what_is_filtered(client, manager, team):
    client.force_login(manager)
    response = client.get(reverse("team:export_csv"), {"status": "completed"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:4] == [
        "Employee number",
        "Last name",
        "First name",
        "E-mail address",
    ]
    assert [(r[3], r[6], r[7], r[8]) for r in rows] == [
        ("aku@example.org", "Saavutettavuuden perusteet", "Completed", "100"),
        ("aku@example.org", "Tekoäly ja me", "Completed", "100"),
    ]
    everyone = _csv_rows(client.get(reverse("team:export_csv")))
    overdue = [r for r in everyone[1:] if r[7] == "Overdue"]
    assert {r[3] for r in overdue} == {
        "manager@example.org",
        "learner@example.org",
        "ville@example.org",
    }
    learner_ai = next(
        r for r in everyone if r[3] == "learner@example.org" and r[6] == "Tekoäly ja me"
    )
    assert learner_ai[8] == "50"
    assert learner_ai[10] == (TODAY - timedelta(days=3)).isoformat()


def test_the_xlsx_export_holds_the_same_rows_as_the_csv(client, manager, team):
    client.force_login(manager)
    query = {"status": "overdue", "sort": "-name"}
    csv_rows = _csv_rows(client.get(reverse("team:export_csv"), query))
    response = client.get(reverse("team:export_xlsx"), query)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    xlsx_rows = [
        [_as_text(value) for value in row]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert xlsx_rows == csv_rows
    assert len(xlsx_rows) == 1 + 3
    assert {row[7] for row in xlsx_rows[1:]} == {"Overdue"}


def _as_text(value):
    if value is None:
        return ""
    if hasattr(value, "date"):
        return value.date().isoformat()
    return str(value)


def test_exports_keep_spreadsheet_formulas_as_text(client, manager, org, team):
    UserFactory(
        email="evil@example.org",
        first_name="=HYPERLINK(1)",
        last_name="Aaa",
        org_unit=org.team_a,
    )
    client.force_login(manager)
    rows = _csv_rows(client.get(reverse("team:export_csv"), {"q": "evil"}))
    assert rows[1][2] == "'=HYPERLINK(1)"
    response = client.get(reverse("team:export_xlsx"), {"q": "evil"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=3, column=3)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_a_person_page_shows_their_courses(
    client, manager, learner, team, second_learner
):
    client.force_login(manager)
    response = client.get(reverse("team:person", args=[learner.pk]))
    assert response.status_code == 200
    assert [(c.title, cell.status) for c, cell, _ in response.context["courses"]] == [
        ("Saavutettavuuden perusteet", "not_started"),
        ("Tekoäly ja me", "overdue"),
    ]
    other = reverse("team:person", args=[second_learner.pk])
    assert client.get(other).status_code == 404
    learner.is_active = False
    learner.save()
    assert client.get(reverse("team:person", args=[learner.pk])).status_code == 404


def test_a_manager_assigns_a_course_to_their_unit(
    client, manager, org, catalogue, team
):
    course = _course(catalogue, "Uusi kurssi")
    client.force_login(manager)
    due = TODAY + timedelta(days=14)
    form = client.get(reverse("team:assign"))
    assert form.status_code == 200
    response = client.post(
        reverse("team:assign"),
        {
            "course": course.pk,
            "due_date": due.isoformat(),
            "unit": org.team_a.pk,
            "include_subunits": "on",
        },
    )
    assert response.status_code == 302
    assert f"course={course.pk}" in response["Location"]
    assert set(
        Enrollment.objects.filter(course=course).values_list("due_date", flat=True)
    ) == {due}
    assert Enrollment.objects.filter(course=course).count() == 4
    followed = client.get(response["Location"])
    assert "4 people" in followed.content.decode()


def test_a_manager_assigns_a_course_to_chosen_people(
    client, manager, learner, catalogue, team
):
    course = _course(catalogue, "Valittu kurssi")
    client.force_login(manager)
    url = f"{reverse('team:assign')}?people={learner.pk}"
    assert learner.get_full_name() in client.get(url).content.decode()
    response = client.post(
        reverse("team:assign"),
        {"course": course.pk, "due_date": TODAY.isoformat(), "people": [learner.pk]},
    )
    assert response.status_code == 302
    assert list(
        Enrollment.objects.filter(course=course).values_list("user", flat=True)
    ) == [learner.pk]


def test_assigning_outside_the_team_or_with_bad_input_saves_nothing(
    client, manager, org, second_learner, catalogue, team
):
    course = _course(catalogue, "Kurssi")
    client.force_login(manager)
    url = reverse("team:assign")
    good = {"course": course.pk, "due_date": TODAY.isoformat()}
    assert client.post(url, {**good, "unit": org.team_b.pk}).status_code == 404
    assert client.post(url, {**good, "people": [second_learner.pk]}).status_code == 404
    past = {**good, "due_date": "2000-01-01", "unit": org.team_a.pk}
    response = client.post(url, past)
    assert response.status_code == 400
    assert response.context["form"].errors["due_date"] == [
        "The due date cannot be in the past."
    ]
    assert "The due date cannot be in the past." in response.content.decode()
    impossible = client.post(url, {**good, "due_date": "31.2.2027"})
    assert impossible.status_code == 400
    assert impossible.context["form"].errors["due_date"] == ["Enter a valid date."]
    assert not Enrollment.objects.filter(course=course).exists()
    assert client.get(url).status_code == 200
    assert client.get(url, {"people": "x"}).status_code == 404
    assert client.get(url, {"unit": "x"}).status_code == 404


def test_the_assign_form_prompts_instead_of_dashes(client, manager, team):
    client.force_login(manager)
    html = client.get(reverse("team:assign")).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>Choose a course</option>' in html
    assert '<option value="" selected>Choose a unit</option>' in html


def test_the_course_filter_lists_only_courses_assigned_in_the_team(
    client, manager, catalogue, org, unrelated_manager, team
):
    unassigned = _course(catalogue, "Ei kenellekään")
    elsewhere = _course(catalogue, "Vain tiimille B")
    assign_course(
        course=elsewhere, due_date=TODAY, assigned_by=unrelated_manager, unit=org.team_b
    )
    client.force_login(manager)
    response = client.get(reverse("team:dashboard"))
    choices = [
        label for _value, label in response.context["form"].fields["course"].choices
    ]
    assert choices == [
        "All assigned courses",
        "Saavutettavuuden perusteet",
        "Tekoäly ja me",
    ]
    for course in (unassigned, elsewhere):
        query = {"course": course.pk}
        assert client.get(reverse("team:dashboard"), query).status_code == 400


def _shown(response):
    return {
        (row.person.email, course.title): cell.status
        for row in response.context["rows"]
        for course, cell in zip(
            response.context["report"].courses, row.cells, strict=True
        )
        if cell.shown and cell.enrollment
    }


@pytest.mark.parametrize("status", ["overdue", "completed", "not_started"])
def test_a_status_filter_shows_and_exports_exactly_those_cells(
    client, manager, team, status
):
    client.force_login(manager)
    query = {"status": status}
    shown = _shown(client.get(reverse("team:dashboard"), query))
    assert shown and set(shown.values()) == {status}
    rows = _csv_rows(client.get(reverse("team:export_csv"), query))[1:]
    assert [(r[3], r[6]) for r in rows] == list(shown)
    assert {r[7] for r in rows} == {
        {"overdue": "Overdue", "completed": "Completed", "not_started": "Not started"}[
            status
        ]
    }


def test_people_not_enrolled_are_neither_not_started_nor_exported(
    client, manager, catalogue, org, team
):
    only_b = _course(catalogue, "Vain B")
    UserFactory(email="b@example.org", org_unit=org.team_b)
    assign_course(course=only_b, due_date=TODAY, assigned_by=manager, unit=org.team_b)
    newcomer = UserFactory(email="uusi@example.org", org_unit=org.team_a)
    Enrollment.objects.filter(user=newcomer).delete()
    client.force_login(manager)
    not_started = client.get(reverse("team:dashboard"), {"status": "not_started"})
    assert "uusi@example.org" not in _names(not_started)
    rows = _csv_rows(client.get(reverse("team:export_csv")))[1:]
    assert "Not enrolled" not in {r[7] for r in rows}
    assert "uusi@example.org" not in {r[3] for r in rows}


def test_the_export_follows_the_order_on_screen(client, manager, team):
    client.force_login(manager)
    query = {"sort": "-name"}
    screen = _shown(client.get(reverse("team:dashboard"), query))
    rows = _csv_rows(client.get(reverse("team:export_csv"), query))[1:]
    assert [(r[3], r[6]) for r in rows] == list(screen)


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_xlsx_export_is_a_finished_spreadsheet(client, manager, org, team):
    client.force_login(manager)
    query = {"unit": org.team_a.pk, "status": "overdue", "q": "example", "sort": "name"}
    workbook = _workbook(client.get(reverse("team:export_xlsx"), query))
    assert workbook.sheetnames == ["Team report"]
    sheet = workbook.active
    title = sheet["A1"].value
    for part in (
        "Team report",
        "Unit: Tiimi A",
        "Course: All assigned courses",
        "Status: Overdue",
        "Search: example",
        "Exported on 06/15/2026",
    ):
        assert part in title
    assert sheet["A2"].value == "Employee number"
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:L{2 + 3}"
    due = sheet["K3"]
    assert due.is_date and due.value.date() == TODAY - timedelta(days=3)
    assert "yy" in due.number_format
    widths = {
        letter: sheet.column_dimensions[letter].width for letter in ("D", "G", "K")
    }
    assert widths["D"] >= len("learner@example.org")
    assert widths["G"] >= len("Tekoäly ja me")
    assert widths["K"] < widths["D"]


def test_the_xlsx_date_format_follows_the_language(client, manager, team):
    client.force_login(manager)
    with translation.override("fi"):
        response = client.get(
            reverse("team:export_xlsx"),
            {"status": "overdue"},
            HTTP_ACCEPT_LANGUAGE="fi",
        )
    sheet = _workbook(response).active
    assert sheet["K3"].number_format == "d.m.yyyy"
    assert sheet["A2"].value == "Henkilönumero"
