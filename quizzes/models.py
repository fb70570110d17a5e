"""Quiz pages (a step of a course) and learners' attempts at them."""

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


class ReviewPolicy(models.TextChoices):
    SCORE = "score", _("Score only")
    MARKS = "marks", _("Score and which questions were right")
    FEEDBACK = "feedback", _("Full feedback with explanations")


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

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def get_context(self, request, *args, **kwargs):
        from quizzes.attempts import quiz_standing

        context = super().get_context(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            context["standing"] = quiz_standing(user=request.user, quiz=self)
        return context


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
