from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from people.models import OrgUnit, User

EXTRA_FIELDS = ["employee_number", "preferred_language"]


class _ExtraFieldsMixin:
    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data.get("email"))
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("A user with this e-mail address already exists.")
            )
        return email

    def clean_employee_number(self):
        return (self.cleaned_data.get("employee_number") or "").strip() or None


class PersonCreationForm(_ExtraFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(EXTRA_FIELDS)


class PersonEditForm(_ExtraFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(EXTRA_FIELDS)


class LoginForm(AuthenticationForm):
    """Log in with an e-mail address; errors never tell whether the account exists."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is wrong. Check both and try again."
        ),
    }


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("HR export (CSV)"),
        help_text=_("UTF-8, columns separated by ; or ,"),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: show what would change, save nothing"),
        required=False,
        initial=True,
    )
    full = forms.BooleanField(
        label=_("Full import: deactivate people missing from the file"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large (over 20 MB)."))
        return upload


MAX_IMPORT_BYTES = 20 * 1024 * 1024


INDENT = "\u2014 "


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth."""

    base_depth = 1

    def label_from_instance(self, unit):
        return INDENT * (unit.depth - self.base_depth) + unit.name

    def set_units(self, units):
        self.queryset = units.order_by("path")
        self.base_depth = units.aggregate(top=Min("depth"))["top"] or 1


def course_choices():
    from lessons.models import CoursePage
    from people.access import visible_pages

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

    def __init__(self, *args, units, **kwargs):
        from people.team import Sort, Status

        super().__init__(*args, **kwargs)
        self.fields["unit"].set_units(units)
        self.fields["course"].queryset = course_choices()
        self.fields["status"].choices = [("", _("Any status")), *Status.choices]
        self.fields["sort"].choices = Sort.choices


class AssignCourseForm(forms.Form):
    """Assign a course with a due date to a unit of one's team or to chosen people."""

    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
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
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date

    def clean(self):
        cleaned = super().clean()
        if "unit" in self.fields and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the unit to assign the course to."))
        return cleaned
