from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Min
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.users.forms import UserCreationForm, UserEditForm

from people import signin
from people.models import User

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


class _LoginAddressField(forms.EmailField):
    """An e-mail address spelled by the sign-in rule before it is validated."""

    def to_python(self, value):
        return signin.normalise_username(super().to_python(value))


class LoginForm(AuthenticationForm):
    """Log in with an e-mail address; errors never tell whether the account exists."""

    username = _LoginAddressField(
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

    def get_invalid_login_error(self):
        if self.request is None or not signin.client_is_locked_out(self.request):
            return super().get_invalid_login_error()
        minutes = signin.cool_off_minutes(self.request)
        message = ngettext(
            "Too many failed logins from this device or network. "
            "Wait %(minutes)d minute before trying again.",
            "Too many failed logins from this device or network. "
            "Wait %(minutes)d minutes before trying again.",
            minutes,
        )
        return forms.ValidationError(
            message, code="client_locked_out", params={"minutes": minutes}
        )


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


class StagedImportForm(forms.Form):
    """ "Import these now": the ticket of the file a dry run has just previewed."""

    ticket = forms.CharField(widget=forms.HiddenInput, max_length=2000)


INDENT = "\u2014 "


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth."""

    base_depth = 1

    def label_from_instance(self, unit):
        return INDENT * (unit.depth - self.base_depth) + unit.name

    def set_units(self, units):
        self.queryset = units.order_by("path")
        self.base_depth = units.aggregate(top=Min("depth"))["top"] or 1
