"""Wagtail's menus speak each request's language, whoever asked first."""

import json

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _admin_home(client, user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def _in_the_menu(text):
    """The text as the sidebar's menu (JSON in the page) spells it."""
    return json.dumps(text)[1:-1]


def test_whats_new_is_named_in_each_editors_language(client, editor):
    english_editor = UserFactory(groups=["Editors"])
    english = _admin_home(client, english_editor, "en")
    assert _in_the_menu("What's new in Wagtail") in english

    finnish = _admin_home(client, editor, "fi")

    assert _in_the_menu("Mitä uutta Wagtail") in finnish
    assert _in_the_menu("What's new in Wagtail") not in finnish
