"""Every stored text is checked against its field's limit: a line or form error.

The staff import and the people admin forms are tried at each field's limit, where
the value is stored, and at the limit + 1, where it is refused without a 500 and
without losing anything else (on PostgreSQL an over-long value would abort the
whole transaction).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from people.importing import import_people
from people.models import OrgUnit, User
from tests.factories import UserFactory
from tests.people.test_import import CITY
from tests.people.test_import import HEADER as CITY_HEADER

pytestmark = pytest.mark.django_db


def _field(model, name):
    return model._meta.get_field(name)


def _text(character):
    """Return a maker of texts of a given length."""
    return lambda length: character * length


def _email(length):
    domain = "@example.org"
    return "x" * (length - len(domain)) + domain


# column: (label in the report, the model field it is stored in, value of a length)
IMPORT_FIELDS = {
    "employee_number": ("Employee number", _field(User, "employee_number"), _text("7")),
    "email": ("E-mail address", _field(User, "email"), _email),
    "first_name": ("First name", _field(User, "first_name"), _text("ä")),
    "last_name": ("Last name", _field(User, "last_name"), _text("ö")),
    "language": ("Language", _field(User, "preferred_language"), _text("x")),
    "unit_code": ("Unit code", _field(OrgUnit, "code"), _text("U")),
    "unit_name": ("Unit name", _field(OrgUnit, "name"), _text("å")),
    "parent_unit_code": ("Parent unit code", _field(OrgUnit, "code"), _text("P")),
    "manager_email": ("Manager e-mail", _field(User, "email"), _email),
}
# A language is one of the site's codes, none of them as long as the field.
AT_LIMIT_FIELDS = [column for column in IMPORT_FIELDS if column != "language"]

HEADER = CITY_HEADER.replace("\n", ";manager_email\n")
COLUMNS = HEADER.strip().split(";")
CITY_ROWS = CITY.replace("\n", ";\n")
LAST_LINE = "9002;after@kaupunki.fi;Aaro;Jälkeen;KASKO;;;;fi;\n"
KNOWN_NUMBERS = ["1001", "1002", "1003", "1004", "9002"]
PROBE = {
    "employee_number": "9001",
    "email": "probe@kaupunki.fi",
    "first_name": "Pia",
    "last_name": "Koe",
    "unit_code": "PROBE",
    "unit_name": "Koetiimi",
    "parent_unit_code": "",
    "is_manager": "",
    "language": "fi",
    "manager_email": "",
}
READ_BACK = {
    "employee_number": lambda person: person.employee_number,
    "email": lambda person: person.email,
    "first_name": lambda person: person.first_name,
    "last_name": lambda person: person.last_name,
    "unit_code": lambda person: person.org_unit.code,
    "unit_name": lambda person: person.org_unit.name,
    "parent_unit_code": lambda person: person.org_unit.get_parent().code,
    "manager_email": lambda person: person.org_unit.managers.get().email,
}
REFERENT = {
    "parent_unit_code": lambda code: OrgUnit.add_root(name="Ylä", code=code),
    "manager_email": lambda email: UserFactory(email=email),
}


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def _import_with(column, value):
    """Import the city, a probe line (line 6) with `value` in `column`, a last line."""
    probe = {**PROBE, column: value}
    line = ";".join(probe[name] for name in COLUMNS) + "\n"
    return import_people((HEADER + CITY_ROWS + line + LAST_LINE).encode("utf-8"))


def _probe_person():
    return User.objects.exclude(employee_number__in=KNOWN_NUMBERS).get(
        employee_number__isnull=False
    )


def test_every_text_column_of_the_import_is_tried():
    assert set(IMPORT_FIELDS) == set(COLUMNS) - {"is_manager"}


@pytest.mark.parametrize("column", AT_LIMIT_FIELDS)
def test_an_import_value_at_its_field_limit_is_stored(column):
    _label, model_field, value_of = IMPORT_FIELDS[column]
    value = value_of(model_field.max_length)
    if column in REFERENT:
        REFERENT[column](value)
    report = _import_with(column, value)
    assert (report.errors, report.created) == ([], 6)
    assert READ_BACK[column](_probe_person()) == value


@pytest.mark.parametrize("column", IMPORT_FIELDS)
def test_an_import_value_over_its_field_limit_is_a_bad_line_and_the_rest_imports(
    column,
):
    label, model_field, value_of = IMPORT_FIELDS[column]
    report = _import_with(column, value_of(model_field.max_length + 1))
    message = f"{label} is longer than {model_field.max_length} characters."
    assert report.errors == [(6, message)]
    assert report.created == User.objects.count() == 5
    assert set(OrgUnit.objects.values_list("code", flat=True)) == {
        "KASKO",
        "KASKO-PK",
        "KASKO-PK-1",
    }


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _person_form(**values):
    return {
        "email": "uusi@example.org",
        "first_name": "Uusi",
        "last_name": "Henkilö",
        "employee_number": "E1",
        "preferred_language": "fi",
        "password1": "a-long-enough-password-42",
        "password2": "a-long-enough-password-42",
        **values,
    }


PERSON_FIELDS = {
    "email": _email,
    "first_name": _text("ä"),
    "last_name": _text("ö"),
    "employee_number": _text("7"),
}


@pytest.mark.parametrize("name", PERSON_FIELDS)
def test_the_person_form_stores_a_value_at_its_field_limit(admin_client, name):
    value = PERSON_FIELDS[name](_field(User, name).max_length)
    response = admin_client.post(
        reverse("wagtailusers_users:add"), _person_form(**{name: value})
    )
    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.filter(**{name: value}).exists()


@pytest.mark.parametrize("name", PERSON_FIELDS)
def test_the_person_forms_refuse_a_value_over_its_field_limit(
    admin_client, learner, name
):
    value = PERSON_FIELDS[name](_field(User, name).max_length + 1)
    add = admin_client.post(
        reverse("wagtailusers_users:add"), _person_form(**{name: value})
    )
    edit = admin_client.post(
        reverse("wagtailusers_users:edit", args=[learner.pk]),
        _person_form(**{"email": learner.email, "is_active": "on", name: value}),
    )
    for response in (add, edit):
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [name]
    assert not User.objects.filter(email="uusi@example.org").exists()
    learner.refresh_from_db()
    assert (learner.first_name, learner.employee_number) == ("Leena", None)


def _unit_form(**values):
    return {
        "name": "Hallinto",
        "code": "ADMIN",
        "parent_code": "",
        "manager_emails": "",
        **values,
    }


UNIT_FIELDS = {"name": _text("å"), "code": _text("C")}


@pytest.mark.parametrize("name", UNIT_FIELDS)
def test_the_unit_form_stores_a_value_at_its_field_limit(admin_client, name):
    value = UNIT_FIELDS[name](_field(OrgUnit, name).max_length)
    response = admin_client.post(reverse("org_units:add"), _unit_form(**{name: value}))
    assert response.status_code == 302, response.context["form"].errors
    assert OrgUnit.objects.filter(**{name: value}).exists()


@pytest.mark.parametrize("name", UNIT_FIELDS)
def test_the_unit_forms_refuse_a_value_over_its_field_limit(admin_client, org, name):
    value = UNIT_FIELDS[name](_field(OrgUnit, name).max_length + 1)
    add = admin_client.post(reverse("org_units:add"), _unit_form(**{name: value}))
    edit = admin_client.post(
        reverse("org_units:edit", args=[org.team_b.pk]),
        _unit_form(parent_code="SECTOR", **{name: value}),
    )
    for response in (add, edit):
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [name]
    org.team_b.refresh_from_db()
    assert (org.team_b.name, org.team_b.code) == ("Tiimi B", "TEAM-B")
    assert OrgUnit.objects.count() == 3


@pytest.mark.parametrize(
    "field, value", [("parent_code", "P" * 10_000), ("manager_emails", _email(10_000))]
)
def test_the_unit_form_refuses_over_long_lookups(admin_client, org, field, value):
    response = admin_client.post(reverse("org_units:add"), _unit_form(**{field: value}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert OrgUnit.objects.count() == 3


@pytest.mark.parametrize(
    "url_name, form, field",
    [
        ("org_units:add", _unit_form, "name"),
        ("org_units:add", _unit_form, "code"),
        ("org_units:add", _unit_form, "manager_emails"),
        ("wagtailusers_users:add", _person_form, "first_name"),
        ("wagtailusers_users:add", _person_form, "employee_number"),
    ],
)
def test_a_nul_character_is_a_form_error(admin_client, url_name, form, field):
    data = form()
    response = admin_client.post(
        reverse(url_name), {**data, field: data[field] + "\x00"}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
