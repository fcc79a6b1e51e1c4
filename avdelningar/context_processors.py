from .access import scope_for


def access(request):
    """`scope` in every template, so the navigation follows the user's assignments."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"scope": scope_for(user)}
