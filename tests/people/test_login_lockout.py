"""Login lockout: one spelling rule for the address, a pause per account and client,
and a higher limit for one client trying many accounts.

Axes pauses an account for the client that failed on it (the lockout parameters are
the address and the client address together), so someone guessing a person's
password cannot keep that person out from their own computer; another client still
logs in. One client trying many accounts is bounded by LOGIN_FAILURES_PER_CLIENT.
"""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from people.models import User
from people.signin import client_address, normalise_username
from tests.factories import UserFactory
from tests.helpers import translated

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.9"
OTHER_CLIENT = "198.51.100.7"
ACCOUNT_LOCKED = "Too many failed login attempts"
SPELLINGS = [
    "LEARNER@EXAMPLE.ORG",
    "Learner@Example.Org",
    "  learner@example.org  ",
    "\u3000learner@example.org\t",
    "ｌｅａｒｎｅｒ@example.org",
    "ｌｅａｒｎｅｒ＠ｅｘａｍｐｌｅ．ｏｒｇ",
    "ＬＥＡＲＮＥＲ@example.org",
]


def _log_in(client, username, password=PASSWORD, url=None):
    data = {"username": username, "password": password}
    return client.post(url or reverse("login"), data)


def _fail(client, username, times=1):
    for _ in range(times):
        _log_in(client, username, password="wrong")


def _is_logged_in(client):
    return "_auth_user_id" in client.session


def _client_locked_message(minutes):
    with translation.override(settings.LANGUAGE_CODE):
        return translation.ngettext(
            "Too many failed logins from this device or network. "
            "Wait %(minutes)d minute before trying again.",
            "Too many failed logins from this device or network. "
            "Wait %(minutes)d minutes before trying again.",
            minutes,
        ) % {"minutes": minutes}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_locked_account_refuses_the_right_password_in_any_spelling(learner, spelling):
    client = Client(REMOTE_ADDR=ATTACKER)
    _fail(client, learner.email, times=5)

    response = _log_in(client, spelling)

    assert response.status_code == 429
    assert translated(ACCOUNT_LOCKED) in response.content.decode()
    assert not _is_logged_in(client)


def test_failures_in_different_spellings_count_against_one_account(learner):
    client = Client(REMOTE_ADDR=ATTACKER)
    for spelling in SPELLINGS[:5]:
        _fail(client, spelling)

    response = _log_in(client, learner.email)

    assert response.status_code == 429
    assert not _is_logged_in(client)
    usernames = AccessAttempt.objects.values_list("username", flat=True).distinct()
    assert list(usernames) == ["learner@example.org"]


def test_wagtail_admin_login_counts_every_spelling_against_one_account():
    editor = UserFactory(email="editor@example.org", is_superuser=True)
    client = Client(REMOTE_ADDR=ATTACKER)
    admin_login = reverse("wagtailadmin_login")
    for spelling in ["EDITOR@example.org", "Editor@Example.org", "editor@EXAMPLE.org"]:
        _log_in(client, spelling, password="wrong", url=admin_login)
    _fail(client, editor.email, times=2)

    response = _log_in(client, "EDITOR@EXAMPLE.ORG", url=admin_login)

    assert response.status_code == 429
    assert not _is_logged_in(client)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_any_spelling_of_the_address_logs_in_when_not_locked(learner, spelling):
    client = Client(REMOTE_ADDR=ATTACKER)

    response = _log_in(client, spelling)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_another_client_still_logs_in_to_an_account_locked_elsewhere(learner):
    _fail(Client(REMOTE_ADDR=ATTACKER), learner.email, times=5)
    owner = Client(REMOTE_ADDR=OTHER_CLIENT)

    response = _log_in(owner, learner.email)

    assert response.status_code == 302
    assert _is_logged_in(owner)


