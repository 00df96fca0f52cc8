"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest

from cursus.core.scoping import scope_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Give templates the user's scope, to show the links their roles allow."""
    return {"scope": scope_of(getattr(request, "user", None))}
