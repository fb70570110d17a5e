"""The editor's admin speaks Finnish in what its scripts write too.

Wagtail's scripts take their texts from the JavaScript catalogue (and from texts
the server renders into the page); the page edit view is read after the scripts
have run and after an editor opens the menus they build.
"""

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from tests.e2e.conftest import log_in
from tests.factories import QuizPageFactory, UserFactory
from tests.test_admin_language import untranslated_on

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BOTH = ("django", "djangojs")


@pytest.fixture
def finnish_editor(db):
    editor = UserFactory(email="kirjoittaja@example.org", groups=["Editors"])
    GroupPagePermission.objects.create(
        group=editor.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "fi"
    profile.save()
    return editor


@pytest.fixture
def quiz(demo_course):
    course, _ = demo_course
    return QuizPageFactory(parent=course, title="Loppukoe")


def _untranslated(page):
    return untranslated_on(page.content(), "fi", BOTH)


def test_the_quiz_editor_and_its_menus_are_in_finnish(
    live_server, page, quiz, finnish_editor
):
    log_in(page, live_server, finnish_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/{quiz.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert _untranslated(page) == []

    page.get_by_role("button", name="Lisää lohko").first.click()
    page.get_by_role("option", name="Lyhyt tekstivastaus").wait_for()
    assert _untranslated(page) == []
    assert page.get_by_placeholder("Hae vaihtoehtoja…").is_visible()

    page.get_by_role("option", name="Lyhyt tekstivastaus").click()
    page.wait_for_load_state("networkidle")
    assert _untranslated(page) == []

    page.get_by_role("button", name="Esikatselu päälle/pois").click()
    page.wait_for_load_state("networkidle")
    assert _untranslated(page) == []


def test_an_invalid_page_is_explained_in_finnish(
    live_server, page, quiz, finnish_editor
):
    log_in(page, live_server, finnish_editor.email, "/admin/")
    page.goto(f"{live_server.url}/admin/pages/{quiz.pk}/edit/")
    page.fill("#id_title", "")
    page.get_by_role("button", name="Tallenna luonnos").click()
    page.get_by_role("button", name="Siirry ensimmäiseen virheeseen").wait_for()
    assert _untranslated(page) == []
