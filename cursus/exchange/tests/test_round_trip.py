import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cursus.core.testing import needs_postgres
from cursus.enrolment.models import Learner
from cursus.exchange.actions import import_file, import_rows
from cursus.exchange.files import csv_bytes, xlsx_bytes
from cursus.exchange.formats import COLUMNS
from cursus.exchange.queries import export_rows
from cursus.exchange.tests.fixtures import result_row

pytestmark = pytest.mark.django_db

# Letters people type in names and addresses, with the CSV's separators and quotes.
TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=["L", "N", "Zs"], include_characters=";,\"'-éÉçœ"
    ),
    max_size=20,
).map(str.strip)
NAME = TEXT.filter(bool)


class _Rollback(Exception):
    pass


@st.composite
def learner_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    count = draw(st.integers(min_value=1, max_value=6))
    rows = []
    for n in range(count):
        birth = draw(
            st.none() | st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2008, 12, 31))
        )
        rows.append(
            {
                "number": f"R-{n:05d}",
                "last_name": draw(NAME),
                "first_name": draw(NAME),
                "home_centre": draw(st.sampled_from(["paris", "lyon"])),
                "birth_date": birth.isoformat() if birth else "",
                "profession": draw(TEXT),
                "address": draw(TEXT),
            }
        )
    return rows


def _full(row: dict[str, str]) -> dict[str, str]:
    return {column: row.get(column, "") for column in COLUMNS["learners"]}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=learner_rows(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_export_then_import_gives_back_the_same_learners(registrar, paris, lyon, rows, fmt):
    try:
        with transaction.atomic():
            report = import_rows(actor=registrar, kind="learners", rows=rows)
            assert report.ok, report.problems
            exported = list(export_rows(user=registrar, kind="learners"))
            assert exported == sorted((_full(r) for r in rows), key=lambda r: r["number"])
            columns = COLUMNS["learners"]
            content = (
                csv_bytes(exported, columns)
                if fmt == "csv"
                else xlsx_bytes(exported, columns, title="learners")
            )
            again = import_file(actor=registrar, kind="learners", content=content)
            assert again.ok, again.problems
            assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
            raise _Rollback
    except _Rollback:
        pass


def test_results_round_trip_through_a_spreadsheet(registrar, learners, offering):
    rows = [
        result_row("A-0000001", offering, 1, "9.75"),
        result_row("A-0000001", offering, 2, "ABS"),
    ]
    assert import_rows(actor=registrar, kind="results", rows=rows).ok
    exported = list(export_rows(user=registrar, kind="results"))
    assert [(r["learner"], r["session"], r["grade"]) for r in exported] == [
        ("A-0000001", "1", "9.75"),
        ("A-0000001", "2", "ABS"),
    ]
    content = xlsx_bytes(exported, COLUMNS["results"], title="results")
    report = import_file(actor=registrar, kind="results", content=content, name="r.xlsx")
    assert report.ok
    assert report.unchanged == 2


@needs_postgres
def test_postgres_copies_rows_and_keeps_the_sequence_ahead(registrar, paris):
    assert connection.vendor == "postgresql"
    rows = [
        {"number": f"C-{n}", "last_name": "N", "first_name": "P", "home_centre": "paris"}
        for n in range(50)
    ]
    assert import_rows(actor=registrar, kind="learners", rows=rows).created == 50
    ids = sorted(Learner.objects.values_list("pk", flat=True))
    later = Learner.objects.create(
        number="C-later", first_name="A", last_name="B", home_centre=paris
    )
    assert later.pk > ids[-1]
    assert len(set(ids)) == 50
