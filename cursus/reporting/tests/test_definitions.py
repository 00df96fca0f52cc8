"""Each definition of the statistics, on a handful of hand-made rows."""

from datetime import date

import pytest

from cursus.reporting import queries
from cursus.reporting.tests.fixtures import Stage


def learners(
    stage: Stage, year: int = 2025, *, centre_ids: frozenset[int] | None
) -> queries.LearnerFigures:
    reach = queries.Reach(centre_ids=centre_ids)
    return queries.learner_figures(queries.academic_year(year), reach)


def test_learner_with_two_evening_units_and_one_institute_unit_counts_once_under_evening(stage):
    ada = stage.learner()
    stage.enrol(ada, stage.nfa008)
    stage.enrol(ada, stage.nfa011, term=stage.term(2025, 2))
    stage.enrol(ada, stage.cfa109, formula="institute")
    figures = learners(stage, centre_ids=None)
    assert figures.total == 1
    assert figures.by_formula == {
        "evening_saturday": 1,
        "daytime": 0,
        "institute": 0,
        "distance": 0,
    }
    assert figures.by_department == {"informatique": 1}
    # Only the institute unit names an institute: it still counts there.
    assert figures.by_institute == {"intec": 1}


def test_formula_tie_goes_to_the_first_in_the_order_of_the_choices(stage):
    ada = stage.learner()
    stage.enrol(ada, stage.nfa008, formula="distance")
    stage.enrol(ada, stage.nfa011, formula="daytime")
    figures = learners(stage, centre_ids=None)
    assert figures.by_formula["daytime"] == 1
    assert figures.by_formula["distance"] == 0


def test_department_and_centre_ties_go_to_the_lowest_code(stage):
    ada = stage.learner()
    stage.enrol(ada, stage.nfa008, centre=stage.paris)
    stage.enrol(ada, stage.cfa109, centre=stage.lyon)
    figures = learners(stage, centre_ids=None)
    assert figures.by_department == {"economie-gestion": 1}
    assert figures.by_centre == {"lyon": 1}
    # Kinds follow the order of the choices: seat before regional.
    assert figures.by_centre_kind == {"seat": 1, "regional": 0, "abroad": 0}


def test_withdrawn_cancelled_and_waitlisted_enrolments_do_not_count(stage):
    ada, bob, cleo = stage.learner(), stage.learner(), stage.learner()
    stage.enrol(ada, stage.nfa008, status="withdrawn")
    stage.enrol(bob, stage.nfa008, status="cancelled")
    stage.enrol(cleo, stage.nfa008, status="waitlisted")
    stage.enrol(cleo, stage.nfa011, formula="distance")
    stage.enrol(cleo, stage.cfa109, formula="distance", status="withdrawn")
    figures = learners(stage, centre_ids=None)
    assert figures.total == 1
    assert figures.by_formula["distance"] == 1
    assert figures.by_department == {"informatique": 1}


def test_a_learner_counts_in_each_year_they_hold_an_enrolment(stage):
    ada, bob = stage.learner(), stage.learner()
    stage.enrol(ada, stage.nfa008, term=stage.term(2024, 2))  # 2024–2025, ends in June 2025
    stage.enrol(bob, stage.nfa008, term=stage.term(2025, 1))
    stage.enrol(ada, stage.nfa011, term=stage.term(2025, 1))
    assert learners(stage, 2024, centre_ids=None).total == 1
    assert learners(stage, 2025, centre_ids=None).total == 2


def test_age_band_is_taken_on_the_first_day_of_the_year(stage):
    # The year starts on 1 September 2025.
    turned_25_that_day = stage.learner(birth_date=date(2000, 9, 1))
    still_24 = stage.learner(birth_date=date(2000, 9, 2))
    aged_60 = stage.learner(birth_date=date(1965, 1, 1))
    unknown = stage.learner()
    for learner in (turned_25_that_day, still_24, aged_60, unknown):
        stage.enrol(learner, stage.nfa008)
    assert learners(stage, centre_ids=None).by_age_band == {
        "<25": 1,
        "25-34": 1,
        "35-44": 0,
        "45-54": 0,
        "55+": 1,
        "unknown": 1,
    }


def test_sector_without_value_counts_as_unknown(stage):
    for sector in ("Industrie", "Industrie", ""):
        stage.enrol(stage.learner(sector=sector), stage.nfa008)
    assert learners(stage, centre_ids=None).by_sector == {"Industrie": 2, "unknown": 1}


def test_centre_filter_counts_the_enrolments_at_that_centre_only(stage):
    ada, bob = stage.learner(), stage.learner()
    stage.enrol(ada, stage.nfa008, centre=stage.paris)
    stage.enrol(ada, stage.nfa011, centre=stage.paris)
    stage.enrol(ada, stage.cfa109, centre=stage.lyon, formula="daytime")
    stage.enrol(bob, stage.nfa008, centre=stage.beirut)
    at_lyon = learners(stage, centre_ids=frozenset({stage.lyon.pk}))
    assert at_lyon.total == 1
    assert at_lyon.by_formula["daytime"] == 1
    everywhere = learners(stage, centre_ids=None)
    assert everywhere.by_centre_kind == {"seat": 1, "regional": 0, "abroad": 1}
    assert learners(stage, centre_ids=frozenset()).total == 0


