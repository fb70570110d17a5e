"""The admin's dashboard and menu lead training admins to their tools."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_training_admins_find_their_tools_on_the_dashboard(client, training_admin):
    panel = _home(client, training_admin).select_one("#training-admin-content")
    links = [link["href"] for link in panel.select("a")]
    assert links == [
        reverse("team:dashboard"),
        reverse("team:assign"),
        reverse("team:assignments"),
        reverse("people_import"),
        reverse("org_units:index"),
        reverse("certificate_register:index"),
    ]


def test_the_menu_leads_training_admins_to_progress_and_reports(client, training_admin):
    html = str(_home(client, training_admin))
    assert f'"url": "{reverse("team:dashboard")}"' in html.replace("&quot;", '"')


def test_editors_see_neither_the_panel_nor_the_menu_item(client, editor):
    page = _home(client, editor)
    assert page.select_one("#training-admin-content") is None
    assert reverse("team:dashboard") not in str(page)
