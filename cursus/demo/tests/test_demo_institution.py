"""The demo institution holds what the issue promises, valid and coherent."""

import re
from datetime import date

import pytest
import yaml
from django.contrib.auth import authenticate
from django.db.models import Count

from cursus.audit.engine.parse import parse_rules
from cursus.audit.engine.rules import unit_codes
from cursus.catalogue.models import (
    Centre,
    CentreKind,
    Department,
    Diploma,
    DiplomaKind,
    Formula,
    Institute,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
    Unit,
    UnitKind,
)
from cursus.catalogue.queries import current_term
from cursus.catalogue.search import unit_search_text
from cursus.core.errors import Conflict
from cursus.core.identifiers import is_valid_ine, validate_siret
from cursus.core.models import Role, User
from cursus.core.scoping import scope_of
from cursus.demo.builder import build_demo
from cursus.demo.steps.catalogue import real_unit_specs
from cursus.demo.steps.diplomas import named_units
from cursus.demo.steps.people import DEMO_PASSWORD, newcomer_count
from cursus.demo.tests.conftest import TINY_SCALE
from cursus.enrolment.models import Employer, Learner

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


def test_demo_has_the_seven_departments_paris_and_the_centres(demo):
    assert Department.objects.count() == 7
    assert Centre.objects.filter(kind=CentreKind.SEAT).get().code == "paris"
    assert Centre.objects.filter(kind=CentreKind.REGIONAL).count() >= 20
    abroad = Centre.objects.filter(kind=CentreKind.ABROAD)
    assert abroad.count() >= 5
    assert {"LB", "MA", "MG", "CN", "CI"} <= set(abroad.values_list("country", flat=True))
    assert Centre.objects.get(code="la-reunion").time_zone == "Indian/Reunion"
    assert Centre.objects.get(code="lyon").time_zone == "Europe/Paris"
    assert (demo.regional_centres, demo.centres_abroad) == (
        Centre.objects.filter(kind=CentreKind.REGIONAL).count(),
        abroad.count(),
    )


def test_demo_has_the_six_institutes_teaching_at_their_centres(demo):
    institutes = Institute.objects.annotate(centre_count=Count("centres"))
    assert set(institutes.values_list("code", flat=True)) == {
        "intec",
        "enjmin",
        "ich",
        "enass",
        "iim",
        "eicnam",
    }
    assert all(institute.centre_count >= 1 for institute in institutes)
    assert Institute.objects.get(code="enjmin").centres.filter(code="angouleme").exists()


def test_demo_catalogue_holds_the_real_units_and_enough_generated_ones(demo):
    assert Unit.objects.count() >= 400
    for spec in real_unit_specs():
        unit = Unit.objects.get(code=spec.code)
        assert unit.title_fr == spec.title_fr
        assert unit.title_en
    assert Unit.objects.filter(kind=UnitKind.ACTIVITY).count() >= 10
    course = Unit.objects.filter(kind=UnitKind.COURSE)
    assert set(course.values_list("ects", flat=True)) <= {3, 4, 6, 8, 9}
    assert course.exclude(hours=None).count() == course.count()
    assert Unit.objects.exclude(recommended_prior=None).exists()


def test_every_unit_is_valid_and_searchable_as_the_catalogue_writes_it(demo):
    for unit in Unit.objects.all():
        # Uniqueness and check constraints hold in the database; these are the field validators.
        unit.full_clean(validate_unique=False, validate_constraints=False)
        assert unit.search_text == unit_search_text(
            code=unit.code,
            title_fr=unit.title_fr,
            title_en=unit.title_en,
            description_fr=unit.description_fr,
            description_en=unit.description_en,
        )


def test_replaced_units_keep_their_last_year_and_name_their_successor(demo):
    successors = Unit.objects.exclude(replaces=None).prefetch_related("replaces")
    assert successors.count() >= 10
    for successor in successors:
        for old in successor.replaces.all():
            assert old.last_year is not None
            assert successor.first_year == old.last_year + 1


def test_demo_diplomas_cover_every_kind_with_the_real_ones(demo):
    assert Diploma.objects.values("code").distinct().count() >= 30
    kinds = set(Diploma.objects.values_list("kind", flat=True))
    assert kinds == set(DiplomaKind.values)
    for code in ("CC-ABD", "LG02501A", "ING-INFO"):
        assert Diploma.objects.filter(code=code).exists()
    assert Diploma.objects.filter(kind=DiplomaKind.TITRE_RNCP, department__slug="informatique")
    assert Diploma.objects.get(code="ING-INFO", last_year=None).national_jury
    historic = Diploma.objects.filter(kind__in=[DiplomaKind.DPCT, DiplomaKind.DEST])
    assert all(diploma.last_year is not None for diploma in historic)
    versioned = Diploma.objects.values("code").annotate(n=Count("id")).filter(n__gt=1)
    assert versioned.count() >= 3
    for row in versioned:
        versions = list(Diploma.objects.filter(code=row["code"]).order_by("version"))
        assert all(old.last_year is not None for old in versions[:-1])


def test_every_diploma_names_only_units_of_the_catalogue(demo):
    codes = set(Unit.objects.values_list("code", flat=True))
    for diploma in Diploma.objects.all():
        rules = yaml.safe_load(diploma.rules_text)
        assert (rules["code"], rules["version"]) == (diploma.code, diploma.version)
        assert named_units(rules) <= codes, diploma.code


def test_every_diploma_rules_parse_with_the_engine(demo):
    codes = set(Unit.objects.values_list("code", flat=True))
    for diploma in Diploma.objects.all():
        rules = parse_rules(diploma.rules_text, file=f"{diploma.code}-{diploma.version}")
        assert rules.kind == diploma.kind
        assert unit_codes(rules) <= codes


