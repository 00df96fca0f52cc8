import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_endpoints(client):
    answer = client.get("/api/v1/openapi.json")

    assert answer.status_code == 200
    document = answer.json()
    assert document["openapi"].startswith("3.")
    assert document["info"] == {
        "title": "Cursus API",
        "version": "1",
        "description": document["info"]["description"],
    }
    paths = document["paths"]
    for path, methods in {
        "/api/v1/me": {"get"},
        "/api/v1/me/tokens": {"get", "post"},
        "/api/v1/departments": {"get", "post"},
        "/api/v1/departments/{slug}": {"get", "patch"},
        "/api/v1/centres/{code}": {"get", "patch"},
        "/api/v1/institutes/{code}": {"get", "patch"},
        "/api/v1/units": {"get", "post"},
        "/api/v1/units/{code}": {"get", "patch"},
        "/api/v1/diplomas/{code}/{version}": {"get", "patch"},
        "/api/v1/terms/{code}": {"get", "patch"},
        "/api/v1/offerings": {"get", "post"},
        "/api/v1/offerings/{offering_id}": {"get", "patch"},
        "/api/v1/credentials/diplomas/{number}/documents/{kind}": {"get"},
        "/api/v1/credentials/sessions/{session_id}/minutes": {"get"},
        "/api/v1/credentials/sessions/{session_id}/issuance": {"post"},
        "/api/v1/credentials/issuance/{batch_id}": {"get"},
        "/api/v1/credentials/learners/{number}/units/{code}/credential": {"post"},
        "/api/v1/credentials/units/{public_id}": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
    # Public reads carry no security requirement; writes name both ways in.
    assert "security" not in paths["/api/v1/units"]["get"]
    schemes = {next(iter(entry)) for entry in paths["/api/v1/units"]["post"]["security"]}
    assert schemes == {"TokenAuth", "SessionAuth"}
    assert "422" in paths["/api/v1/units"]["post"]["responses"]


def test_every_reference_in_the_document_resolves(client):
    document = client.get("/api/v1/openapi.json").json()
    text = client.get("/api/v1/openapi.json").content.decode()

    for reference in set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text)):
        assert reference in document["components"]["schemas"], reference


def test_documentation_page_uses_only_our_own_files(client):
    answer = client.get("/api/v1/docs")

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert '"validatorUrl": null' in html


def test_an_unknown_api_address_answers_in_the_error_shape(client):
    answer = client.get("/api/v1/no-such-thing")

    assert answer.status_code == 404
    assert list(answer.json()["errors"]) == ["__all__"]
