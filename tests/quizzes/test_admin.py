"""The quiz admin: statistics, GIFT import with a preview, export, the command.

Editors reach these views from the quiz's page header; everyone else is refused.
"""

import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from wagtail.models import GroupPagePermission

from quizzes.attempts import save_answers, start_attempt, submit_attempt
from quizzes.gift import parse_gift
from quizzes.models import AttemptState, QuizAttempt, QuizPage
from tests.factories import CoursePageFactory, QuizPageFactory, UserFactory
from tests.quizzes.conftest import EVERY_KIND
from tests.quizzes.test_attempts import right_answers, wrong_answers

pytestmark = pytest.mark.django_db

TEXTS = [question["value"]["text"] for question in EVERY_KIND]

GIFT = """$CATEGORY: $course$/top/Perehdytys

::Pääkaupunki::Mikä on Suomen pääkaupunki?{=Helsinki ~Tampere}

Etätyöstä sovitaan esihenkilön kanssa.{T}

Tämä kysymys on rikki.{=yksi ~kaksi

::Essee::Kerro itsestäsi.{}
"""
"""Two questions to add, a broken one (line 7) and notes (lines 1 and 9)."""

NEW_TEXTS = ["Mikä on Suomen pääkaupunki?", "Etätyöstä sovitaan esihenkilön kanssa."]
NEW_QUESTIONS = [
    {
        "type": "single_choice",
        "value": {
            "name": "Pääkaupunki",
            "text": NEW_TEXTS[0],
            "points": 1,
            "feedback": "",
            "choices": [
                {"text": "Helsinki", "correct": True, "weight": None, "feedback": ""},
                {"text": "Tampere", "correct": False, "weight": None, "feedback": ""},
            ],
        },
    },
    {
        "type": "true_false",
        "value": {
            "name": "",
            "text": NEW_TEXTS[1],
            "points": 1,
            "feedback": "",
            "correct": True,
            "feedback_true": "",
            "feedback_false": "",
        },
    },
]
GIFT_ERRORS = [(7, "the answer block has no closing brace }")]
GIFT_NOTES = [
    (1, 'category "$course$/top/Perehdytys" kept as a note, not imported'),
    (9, "essay questions are not imported: answers are graded automatically"),
]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def quiz(quiz_course):
    return quiz_course[2]


