from people import access


def team(request):
    """Tell templates whether the person follows a team (asked only when used)."""
    return {"has_team": lambda: access.can_follow_team(request.user)}
