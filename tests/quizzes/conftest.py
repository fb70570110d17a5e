"""A course whose last step is a quiz with one question of every kind."""

import pytest

from tests.factories import CoursePageFactory, LessonPageFactory, QuizPageFactory


def choice(text, correct=False, weight=None, feedback=""):
    return {"text": text, "correct": correct, "weight": weight, "feedback": feedback}


def question(kind, text, points=1, feedback="", **value):
    return {
        "type": kind,
        "value": {"name": "", "text": text, "points": points, "feedback": feedback}
        | value,
    }


EVERY_KIND = [
    question(
        "single_choice",
        "Mikä kontrastisuhde vaaditaan leipätekstille?",
        feedback="WCAG 2.1 AA: 4,5:1.",
        choices=[
            choice("3:1", feedback="Tämä riittää suurelle tekstille."),
            choice("4,5:1", correct=True, feedback="Oikein."),
            choice("7:1", feedback="Tämä on AAA-taso."),
        ],
    ),
    question(
        "multiple_choice",
        "Mitkä auttavat ruudunlukijan käyttäjää?",
        points=2,
        scoring="partial",
        choices=[
            choice("Otsikkotasot", correct=True),
            choice("Kuvien tekstivastineet", correct=True),
            choice("Vilkkuva teksti"),
        ],
    ),
    question(
        "true_false",
        "Saavutettavuus koskee vain näkövammaisia.",
        correct=False,
        feedback_true="Ei koske vain heitä.",
        feedback_false="Oikein: se koskee kaikkia.",
    ),
    question(
        "short_text",
        "Millä lyhenteellä verkkosisällön saavutettavuusohjeet tunnetaan?",
        case_sensitive=False,
        answers=[{"text": "WCAG", "weight": 100, "feedback": "Kyllä."}],
    ),
    question(
        "numeric",
        "Montako periaatetta WCAG:ssa on?",
        answers=[
            {
                "mode": "tolerance",
                "value": 4,
                "tolerance": 0.5,
                "low": None,
                "high": None,
                "weight": 100,
                "feedback": "",
            }
        ],
    ),
    question(
        "matching",
        "Yhdistä periaate ja esimerkki.",
        pairs=[
            {"left": "Havaittava", "right": "Tekstivastine"},
            {"left": "Hallittava", "right": "Näppäimistö"},
        ],
        distractors=["Vilkkuminen"],
    ),
    question(
        "ordering",
        "Järjestä julkaisun vaiheet.",
        items=["Kirjoita", "Tarkista", "Julkaise"],
    ),
]


@pytest.fixture
def quiz_course(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Saavutettavuus")
    lesson = LessonPageFactory(parent=course, title="Periaatteet")
    quiz = QuizPageFactory(parent=course, title="Loppukoe", questions=EVERY_KIND)
    return course, lesson, quiz