@pytest.fixture
def other_editor(catalogue):
    """May use the admin and edit another course, but not the quiz's course."""
    group = Group.objects.create(name="Other course editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    elsewhere = CoursePageFactory(parent=catalogue, title="Muu kurssi")
    GroupPagePermission.objects.create(
        group=group,
        page=elsewhere,
        permission=Permission.objects.get(
            codename="change_page", content_type__app_label="wagtailcore"
        ),
    )
    person = UserFactory(email="other.editor@example.org", groups=[group.name])
    person.own_quiz = QuizPageFactory(parent=elsewhere, questions=EVERY_KIND)
    return person


def url(name, quiz):
    return reverse(name, args=[quiz.pk])


def take(user, quiz, answers):
    """Start, answer (as the take form would send) and submit an attempt."""
    attempt, _created = start_attempt(user=user, quiz=quiz)
    data = answers(attempt)
    form = MultiValueDict(
        {
            key: value if isinstance(value, list) else [value]
            for key, value in data.items()
        }
    )
    save_answers(attempt, form, data["shown"])
    return submit_attempt(attempt)


def all_but_ordering(attempt):
    """Right answers to every question except the ordering one (left unanswered)."""
    ordering = next(q["id"] for q in attempt.questions if q["kind"] == "ordering")
    data = right_answers(attempt)
    return {k: v for k, v in data.items() if not k.startswith(f"q.{ordering}")}


def remove_question(quiz, kind):
    """Publish the quiz without its question of this kind."""
    page = quiz.get_latest_revision_as_object()
    page.questions = [
        block for block in page.questions.raw_data if block["type"] != kind
    ]
    page.save_revision().publish()


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def summary(page):
    """The statistics page's key figures as {term: value}."""
    terms = [dt.get_text(strip=True) for dt in page.select("main dl dt")]
    values = [dd.get_text(strip=True) for dd in page.select("main dl dd")]
    return dict(zip(terms, values, strict=True))


def question_rows(page):
    """Each question row: (label, marked weak, answered, full marks, average)."""
    rows = []
    for row in page.select("table.listing tbody tr"):
        heading = row.find("th")
        weak = heading.find("span", string="Weak")
        if weak:
            weak.extract()
        cells = [td.get_text(strip=True) for td in row.find_all("td")]
        rows.append((heading.get_text(strip=True), bool(weak), *cells))
    return rows


def revision_count(quiz):
    return quiz.revisions.count()


def latest_questions(quiz):
    """The questions of the quiz's newest revision, as (kind, text) pairs."""
    page = QuizPage.objects.get(pk=quiz.pk).get_latest_revision_as_object()
    return [(block.block_type, block.value["text"]) for block in page.questions]


def live_texts(quiz):
    return [block.value["text"] for block in QuizPage.objects.get(pk=quiz.pk).questions]


# Statistics


def test_statistics_summarise_attempts_and_questions(
    client, editor, quiz, learner, second_learner
):
    third = UserFactory()
    take(learner, quiz, all_but_ordering)
    take(second_learner, quiz, wrong_answers)
    take(second_learner, quiz, all_but_ordering)
    take(third, quiz, wrong_answers)
    remove_question(quiz, "matching")
    client.force_login(editor)

    response = client.get(url("quizzes_statistics", quiz))

    assert response.status_code == 200
    page = soup(response)
    assert summary(page) == {
        "Submitted attempts": "4",
        "Learners": "3",
        "Pass rate (learners who passed)": "67 %",
        "Average score": "44 %",
    }
    half = ("4", "50 %", "50 %")
    assert question_rows(page) == [
        (TEXTS[0], False, *half),
        (TEXTS[1], False, *half),
        (TEXTS[2], False, *half),
        (TEXTS[3], False, *half),
        (TEXTS[4], False, *half),
        (TEXTS[6], True, "4", "0 %", "0 %"),
        ("A question removed from the quiz", False, *half),
    ]


def test_statistics_of_a_quiz_nobody_has_taken(client, editor, quiz):
    client.force_login(editor)
    page = soup(client.get(url("quizzes_statistics", quiz)))
    assert summary(page) == {}
    assert page.select_one("#no-attempts").get_text().startswith("No attempts yet")
    assert not re.search(r"(?<!\d)0 %", page.select_one("main").get_text())
    assert question_rows(page) == [
        (text, False, "0", "No attempts yet") for text in TEXTS
    ]


def test_statistics_name_a_question_by_its_text_as_plain_text(
    client, editor, quiz, learner
):
    quiz.questions[0].value["name"] = ""
    quiz.questions[0].value["text"] = (
        "Mikä on **saavutettavuus** & [WCAG](https://w3.org)?"
    )
    quiz.save_revision().publish()
    client.force_login(editor)

    page = soup(client.get(url("quizzes_statistics", quiz)))

    assert question_rows(page)[0][0] == "Mikä on saavutettavuus & WCAG?"


def copy_attempt(attempt, count):
    """Add `count` submitted attempts like this one, each by a new learner."""
    QuizAttempt.objects.bulk_create(
        QuizAttempt(
            user=UserFactory(),
            quiz=attempt.quiz,
            number=1,
            state=AttemptState.SUBMITTED,
            submitted_at=attempt.submitted_at,
            questions=attempt.questions,
            answers=attempt.answers,
            marks=attempt.marks,
            score=attempt.score,
            max_score=attempt.max_score,
            passed=attempt.passed,
        )
        for _ in range(count)
    )


def test_statistics_queries_do_not_grow_with_attempts(client, editor, quiz, learner):
    copy_attempt(take(learner, quiz, right_answers), 4)
    client.force_login(editor)
    statistics = url("quizzes_statistics", quiz)
    client.get(statistics)
    with CaptureQueriesContext(connection) as five:
        few = client.get(statistics)
    copy_attempt(QuizAttempt.objects.get(user=learner), 35)
    with CaptureQueriesContext(connection) as forty:
        many = client.get(statistics)
    assert summary(soup(few))["Submitted attempts"] == "5"
    assert summary(soup(many))["Submitted attempts"] == "40"
    assert len(forty) <= len(five)


# GIFT import in the admin


def test_preview_of_an_uploaded_file_saves_nothing(client, editor, quiz):
    client.force_login(editor)
    before = revision_count(quiz), latest_questions(quiz)
    upload = SimpleUploadedFile("kysymykset.gift", GIFT.encode(), "text/plain")

    response = client.post(
        url("quizzes_import_gift", quiz), {"gift_file": upload, "action": "preview"}
    )

    assert response.status_code == 200
    page = soup(response)
    preview = page.select_one("section[aria-labelledby=preview-heading]")
    listed = [li.get_text(" ", strip=True) for li in preview.select("ol li")]
    assert listed == [
        f"Single choice : Pääkaupunki – {NEW_TEXTS[0]}",
        f"True or false : {NEW_TEXTS[1]}",
    ]
    errors = [
        tuple(td.get_text(strip=True) for td in row.find_all("td"))
        for row in preview.select("table tbody tr")
    ]
    assert errors == [("7", "the answer block has no closing brace }")]
    notes = [li.get_text(strip=True) for li in preview.select("ul li")]
    assert notes == [
        'Line 1: category "$course$/top/Perehdytys" kept as a note, not imported',
        "Line 9: essay questions are not imported: answers are graded automatically",
    ]
    assert page.select_one("textarea[name=gift_text]").get_text() == f"\n{GIFT}"
    assert page.select_one("button[value=import]")
    assert (revision_count(quiz), latest_questions(quiz)) == before


def test_the_preview_names_kinds_and_counts_in_finnish(client, editor, quiz):
    client.force_login(editor)
    with translation.override("fi"):
        response = client.post(
            url("quizzes_import_gift", quiz),
            {"gift_text": GIFT, "action": "preview"},
            HTTP_ACCEPT_LANGUAGE="fi",
        )
    preview = soup(response).select_one("section[aria-labelledby=preview-heading]")
    kinds = [li.find("strong").get_text() for li in preview.select("ol li")]
    assert kinds == ["Monivalinta (yksi oikea)", "Tosi vai epätosi"]
    assert preview.find("h3").get_text() == "1 kysymys jäi lukematta"


def test_import_adds_the_questions_to_a_new_draft(client, editor, quiz):
    client.force_login(editor)
    old = latest_questions(quiz)
    revisions = revision_count(quiz)

    response = client.post(
        url("quizzes_import_gift", quiz), {"gift_text": GIFT, "action": "import"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[quiz.pk])
    assert revision_count(quiz) == revisions + 1
    assert latest_questions(quiz) == [
        *old,
        ("single_choice", NEW_TEXTS[0]),
        ("true_false", NEW_TEXTS[1]),
    ]
    assert live_texts(quiz) == TEXTS
    assert QuizPage.objects.get(pk=quiz.pk).has_unpublished_changes


def test_pasted_text_is_previewed_like_a_file(client, editor, quiz):
    client.force_login(editor)
    response = client.post(
        url("quizzes_import_gift", quiz), {"gift_text": GIFT, "action": "preview"}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.questions, result.errors, result.notes) == (
        NEW_QUESTIONS,
        GIFT_ERRORS,
        GIFT_NOTES,
    )
    assert "2 questions can be added" in response.content.decode()


NOT_UTF_8 = "The file is not UTF-8 text. Save it as UTF-8 and try again."
NOTHING = "Choose a GIFT file or paste GIFT text."


def latin1_upload():
    return {"gift_file": SimpleUploadedFile("latin1.gift", "Mikä?{T}".encode("cp1252"))}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (latin1_upload, NOT_UTF_8),
        (dict, NOTHING),
        (lambda: {"gift_text": "  \n "}, NOTHING),
        (lambda: {"gift_file": SimpleUploadedFile("empty.gift", b"")}, NOTHING),
    ],
    ids=["not-utf-8", "nothing", "blank-text", "empty-file"],
)
@pytest.mark.parametrize("action", ["preview", "import"])
def test_bad_input_gives_a_form_error(client, editor, quiz, data, message, action):
    client.force_login(editor)
    revisions = revision_count(quiz)
    form = {**data(), "action": action}
    response = client.post(url("quizzes_import_gift", quiz), form)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert message in response.content.decode()
    assert response.context["result"] is None
    assert revision_count(quiz) == revisions