def test_institute_breakdown_counts_institute_units_only(stage):
    ada, bob = stage.learner(), stage.learner()
    stage.enrol(ada, stage.nfa008, formula="institute", institute=stage.enjmin)
    stage.enrol(ada, stage.nfa011, formula="institute", institute=stage.intec)
    stage.enrol(bob, stage.nfa008)
    assert learners(stage, centre_ids=None).by_institute == {"enjmin": 1}


def test_diplomas_of_a_year_fall_between_its_first_and_last_day_and_are_not_revoked(stage):
    ada, bob, cleo, dan = (stage.learner() for _ in range(4))
    stage.award(ada, "licence", date(2025, 9, 1), centre=stage.paris)
    stage.award(bob, "ingenieur", date(2026, 8, 31), centre=stage.lyon)
    stage.award(cleo, "licence", date(2025, 8, 31), centre=stage.paris)  # the year before
    stage.award(dan, "master", date(2026, 1, 10), revoked=True)
    figures = queries.diploma_figures(queries.academic_year(2025))
    assert figures.total == 2
    assert figures.by_kind["licence"] == 1
    assert figures.by_kind["ingenieur"] == 1
    assert figures.by_kind["master"] == 0
    assert set(figures.by_kind) == set(queries.DIPLOMA_KINDS)
    assert figures.by_department == {"informatique": 2}
    assert figures.by_centre == {"lyon": 1, "paris": 1}
    at_paris = queries.Reach(centre_ids=frozenset({stage.paris.pk}))
    assert queries.diploma_figures(queries.academic_year(2025), at_paris).total == 1


def test_diplomas_per_year_are_stacked_by_kind(stage):
    ada, bob, cleo = (stage.learner() for _ in range(3))
    stage.award(ada, "licence", date(2025, 6, 1))
    stage.award(bob, "licence", date(2025, 10, 1))
    stage.award(cleo, "master", date(2026, 2, 1), centre=stage.lyon)
    per_year = dict(queries.diplomas_per_year())
    assert per_year[2024]["licence"] == 1
    assert per_year[2025]["licence"] == 1
    assert per_year[2025]["master"] == 1
    at_lyon = queries.Reach(centre_ids=frozenset({stage.lyon.pk}))
    assert [year for year, _ in queries.diplomas_per_year(at_lyon)] == [2025]


def test_pass_rate_counts_published_results_of_ten_or_more(stage):
    enrolments = [stage.enrol(stage.learner(), stage.nfa008) for _ in range(5)]
    stage.result(enrolments[0], "10")
    stage.result(enrolments[1], "9.5")
    stage.result(enrolments[2], "8")
    stage.result(enrolments[2], "14", session=2)
    stage.result(enrolments[3], "16", published=False)
    stage.result(enrolments[4], None)  # absent
    (rate,) = queries.pass_rates(queries.academic_year(2025), min_enrolled=5)
    assert (rate.code, rate.enrolled, rate.assessed, rate.passed) == ("NFA008", 5, 4, 2)
    assert rate.rate == pytest.approx(0.5)
    assert queries.pass_rates(queries.academic_year(2025), min_enrolled=6) == []


def test_time_to_diploma_gives_nearest_rank_quartiles_from_the_first_unit_acquired(stage):
    spans = [100, 200, 300, 400, 500]
    for days in spans:
        learner = stage.learner()
        awarded = date(2026, 6, 1)
        stage.acquire(learner, stage.nfa008, date.fromordinal(awarded.toordinal() - days))
        stage.acquire(learner, stage.nfa011, date(2026, 5, 1))
        stage.award(learner, "licence", awarded)
    (found,) = queries.time_to_diploma(queries.academic_year(2025))
    assert (found.kind, found.awards) == ("licence", 5)
    assert (found.first_quartile, found.median, found.third_quartile) == (200, 300, 400)
    assert found.years()[1] == pytest.approx(300 / 365.25)


def test_headline_has_the_keys_the_definitions_promise(stage):
    stage.enrol(stage.learner(), stage.nfa008)
    figures = queries.headline(queries.academic_year(2025))
    assert figures["year"] == 2025
    assert set(figures["learners"]) >= {
        "total",
        "by_formula",
        "by_department",
        "by_centre_kind",
    }
    assert set(figures["diplomas"]) >= {"total", "by_kind"}


def test_default_year_is_the_last_complete_one(stage):
    options = queries.year_options(date(2026, 3, 1))
    assert [(o.start_year, o.in_progress) for o in options] == [
        (2025, True),
        (2024, False),
        (2023, False),
    ]
    assert queries.default_year(options) == 2024
    assert queries.default_year(queries.year_options(date(2023, 10, 1))) == 2023
