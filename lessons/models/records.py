"""Learning records: who is enrolled where and which steps they have done.

Records are never deleted when content changes or a person leaves: pages with
records cannot be deleted (editors unpublish them), and leavers are deactivated.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnrollmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    course = models.ForeignKey(
        "lessons.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=EnrollmentSource.choices,
        default=EnrollmentSource.SELF,
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reopened_at = models.DateTimeField(
        _("reopened at"),
        null=True,
        blank=True,
        help_text=_(
            "When an expired certificate reopened the course: steps done before "
            "then count again only when done again."
        ),
    )
    last_step = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("last step visited"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="lessons_enrollment_one_per_course"
            )
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user} – {self.course}"

    @property
    def is_completed(self):
        return self.completed_at is not None

    def counts(self, completed_at) -> bool:
        """Return whether a step done at this moment counts for this enrolment."""
        return self.reopened_at is None or completed_at >= self.reopened_at


class StepCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="step_completions",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("step"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("step completion")
        verbose_name_plural = _("step completions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page"], name="lessons_stepcompletion_one_per_step"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.page_id}"