TOO_LONG = "::" + "n" * 201 + "::Kelpaako liian pitkä nimi?{T}\n"
"""Reads as GIFT, but the quiz's question blocks allow names of 200 characters."""


def test_questions_the_quiz_cannot_hold_are_refused(client, editor, quiz):
    client.force_login(editor)
    revisions = revision_count(quiz)
    response = client.post(
        url("quizzes_import_gift", quiz),
        {"gift_text": GIFT + "\n" + TOO_LONG, "action": "import"},
    )
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("The questions could not be added: 3. ")
    assert "at most 200 characters" in error
    assert revision_count(quiz) == revisions


def test_the_preview_already_names_questions_the_quiz_cannot_hold(client, editor, quiz):
    client.force_login(editor)
    revisions = revision_count(quiz)
    response = client.post(
        url("quizzes_import_gift", quiz),
        {"gift_text": GIFT + "\n" + TOO_LONG, "action": "preview"},
    )
    assert response.status_code == 200
    error = response.context["problem"]
    assert error.startswith("The questions could not be added: 3. ")
    assert error in response.content.decode()
    assert revision_count(quiz) == revisions


def test_the_import_page_shows_an_empty_form(client, editor, quiz):
    client.force_login(editor)
    response = client.get(url("quizzes_import_gift", quiz))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("input[type=file][name=gift_file]")
    assert not page.select_one("button[value=import]")


