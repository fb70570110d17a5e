"""The completion page: where finishing a course's last step (or quiz) leads."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from certificates.issuing import issue_certificate
from certificates.models import CertificateTemplate
from lessons import progress
from lessons.models import Enrollment
from tests.factories import CoursePageFactory, LessonPageFactory, QuizPageFactory
from tests.quizzes.conftest import EVERY_KIND
from tests.quizzes.test_attempts import right_answers, save, start, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Tietoturva arjessa")
    lessons = [LessonPageFactory(parent=course) for _number in range(2)]
    return course, lessons


@pytest.fixture
def quiz_course(catalogue):
    """A course whose last step is a quiz."""
    course = CoursePageFactory(parent=catalogue, title="Saavutettavuus")
    lesson = LessonPageFactory(parent=course)
    quiz = QuizPageFactory(parent=course, title="Loppukoe", questions=EVERY_KIND)
    return course, lesson, quiz


def _completed_url(course):
    return reverse("lessons:course_completed", args=[course.pk])


def _mark_done(client, step):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("lessons:complete_step", args=[step.pk]))


def _finish(person, course, lessons):
    for lesson in lessons:
        progress.complete_step(user=person, step=lesson, course=course)


def test_marking_the_last_lesson_done_leads_to_the_completion_page(
    client, learner, course
):
    course_page, lessons = course
    client.force_login(learner)
    first = _mark_done(client, lessons[0])
    last = _mark_done(client, lessons[1])
    assert first.url == lessons[1].url
    assert last.url == _completed_url(course_page)


def test_marking_a_lesson_done_again_after_completion_goes_on_as_before(
    client, learner, course
):
    course_page, lessons = course
    _finish(learner, course_page, lessons)
    client.force_login(learner)
    assert _mark_done(client, lessons[1]).url == course_page.url


def test_the_page_shows_the_course_and_the_completion_date(client, learner, course):
    course_page, lessons = course
    _finish(learner, course_page, lessons)
    completed_at = Enrollment.objects.get(user=learner).completed_at
    client.force_login(learner)
    response = client.get(_completed_url(course_page))
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert "You have completed the course Tietoturva arjessa" in html.h1.text
    facts = [
        dd.get_text(" ", strip=True) for dd in html.select(".completion__facts dd")
    ]
    local_date = timezone.localtime(completed_at).strftime("%-d.%-m.%Y")
    assert facts == ["Tietoturva arjessa", local_date]
    assert html.select_one(".completion__facts a")["href"] == course_page.url
    assert "no-cache" in response["Cache-Control"]


def test_a_course_not_completed_sends_the_learner_to_the_course_page(
    client, learner, course
):
    course_page, lessons = course
    progress.complete_step(user=learner, step=lessons[0], course=course_page)
    client.force_login(learner)
    response = client.get(_completed_url(course_page))
    assert response.status_code == 302
    assert response.url == course_page.url


def test_another_learner_sees_only_their_own_state(
    client, learner, second_learner, course
):
    course_page, lessons = course
    _finish(learner, course_page, lessons)
    client.force_login(second_learner)
    response = client.get(_completed_url(course_page))
    assert response.status_code == 302
    assert response.url == course_page.url


def test_anonymous_visitors_are_sent_to_log_in(client, learner, course):
    course_page, lessons = course
    _finish(learner, course_page, lessons)
    response = client.get(_completed_url(course_page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_course_that_is_not_visible_is_404(client, learner, course):
    course_page, lessons = course
    _finish(learner, course_page, lessons)
    course_page.unpublish()
    client.force_login(learner)
    assert client.get(_completed_url(course_page)).status_code == 404


def test_passing_the_last_quiz_leads_to_the_completion_page(
    client, learner, quiz_course
):
    course_page, lesson, quiz = quiz_course
    progress.complete_step(user=learner, step=lesson)
    client.force_login(learner)
    attempt = start(client, quiz)
    save(client, attempt, right_answers(attempt))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = submit(client, attempt)
    assert response["Location"] == _completed_url(course_page)
    assert client.get(response["Location"]).status_code == 200


def test_passing_a_quiz_again_after_completion_shows_its_result(
    client, learner, quiz_course
):
    course_page, lesson, quiz = quiz_course
    progress.complete_step(user=learner, step=lesson)
    progress.complete_step(user=learner, step=quiz)
    client.force_login(learner)
    attempt = start(client, quiz)
    save(client, attempt, right_answers(attempt))
    response = submit(client, attempt)
    assert response["Location"] == reverse("quizzes:result", args=[attempt.pk])


# The certificates app's section (registered through lessons/registry.py).


@pytest.fixture
def certified(catalogue, learner):
    """A course that gives a certificate, completed by the learner (no PDF yet)."""
    template = CertificateTemplate.objects.create(
        name="Perus", title_fi="Todistus", body_fi="{name} suoritti kurssin {course}."
    )
    course = CoursePageFactory(
        parent=catalogue, title="Tietosuoja", certificate_template=template
    )
    lesson = LessonPageFactory(parent=course)
    progress.complete_step(user=learner, step=lesson, course=course)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    return course, issue_certificate(enrollment)


def _completion_page(client, person, course):
    client.force_login(person)
    response = client.get(_completed_url(course))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_ready_certificate_offers_download_verification_and_share_link(
    client, learner, certified, settings
):
    settings.SITE_URL = "https://oppiminen.example.org"
    course, certificate = certified
    certificate.pdf.save("ready.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    html = _completion_page(client, learner, course)
    section = html.select_one("[data-certificate-section]")
    verify_path = reverse("certificates:verify", args=[certificate.code])
    assert not section.has_attr("data-preparing")
    assert section.select_one("[role=status]").text == "Your certificate is ready."
    links = [a["href"] for a in section.select("a")]
    assert reverse("certificates:download", args=[certificate.pk]) in links
    assert verify_path in links
    share = section.select_one("input[data-copy-source]")
    assert share["value"] == f"https://oppiminen.example.org{verify_path}"
    assert html.find("noscript") is None
    certificate.pdf.delete(save=False)


def test_a_certificate_being_rendered_is_announced_and_the_page_refreshes(
    client, learner, certified
):
    course, certificate = certified
    html = _completion_page(client, learner, course)
    section = html.select_one("[data-certificate-section]")
    assert section.has_attr("data-preparing")
    status = section.select_one("[role=status]").text
    assert status.startswith("Your certificate is being prepared.")
    assert not section.select("a[href$='/download/']")
    assert 'http-equiv="refresh"' in str(html.head.find("noscript"))
    scripts = [script["src"] for script in html.select("script[src]")]
    assert any(src.endswith("certificates/preparing.js") for src in scripts)


def test_without_site_url_the_share_link_is_the_served_address(
    client, learner, certified, settings
):
    settings.SITE_URL = ""
    course, certificate = certified
    certificate.pdf.save("ready.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    html = _completion_page(client, learner, course)
    share = html.select_one("input[data-copy-source]")
    verify_path = reverse("certificates:verify", args=[certificate.code])
    assert share["value"] == f"http://testserver{verify_path}"
    certificate.pdf.delete(save=False)


def test_a_course_without_a_certificate_shows_no_certificate_section(
    client, learner, course
):
    course_page, lessons = course
    _finish(learner, course_page, lessons)
    html = _completion_page(client, learner, course_page)
    assert html.select_one("[data-certificate-section]") is None
