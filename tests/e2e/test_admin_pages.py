"""An editor's admin pages: no sideways scroll, no WCAG violations, retries, slugs."""

import pytest
from playwright.sync_api import expect

from certificates.models import CertificateTemplate
from lessons.models import CoursePage
from tests.e2e.conftest import log_in, run_axe
from tests.factories import QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND, question

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_URL = "https://example.org/" + "saavutettavuus" * 20
PAGE_WIDTH = """() => [
    document.documentElement.scrollWidth, document.documentElement.clientWidth
]"""
SIDEWAYS_SCROLL = """() => document.documentElement.scrollLeft
    + document.getElementById("main").scrollLeft"""
# Visible parts of the form reaching past the content area (Wagtail's closed side
# panel and minimap wait off-screen by design and are not the form).
BEYOND_MAIN = """() => {
    const right = document.getElementById("main").getBoundingClientRect().right;
    return [...document.querySelectorAll("main form *")]
        .filter((element) => !element.closest(".w-minimap, .form-side"))
        .filter((element) => getComputedStyle(element).visibility === "visible")
        .filter((element) => element.getBoundingClientRect().width > 0)
        .filter((element) => element.getBoundingClientRect().right > right + 1)
        .map((element) => element.outerHTML.slice(0, 120));
}"""
FOCUS_EACH_FIELD = """() => {
    const main = document.getElementById("main");
    const shifted = [];
    for (const field of main.querySelectorAll("input, textarea, select, button")) {
        field.focus();
        if (document.documentElement.scrollLeft || main.scrollLeft) {
            shifted.push(field.name || field.id || field.className);
            main.scrollLeft = 0;
            document.documentElement.scrollLeft = 0;
        }
    }
    return shifted;
}"""


@pytest.fixture
def big_quiz(demo_course):
    """A quiz with several questions of each kind, one of them a long unbroken URL."""
    course, _steps = demo_course
    long_one = question("true_false", f"Onko tämä osoite oikein? {LONG_URL}")
    long_one["value"] |= {"correct": True, "feedback_true": LONG_URL}
    return QuizPageFactory(
        parent=course,
        title="Loppukoe",
        intro=f"| Osoite | Kuvaus |\n|---|---|\n| {LONG_URL} | Pitkä |",
        questions=[*EVERY_KIND, *EVERY_KIND, long_one],
    )


@pytest.fixture
def certificate_template(db):
    return CertificateTemplate.objects.create(
        name="Perus",
        title_fi="Todistus",
        body_fi="{name} on suorittanut kurssin {course} {date}.",
        signer_name="Kaisa Koulutus",
        signer_title="Koulutuspäällikkö",
    )


@pytest.fixture
def editor_pages(demo_course, big_quiz, certificate_template):
    """Every admin page an editor of ours works on, by name."""
    course, (_intro, lesson, _second) = demo_course
    module, catalogue = lesson.get_parent(), course.get_parent()
    snippets = "/admin/snippets/certificates/certificatetemplate/"
    return {
        "course add": f"/admin/pages/add/lessons/coursepage/{catalogue.pk}/",
        "module add": f"/admin/pages/add/lessons/modulepage/{course.pk}/",
        "lesson add": f"/admin/pages/add/lessons/lessonpage/{module.pk}/",
        "quiz add": f"/admin/pages/add/quizzes/quizpage/{module.pk}/",
        "catalogue edit": f"/admin/pages/{catalogue.pk}/edit/",
        "course edit": f"/admin/pages/{course.pk}/edit/",
        "module edit": f"/admin/pages/{module.pk}/edit/",
        "lesson edit": f"/admin/pages/{lesson.pk}/edit/",
        "quiz edit": f"/admin/pages/{big_quiz.pk}/edit/",
        "course explorer": f"/admin/pages/{course.pk}/",
        "GIFT import": f"/admin/quizzes/{big_quiz.pk}/import-gift/",
        "quiz statistics": f"/admin/quizzes/{big_quiz.pk}/statistics/",
        "certificate templates": snippets,
        "certificate template add": f"{snippets}add/",
        "certificate template edit": f"{snippets}edit/{certificate_template.pk}/",
    }