def test_terms_run_from_2021_to_2028_and_this_term_is_2026_s1(demo):
    terms = Term.objects.select_related("academic_year")
    assert sorted(term.code for term in terms) == [
        f"{year}-S{semester}" for year in range(2021, 2028) for semester in (1, 2)
    ]
    current = current_term(TODAY)
    assert current is not None
    assert current.code == "2026-S1"
    s1 = Term.objects.get(academic_year__start_year=2024, semester=1)
    assert date(2025, 1, 20) <= s1.session1_starts_on <= date(2025, 1, 26)
    assert s1.session2_starts_on.month == 4
    s2 = Term.objects.get(academic_year__start_year=2024, semester=2)
    assert s2.session1_starts_on.month == 6
    assert s2.session2_starts_on.month == 9
    for term in terms:
        assert term.enrolment_opens_on < term.starts_on < term.withdrawal_deadline < term.ends_on


def test_every_term_has_offerings_and_next_year_is_a_forecast(demo):
    per_term = dict(Offering.objects.values_list("term").annotate(n=Count("id")))
    assert len(per_term) == 14
    assert min(per_term.values()) > 100
    assert not Offering.objects.filter(term__academic_year__start_year=2027, published=True)
    assert not Offering.objects.filter(term__academic_year__start_year__lt=2027, published=False)


def test_offerings_mix_the_formulas_evening_first(demo):
    total = Offering.objects.count()
    assert 2000 <= total <= 10000
    by_formula = dict(Offering.objects.values_list("formula").annotate(n=Count("id")))
    assert set(by_formula) == set(Formula.values)
    assert 0.6 <= by_formula[Formula.EVENING_SATURDAY] / total <= 0.8
    assert not Offering.objects.filter(formula=Formula.INSTITUTE, institute=None)
    evening = OfferingSlot.objects.filter(offering__formula=Formula.EVENING_SATURDAY)
    weekday_times = set(evening.filter(weekday__lt=5).values_list("starts_at", "ends_at"))
    assert {(start.hour, end.hour) for start, end in weekday_times} == {(18, 21)}
    assert not OfferingSlot.objects.filter(offering__formula=Formula.DISTANCE)
    assert Offering.objects.filter(capacity=None).exists()
    assert Offering.objects.filter(language="en", centre__kind=CentreKind.ABROAD).exists()


def test_offerings_slots_and_blocks_pass_the_model_validators(demo):
    for offering in Offering.objects.order_by("pk")[::40]:
        offering.full_clean()
    for slot in OfferingSlot.objects.order_by("pk")[::40]:
        slot.full_clean()
    for block in OfferingBlock.objects.select_related("offering__term")[::10]:
        block.full_clean()
        assert block.offering.term.starts_on <= block.starts_on
        assert block.ends_on <= block.offering.term.ends_on


def test_nfa008_is_offered_this_term_and_next_at_paris_lyon_and_at_a_distance(demo):
    for term in ("2026-S1", "2026-S2"):
        year, semester = int(term[:4]), int(term[-1])
        offered = set(
            Offering.objects.filter(
                unit__code="NFA008",
                term__academic_year__start_year=year,
                term__semester=semester,
                published=True,
            ).values_list("centre__code", "formula")
        )
        assert ("paris", Formula.EVENING_SATURDAY) in offered
        assert ("lyon", Formula.EVENING_SATURDAY) in offered
        assert any(formula == Formula.DISTANCE for _, formula in offered)


def test_learners_are_as_many_as_the_scale_says_and_valid(demo):
    # Those the history's paths need, and the newcomers outside it.
    assert Learner.objects.count() == demo.learners > newcomer_count(TINY_SCALE)
    assert Learner.objects.values("home_centre__kind").distinct().count() == 3
    for learner in Learner.objects.all():
        learner.full_clean()
        assert re.fullmatch(r"A-\d{7}", learner.number)
        assert learner.ine is None or is_valid_ine(learner.ine)
        assert learner.birth_date is not None
        assert 20 <= (TODAY - learner.birth_date).days // 365 <= 61


def test_every_employer_has_a_valid_siret(demo):
    assert Employer.objects.count() == demo.employers
    for employer in Employer.objects.all():
        validate_siret(employer.siret)
        employer.full_clean()


def test_every_demo_login_authenticates_and_holds_its_role(demo):
    assert {login.role for login in demo.logins} == set(Role.values)
    for login in demo.logins:
        user = authenticate(email=login.email, password=DEMO_PASSWORD)
        assert isinstance(user, User), login.email
        assert scope_of(user).has(login.role)


def test_demo_accounts_cover_the_story_of_the_demo_learner(demo):
    users = {login.role: User.objects.get(email=login.email) for login in demo.logins}
    lyon = Centre.objects.get(code="lyon")
    registrar = users[Role.REGISTRAR]
    assert registrar.is_staff
    assert registrar.is_superuser
    assert scope_of(users[Role.CENTRE_STAFF]).covers_centre(lyon.pk)
    assert scope_of(users[Role.JURY_MEMBER]).jury_centre_ids == frozenset({lyon.pk})
    learner = Learner.objects.get(user=users[Role.LEARNER])
    assert learner.home_centre == lyon
    assert learner.employer is not None
    assert scope_of(users[Role.EMPLOYER_CONTACT]).employer_ids == frozenset({learner.employer_id})
    assert (
        users[Role.TEACHER]
        .taught_offerings.filter(
            unit__code="NFA008",
            centre__code="paris",
            term__academic_year__start_year=2026,
            term__semester=1,
        )
        .exists()
    )


def test_the_demo_is_built_only_in_an_empty_database(demo):
    with pytest.raises(Conflict):
        build_demo(scale=TINY_SCALE, seed=1)
