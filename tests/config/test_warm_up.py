"""The app server's master loads what the workers share, without the database."""

import pytest
from django.core.files.storage import storages
from django.template import engines

from config.warm_up import TEMPLATES, warm_up
from tests.config.test_s3_storage import buckets  # noqa: F401 (a fixture)


@pytest.mark.django_db
def test_warm_up_compiles_every_template_it_names_without_a_query(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        warm_up()
    (cached_loader,) = engines["django"].engine.template_loaders
    assert set(TEMPLATES) <= set(cached_loader.get_template_cache)


@pytest.mark.django_db
@pytest.mark.usefixtures("buckets")
def test_warm_up_makes_the_s3_clients_the_workers_will_share():
    warm_up()
    for alias in ("default", "private"):
        assert storages[alias]._connections.connection is not None
