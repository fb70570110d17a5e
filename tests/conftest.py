"""Shared fixtures: the site with its catalogue root, and named users."""

import pytest
from wagtail.models import Page, Site

from tests.factories import CourseIndexPageFactory, UserFactory


@pytest.fixture
def catalogue(db):
    """A catalogue page as the root of the default site."""
    root = Page.get_first_root_node()
    index = CourseIndexPageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index},
    )
    Page.objects.filter(depth=2).exclude(pk=index.pk).delete()
    return index


@pytest.fixture
def learner(db):
    return UserFactory(
        email="learner@example.org", first_name="Leena", last_name="Laine"
    )


@pytest.fixture
def second_learner(db):
    return UserFactory(
        email="learner2@example.org", first_name="Linnea", last_name="Lind"
    )


@pytest.fixture
def manager(db):
    return UserFactory(
        email="manager@example.org", first_name="Maija", last_name="Esimies"
    )


@pytest.fixture
def unrelated_manager(db):
    return UserFactory(
        email="other.manager@example.org", first_name="Olli", last_name="Muu"
    )


@pytest.fixture
def editor(db):
    return UserFactory(email="editor@example.org", groups=["Editors"])


@pytest.fixture
def training_admin(db):
    return UserFactory(
        email="training.admin@example.org", groups=["Training administrators"]
    )


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
