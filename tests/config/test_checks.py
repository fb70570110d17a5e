"""The deploy check warns when rate limits and sessions would live in one process."""

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


def _issue_ids(*, deploy=True):
    return [issue.id for issue in run_checks(include_deployment_checks=deploy)]


@pytest.mark.parametrize("caches", [LOCAL_MEMORY, DUMMY], ids=["locmem", "dummy"])
def test_a_process_local_cache_in_production_is_warned_of(settings, caches):
    settings.DEBUG = False
    settings.CACHES = caches
    [warning] = [
        issue
        for issue in run_checks(include_deployment_checks=True)
        if issue.id == "oppimo.W001"
    ]
    assert warning.is_serious() is False
    assert "REDIS_URL" in warning.hint
    assert "password reset" in warning.hint


def test_redis_in_production_is_not_warned_of(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS
    assert "oppimo.W001" not in _issue_ids()


def test_local_memory_in_development_is_not_warned_of(settings):
    settings.DEBUG = True
    settings.CACHES = LOCAL_MEMORY
    assert "oppimo.W001" not in _issue_ids()


def test_the_warning_is_a_deploy_check_only(settings):
    settings.DEBUG = False
    settings.CACHES = LOCAL_MEMORY
    assert "oppimo.W001" not in _issue_ids(deploy=False)


def test_manage_check_deploy_fails_on_the_warning_at_warning_level(settings):
    settings.DEBUG = False
    settings.CACHES = LOCAL_MEMORY
    with pytest.raises(CommandError, match=r"oppimo\.W001"):
        call_command("check", "--deploy", "--tag", "caches", "--fail-level", "WARNING")


def test_manage_check_deploy_is_clean_with_redis(settings, capsys):
    settings.DEBUG = False
    settings.CACHES = REDIS
    call_command("check", "--deploy", "--tag", "caches", "--fail-level", "WARNING")
    assert "no issues" in capsys.readouterr().out
