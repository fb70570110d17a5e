"""The header's links a person sees, kept in the shared cache.

Worked out once per person, and again after anyone's groups, permissions or
managed units change (or after a few minutes), not with queries on every request.
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from people import access
from people.models import OrgUnit

NAVIGATION_TIMEOUT = 5 * 60
GENERATION_KEY = "people:navigation-generation"


def navigation_for(user) -> dict:
    """Return whether the person sees the administration's and the team's links."""
    if not user.is_authenticated:
        return {"admin": False, "team": False}
    key = _navigation_key(user.pk)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or _start_generation()
    stored_generation, links = found.get(key, (None, None))
    if stored_generation != generation:
        links = {
            "admin": user.has_perm("wagtailadmin.access_admin"),
            "team": access.can_follow_team(user),
        }
        cache.set(key, (generation, links), NAVIGATION_TIMEOUT)
    return links


def forget_navigation() -> None:
    """Forget everyone's links, now and again when the transaction commits."""
    _move_generation()
    transaction.on_commit(_move_generation)


def _navigation_key(user_id) -> str:
    return f"people:navigation:{user_id}"


def _start_generation() -> int:
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY)


def _move_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


@receiver(post_save, sender=get_user_model())
def _forget_changed_person(sender, instance, update_fields=None, **kwargs):
    """Forget the person's links when their account changes (not on each log-in)."""
    if update_fields is None or set(update_fields) != {"last_login"}:
        cache.delete(_navigation_key(instance.pk))


@receiver(post_delete, sender=Group)
@receiver(post_delete, sender=OrgUnit)
@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(m2m_changed, sender=OrgUnit.managers.through)
def _forget_on_change(sender, **kwargs):
    forget_navigation()
