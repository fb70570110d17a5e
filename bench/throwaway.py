"""A throwaway site for the benchmarks that run Django in their own process."""

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


@contextmanager
def migrated_site(prefix):
    """Yield a temporary VAR_DIR with a migrated SQLite database, Django set up.

    The test environment is on (locmem e-mail, no real sending), as in the suite.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        os.environ.update(DEBUG="1", VAR_DIR=folder, LOG_LEVEL="WARNING")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=PROJECT, check=True,
        )  # fmt: skip
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        setup_test_environment()
        yield folder
