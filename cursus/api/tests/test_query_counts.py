"""The queries of each list endpoint are pinned, and stay the same when the rows double."""

from datetime import date

import pytest

from cursus.catalogue.models import Diploma, Institute
from cursus.catalogue.tests.fixtures import (
    make_centre,
    make_department,
    make_offering,
    make_term,
    make_unit,
)
from cursus.core.actions import create_api_token

pytestmark = pytest.mark.django_db


def add_rows(batch: int) -> None:
    """Add departments, centres, institutes, units, diplomas, terms and offerings."""
    departments = [make_department(f"dept-{batch}-{n}", f"Département {n}") for n in range(4)]
    centres = [make_centre(f"centre-{batch}-{n}", f"Centre {n}", "regional") for n in range(4)]
    terms = [make_term(2020 + batch, 1), make_term(2020 + batch, 2)]
    for n, centre in enumerate(centres):
        institute = Institute.objects.create(code=f"inst-{batch}-{n}", name="I", sector="S")
        institute.centres.add(centre, centres[0])
    for n in range(8):
        unit = make_unit(f"NF{'AB'[batch]}{n:03d}", departments[n % 4])
        for centre in centres[:2]:
            offering = make_offering(unit, terms[n % 2], centre, weekday=1)
            offering.blocks.create(starts_on=date(2025, 1, 6), ends_on=date(2025, 1, 10))
        Diploma.objects.create(
            code=f"CC-{batch}-{n}",
            version=2020,
            kind="licence",
            title_fr="D",
            rules_text="x",
            first_year=2020,
            department=departments[n % 4],
        )


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/v1/departments", 2),
        ("/api/v1/centres", 2),
        ("/api/v1/institutes", 3),
        ("/api/v1/units", 2),
        ("/api/v1/units?q=nf&ects=6", 2),
        ("/api/v1/diplomas", 2),
        ("/api/v1/terms", 2),
        ("/api/v1/offerings", 4),
        ("/api/v1/offerings?weekday=1&formula=evening_saturday", 4),
    ],
)
def test_list_endpoints_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, path, queries
):
    sizes = []
    for batch in (0, 1):
        add_rows(batch)
        with django_assert_num_queries(queries):
            answer = client.get(path)
        assert answer.status_code == 200
        sizes.append(len(answer.json()["items"]))

    assert sizes[0] >= 2
    assert sizes[1] > sizes[0]


def test_my_tokens_list_runs_a_fixed_number_of_queries(
    client, registrar, django_assert_num_queries
):
    client.force_login(registrar)
    for batch in (0, 1):
        for n in range(3):
            create_api_token(user=registrar, name=f"token {batch}-{n}")
        # The session, its user, then the tokens.
        with django_assert_num_queries(3):
            answer = client.get("/api/v1/me/tokens")
        assert len(answer.json()) == 3 * (batch + 1)
