from django import forms
from django.utils.translation import gettext_lazy as _

MAX_GIFT_BYTES = 2 * 1024 * 1024


class GiftImportForm(forms.Form):
    """A GIFT file, or GIFT text pasted (the preview carries the text on)."""

    gift_file = forms.FileField(label=_("GIFT file"), required=False)
    gift_text = forms.CharField(
        label=_("…or paste the GIFT text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("gift_file")
        if upload:
            if upload.size > MAX_GIFT_BYTES:
                raise forms.ValidationError(_("The file is too large (over 2 MB)."))
            try:
                cleaned["gift_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
                ) from None
        if not cleaned.get("gift_text", "").strip():
            raise forms.ValidationError(_("Choose a GIFT file or paste GIFT text."))
        return cleaned
