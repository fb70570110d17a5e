"""Who may see and do what: the one place that decides access.

Views, page models, tasks and commands ask these functions; nothing decides access
inline. The rules take the objects they judge (a page, an attempt, a certificate)
and import no other app of ours: the look-ups that fetch such an object live in the
app that owns its model (`lessons.lookups`, `quizzes.lookups`,
`certificates.lookups`) and ask these rules. Later features add their rules here.
"""

from functools import reduce
from operator import or_

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from people.models import OrgUnit, User

_EDIT_ACTIONS = ["add", "change", "publish"]
_ADMIN_ACCESS = {"content_type__app_label": "wagtailadmin", "codename": "access_admin"}
_TRAINING_ADMIN_POWERS = ["import_people", "view_all_learning", "anonymise_person"]


def can_edit_pages(user) -> bool:
    """Return whether the user may author pages (and so use the Markdown tools)."""
    if not _is_active_account(user):
        return False
    if not user.has_perm("wagtailadmin.access_admin"):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, _EDIT_ACTIONS)


def visible_pages(queryset=None):
    """Return the pages anyone may list: live, under live pages only, unrestricted.

    Unpublishing a course or module without its subpages leaves them live, but
    they are not visible while a page above them is unpublished.
    """
    if queryset is None:
        queryset = Page.objects.all()
    return queryset.live().public().exclude(Exists(_unpublished_ancestors()))


def is_under_live_pages(page) -> bool:
    """Return whether every page above this one is live (view restrictions aside)."""
    return not page.get_ancestors().filter(live=False, depth__gt=1).exists()


def _unpublished_ancestors():
    """Unpublished pages above the outer query's page (the tree root aside)."""
    return Page.objects.filter(
        live=False,
        depth__gt=1,
        depth__lt=OuterRef("depth"),
        path=Substr(OuterRef("path"), 1, Length("path")),
    )


def can_learn(user) -> bool:
    """Return whether the user may take courses (enrol, open steps, record progress)."""
    return _is_active_account(user)


def can_open_attempt(user, attempt) -> bool:
    """Return whether the user may open this quiz attempt: only its own learner."""
    return can_learn(user) and attempt.user_id == user.pk


def can_edit_page(user, page) -> bool:
    """Return whether the user may edit this page (and so its quiz questions)."""
    return can_edit_pages(user) and page.permissions_for_user(user).can_edit()


def can_download_certificate(user, certificate) -> bool:
    """Return whether the user may download this certificate.

    The holder, their managers and training admins may.
    """
    if not _is_active_account(user):
        return False
    return certificate.user_id == user.pk or can_see_learning_of(user, certificate.user)


def can_manage_certificates(user) -> bool:
    """Return whether the user may revoke and reissue certificates."""
    return _is_active_account(user) and user.has_perm("certificates.change_certificate")


def can_see_course_statistics(user) -> bool:
    """Return whether the user may see a course's enrolment counts (no names)."""
    return can_edit_pages(user)


def can_import_people(user) -> bool:
    """Return whether the user may import staff (training admins and superusers)."""
    return _is_active_account(user) and user.has_perm("people.import_people")


def sees_everyone(user) -> bool:
    """Return whether the user follows the whole organisation (training admins)."""
    return _is_active_account(user) and user.has_perm("people.view_all_learning")


def who_see_everyone(people) -> set:
    """Return the ids of those of `people` (a queryset) who see everyone: one query.

    The same rule as `sees_everyone`, for many people at once (reminder digests).
    """
    holders = ModelBackend().with_perm("people.view_all_learning")
    return set(people.filter(pk__in=holders.values("pk")).values_list("pk", flat=True))


def can_manage_failed_tasks(user) -> bool:
    """Return whether the user may see the failed background tasks and rerun them."""
    return sees_everyone(user)


def team_units(user):
    """Return the units whose people the user may follow: the subtrees they manage."""
    if sees_everyone(user):
        return OrgUnit.objects.all()
    paths = _managed_paths(user)
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        reduce(or_, (Q(path__startswith=path) for path in paths))
    )


def can_follow_team(user) -> bool:
    """Return whether the user has a team: manages a unit, or sees everyone."""
    return sees_everyone(user) or bool(_managed_paths(user))


