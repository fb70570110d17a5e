from django.utils.functional import SimpleLazyObject

from people.navigation import navigation_for


def team(request):
    """Tell templates which of the person's links the header shows.

    `navigation.admin` and `navigation.team` come from the shared cache: worked out
    once per person and again after anyone's groups, permissions or managed units
    change (or after a few minutes), not with queries on every request.
    """
    return {"navigation": SimpleLazyObject(lambda: navigation_for(request.user))}
