"""The API's URLs, mounted at /api/v1/ by the site's URLs."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from cursus.api.main import api


def no_such_endpoint(request: HttpRequest, rest: str) -> JsonResponse:
    """Answer an unknown API address in the API's error shape, not with an HTML page."""
    return JsonResponse({"errors": {"__all__": [_("No such endpoint.")]}}, status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", no_such_endpoint),
]