def _managed_paths(user) -> list[str]:
    """Return the tree paths of the units the user manages (read once per request)."""
    if not _is_active_account(user):
        return []
    if not hasattr(user, "_managed_paths"):
        user._managed_paths = list(user.managed_units.values_list("path", flat=True))
    return user._managed_paths


def team_members(user, unit=None):
    """Return the active people the user may follow, optionally under one unit.

    A manager's team is the active people in the subtrees of the units they manage;
    training admins and superusers follow everyone. `unit` must come from
    `get_team_unit`.
    """
    people = User.objects.filter(is_active=True)
    if unit is not None:
        return people.filter(org_unit__path__startswith=unit.path)
    if sees_everyone(user):
        return people
    return people.filter(org_unit__in=team_units(user))


def get_team_unit(user, unit_id):
    """Return a unit of the user's team, or raise Http404."""
    return get_object_or_404(team_units(user), pk=unit_id)


def get_team_member(user, person_id):
    """Return a person of the user's team, or raise Http404."""
    return get_object_or_404(team_members(user), pk=person_id)


def get_team_members(user, person_ids):
    """Return these people of the user's team, or raise Http404 if any is not."""
    person_ids = set(person_ids)
    people = list(team_members(user).filter(pk__in=person_ids))
    if len(people) != len(person_ids):
        raise Http404
    return people


def can_see_learning_of(user, person) -> bool:
    """Return whether the user may see this person's progress, attempts, certificates.

    The person themself, their managers (over any unit above theirs) and training
    admins may.
    """
    if not _is_active_account(user):
        return False
    if user.pk == person.pk or sees_everyone(user):
        return True
    if not person.is_active or person.org_unit_id is None:
        return False
    return team_units(user).filter(pk=person.org_unit_id).exists()


def can_assign_courses(user) -> bool:
    """Return whether the user may assign courses (to their own team)."""
    return can_follow_team(user)


def can_change_assignment(user, assignment) -> bool:
    """Return whether the user may change an assignment's due date or withdraw it.

    The one who assigned it (while they may assign courses) and training admins may.
    """
    if sees_everyone(user):
        return True
    return can_assign_courses(user) and assignment.assigned_by_id == user.pk


def can_download_own_record(user) -> bool:
    return _is_active_account(user)


def can_anonymise_people(user) -> bool:
    return _is_active_account(user) and user.has_perm("people.anonymise_person")


def can_anonymise(user, person) -> bool:
    """Return whether the user may anonymise this person (irreversibly).

    Nobody may anonymise themself, a superuser or a training admin: their role is
    taken away first. Those who may anonymise people may anonymise others without
    admin rights; only superusers may anonymise other staff with admin rights,
    such as editors (see `_staff_roles`).
    """
    if not can_anonymise_people(user) or person.pk == user.pk:
        return False
    roles = _staff_roles(user)
    if person.is_superuser or person.pk in roles["training_admins"]:
        return False
    has_admin_rights = person.is_staff or person.pk in roles["admin_access"]
    return user.is_superuser or not has_admin_rights


def _staff_roles(user) -> dict:
    """Return who has admin access and who are training admins, read once per user.

    Admin access is Wagtail's (as editors and training admins have it); training
    admins hold any of their powers over people. Both count directly or through a
    group, and a deactivated account keeps them, since reactivating it gives them
    back. Read once, a listing of people asks no more for more rows.
    """
    if not hasattr(user, "_staff_roles"):
        user._staff_roles = {
            "admin_access": _holders(Permission.objects.filter(**_ADMIN_ACCESS)),
            "training_admins": _holders(
                Permission.objects.filter(
                    content_type__app_label="people",
                    codename__in=_TRAINING_ADMIN_POWERS,
                )
            ),
        }
    return user._staff_roles


def _holders(permissions) -> frozenset:
    """Return the ids of the people granted any of these permissions."""
    direct = User.user_permissions.through.objects.filter(permission__in=permissions)
    through_groups = User.objects.filter(groups__permissions__in=permissions)
    return frozenset(direct.values_list("user_id", flat=True)) | frozenset(
        through_groups.values_list("pk", flat=True)
    )


def _is_active_account(user) -> bool:
    """Return whether the request comes from a logged-in, not deactivated person."""
    return bool(user.is_authenticated and user.is_active)