@pytest.mark.parametrize(
    ("who", "sent_to"),
    [
        ("other_editor", "/admin/"),
        ("learner", "/accounts/login/"),
        ("anonymous", "/accounts/login/"),
    ],
)
def test_others_are_refused(client, request, quiz, who, sent_to):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    revisions = revision_count(quiz)
    for response in (
        client.get(url("quizzes_statistics", quiz)),
        client.get(url("quizzes_import_gift", quiz)),
        client.post(
            url("quizzes_import_gift", quiz), {"gift_text": GIFT, "action": "import"}
        ),
        client.get(url("quizzes_export_gift", quiz)),
    ):
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == sent_to
        assert "Content-Disposition" not in response
    assert revision_count(quiz) == revisions
    assert latest_questions(quiz) == [
        (question["type"], question["value"]["text"]) for question in EVERY_KIND
    ]


def test_the_other_editor_may_use_the_views_on_their_own_quiz(client, other_editor):
    client.force_login(other_editor)
    own = other_editor.own_quiz
    assert client.get(url("quizzes_statistics", own)).status_code == 200
    assert client.get(url("quizzes_import_gift", own)).status_code == 200
    assert client.get(url("quizzes_export_gift", own)).status_code == 200


# Export


def as_gift_keeps(question):
    """The question as GIFT can hold it: 1 point, right choices with their share."""
    value = {**question["value"], "points": 1}
    if question["type"] == "multiple_choice":
        right = sum(1 for choice in value["choices"] if choice["correct"])
        value["choices"] = [
            {**choice, "weight": 100 // right} if choice["correct"] else choice
            for choice in value["choices"]
        ]
    return {"type": question["type"], "value": value}


def test_export_parses_back_to_the_same_questions(client, editor, quiz):
    client.force_login(editor)
    response = client.get(url("quizzes_export_gift", quiz))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="quiz-{quiz.pk}.gift"'
    )
    text = response.content.decode()
    assert f'// Question "{TEXTS[6]}" (Ordering) cannot be written in GIFT' in text
    result = parse_gift(text)
    assert (result.errors, result.notes) == ([], [])
    assert result.questions == [
        as_gift_keeps(question)
        for question in EVERY_KIND
        if question["type"] != "ordering"
    ]


# The import_gift command


@pytest.fixture
def gift_file(tmp_path):
    path = tmp_path / "kysymykset.gift"
    path.write_text(GIFT, encoding="utf-8")
    return str(path)


