from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from people.models import OrgUnit, User


class OrgUnitForm(WagtailAdminModelForm):
    """A unit with its parent (by code) and managers (by e-mail)."""

    parent_code = forms.CharField(
        label=_("Parent unit code"),
        required=False,
        help_text=_("Leave empty for a top-level unit."),
    )
    manager_emails = forms.CharField(
        label=_("Managers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mail addresses, one per line."),
    )

    class Meta:
        model = OrgUnit
        fields = ["name", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance
        if unit.pk:
            parent = unit.get_parent()
            self.initial["parent_code"] = parent.code if parent else ""
            self.initial["manager_emails"] = "\n".join(
                unit.managers.values_list("email", flat=True)
            )

    def clean_parent_code(self):
        code = self.cleaned_data["parent_code"].strip()
        if not code:
            return None
        parent = OrgUnit.objects.filter(code=code).first()
        if parent is None:
            raise forms.ValidationError(_("There is no unit with this code."))
        if self.instance.pk and parent.path.startswith(self.instance.path):
            raise forms.ValidationError(
                _("A unit cannot be moved under itself or its own subunits.")
            )
        return parent

    def clean_manager_emails(self):
        emails = {
            User.objects.normalize_email(line)
            for line in self.cleaned_data["manager_emails"].splitlines()
            if line.strip()
        }
        managers = list(User.objects.filter(email__in=emails))
        unknown = emails - {manager.email for manager in managers}
        if unknown:
            raise forms.ValidationError(
                _("No person has these e-mail addresses: %(emails)s")
                % {"emails": ", ".join(sorted(unknown))}
            )
        return managers
