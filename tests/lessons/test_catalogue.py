import pytest

from tests.factories import CoursePageFactory
from tests.helpers import translated

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(catalogue):
    lead = CoursePageFactory(
        parent=catalogue,
        title="Hyvän esihenkilön ABC",
        summary="Esihenkilötyön perusteet.",
        audience="prospective_supervisors",
        language="fi",
    )
    lead.topics.add("johtaminen")
    lead.save()
    access = CoursePageFactory(
        parent=catalogue,
        title="Saavutettavuuden perusteet",
        summary="Saavutettava sisältö.",
        description="WCAG ja vaihtoehtoiset tekstit.",
        language="fi",
    )
    access.topics.add("saavutettavuus")
    access.save()
    swedish = CoursePageFactory(
        parent=catalogue, title="Dataskydd i vardagen", summary="GDPR.", language="sv"
    )
    draft = CoursePageFactory(parent=catalogue, title="Luonnos", summary="Ei näy.")
    draft.unpublish()
    return {"lead": lead, "access": access, "swedish": swedish, "draft": draft}


def _titles(response):
    return [course.title for course in response.context["courses"]]


def test_catalogue_lists_live_courses_for_anonymous_visitors(client, courses):
    response = client.get("/")
    assert response.status_code == 200
    assert _titles(response) == [
        "Dataskydd i vardagen",
        "Hyvän esihenkilön ABC",
        "Saavutettavuuden perusteet",
    ]
    html = response.content.decode()
    assert "Esihenkilötyön perusteet." in html
    assert "Luonnos" not in html


def test_filter_by_topic(client, courses):
    assert _titles(client.get("/?topic=johtaminen")) == ["Hyvän esihenkilön ABC"]


def test_filter_by_language(client, courses):
    assert _titles(client.get("/?language=sv")) == ["Dataskydd i vardagen"]


def test_filter_by_audience(client, courses):
    response = client.get("/?audience=prospective_supervisors")
    assert _titles(response) == ["Hyvän esihenkilön ABC"]


def test_search_box_finds_words_from_the_description(client, courses):
    assert _titles(client.get("/?q=WCAG")) == ["Saavutettavuuden perusteet"]


def test_filters_combine(client, courses):
    assert _titles(client.get("/?language=fi&topic=saavutettavuus")) == [
        "Saavutettavuuden perusteet"
    ]
    assert _titles(client.get("/?language=sv&topic=saavutettavuus")) == []


def test_unknown_filter_values_show_everything_with_no_error(client, courses):
    response = client.get("/?language=xx&audience=<script>&topic=nope")
    assert response.status_code == 200
    assert len(_titles(response)) == 3


def test_no_match_shows_a_helpful_empty_state(client, courses):
    response = client.get("/?q=zzzzzz")
    assert _titles(response) == []
    empty = "No course matches these filters. Try fewer filters or another search word."
    assert translated(empty) in response.content.decode()


def test_search_page_finds_courses_and_lessons(client, courses):
    from tests.factories import LessonPageFactory

    LessonPageFactory(
        parent=courses["access"], title="Kontrasti", body="Värikontrasti 4,5:1"
    )
    response = client.get("/search/?q=Värikontrasti")
    assert response.status_code == 200
    assert [page.title for page in response.context["results"]] == ["Kontrasti"]


def test_search_results_say_which_course_and_module_they_are_in(
    client, courses, django_assert_max_num_queries
):
    from tests.factories import LessonPageFactory, ModulePageFactory

    module = ModulePageFactory(parent=courses["access"], title="Näkeminen")
    LessonPageFactory(parent=module, title="Kontrasti", body="Värikontrasti")
    LessonPageFactory(parent=courses["access"], title="Otsikot", body="Värikontrasti")
    html = client.get("/search/?q=Värikontrasti").content.decode()
    course = courses["access"].title
    assert translated("Course: %(course)s") % {"course": course} in html
    assert translated("Module: %(module)s") % {"module": "Näkeminen"} in html
    assert html.count(translated("Module: %(module)s") % {"module": "Näkeminen"}) == 1
    two_results = _search_queries(client)
    for index in range(10):
        LessonPageFactory(parent=module, title=f"Lisää {index}", body="Värikontrasti")
    client.get("/search/?q=Värikontrasti")  # the changed pages' shared entries anew
    with django_assert_max_num_queries(two_results):
        client.get("/search/?q=Värikontrasti")


def _search_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/search/?q=Värikontrasti")
    return len(queries)


def test_search_page_hides_drafts_and_handles_empty_queries(client, courses):
    assert client.get("/search/?q=Luonnos").context["results"].paginator.count == 0
    assert client.get("/search/").status_code == 200
    assert client.get("/search/?q=" + "x" * 5000).status_code == 200
    assert client.get("/search/?q=kurssi&page=999").status_code == 200


def _count_catalogue_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/?language=fi")
    return len(queries)


def test_catalogue_queries_do_not_grow_with_the_number_of_courses(client, catalogue):
    from wagtail_factories import ImageFactory

    def add_courses(count):
        for _ in range(count):
            course = CoursePageFactory(parent=catalogue, cover_image=ImageFactory())
            course.topics.add("aihe", "toinen")
            course.save()

    add_courses(2)
    few = _count_catalogue_queries(client)
    add_courses(20)
    assert _count_catalogue_queries(client) == few


def test_the_unfiltered_form_keeps_no_earlier_search_and_shows_new_topics(
    client, catalogue, courses
):
    searched = client.get(catalogue.url, {"q": "vaihtoehtoiset"}).content.decode()
    assert 'value="vaihtoehtoiset"' in searched
    unfiltered = client.get(catalogue.url).content.decode()
    assert 'value="vaihtoehtoiset"' not in unfiltered
    assert 'value="tekoaly"' not in unfiltered

    courses["swedish"].topics.add("tekoaly")
    courses["swedish"].save_revision().publish()

    assert 'value="tekoaly"' in client.get(catalogue.url).content.decode()
