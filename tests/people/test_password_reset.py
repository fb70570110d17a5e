"""Password reset: the link points at SITE_URL, and mail is limited per hour.

A forged Host header never reaches the e-mail. Each address gets a few mails an
hour, however it is spelled; each client address may ask a few dozen times an hour.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
DONE = reverse("password_reset_done")
SITE_URL = "https://oppiminen.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE_URL
    settings.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 2
    settings.PASSWORD_RESETS_PER_CLIENT_PER_HOUR = 30


def _ask(client, email, **headers):
    return client.post(RESET, {"email": email}, **headers)


def _links(message):
    return re.findall(r"\S+://\S+", message.body)


def test_a_forged_host_header_never_reaches_the_mail(
    client, learner, settings, mailoutbox
):
    settings.ALLOWED_HOSTS = ["*"]
    response = _ask(client, learner.email, HTTP_HOST="attacker.example")
    assert response.status_code == 302
    [message] = mailoutbox
    assert "attacker.example" not in message.subject + message.body
    [link] = _links(message)
    assert link.startswith(f"{SITE_URL}/accounts/reset/")


def test_the_link_is_site_url_and_the_path_and_it_works(client, learner, mailoutbox):
    _ask(client, learner.email)
    [link] = _links(mailoutbox[0])
    path = link.removeprefix(SITE_URL)
    assert path.startswith("/accounts/reset/")
    assert client.get(path, follow=True).context["validlink"]


def test_the_scheme_is_the_one_of_site_url_not_of_the_request(
    client, learner, settings, mailoutbox
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    _ask(client, learner.email, secure=True)
    [link] = _links(mailoutbox[0])
    assert link.startswith("http://127.0.0.1:8000/accounts/reset/")


def test_an_address_gets_no_more_mail_after_its_hourly_limit(
    client, learner, mailoutbox
):
    responses = [_ask(client, learner.email) for _attempt in range(3)]
    assert len(mailoutbox) == 2
    assert [response.status_code for response in responses] == [302, 302, 302]
    assert {response.url for response in responses} == {DONE}


def test_spellings_of_one_address_count_together(client, learner, mailoutbox):
    for spelling in [
        "learner@example.org",
        " LEARNER@example.org ",
        "Learner@Example.ORG",
    ]:
        _ask(client, spelling)
    assert len(mailoutbox) == 2
    assert {message.to[0] for message in mailoutbox} == {learner.email}


def test_an_address_over_its_limit_is_answered_like_an_address_without_account(
    client, learner, mailoutbox
):
    for _attempt in range(2):
        _ask(client, learner.email)
    over_limit = _ask(client, learner.email)
    unknown = _ask(client, "nobody@example.org")
    assert (over_limit.status_code, over_limit.url) == (unknown.status_code, DONE)
    assert unknown.url == DONE
    assert len(mailoutbox) == 2


def test_other_addresses_still_get_mail_when_one_is_over_its_limit(
    client, learner, second_learner, mailoutbox
):
    for _attempt in range(3):
        _ask(client, learner.email)
    _ask(client, second_learner.email)
    assert [message.to for message in mailoutbox][-1] == [second_learner.email]
    assert len(mailoutbox) == 3


def test_an_address_gets_mail_again_an_hour_after_its_first_reset(
    client, learner, mailoutbox
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(3):
            _ask(client, learner.email)
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        _ask(client, learner.email)
    assert len(mailoutbox) == 3


def test_a_client_over_its_limit_is_answered_429_without_mail(
    client, learner, second_learner, manager, settings, mailoutbox
):
    settings.PASSWORD_RESETS_PER_CLIENT_PER_HOUR = 2
    first, second, third = (
        _ask(client, person.email, REMOTE_ADDR="203.0.113.5", HTTP_ACCEPT_LANGUAGE="en")
        for person in (learner, second_learner, manager)
    )
    assert (first.status_code, second.status_code, third.status_code) == (
        302,
        302,
        429,
    )
    assert third["Retry-After"] == "3600"
    assert third.context["form"].has_error(NON_FIELD_ERRORS, code="client_limited")
    assert "Too many password resets" in third.content.decode()
    assert [message.to for message in mailoutbox] == [
        [learner.email],
        [second_learner.email],
    ]


def test_another_client_may_still_ask_when_one_is_over_its_limit(
    client, learner, second_learner, settings, mailoutbox
):
    settings.PASSWORD_RESETS_PER_CLIENT_PER_HOUR = 1
    _ask(client, learner.email, REMOTE_ADDR="203.0.113.5")
    refused = _ask(client, second_learner.email, REMOTE_ADDR="203.0.113.5")
    allowed = _ask(client, second_learner.email, REMOTE_ADDR="203.0.113.6")
    assert (refused.status_code, allowed.status_code) == (429, 302)
    assert len(mailoutbox) == 2


def test_the_client_is_the_address_the_nearest_proxy_saw(
    client, learner, second_learner, settings, mailoutbox
):
    settings.PROXY_COUNT = 1
    settings.PASSWORD_RESETS_PER_CLIENT_PER_HOUR = 1
    first = _ask(client, learner.email, HTTP_X_FORWARDED_FOR="198.51.100.7")
    second = _ask(client, second_learner.email, HTTP_X_FORWARDED_FOR="198.51.100.8")
    spoofed = _ask(
        client, second_learner.email, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.8"
    )
    assert [first.status_code, second.status_code, spoofed.status_code] == [
        302,
        302,
        429,
    ]
    assert len(mailoutbox) == 2
