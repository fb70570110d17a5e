"""Settings for benchmarks: the real settings plus a trivial view as the floor."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
