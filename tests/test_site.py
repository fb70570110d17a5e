"""The site shell: error pages, login, language and deploy settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.helpers import translated

pytestmark = pytest.mark.django_db
PROJECT_DIR = Path(__file__).resolve().parent.parent
WRONG_LOGIN = "The e-mail address or the password is wrong. Check both and try again."


def test_unknown_page_gets_the_themed_404(client, catalogue):
    response = client.get("/ei-ole-olemassa/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="skip-link"' in html
    assert translated("Page not found") in html


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<main" in html and "<h1>" in html


def test_login_page_uses_the_site_look(client, catalogue):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert 'autocomplete="email"' in html


def test_login_with_email_in_any_case(client, learner):
    response = client.post(
        reverse("login"),
        {"username": "Learner@Example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == learner


def test_wrong_password_and_unknown_account_get_the_same_message(client, learner):
    wrong = client.post(
        reverse("login"), {"username": learner.email, "password": "nope"}
    )
    unknown = client.post(
        reverse("login"), {"username": "nobody@example.org", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert (
        wrong.context["form"].non_field_errors()
        == unknown.context["form"].non_field_errors()
    )
    assert translated(WRONG_LOGIN) in str(wrong.context["form"].non_field_errors())


def test_inactive_user_cannot_log_in_and_is_not_told_why(client, learner):
    learner.is_active = False
    learner.save()
    response = client.post(
        reverse("login"),
        {"username": learner.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    assert translated(WRONG_LOGIN) in str(response.context["form"].non_field_errors())


def test_login_only_redirects_to_local_urls(client, learner):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {
            "username": learner.email,
            "password": "correct horse battery staple",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response.url == "/"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_are_throttled(learner):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        client.post(reverse("login"), {"username": learner.email, "password": "bad"})
    response = client.post(
        reverse("login"),
        {"username": learner.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 429
    assert translated("Too many failed login attempts") in response.content.decode()


def test_logout_needs_post_and_ends_the_session(client, learner):
    my_learning = reverse("lessons:my_learning")
    client.force_login(learner)
    session_key = client.session.session_key
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(my_learning).status_code == 200

    response = client.post(reverse("logout"))

    assert (response.status_code, response.get("Location")) == (302, "/")
    after = client.get(my_learning)
    assert (after.status_code, after.get("Location")) == (
        302,
        f"{reverse('login')}?next={my_learning}",
    )
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert replay.get(my_learning).status_code == 302


def test_language_switcher_changes_the_ui_language(client, catalogue):
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="sv">' in html


def test_default_language_is_finnish(client, catalogue):
    assert '<html lang="fi">' in client.get("/").content.decode()


def test_every_response_has_a_content_security_policy(client, catalogue):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def _run_manage(*args, env):
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(**extra):
    # The run's own choices (CI's production phase relaxes the HTTPS redirect for
    # its test clients) must not leak into the settings checked here.
    local_only = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT"}
    env = {key: value for key, value in os.environ.items() if key not in local_only}
    env.update(
        DEBUG="0",
        SECRET_KEY="x7!kq2@v9#pL4$zR8^wN1&cT6*eY3(uJ5)hB0_gF-mD+sA=oI~",
        ALLOWED_HOSTS="oppiminen.example.org",
        # The shared cache production runs with (the check does not connect).
        REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_URL="https://oppiminen.example.org",
    )
    env.update(extra)
    return env


def test_deploy_check_is_clean_with_production_settings():
    result = _run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_site_url_fails_the_check_with_a_clear_message():
    result = _run_manage("check", env=_production_env(SITE_URL=""))
    assert result.returncode != 0
    assert "oppimo.E001" in result.stderr
    assert "SITE_URL is not set" in result.stderr
    assert "public address" in result.stderr


def test_development_without_site_url_passes_the_check():
    env = _production_env(SITE_URL="", DEBUG="1")
    result = _run_manage("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("debug", "site_url", "errors"),
    [
        (False, "", ["oppimo.E001"]),
        (False, "https://oppiminen.example.org", []),
        (True, "", []),
    ],
    ids=["production-without", "production-with", "development-without"],
)
def test_the_site_url_check(settings, debug, site_url, errors):
    from django.core.checks import run_checks

    settings.DEBUG, settings.SITE_URL = debug, site_url
    found = [issue.id for issue in run_checks() if issue.id.startswith("oppimo.E")]
    assert found == errors


def test_bad_boolean_setting_fails_loudly():
    result = _run_manage("check", env=_production_env(EMAIL_USE_TLS="maybe"))
    assert result.returncode != 0
    assert "EMAIL_USE_TLS must be a boolean" in result.stderr


def test_logging_in_switches_to_the_preferred_language(client, learner):
    learner.preferred_language = "sv"
    learner.save()
    client.post(
        reverse("login"),
        {"username": learner.email, "password": "correct horse battery staple"},
    )
    assert '<html lang="sv">' in client.get("/search/").content.decode()


def test_switching_language_while_logged_in_remembers_the_choice(client, learner):
    client.force_login(learner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    learner.refresh_from_db()
    assert learner.preferred_language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    learner.refresh_from_db()
    assert learner.preferred_language == "en"


def test_in_development_without_site_url_the_reset_link_is_the_served_address(
    client, learner, settings, mailoutbox
):
    settings.DEBUG, settings.SITE_URL = True, ""
    client.post(reverse("password_reset"), {"email": learner.email})
    [message] = mailoutbox
    assert "http://testserver/accounts/reset/" in message.body
