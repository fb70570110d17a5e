"""What the manager's tools keep: course assignments and the reminders sent."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import OrgUnit


class CourseAssignment(models.Model):
    """A course given to a unit (with or without its subunits) or to chosen people.

    Assigning enrols the people with the due date; people who join a unit later are
    enrolled too (see team/assignments.py).
    """

    course = models.ForeignKey(
        "lessons.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    include_subunits = models.BooleanField(_("include subunits"), default=True)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people"),
        blank=True,
        related_name="course_assignments",
    )
    due_date = models.DateField(_("due date"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    due_date_changed_at = models.DateTimeField(
        _("due date changed at"), null=True, blank=True
    )
    due_date_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("due date changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course} – {self.org_unit or _('chosen people')}"

    def get_absolute_url(self):
        return reverse("team:assignment", args=[self.pk])

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None


class ReminderLog(models.Model):
    """One e-mail sent; the unique key makes every reminder go out once."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return self.key