def run_import(quiz_id, *args):
    out = StringIO()
    call_command("import_gift", str(quiz_id), *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_reports_and_changes_nothing(quiz, gift_file):
    revisions = revision_count(quiz)
    output = run_import(quiz.pk, gift_file, "--dry-run")
    assert output == (
        "line 7: not imported: the answer block has no closing brace }\n"
        'line 1: note: category "$course$/top/Perehdytys" kept as a note, '
        "not imported\n"
        "line 9: note: essay questions are not imported: answers are graded "
        "automatically\n"
        "Would add 2 questions; 1 could not be read.\n"
    )
    assert revision_count(quiz) == revisions
    assert [text for _kind, text in latest_questions(quiz)] == TEXTS


def test_command_adds_a_draft_revision(quiz, gift_file):
    revisions = revision_count(quiz)
    output = run_import(quiz.pk, gift_file)
    assert output.endswith("Added 2 questions to a draft; 1 could not be read.\n")
    assert revision_count(quiz) == revisions + 1
    assert [text for _kind, text in latest_questions(quiz)] == TEXTS + NEW_TEXTS
    assert live_texts(quiz) == TEXTS


def test_command_publishes_when_asked(quiz, gift_file):
    output = run_import(quiz.pk, gift_file, "--publish")
    assert output.endswith("Added 2 questions (published); 1 could not be read.\n")
    live = QuizPage.objects.get(pk=quiz.pk)
    assert live_texts(quiz) == TEXTS + NEW_TEXTS
    assert live.live and not live.has_unpublished_changes


def test_command_refuses_unknown_pages_bad_files_and_bad_questions(
    quiz_course, tmp_path, gift_file
):
    _course, lesson, quiz = quiz_course
    revisions = revision_count(quiz)
    latin1 = tmp_path / "latin1.gift"
    latin1.write_bytes("Mikä?{T}".encode("latin-1"))
    too_long = tmp_path / "too-long.gift"
    too_long.write_text(TOO_LONG, encoding="utf-8")
    for args in (
        (999_999, gift_file),
        (quiz.pk, str(too_long), "--publish"),
        (quiz.pk, str(too_long), "--dry-run"),
        (lesson.pk, gift_file),
        (quiz.pk, str(tmp_path / "missing.gift")),
        (quiz.pk, str(latin1)),
    ):
        with pytest.raises(CommandError):
            run_import(*args)
    assert revision_count(quiz) == revisions
    assert live_texts(quiz) == TEXTS


# Admin pages


TOOLS = ("quizzes_statistics", "quizzes_import_gift", "quizzes_export_gift")


def test_the_quiz_edit_page_links_to_the_quiz_tools(client, editor, quiz_course):
    course, lesson, quiz = quiz_course
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))
    assert response.status_code == 200
    header = str(soup(response).select_one("header"))
    for name in TOOLS:
        assert f'href="{url(name, quiz)}"' in header
    listing = client.get(reverse("wagtailadmin_explore", args=[course.pk]))
    assert listing.status_code == 200
    for name in TOOLS:
        assert f'href="{url(name, quiz)}"' in listing.content.decode()
    lesson_page = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert "/admin/quizzes/" not in lesson_page.content.decode()


def test_a_quiz_with_attempts_cannot_be_deleted(client, superuser, quiz, learner):
    """Refused even for a superuser, who may delete a quiz nobody has taken."""
    start_attempt(user=learner, quiz=quiz)
    untaken = QuizPageFactory(parent=quiz.get_parent(), questions=EVERY_KIND)
    client.force_login(superuser)

    response = client.post(reverse("wagtailadmin_pages:delete", args=[quiz.pk]))

    assert response.status_code == 302
    explore = reverse("wagtailadmin_explore", args=[quiz.get_parent().pk])
    assert response["Location"] == explore
    assert QuizPage.objects.filter(pk=quiz.pk).exists()
    client.post(reverse("wagtailadmin_pages:delete", args=[untaken.pk]))
    assert not QuizPage.objects.filter(pk=untaken.pk).exists()