def test_locked_account_does_not_stop_its_client_logging_in_to_another_account(
    learner, second_learner
):
    client = Client(REMOTE_ADDR=ATTACKER)
    _fail(client, learner.email, times=5)

    response = _log_in(client, second_learner.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(second_learner.pk)


def test_one_client_failing_on_many_accounts_is_stopped_at_its_limit(settings, learner):
    settings.LOGIN_FAILURES_PER_CLIENT = 8
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(4):
        _fail(client, f"person{number}@example.org", times=2)

    response = _log_in(client, learner.email)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    errors = response.context["form"].non_field_errors()
    assert list(errors) == [_client_locked_message(15)]
    assert not _is_logged_in(client)


def test_the_failure_that_reaches_the_client_limit_already_says_so(settings):
    settings.LOGIN_FAILURES_PER_CLIENT = 3
    client = Client(REMOTE_ADDR=ATTACKER)
    _fail(client, "first@example.org")
    _fail(client, "second@example.org")

    response = _log_in(client, "third@example.org", password="wrong")

    assert response.status_code == 429
    assert _client_locked_message(15) in response.content.decode()


def test_client_limit_leaves_other_clients_alone(settings, learner):
    settings.LOGIN_FAILURES_PER_CLIENT = 3
    for number in range(3):
        _fail(Client(REMOTE_ADDR=ATTACKER), f"person{number}@example.org")
    other = Client(REMOTE_ADDR=OTHER_CLIENT)

    response = _log_in(other, learner.email)

    assert response.status_code == 302


def test_client_limit_lifts_after_the_cool_off(settings, learner):
    settings.LOGIN_FAILURES_PER_CLIENT = 3
    client = Client(REMOTE_ADDR=ATTACKER)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(3):
            _fail(client, f"person{number}@example.org")
        assert _log_in(client, learner.email).status_code == 429

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = _log_in(client, learner.email)

    assert response.status_code == 302


def test_client_limit_also_holds_on_the_wagtail_admin_login(settings):
    settings.LOGIN_FAILURES_PER_CLIENT = 3
    editor = UserFactory(email="editor@example.org", is_superuser=True)
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(3):
        _fail(client, f"person{number}@example.org")

    _log_in(client, editor.email, url=reverse("wagtailadmin_login"))

    assert not _is_logged_in(client)


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "fi",
            "Liian monta epäonnistunutta kirjautumista tältä laitteelta tai "
            "verkosta. Odota 15 minuuttia ennen kuin yrität uudelleen.",
        ),
        (
            "sv",
            "För många misslyckade inloggningar från den här enheten eller det här "
            "nätverket. Vänta 15 minuter innan du försöker igen.",
        ),
    ],
)
def test_client_limit_message_is_translated(settings, language, expected):
    settings.LOGIN_FAILURES_PER_CLIENT = 1
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE=language)

    response = _log_in(client, "someone@example.org", password="wrong")

    assert list(response.context["form"].non_field_errors()) == [expected]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_normalise_username_gives_every_spelling_one_form(spelling):
    assert normalise_username(spelling) == "learner@example.org"
    assert normalise_username(normalise_username(spelling)) == "learner@example.org"


def test_normalise_username_lower_cases_rather_than_case_folds():
    assert normalise_username("Ulla@Straße.de") == "ulla@straße.de"


def test_accounts_are_saved_and_found_in_the_normalised_spelling(db):
    person = User.objects.create_user("ＮＥＷ@Example.org ", PASSWORD)

    assert person.email == "new@example.org"
    assert User.objects.get_by_natural_key(" Ｎew@EXAMPLE.org") == person


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, "192.0.2.1", "10.0.0.5"),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "198.51.100.66, 192.0.2.1", "192.0.2.1"),
        (2, "198.51.100.66, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (1, "", "10.0.0.5"),
    ],
)
def test_the_client_address_is_the_one_the_nearest_proxy_saw(
    rf, settings, proxies, forwarded_for, address
):
    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == address


def test_behind_a_proxy_a_spoofed_forwarded_for_gets_no_fresh_guesses(
    client, settings, learner
):
    settings.PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": learner.email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, {ATTACKER}",
        )
    response = client.post(
        reverse("login"),
        {"username": learner.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {ATTACKER}",
    )
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    other = Client().post(
        reverse("login"),
        {"username": learner.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR=OTHER_CLIENT,
    )
    assert other.status_code == 302
