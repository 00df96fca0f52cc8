"""The statistics page, its exports, the API and the command: who may read what, and at
what cost in queries."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from cursus.catalogue.models import Term
from cursus.catalogue.tests.fixtures import make_term, make_user
from cursus.core.models import Role, RoleAssignment, User
from cursus.reporting.tests.fixtures import Stage

# Session, user, roles, learner file, years, the year, five statistics, three of names,
# the centres.
PAGE_QUERIES = 15


def populate(stage: Stage, learners: int) -> None:
    for index in range(learners):
        learner = stage.learner(birth_date=date(1980 + index % 30, 5, 1), sector="Industrie")
        centre = (stage.paris, stage.lyon, stage.beirut)[index % 3]
        enrolment = stage.enrol(learner, stage.nfa008, term=stage.term(2024, 1), centre=centre)
        stage.result(enrolment, "12" if index % 2 else "7")
        stage.enrol(
            learner, stage.cfa109, term=stage.term(2024, 2), centre=centre, formula="institute"
        )
        if index % 4 == 0:
            stage.acquire(learner, stage.nfa011, date(2022, 1, 10))
            stage.award(learner, "licence", date(2025, 6, 20), centre=centre)


@pytest.fixture
def registrar(db) -> User:
    return make_user("registrar@example.org", Role.REGISTRAR)


@pytest.fixture
def paris_staff(stage) -> User:
    return make_user("staff@paris.example.org", Role.CENTRE_STAFF, centre=stage.paris)


def signed_in(client: Client, user: User, language: str = "en") -> Client:
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("learners", [3, 30])
def test_page_costs_the_same_number_of_queries_whatever_the_data(
    stage, registrar, client, django_assert_num_queries, learners
):
    populate(stage, learners)
    signed_in(client, registrar)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get("/stats/?year=2024")
    assert response.status_code == 200


def test_page_shows_learners_by_formula_and_diplomas_by_kind_with_charts(stage, registrar, client):
    populate(stage, 12)
    html = signed_in(client, registrar).get("/stats/?year=2024").content.decode()
    assert 'data-figure="learners">12<' in html
    assert 'data-figure="diplomas">3<' in html
    assert html.count("<svg") >= 10
    assert "Evenings and Saturdays" in html
    assert "Licence (bachelor)" in html


def test_numbers_are_grouped_by_thousands_in_the_readers_language():
    from cursus.reporting.charts import count_text

    with translation.override("fr"):
        assert count_text(70000).replace("\u202f", " ").replace("\xa0", " ") == "70 000"
    with translation.override("en"):
        assert count_text(70000) == "70,000"


def test_default_year_is_the_last_complete_one_and_the_current_is_marked(stage, registrar, client):
    today = timezone.localdate()
    current = today.year if today.month >= 9 else today.year - 1
    for start_year in (current - 1, current):
        if not Term.objects.filter(academic_year__start_year=start_year).exists():
            make_term(start_year)
    html = signed_in(client, registrar).get("/stats/").content.decode()
    assert f"Statistics, {current - 1}–{current}" in html
    assert f"{current}–{current + 1} (in progress)" in html


def test_centre_staff_see_their_centre_and_are_refused_another(stage, paris_staff, client):
    populate(stage, 6)
    signed_in(client, paris_staff)
    html = client.get("/stats/?year=2024").content.decode()
    # Six learners, two of them at Paris; the others are out of reach.
    assert 'data-figure="learners">2<' in html
    assert client.get(f"/stats/?year=2024&centre={stage.lyon.code}").status_code == 403
    assert client.get("/stats/learners-formula.csv?year=2024&centre=lyon").status_code == 403
    assert client.get("/stats/statistics.xlsx?year=2024&centre=lyon").status_code == 403
    assert client.get("/stats/?year=2024&centre=paris").status_code == 200


@pytest.mark.parametrize("role", [Role.TEACHER, Role.JURY_MEMBER])
def test_other_roles_are_refused(stage, client, role):
    user = make_user("someone@example.org", role)
    signed_in(client, user)
    assert client.get("/stats/").status_code == 403
    assert client.get("/stats/learners-formula.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(stage, client):
    response = client.get("/stats/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_unknown_year_or_table_is_not_found(stage, registrar, client):
    signed_in(client, registrar)
    assert client.get("/stats/?year=1999").status_code == 404
    assert client.get("/stats/?year=abc").status_code == 404
    assert client.get("/stats/nothing.csv?year=2024").status_code == 404


def test_csv_export_suppresses_small_counts(stage, registrar, client):
    populate(stage, 7)
    response = signed_in(client, registrar).get("/stats/learners-formula.csv?year=2024")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Formula", "Learners"]
    counts = {row[0]: row[1] for row in rows[1:]}
    assert "7" in counts.values()
    assert list(counts.values()).count("<5") == 3


def test_xlsx_workbook_holds_one_sheet_per_table(stage, registrar, client):
    from openpyxl import load_workbook

    populate(stage, 7)
    response = signed_in(client, registrar).get("/stats/statistics.xlsx?year=2024")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "notes"
    assert "learners-formula" in book.sheetnames
    assert "pass-rates" in book.sheetnames


def test_api_answers_the_commands_json_for_the_registrar(stage, registrar, client):
    populate(stage, 6)
    signed_in(client, registrar)
    response = client.get("/api/v1/stats/2024")
    assert response.status_code == 200
    body = response.json()
    assert body["learners"]["total"] == 6
    assert body["learners"]["by_formula"]["evening_saturday"] == 6
    assert body["diplomas"]["by_kind"]["licence"] == 2
    out = io.StringIO()
    call_command("stats", "--year", "2024", "--json", stdout=out)
    assert json.loads(out.getvalue()) == body


def test_api_keeps_centre_staff_to_their_centres(stage, paris_staff, client):
    populate(stage, 6)
    signed_in(client, paris_staff)
    assert client.get("/api/v1/stats/2024").json()["learners"]["total"] == 2
    refused = client.get("/api/v1/stats/2024?centre=lyon")
    assert refused.status_code == 403
    assert "centre" in refused.json()["errors"]
    assert client.get("/api/v1/stats/1999").status_code == 404


def test_api_refuses_other_roles_and_anonymous_callers(stage, client):
    assert client.get("/api/v1/stats/2024").status_code == 401
    signed_in(client, make_user("teacher@example.org", Role.TEACHER))
    assert client.get("/api/v1/stats/2024").status_code == 403


def test_command_prints_a_table_and_refuses_unknown_centres(stage):
    populate(stage, 3)
    out = io.StringIO()
    call_command("stats", "--year", "2024", "--centre", "paris", stdout=out)
    assert "2024–2025 · paris" in out.getvalue()
    assert "evening_saturday" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--centre"):
        call_command("stats", "--year", "2024", "--centre", "nowhere")
    with pytest.raises(CommandError, match="--year"):
        call_command("stats", "--year", "1990")


def test_page_and_exports_reuse_the_years_figures_until_they_expire(
    stage, registrar, client, django_assert_num_queries
):
    populate(stage, 3)
    signed_in(client, registrar)
    client.get("/stats/?year=2024")
    # Only the session, the user, the roles, the years, the names and the centres again.
    with django_assert_num_queries(PAGE_QUERIES - 5):
        assert client.get("/stats/?year=2024").status_code == 200
    populate(stage, 3)
    assert 'data-figure="learners">3<' in client.get("/stats/?year=2024").content.decode()
    cache.clear()
    assert 'data-figure="learners">6<' in client.get("/stats/?year=2024").content.decode()
    # The command and the API compute afresh.
    assert client.get("/api/v1/stats/2024").json()["learners"]["total"] == 6


def test_pass_rates_sort_by_rate_without_javascript(stage, registrar, client):
    for unit, grades in ((stage.nfa008, ["12"] * 15 + ["5"] * 5), (stage.nfa011, ["5"] * 20)):
        for grade in grades:
            stage.result(stage.enrol(stage.learner(), unit, term=stage.term(2024, 1)), grade)
    signed_in(client, registrar)

    def rates_table(sort: str) -> str:
        html: str = client.get(f"/stats/?year=2024&sort={sort}").content.decode()
        section = html[html.index('id="table-pass-rates"') :]
        return section[section.index("<table") : section.index("</table>")]

    lowest_first = rates_table("rate")
    assert lowest_first.index(">NFA011<") < lowest_first.index(">NFA008<")
    highest_first = rates_table("-rate")
    assert highest_first.index(">NFA008<") < highest_first.index(">NFA011<")
    assert "75,0 %" in highest_first or "75.0 %" in highest_first


@pytest.mark.parametrize("learners", [3, 30])
def test_api_costs_the_same_number_of_queries_whatever_the_data(
    stage, registrar, client, django_assert_num_queries, learners
):
    populate(stage, learners)
    signed_in(client, registrar)
    # Session, user, roles, learner file, the year, learners, diplomas.
    with django_assert_num_queries(7):
        assert client.get("/api/v1/stats/2024").status_code == 200


def test_staff_of_two_centres_see_both_and_may_pick_either(stage, client):
    populate(stage, 6)
    staff = make_user("staff@two.example.org", Role.CENTRE_STAFF, centre=stage.paris)
    RoleAssignment.objects.create(user=staff, role=Role.CENTRE_STAFF, centre=stage.lyon)
    signed_in(client, staff)
    assert client.get("/api/v1/stats/2024").json()["learners"]["total"] == 4
    assert client.get("/api/v1/stats/2024?centre=lyon").json()["learners"]["total"] == 2
    assert client.get("/api/v1/stats/2024?centre=liban").status_code == 403
