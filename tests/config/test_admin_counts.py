"""Admin listings count their items in each language's plural forms."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.users.models import UserProfile

from people.models import OrgUnit
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def _speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def _count_label(response):
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return page.select_one(".pagination__end").get_text(strip=True)


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("fi", "1 sivu", "3 sivua"),
        ("sv", "1 sida", "3 sidor"),
        ("en", "1 page", "3 pages"),
    ],
)
def test_the_catalogue_in_the_explorer_counts_its_pages(
    client, superuser, catalogue, language, one, many
):
    _speaks(superuser, language)
    CoursePageFactory(parent=catalogue)
    client.force_login(superuser)
    assert _count_label(client.get(f"/admin/pages/{catalogue.pk}/")) == one
    CoursePageFactory(parent=catalogue)
    CoursePageFactory(parent=catalogue)
    assert _count_label(client.get(f"/admin/pages/{catalogue.pk}/")) == many


def test_the_unit_listing_counts_units_in_finnish(client, superuser, org):
    _speaks(superuser, "fi")
    client.force_login(superuser)
    response = client.get(reverse("org_units:index"))
    assert _count_label(response) == f"{OrgUnit.objects.count()} organisaatioyksikköä"
