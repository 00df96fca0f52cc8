"""The API: Django Ninja under /api/v1/, its OpenAPI document and its documentation page."""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from cursus.api import (
    audit,
    auth,
    catalogue,
    credential_documents,
    credentials,
    enrolment,
    exchange,
    planner,
    records,
    stats,
)
from cursus.api.errors import install_error_handlers

DESCRIPTION = """\
The catalogue of Cursus: departments, centres, institutes, units, diplomas, terms and
offerings. Reading is open to anyone; changes need a registrar (centre staff may offer
units at their own centres).

Authenticate with the browser's session (changes then need the `X-CSRFToken` header) or
with a personal API token: `Authorization: Bearer cur_…`. Every error answers
`{"errors": {"field": ["message"]}}` with its status: 401, 403, 404, 409 or 422.
"""

api = NinjaAPI(
    title="Cursus API",
    version="1",
    description=DESCRIPTION,
    auth=auth.AUTHENTICATED,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # The page loads Swagger UI from the files Ninja ships (served as our static files);
    # the validator badge would call a third-party service, so it is off.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
api.add_router("", auth.router)
api.add_router("", catalogue.router)
api.add_router("", enrolment.router)
api.add_router("", records.router)
api.add_router("", audit.router)
api.add_router("", planner.router)
api.add_router("", credentials.router)
api.add_router("", credential_documents.router)
api.add_router("", stats.router)
api.add_router("", exchange.router)
install_error_handlers(api, body_parameters=frozenset({"payload"}))
