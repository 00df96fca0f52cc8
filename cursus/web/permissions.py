"""Turn the domain's refusals into HTTP answers for pages.

``NotAllowed`` becomes a 403 page and ``NotFound`` (or a missing row) a 404
page; the checks themselves live in :mod:`cursus.core.scoping` and in the
actions, never here.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from cursus.core.errors import NotAllowed, NotFound
from cursus.core.models import User

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def public_view(view: View[P]) -> View[P]:
    """Answer a refusal with 403 and something missing with 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except (NotFound, ObjectDoesNotExist) as error:
            raise Http404(str(error)) from error

    return wrapped


def member_view(view: View[P]) -> View[P]:
    """Send anonymous visitors to the login page, then act as :func:`public_view`."""
    return login_required(public_view(view))


def user_of(request: HttpRequest) -> User:
    """Return the logged-in user of a request that ``member_view`` let through."""
    user = request.user
    if not isinstance(user, User):
        raise NotAllowed("Log in first.")
    return user
