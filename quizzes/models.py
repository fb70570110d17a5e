"""Quiz pages (a step of a course) and learners' attempts at them."""

import copy
import random

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from lessons.markdown_fields import (
    MarkdownRendered,
    markdown_widget,
    validate_page_markdown,
)
from lessons.models import CourseStep
from quizzes.blocks import QuestionStreamBlock
from quizzes.grading import is_right
from quizzes.questions import public, snapshot


class ReviewPolicy(models.TextChoices):
    SCORE = "score", _("Score only")
    MARKS = "marks", _("Score and which questions were right")
    FEEDBACK = "feedback", _("Full feedback with explanations")


class PreviewMode(models.TextChoices):
    LEARNER = "", _("As the learner sees it")
    ANSWERS = "answers", _("With the right answers and feedback")


class QuizPage(CourseStep, MarkdownRendered, Page):
    """A step of a course: questions graded on the server; passing completes it."""

    intro = models.TextField(
        _("introduction"), blank=True, validators=[validate_page_markdown]
    )
    intro_html = models.TextField(editable=False, blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    cooldown_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"), default=0
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 means no time limit.")
    )
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle the choices"), default=True)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        default=0,
        help_text=_("Draw this many questions at random from the pool; 0 means all."),
    )
    one_question_per_page = models.BooleanField(
        _("one question per page"), default=False
    )
    review_policy = models.CharField(
        _("after submitting, show"),
        max_length=16,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.FEEDBACK,
    )
    show_answers_after_final_fail = models.BooleanField(
        _("show the right answers after the last failed attempt"), default=False
    )
    questions = StreamField(
        QuestionStreamBlock(), blank=True, verbose_name=_("questions")
    )

    markdown_fields = {"intro": "intro_html"}

    content_panels = Page.content_panels + [
        FieldPanel("intro", widget=markdown_widget()),
        FieldPanel("estimated_minutes"),
        FieldPanel("questions"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("cooldown_minutes"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("draw_count"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("one_question_per_page"),
                FieldPanel("review_policy"),
                FieldPanel("show_answers_after_final_fail"),
            ],
            heading=_("Quiz settings"),
        )
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["lessons.CoursePage", "lessons.ModulePage"]
    subpage_types = []

    preview_modes = PreviewMode.choices

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def get_context(self, request, *args, **kwargs):
        from quizzes.attempts import quiz_standing

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["preview_mode"] = request.preview_mode or PreviewMode.LEARNER
            context["preview_questions"] = self.get_preview_questions()
        else:
            context["standing"] = quiz_standing(user=request.user, quiz=self)
        return context

    def get_preview_questions(self):
        """Return every question as an attempt would serve it, in the quiz's order.

        Nothing is stored. Each question has its number, the served question (right
        answers and feedback included, each choice marked `right`) and what the
        learner is shown of it (`form`), for the two preview modes.
        """
        from quizzes.attempts import FormQuestion

        every_question = copy.copy(self)
        every_question.draw_count = 0
        every_question.shuffle_questions = every_question.shuffle_choices = False
        # A fixed seed: the preview stays the same while the editor reloads it.
        served = snapshot(every_question, rng=random.Random(0))
        return [
            {
                "number": number,
                # What the learner sees is taken before the answers are added.
                "form": FormQuestion(number, public(question), None),
                "question": _with_answers(question),
            }
            for number, question in enumerate(served, start=1)
        ]


def _with_answers(question: dict) -> dict:
    """Add a served question's right answers, as the preview's template reads them."""
    for choice in question.get("choices", ()):
        choice["right"] = "correct" in choice and is_right(question, choice)
    if question["kind"] == "matching":
        texts = {right["id"]: right["text"] for right in question["rights"]}
        matched = set(question["key"].values())
        question["right_pairs"] = [
            (left["text"], texts[question["key"][left["id"]]])
            for left in question["lefts"]
        ]
        question["extra_matches"] = [
            right["text"] for right in question["rights"] if right["id"] not in matched
        ]
    if question["kind"] == "ordering":
        texts = {item["id"]: item["text"] for item in question["items"]}
        question["right_order"] = [texts[item] for item in question["order"]]
    return question


class AttemptState(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class QuizAttempt(models.Model):
    """One try at a quiz, with the questions as they were served (a snapshot)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
    )
    quiz = models.ForeignKey(
        QuizPage,
        verbose_name=_("quiz"),
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    number = models.PositiveIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=AttemptState.choices,
        default=AttemptState.OPEN,
    )
    submitted_late = models.BooleanField(
        _("submitted when the time ran out"), default=False
    )
    questions = models.JSONField(_("questions served"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    flagged = models.JSONField(
        _("questions flagged for review"), default=list, blank=True
    )
    marks = models.JSONField(_("marks per question"), default=dict, blank=True)
    score = models.DecimalField(
        _("score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=8, decimal_places=2, default=0
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="quizzes_attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(state="open"),
                name="quizzes_one_open_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.quiz} #{self.number}"

    @property
    def is_open(self):
        return self.state == AttemptState.OPEN

    @property
    def percent(self):
        if self.score is None or not self.max_score:
            return 0
        return round(100 * self.score / self.max_score)
