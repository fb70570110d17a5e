import pytest
from django.db import IntegrityError
from django.urls import reverse

from people.models import User
from tests.helpers import translated

pytestmark = pytest.mark.django_db


def test_email_is_stored_lowercase_and_unique_in_any_case():
    User.objects.create_user("Anna.Aalto@Example.org", "pw-12345-long")
    assert User.objects.get().email == "anna.aalto@example.org"
    with pytest.raises(IntegrityError):
        User.objects.create_user("ANNA.AALTO@example.org", "pw-12345-long")


def test_blank_employee_numbers_do_not_clash():
    User.objects.create_user("a@example.org", employee_number="  ")
    User.objects.create_user("b@example.org", employee_number="")
    assert list(User.objects.values_list("employee_number", flat=True)) == [None, None]


def test_admin_creates_a_user_with_employee_number_and_language(client, superuser):
    client.force_login(superuser)
    url = reverse("wagtailusers_users:add")
    form = client.get(url).content.decode()
    assert 'name="employee_number"' in form
    assert 'name="preferred_language"' in form
    response = client.post(
        url,
        {
            "email": "Uusi.Tyontekija@example.org",
            "first_name": "Uusi",
            "last_name": "Työntekijä",
            "employee_number": "E12345",
            "preferred_language": "sv",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person = User.objects.get(employee_number="E12345")
    assert person.email == "uusi.tyontekija@example.org"
    assert person.preferred_language == "sv"


def test_admin_edits_the_extra_fields(client, superuser, learner):
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[learner.pk])
    response = client.post(
        url,
        {
            "email": learner.email,
            "first_name": learner.first_name,
            "last_name": learner.last_name,
            "employee_number": "E777",
            "preferred_language": "en",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    learner.refresh_from_db()
    assert (learner.employee_number, learner.preferred_language) == ("E777", "en")


def test_admin_form_refuses_an_email_that_differs_only_in_case(
    client, superuser, learner
):
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": learner.email.upper(),
            "first_name": "X",
            "last_name": "Y",
            "preferred_language": "fi",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
        },
    )
    assert response.status_code == 200
    clash = translated("A user with this e-mail address already exists.")
    assert clash in str(response.context["form"].errors)
