"""The shared cache never serves an outline, a course or a look older than a change."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction, Site

from lessons import progress
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory
from themes.models import SiteAppearance

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Saavutettavuuden perusteet")
    first = ModulePageFactory(parent=course, title="Perusteet")
    second = ModulePageFactory(parent=course, title="Käytäntö")
    lessons = [
        LessonPageFactory(parent=first, title="Mitä saavutettavuus on"),
        LessonPageFactory(parent=first, title="Kuka hyötyy"),
        LessonPageFactory(parent=second, title="Otsikot"),
    ]
    return course, first, second, lessons


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def _outline(client, course):
    """Return the course page's outline, checked to be the one its HTML shows."""
    response = client.get(course.url)
    assert response.status_code == 200
    outline = response.context["outline"]
    assert _shown_titles(response) == _titles(outline)
    return outline


def _shown_titles(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [
        step.find(["a", "strong"]).get_text() for step in page.select(".outline__step")
    ]


def _ticked_titles(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [
        step.find(["a", "strong"]).get_text()
        for step in page.select(".outline__step--done")
    ]


def _titles(outline):
    return [step.title for step in outline.steps]


def test_each_learner_sees_their_own_ticks_in_the_shared_outline(
    client, course, learner, second_learner
):
    course_page, _first, _second, lessons = course
    progress.complete_step(user=learner, step=lessons[0])
    progress.complete_step(user=second_learner, step=lessons[2])
    client.force_login(learner)
    assert _ticked_titles(client.get(lessons[1].url)) == ["Mitä saavutettavuus on"]
    assert _ticked_titles(client.get(course_page.url)) == ["Mitä saavutettavuus on"]
    client.force_login(second_learner)
    assert _ticked_titles(client.get(lessons[1].url)) == ["Otsikot"]
    assert _ticked_titles(client.get(course_page.url)) == ["Otsikot"]


def test_outline_marks_the_current_step_on_each_lesson(learner_client, course):
    _course_page, _first, _second, lessons = course
    for lesson in lessons:
        page = BeautifulSoup(learner_client.get(lesson.url).content, "html.parser")
        current = page.select('.outline [aria-current="step"]')
        assert [element.get_text() for element in current] == [lesson.title]


def test_published_lesson_is_in_the_outline_on_the_next_request(learner_client, course):
    course_page, _first, second, _lessons = course
    _outline(learner_client, course_page)
    draft = LessonPageFactory(parent=second, title="Kuvien tekstivastineet", live=False)
    assert "Kuvien tekstivastineet" not in _titles(
        _outline(learner_client, course_page)
    )
    draft.save_revision().publish()
    assert "Kuvien tekstivastineet" in _titles(_outline(learner_client, course_page))


def test_unpublished_lesson_is_gone_from_the_outline_and_the_lesson_pages(
    learner_client, course
):
    course_page, _first, _second, lessons = course
    assert learner_client.get(lessons[0].url).status_code == 200
    lessons[1].unpublish()
    assert "Kuka hyötyy" not in _titles(_outline(learner_client, course_page))
    response = learner_client.get(lessons[0].url)
    assert response.context["next_step"].pk == lessons[2].pk
    assert learner_client.get(lessons[1].url).status_code == 404


def test_unpublished_module_hides_its_lessons_at_once(learner_client, course):
    course_page, first, _second, lessons = course
    assert learner_client.get(lessons[0].url).status_code == 200
    first.unpublish()
    assert _titles(_outline(learner_client, course_page)) == ["Otsikot"]
    assert learner_client.get(lessons[0].url).status_code == 404


def test_lesson_moved_between_modules_moves_in_the_outline(learner_client, course):
    course_page, _first, second, lessons = course
    _outline(learner_client, course_page)
    lessons[0].move(second, pos="last-child")
    outline = _outline(learner_client, course_page)
    assert _titles(outline) == ["Kuka hyötyy", "Otsikot", "Mitä saavutettavuus on"]
    moved = lessons[0].specific_class.objects.get(pk=lessons[0].pk)
    assert outline.steps[-1].url == moved.url
    assert learner_client.get(moved.url).status_code == 200
    old_address = learner_client.get(lessons[0].url)
    assert old_address.status_code == 301
    assert old_address.url == moved.url


def test_renamed_lesson_shows_its_new_title(learner_client, course):
    course_page, _first, _second, lessons = course
    _outline(learner_client, course_page)
    lesson = lessons[2]
    lesson.title = "Otsikot ja rakenne"
    lesson.save_revision().publish()
    assert "Otsikot ja rakenne" in _titles(_outline(learner_client, course_page))
    response = learner_client.get(lessons[1].url)
    assert response.context["next_step"].title == "Otsikot ja rakenne"


def test_draft_changes_stay_invisible(learner_client, course):
    course_page, _first, _second, lessons = course
    _outline(learner_client, course_page)
    lesson = lessons[2]
    lesson.title = "Luonnoksen otsikko"
    lesson.save_revision()
    assert "Luonnoksen otsikko" not in _titles(_outline(learner_client, course_page))


def test_deleted_lesson_is_gone_from_the_outline(learner_client, course):
    course_page, _first, _second, lessons = course
    _outline(learner_client, course_page)
    lessons[2].delete()
    assert "Otsikot" not in _titles(_outline(learner_client, course_page))


def test_renamed_course_shows_in_its_lessons_breadcrumbs(learner_client, course):
    course_page, _first, _second, lessons = course
    assert learner_client.get(lessons[0].url).status_code == 200
    course_page.title = "Saavutettavuus arjessa"
    course_page.save_revision().publish()
    response = learner_client.get(lessons[0].url)
    assert response.context["course"].title == "Saavutettavuus arjessa"


def test_course_language_change_applies_to_its_lessons(learner_client, course):
    course_page, _first, _second, lessons = course
    assert learner_client.get(lessons[0].url).status_code == 200
    course_page.language = "sv"
    course_page.save_revision().publish()
    response = learner_client.get(lessons[0].url)
    assert 'lang="sv"' in response.content.decode()


def test_view_restriction_applies_on_the_next_request(client, course):
    course_page, _first, _second, lessons = course
    assert client.get(course_page.url).status_code == 200
    PageViewRestriction.objects.create(
        page=course_page, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(course_page.url).status_code == 302
    assert _titles(_outline_of_catalogue(client)) == []


def _outline_of_catalogue(client):
    response = client.get("/")
    return type("Courses", (), {"steps": response.context["courses"]})


def test_new_course_is_in_the_catalogue_on_the_next_request(client, catalogue):
    assert client.get(catalogue.url).context["courses"] == []
    CoursePageFactory(parent=catalogue, title="Tekoäly ja me")
    courses = client.get(catalogue.url).context["courses"]
    assert [course.title for course in courses] == ["Tekoäly ja me"]


def test_changed_theme_applies_on_the_next_request(client, catalogue):
    assert "themes/default/theme.css" in client.get(catalogue.url).content.decode()
    appearance = SiteAppearance.for_site(Site.objects.get(is_default_site=True))
    appearance.theme = "city"
    appearance.organisation_name = "Esimerkkikaupunki"
    appearance.save()
    html = client.get(catalogue.url).content.decode()
    assert "themes/city/theme.css" in html
    assert "Esimerkkikaupunki" in html


def test_a_site_changed_between_requests_answers_at_once(client, catalogue, settings):
    settings.ALLOWED_HOSTS = ["kurssit.example.org", "testserver"]
    other = CoursePageFactory(parent=catalogue, title="Oma sivusto")
    assert client.get("/", HTTP_HOST="kurssit.example.org").context["page"] == catalogue
    Site.objects.create(hostname="kurssit.example.org", port=80, root_page=other)

    response = client.get("/", HTTP_HOST="kurssit.example.org")

    assert response.context["page"] == other
