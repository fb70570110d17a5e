"""Slugs made from titles on the server: readable ASCII, and old slugs stay put."""

import pytest
from django.test import Client

from lessons import demo as lesson_demo
from lessons.models import LessonPage, ModulePage
from quizzes import demo as quiz_demo
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db

TITLES = {
    "Ensimmäinen osio": "ensimmainen-osio",
    "Åbo": "abo",
    "Työhyvinvointi ja öljyt": "tyohyvinvointi-ja-oljyt",
    "Café, señor, Dvořák": "cafe-senor-dvorak",
}


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Saavutettavuuden perusteet")


@pytest.mark.parametrize(("title", "slug"), TITLES.items())
def test_page_made_by_code_gets_a_transliterated_slug(course, title, slug):
    module = course.add_child(instance=ModulePage(title=title))
    assert module.slug == slug


@pytest.mark.parametrize("title", TITLES)
def test_demo_loaders_make_the_slugs_the_admin_makes(course, title):
    module = course.add_child(instance=ModulePage(title=title))
    assert lesson_demo.slugify(title) == quiz_demo.slugify(title) == module.slug


def test_existing_unicode_slug_is_kept_and_still_served(course):
    course.save_revision().publish()
    lesson = course.add_child(
        instance=LessonPage(title="Ensimmäinen osio", slug="ensimmäinen-osio")
    )
    lesson.title = "Ensimmäinen osio, uusittu"
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    assert lesson.slug == "ensimmäinen-osio"
    assert lesson.url.endswith("/ensimm%C3%A4inen-osio/")
    response = Client().get(lesson.url)
    assert response.status_code == 302  # the lesson was found; it asks to log in
    assert "/accounts/login/" in response.url