def _open(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")


def _publish(page):
    page.locator(".w-dropdown-button button[data-w-dropdown-target=toggle]").click()
    page.locator("button[name=action-publish]").click()


def _open_preview_panel(page):
    """Open the preview panel and wait for its preview to replace the placeholder.

    Wagtail loads the preview in a second iframe and swaps it in on load, so for a
    moment the panel holds two.
    """
    page.locator("button[data-side-panel-toggle=preview]").click()
    loaded = "[data-side-panel=preview] iframe[src]:not(.w-preview__proxy)"
    page.locator(loaded).wait_for()
    page.wait_for_function("!document.querySelector('iframe.w-preview__proxy')")
    page.wait_for_load_state("networkidle")


def test_no_admin_page_of_ours_scrolls_sideways(
    live_server, page, editor_pages, course_editor
):
    log_in(page, live_server, course_editor.email, "/admin/")
    too_wide = {}
    for name, url in editor_pages.items():
        _open(page, live_server.url + url)
        width, room = page.evaluate(PAGE_WIDTH)
        if width > room or page.evaluate(BEYOND_MAIN):
            too_wide[name] = (width, room, page.evaluate(BEYOND_MAIN)[:3])
    assert too_wide == {}


def test_quiz_form_stays_put_when_each_field_is_focused(
    live_server, page, editor_pages, course_editor
):
    log_in(page, live_server, course_editor.email, "/admin/")
    _open(page, live_server.url + editor_pages["quiz edit"])
    assert page.evaluate(FOCUS_EACH_FIELD) == []
    _open_preview_panel(page)
    width, room = page.evaluate(PAGE_WIDTH)
    assert width <= room
    assert page.evaluate(FOCUS_EACH_FIELD) == []
    assert page.evaluate(SIDEWAYS_SCROLL) == 0


def test_editors_admin_pages_have_no_wcag_violations(
    live_server, audit_page, editor_pages, course_editor
):
    audit_page.set_viewport_size({"width": 1280, "height": 900})
    log_in(audit_page, live_server, course_editor.email, "/admin/")
    found = {}
    for name, url in editor_pages.items():
        _open(audit_page, live_server.url + url)
        if violations := run_axe(audit_page):
            found[name] = violations
    assert found == {}


def test_a_failed_create_can_be_fixed_and_published(
    live_server, page, catalogue, course_editor
):
    """The first submit misses the summary; the second, with it, publishes."""
    log_in(page, live_server, course_editor.email, "/admin/")
    page.route("**/admin/pages/add/**", _slow_json_saves(page))
    _open(page, f"{live_server.url}/admin/pages/add/lessons/coursepage/{catalogue.pk}/")
    page.wait_for_timeout(2500)  # past the moment the form starts watching edits
    page.locator("#id_title").press_sequentially("Uusi kurssi")
    page.wait_for_timeout(1000)  # long enough for an autosave to set off
    _publish(page)
    page.locator(".w-field__errors .error-message").first.wait_for()
    page.fill("#id_summary", "Kurssi kaikille.")
    _publish(page)
    page.wait_for_url(f"**/admin/pages/{catalogue.pk}/")

    course = CoursePage.objects.get()
    assert (course.title, course.slug, course.live) == (
        "Uusi kurssi",
        "uusi-kurssi",
        True,
    )
    page.unroute_all(behavior="ignoreErrors")


def _slow_json_saves(page):
    """Hold background (JSON) saves back for a while, as a busy server would."""

    def handle(route):
        if route.request.headers.get("accept") != "application/json":
            route.continue_()
            return
        response = route.fetch()
        page.wait_for_timeout(1500)
        route.fulfill(response=response)

    return handle


@pytest.mark.parametrize(
    ("title", "slug"), [("Ensimmäinen osio", "ensimmainen-osio"), ("Åbo", "abo")]
)
def test_slug_field_transliterates_the_title(
    live_server, page, demo_course, course_editor, title, slug
):
    course, _steps = demo_course
    log_in(page, live_server, course_editor.email, "/admin/")
    _open(page, f"{live_server.url}/admin/pages/add/lessons/modulepage/{course.pk}/")
    page.locator("#id_title").press_sequentially(title)
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value(slug)
