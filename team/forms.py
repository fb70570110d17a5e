"""The forms of the manager's tools: the dashboard's filters and assigning a course."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lessons.models import CoursePage
from people.access import visible_pages
from people.forms import UnitChoiceField
from people.models import OrgUnit, User
from team.overview import Sort, Status, assigned_courses_queryset

STATUS_CHOICES = [
    ("", _("Any status")),
    ("valid", _("Valid")),
    ("expired", _("Expired")),
    ("revoked", _("Revoked")),
]


class CertificateFilterForm(forms.Form):
    """The team certificate register's filters; the units are the viewer's team."""

    unit = UnitChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("Whole team")
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=None, required=False, empty_label=_("All courses")
    )
    issued_from = forms.DateField(
        label=_("Issued from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = forms.DateField(
        label=_("Issued until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_CHOICES, required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(units)
        self.fields["course"].queryset = course_choices()

    def caption_filters(self) -> list[tuple]:
        """Return (label, value) pairs of what the valid form filters by."""
        data = self.cleaned_data
        return [
            (_("Unit"), data["unit"].name if data["unit"] else _("Whole team")),
            (_("Course"), data["course"].title if data["course"] else _("All courses")),
            (_("Issued from"), _short_date(data["issued_from"])),
            (_("Issued until"), _short_date(data["issued_to"])),
            (
                _("Status"),
                dict(STATUS_CHOICES)[data["status"]] if data["status"] else "",
            ),
        ]


def _short_date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def course_choices():
    """Return the courses a manager may pick: every visible one, by title."""
    return visible_pages(CoursePage.objects.all()).order_by("title")


class TeamFilterForm(forms.Form):
    """The dashboard's filters; the unit choices are the viewer's own team."""

    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Whole team"),
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=None,
        required=False,
        empty_label=_("All assigned courses"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(
        label=_("Name, e-mail or employee number"), required=False, max_length=100
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, units, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(units)
        self.fields["course"].queryset = assigned_courses_queryset(members)
        self.fields["status"].choices = [("", _("Any status")), *Status.choices]
        self.fields["sort"].choices = Sort.choices

    def caption_filters(self) -> list[tuple]:
        """Return (label, value) pairs of what the valid form filters by."""
        data = self.cleaned_data
        status = data["status"]
        return [
            (_("Unit"), data["unit"].name if data["unit"] else _("Whole team")),
            (
                _("Course"),
                data["course"].title if data["course"] else _("All assigned courses"),
            ),
            (_("Status"), Status(status).label if status else ""),
            (_("Search"), data["q"].strip()),
        ]


class AssignCourseForm(forms.Form):
    """Assign a course with a due date to a unit of one's team or to chosen people."""

    course = forms.ModelChoiceField(
        label=_("Course"), queryset=None, empty_label=_("Choose a course")
    )
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Choose a unit"),
        help_text=_("Everyone in this unit, now and when they join later."),
    )
    include_subunits = forms.BooleanField(
        label=_("Include the units below it"), required=False, initial=True
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Chosen people"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = course_choices()
        if people is None:
            self.fields["unit"].set_units(units)
            del self.fields["people"]
        else:
            self.fields["people"].queryset = people
            self.fields["people"].required = True
            del self.fields["unit"], self.fields["include_subunits"]

    def clean_due_date(self):
        return _not_in_the_past(self.cleaned_data["due_date"])

    def clean(self):
        cleaned = super().clean()
        if "unit" in self.fields and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the unit to assign the course to."))
        return cleaned


class DueDateForm(forms.Form):
    """Move an assignment's due date."""

    due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_due_date(self):
        return _not_in_the_past(self.cleaned_data["due_date"])


def _not_in_the_past(due_date):
    if due_date < timezone.localdate():
        raise forms.ValidationError(_("The due date cannot be in the past."))
    return due_date
