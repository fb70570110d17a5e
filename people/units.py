"""Keeping the org tree: create, move and delete units safely."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from people.models import OrgUnit


class UnitError(ValueError):
    """A change the tree cannot take; the message says why."""


_deletion_blockers = []


def register_deletion_blocker(check):
    """Ask `check(unit)` too before a unit is deleted: it returns a reason or None.

    The apps that keep records about units (course assignments, say) register one.
    """
    if check not in _deletion_blockers:
        _deletion_blockers.append(check)


@transaction.atomic
def save_unit(unit, *, parent=None, managers=None):
    """Create the unit under its parent (or as a root), or save and move it there."""
    _check_depth(unit, parent)
    if unit.pk is None:
        if parent is None:
            unit = OrgUnit.add_root(instance=unit)
        else:
            unit = parent.add_child(instance=unit)
    else:
        unit.save()
        _move(unit, parent)
    if managers is not None:
        unit.managers.set(managers)
    return unit


def _check_depth(unit, parent):
    """Refuse a place under `parent` where the unit or its subunits sit too deep."""
    if parent is None:
        return
    height = 0
    if unit.pk is not None:
        deepest = unit.subtree().aggregate(deepest=Max("depth"))["deepest"]
        height = deepest - unit.depth
    if parent.depth + 1 + height > OrgUnit.deepest_level():
        raise UnitError(
            _("Units can be at most %(levels)s levels deep.")
            % {"levels": OrgUnit.deepest_level()}
        )


def _move(unit, parent):
    current = unit.get_parent(update=True)
    if (current and current.pk) == (parent and parent.pk):
        return
    if parent is not None and parent.path.startswith(unit.path):
        raise UnitError(_("A unit cannot be moved under itself or its own subunits."))
    if parent is None:
        unit.move(OrgUnit.get_first_root_node(), pos="sorted-sibling")
    else:
        unit.move(parent, pos="sorted-child")


def deletion_blockers(unit) -> list[str]:
    """Return why a unit cannot be deleted (empty when it can)."""
    reasons = []
    if unit.get_children_count():
        reasons.append(_("It has subunits."))
    if unit.members.exists():
        reasons.append(_("People belong to it (deactivated people included)."))
    for check in _deletion_blockers:
        if reason := check(unit):
            reasons.append(reason)
    return reasons
