"""Demo quizzes: each demo course ends with the quiz in its folder (quiz.toml).

A quiz's questions are in the TOML itself or, for one course, in a GIFT file kept
next to it. Loading again changes nothing unless the files changed.
"""

import tomllib
from pathlib import Path

from django.utils.text import slugify

from quizzes.editing import questions_as_data
from quizzes.gift import parse_gift
from quizzes.models import QuizPage

SETTINGS = [
    "pass_mark",
    "attempts_allowed",
    "cooldown_minutes",
    "time_limit_minutes",
    "shuffle_questions",
    "shuffle_choices",
    "one_question_per_page",
    "review_policy",
    "show_answers_after_final_fail",
]


def upsert_quiz(course, folder: Path):
    """Create or update the course's demo quiz, placed after its other steps."""
    spec_file = folder / "quiz.toml"
    if not spec_file.exists():
        return None
    spec = tomllib.loads(spec_file.read_text(encoding="utf-8"))
    fields = {name: spec[name] for name in SETTINGS if name in spec}
    fields["intro"] = spec["intro"].strip()
    fields["estimated_minutes"] = spec.get("estimated_minutes", 15)
    questions = _questions(spec, folder)
    slug = slugify(spec["title"])
    quiz = QuizPage.objects.child_of(course).filter(slug=slug).first()
    if quiz is None:
        quiz = QuizPage(slug=slug, title=spec["title"], questions=questions, **fields)
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
        return quiz
    if _changed(quiz, fields, questions):
        for name, value in fields.items():
            setattr(quiz, name, value)
        quiz.questions = questions
        quiz.save_revision().publish()
    return quiz


def _questions(spec, folder):
    if "questions_file" in spec:
        result = parse_gift((folder / spec["questions_file"]).read_text("utf-8"))
        if result.errors:
            raise ValueError(f"{folder.name}: GIFT errors {result.errors}")
        return result.questions
    return [
        {"type": question.pop("type"), "value": question}
        for question in spec["questions"]
    ]


def _changed(quiz, fields, questions) -> bool:
    if any(getattr(quiz, name) != value for name, value in fields.items()):
        return True
    return questions_as_data(quiz) != questions_as_data(QuizPage(questions=questions))


def pass_quiz(user, quiz):
    """Take the quiz and answer every question right (demo progress)."""
    from quizzes.attempts import start_attempt, submit_attempt

    attempt, _created = start_attempt(user=user, quiz=quiz)
    attempt.answers = {q["id"]: _right_answer(q) for q in attempt.questions}
    attempt.save(update_fields=["answers"])
    return submit_attempt(attempt)


def _right_answer(question):
    from quizzes.grading import is_right
    from quizzes.questions import served_choices

    kind = question["kind"]
    if kind == "single_choice":
        return next(c["id"] for c in question["choices"] if c["correct"])
    if kind == "multiple_choice":
        return [c["id"] for c in question["choices"] if is_right(question, c)]
    if kind == "true_false":
        choices = served_choices(question)
        return next(c["id"] for c in choices if c["value"] == question["correct"])
    if kind in ("short_text", "numeric"):
        best = next(a for a in question["answers"] if a["weight"] == 100)
        if kind == "short_text":
            return best["text"]
        return str(best["value"] if best["mode"] != "range" else best["low"])
    if kind == "matching":
        return dict(question["key"])
    return list(question["order"])
