"""Rules about people that views, tasks and commands share."""

from django.conf import settings


def remember_language(*, user, language: str) -> bool:
    """Store a supported UI language as the user's choice; return whether it changed."""
    supported = {code for code, _name in settings.LANGUAGES}
    if language not in supported or language == user.preferred_language:
        return False
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return True
