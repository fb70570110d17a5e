"""Bad input the penetration test sent: each gets a clear 4xx (or a normal page),
never a 500, and nothing already saved is lost. The robustness walk looks for
the whole class; these pin the cases that were reported."""

import pytest
from django.urls import reverse

from lessons.models import LessonPage
from people.models import OrgUnit

pytestmark = pytest.mark.django_db

SEARCH_SYNTAX = [
    '"',
    'kurssi "auki',
    "a\x00b",
    "*",
    "kurssi*",
    "(",
    ")",
    "AND",
    "OR NOT",
    "NEAR(a b)",
    "title:kurssi",
    "^kurssi",
    "-kurssi",
    "+",
    "{a b}",
    "[]",
    "'",
    "\\",
    "%",
    "_",
    "ä" * 300,
]


@pytest.mark.parametrize("query", SEARCH_SYNTAX)
def test_search_syntax_is_read_as_words(client, content, query):
    assert client.get(reverse("lessons:search"), {"q": query}).status_code == 200
    assert client.get("/", {"q": query}).status_code == 200


def test_search_still_finds_words_around_syntax(client, content):
    response = client.get(reverse("lessons:search"), {"q": '"Oppitunti'})
    assert content["lesson"].title in response.content.decode()


HUGE = "99999999999999999999999"


def test_huge_ids_in_urls_are_not_found(client, content, editor, learner):
    client.force_login(learner)
    assert client.post(f"/courses/{HUGE}/enrol/").status_code == 404
    assert client.post(f"/quizzes/{HUGE}/start/").status_code == 404
    assert client.get(f"/quizzes/attempts/{HUGE}/").status_code == 404
    client.force_login(editor)
    for view in ("statistics", "import-gift", "export-gift"):
        assert client.get(f"/admin/quizzes/{HUGE}/{view}/").status_code == 404


def test_huge_ids_in_queries_find_nothing(client, content, manager, training_admin):
    client.force_login(manager)
    assert client.get(reverse("team:assign"), {"people": HUGE}).status_code == 404
    assert client.get(reverse("team:dashboard"), {"course": HUGE}).status_code < 500
    client.force_login(training_admin)
    register = client.get(reverse("certificate_register:index"), {"course": HUGE})
    assert register.status_code == 200


def _edit_form(client, page):
    """The page's edit form as the browser would send it back."""
    from tests.security.test_robustness import _form_fields

    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    fields = _form_fields(response)
    return {**dict.fromkeys(fields.names - set(fields.hidden), ""), **fields.hidden}


def test_an_edit_without_its_streamfield_count_is_refused_and_saves_nothing(
    client, content, editor
):
    client.force_login(editor)
    quiz = content["quiz"]
    revisions = quiz.revisions.count()
    data = {
        key: value
        for key, value in _edit_form(client, quiz).items()
        if not key.endswith("-count")
    }
    response = client.post(reverse("wagtailadmin_pages:edit", args=[quiz.pk]), data)
    assert response.status_code == 400
    assert quiz.revisions.count() == revisions
    quiz.refresh_from_db()
    assert len(quiz.specific.questions) == len(content["quiz"].questions)


def test_a_chooser_given_something_that_is_not_an_id_shows_the_form(
    client, content, editor
):
    client.force_login(editor)
    course = content["course"]
    for value in ("x", HUGE, "1.5", "[]"):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[course.pk]),
            {"title": course.title, "slug": course.slug, "certificate_template": value},
        )
        assert response.status_code == 200, value
        assert "error" in response.content.decode()


@pytest.mark.parametrize(
    "url_name, key",
    [
        ("org_units:delete", "unit"),
        ("wagtailusers_users:delete", "leaver"),
        ("certificate_register:delete", "certificate"),
        ("wagtailsnippets_certificates_certificatetemplate:delete", "template"),
    ],
)
def test_delete_views_delete_only_through_their_form(
    client, content, superuser, url_name, key
):
    """An HTTP DELETE would go past the confirmation, Wagtail's log and our checks."""
    client.force_login(superuser)
    target = {
        "unit": content["org"].team_a,
        "leaver": content["leaver"],
        "certificate": content["certificate"],
        "template": content["certificate"].template,
    }[key]
    response = client.delete(reverse(url_name, args=[target.pk]))
    assert response.status_code == 405
    assert type(target).objects.filter(pk=target.pk).exists()


def test_a_unit_with_people_is_never_deleted(client, content, superuser):
    client.force_login(superuser)
    unit = content["org"].team_a
    response = client.post(reverse("org_units:delete", args=[unit.pk]))
    assert response.status_code == 302
    assert OrgUnit.objects.filter(pk=unit.pk).exists()


def test_a_lesson_edit_with_junk_keeps_the_saved_lesson(client, content, editor):
    client.force_login(editor)
    lesson = content["lesson"]
    body = LessonPage.objects.get(pk=lesson.pk).body
    data = _edit_form(client, lesson)
    data.update(title="\x00", slug="x" * 5000)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)
    assert response.status_code == 200
    assert LessonPage.objects.get(pk=lesson.pk).body == body
