"""Every error the API answers is JSON: ``{"errors": {"field": ["message", ...]}}``."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cursus.core.errors import DomainError

ALL = "__all__"
# Where pydantic says the problem is, before the field's own name.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


def field_name(location: Sequence[Any], *, schema_names: frozenset[str] = frozenset()) -> str:
    """Return a field name such as ``slots[0].ends_at`` for a pydantic error location."""
    parts = list(location)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        # Ninja nests the body under the endpoint's parameter name (``payload``).
        if location[0] == "body" and parts and parts[0] in schema_names:
            parts = parts[1:]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or ALL


def errors_response(
    api: NinjaAPI, request: HttpRequest, errors: dict[str, list[str]], status: int
) -> HttpResponse:
    """Return the JSON answer for these errors."""
    return api.create_response(request, {"errors": errors}, status=status)


def install_error_handlers(api: NinjaAPI, *, body_parameters: frozenset[str]) -> None:
    """Make every error of the API answer in the one JSON shape, with its proper status."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
        return errors_response(api, request, error.as_errors(), error.status)

    @api.exception_handler(ValidationError)
    def invalid_request(request: HttpRequest, error: ValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for problem in error.errors:
            name = field_name(problem.get("loc", ()), schema_names=body_parameters)
            errors.setdefault(name, []).append(_pydantic_message(problem))
        return errors_response(api, request, errors, 422)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        response = errors_response(
            api,
            request,
            {ALL: [_("Log in, or send a personal API token: Authorization: Bearer <token>.")]},
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="cursus"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return errors_response(api, request, {ALL: [error.message]}, error.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return errors_response(api, request, {ALL: [_("Not found.")]}, 404)

    @api.exception_handler(ObjectDoesNotExist)
    def no_such_object(request: HttpRequest, error: ObjectDoesNotExist) -> HttpResponse:
        return errors_response(api, request, {ALL: [_("Not found.")]}, 404)


def _pydantic_message(problem: dict[str, Any]) -> str:
    if problem.get("type") == "missing":
        return _("This field is required.")
    return str(problem.get("msg", _("Invalid value.")))
