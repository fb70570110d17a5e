from django.conf import settings
from django.utils import translation


def translated(message: str, language: str | None = None) -> str:
    """Return a UI message as a person sees it (by default in the site's language)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return translation.gettext(message)


def stored_bytes(field_file) -> bytes:
    """Return a stored file's content, closing the file again."""
    with field_file.open("rb") as stored:
        return stored.read()
