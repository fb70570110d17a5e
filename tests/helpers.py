from django.conf import settings
from django.utils import translation


def translated(message: str, language: str | None = None) -> str:
    """Return a UI message as a person sees it (by default in the site's language)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return translation.gettext(message)
