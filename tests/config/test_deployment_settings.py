"""Storage and log settings from the environment, as a new process reads them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "log_format": settings.LOG_FORMAT,
    "formatter": settings.LOGGING["handlers"]["console"]["formatter"],
    "default": settings.STORAGES["default"],
    "private": settings.STORAGES["private"],
}))
"""
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "SITE_URL": "https://example.org"}
S3 = {
    "AWS_STORAGE_BUCKET_NAME": "city-media",
    "AWS_PRIVATE_BUCKET_NAME": "city-private",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_S3_REGION_NAME": "eu-north-1",
}


def settings_with(**environment):
    """Return some settings as a process with this environment reads them."""
    names = ("DEBUG", "LOG_FORMAT", "SECRET_KEY", *S3, "AWS_S3_ADDRESSING_STYLE")
    base = {name: value for name, value in os.environ.items() if name not in names}
    result = subprocess.run(  # noqa: S603 (our own settings)
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_SETTINGS}"],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **environment},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        return result.stderr
    return json.loads(result.stdout)


def test_production_logs_json_and_development_plain_text():
    assert settings_with(**PRODUCTION)["formatter"] == "json"
    assert settings_with(DEBUG="1")["formatter"] == "plain"
    assert settings_with(**PRODUCTION, LOG_FORMAT="plain")["formatter"] == "plain"


def test_an_unknown_log_format_is_refused():
    error = settings_with(DEBUG="1", LOG_FORMAT="xml")
    assert "LOG_FORMAT must be plain or json" in error


def test_without_buckets_files_stay_on_the_local_disk():
    read = settings_with(**PRODUCTION)
    assert read["default"]["BACKEND"].endswith("FileSystemStorage")
    assert read["private"]["BACKEND"] == "config.storage.PrivateStorage"


def test_buckets_put_media_and_private_files_on_s3():
    read = settings_with(**PRODUCTION, **S3)
    assert read["default"]["BACKEND"] == "config.storage.MediaS3Storage"
    assert read["default"]["OPTIONS"]["bucket_name"] == "city-media"
    assert read["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert read["default"]["OPTIONS"]["region_name"] == "eu-north-1"
    assert read["private"]["BACKEND"] == "config.storage.PrivateS3Storage"
    assert read["private"]["OPTIONS"]["bucket_name"] == "city-private"
    assert read["private"]["OPTIONS"]["default_acl"] == "private"


@pytest.mark.parametrize(
    ("private_bucket", "message"),
    [
        ("", "Set AWS_PRIVATE_BUCKET_NAME too"),
        ("city-media", "must not be the media bucket"),
    ],
    ids=["missing", "same as media"],
)
def test_the_private_bucket_must_be_a_bucket_of_its_own(private_bucket, message):
    environment = {**PRODUCTION, **S3, "AWS_PRIVATE_BUCKET_NAME": private_bucket}
    assert message in settings_with(**environment)
