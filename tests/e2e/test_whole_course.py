"""A learner walks a whole Swedish course on a phone and on a desktop.

Every page fits the screen's width, every interactive block speaks only Swedish
(before and after Check), and the walk ends on the completion page with the
certificate ready to download and share.
"""

import pytest

from certificates.models import CertificateTemplate
from tests.e2e.conftest import log_in
from tests.e2e.test_interactive_finish import SCRIPT_BUTTONS, TITLED_BLOCKS, _in
from tests.factories import CoursePageFactory, LessonPageFactory
from tests.helpers import translated

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCROLLS = "() => document.documentElement.scrollWidth > window.innerWidth"
BLOCK_BUTTONS = ".interactive button"


@pytest.fixture
def swedish_course(catalogue):
    course = CoursePageFactory(
        parent=catalogue,
        title="Grunderna i tillgänglighet",
        language="sv",
        certificate_template=CertificateTemplate.objects.create(
            name="Intyg",
            title_fi="Todistus",
            body_fi="{name}: {course}",
            title_sv="Intyg",
            body_sv="{name} har genomgått kursen {course}.",
        ),
    )
    LessonPageFactory(parent=course, title="Början", body="Välkommen till kursen.")
    LessonPageFactory(parent=course, title="Övningar", body=TITLED_BLOCKS)
    return course


def _not_swedish(page):
    """Button texts in the blocks that are one of the script's English or Finnish
    labels rather than its Swedish ones."""
    foreign = {
        _in(language, label) for label in SCRIPT_BUTTONS for language in ("en", "fi")
    } - {_in("sv", label) for label in SCRIPT_BUTTONS}
    return [
        text
        for text in page.locator(BLOCK_BUTTONS).all_inner_texts()
        if text in foreign
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_learner_walks_a_swedish_course_to_its_certificate(
    live_server, browser, swedish_course, learner, width
):
    learner.preferred_language = "sv"
    learner.save()
    context = browser.new_context(
        locale="sv-SE", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, learner.email, swedish_course.url)
    assert not page.evaluate(SCROLLS), "course page"
    page.click("form[action*='/enrol/'] button")
    for _lesson in range(2):
        page.wait_for_selector("form[action*='/complete/'] button")
        assert not page.evaluate(SCROLLS), page.url
        assert _not_swedish(page) == []
        for check in page.get_by_role("button", name=_in("sv", "Check")).all():
            check.click()
        assert _not_swedish(page) == [], "after Check"
        assert not page.evaluate(SCROLLS), page.url
        page.click("form[action*='/complete/'] button")
    page.wait_for_url(f"**/courses/{swedish_course.pk}/completed/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert not page.evaluate(SCROLLS), "completion page"
    section = page.locator("[data-certificate-section]")
    assert translated("Your certificate is ready.", "sv") in section.inner_text()
    download = section.locator("a[href$='/download/']")
    assert download.count() == 1
    with page.expect_download() as pdf:
        download.click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    context.close()
