"""Public verification by code: the states, typed codes and the lookup limit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from certificates.issuing import revoke
from team.privacy import anonymise
from tests.certificates.conftest import make_certificate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HELSINKI = ZoneInfo("Europe/Helsinki")
CODE = "01AB23CD45EF"
COMPLETED = datetime(2026, 2, 3, 12, 0, tzinfo=HELSINKI)
REMOVED = "The certificate holder's data has been removed."


@pytest.fixture(autouse=True)
def no_lookups_yet():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(course, learner):
    """Completed on 3.2.2026, valid for 12 months, until 3.2.2027."""
    return make_certificate(learner, course, completed_at=COMPLETED, code=CODE)


def _verify(client, code=CODE, **extra):
    return client.get(reverse("certificates:verify", args=[code]), **extra)


def _status_line(response):
    content = response.content.decode()
    start = content.index('class="certificate-status')
    return " ".join(content[start : content.index("</p>", start)].split())


def test_a_valid_certificate_shows_holder_course_and_dates(client, certificate):
    response = _verify(client)
    assert response.status_code == 200
    assert response.context["status"] == "valid"
    assert _status_line(response).endswith("> Valid")
    for text in ("01AB-23CD-45EF", "Leena Laine", "Tietoturva", "3.2.2026"):
        assert text in response.content.decode()
    assert "Valid until</dt><dd>3.2.2027" in response.content.decode()


def test_an_expired_certificate_says_when_it_expired(client, certificate):
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=HELSINKI)):
        response = _verify(client)
    assert response.status_code == 200
    assert response.context["status"] == "expired"
    assert _status_line(response).endswith("Expired on 3.2.2027")


def test_a_revoked_certificate_says_when_and_why(client, certificate):
    revoke(
        certificate,
        reason="Issued to the wrong person",
        now=datetime(2026, 3, 4, 10, 0, tzinfo=HELSINKI),
    )
    response = _verify(client)
    assert response.status_code == 200
    assert response.context["status"] == "revoked"
    assert _status_line(response).endswith("Revoked on 4.3.2026")
    assert "Issued to the wrong person" in response.content.decode()


def test_an_anonymised_holder_is_not_named(client, certificate, learner):
    anonymise(learner)
    response = _verify(client)
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["status"] == "valid"
    assert REMOVED in content
    assert "Leena" not in content
    assert "Laine" not in content
    assert "Tietoturva" in content


@pytest.mark.parametrize("code", ["0000AAAA0000", "01AB23CD45EX", "ABC", "-"])
def test_an_unknown_code_is_not_found(client, certificate, code):
    response = _verify(client, code)
    assert response.status_code == 404
    assert response.templates[0].name == "certificates/verify_not_found.html"


@pytest.mark.parametrize(
    "typed",
    [
        "01ab23cd45ef",
        "01ab-23cd-45ef",
        "01AB 23CD 45EF",
        "OIAB-23CD-45EF",
        "oLab 23cd-45ef",
        " 0lab-23cd-45ef ",
    ],
)
def test_a_code_as_typed_redirects_to_the_canonical_one(client, certificate, typed):
    canonical = reverse("certificates:verify", args=[CODE])
    response = _verify(client, typed)
    assert (response.status_code, response["Location"]) == (302, canonical)
    form = client.get(reverse("certificates:verify_form"), {"code": typed})
    assert (form.status_code, form["Location"]) == (302, canonical)


def test_the_form_sends_a_code_of_only_dashes_to_not_found_without_a_loop(client):
    response = client.get(
        reverse("certificates:verify_form"), {"code": "- -"}, follow=True
    )
    assert response.status_code == 404
    assert len(response.redirect_chain) == 1


def test_the_form_without_a_code_asks_for_one(client):
    response = client.get(reverse("certificates:verify_form"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_too_many_lookups_from_one_client_in_a_minute_are_refused(
    client, certificate, settings
):
    settings.CERTIFICATE_LOOKUPS_PER_MINUTE = 3
    with time_machine.travel(datetime(2026, 5, 5, 9, 0, 5), tick=False) as clock:
        statuses = [
            _verify(client).status_code,
            _verify(client, "0000AAAA0000").status_code,
            _verify(client, "01ab-23cd-45ef").status_code,
        ]
        refused = _verify(client)
        other_client = _verify(client, REMOTE_ADDR="198.51.100.7")
        clock.shift(timedelta(minutes=1))
        next_minute = _verify(client)

    assert statuses == [200, 404, 302]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many lookups" in refused.content.decode()
    assert other_client.status_code == 200
    assert next_minute.status_code == 200


def _facts(response):
    html = BeautifulSoup(response.content, "html.parser")
    facts = html.select_one("dl.certificate-facts")
    return [
        (dt.get_text(strip=True), dt.find_next_sibling("dd").get_text(strip=True))
        for dt in facts.find_all("dt")
    ]


def test_the_facts_are_a_definition_list_of_label_and_value(client, certificate):
    facts = _facts(_verify(client))
    assert facts[:6] == [
        ("Holder", "Leena Laine"),
        ("Course", "Tietoturva"),
        ("Completed on", "3.2.2026"),
        ("Issued on", timezone.localdate().strftime("%-d.%-m.%Y")),
        ("Valid until", "3.2.2027"),
        ("Code", "01AB-23CD-45EF"),
    ]


def test_the_status_comes_before_the_facts_with_the_reason_for_revoking(
    client, certificate
):
    revoke(certificate, reason="Issued to the wrong person")
    html = BeautifulSoup(_verify(client).content, "html.parser")
    verdict = html.select_one(".certificate-verdict")
    assert verdict.find_next_sibling("dl") is not None
    assert verdict.select_one(".certificate-status--revoked") is not None
    reason = verdict.select_one(".certificate-verdict__reason").get_text(
        " ", strip=True
    )
    assert reason == "Reason for revoking: Issued to the wrong person"
