import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cursus.catalogue.models import Offering, Unit
from cursus.catalogue.tests.fixtures import make_offering, make_term, make_user
from cursus.core.errors import NotAllowed
from cursus.core.events import verify_chain
from cursus.core.models import Event, Role
from cursus.enrolment.models import Enrolment, Learner, Registration, Tariff, TariffBasis
from cursus.exchange.actions import import_file, import_rows
from cursus.exchange.tests.fixtures import result_row
from cursus.records.models import Acquisition, Result
from cursus.records.store import ledger_differences

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Learner, Unit, Offering, Registration, Enrolment, Result, Acquisition, Event)
    )


def problems(report) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in report.problems]


def test_results_import_publishes_enrolls_and_keeps_the_ledger_true(registrar, learners, offering):
    rows = [
        result_row("A-0000001", offering, 1, "14.5"),
        result_row("A-0000002", offering, 1, "ABS"),
        result_row("A-0000002", offering, 2, "11"),
    ]
    report = import_rows(actor=registrar, kind="results", rows=rows)
    assert report.ok, report.problems
    assert (report.created, report.of("enrolments").created) == (3, 2)
    assert report.of("registrations").created == 2
    assert Result.objects.filter(published_at__isnull=False).count() == 3
    held = dict(Acquisition.objects.values_list("learner__number", "grade"))
    assert held == {"A-0000001": Decimal("14.50"), "A-0000002": Decimal("11.00")}
    assert Event.objects.filter(kind="records.result_published").count() == 3
    assert verify_chain() is None
    assert ledger_differences() == []


def test_running_the_same_rows_again_changes_nothing(registrar, learners, offering):
    rows = [result_row("A-0000001", offering, 1, "8"), result_row("A-0000001", offering, 2, "12")]
    import_rows(actor=registrar, kind="results", rows=rows)
    before = counts()
    report = import_rows(actor=registrar, kind="results", rows=rows)
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert report.of("enrolments").unchanged == 1
    assert counts() == before


def test_a_changed_grade_is_a_correction_with_the_reason_import(registrar, learners, offering):
    import_rows(actor=registrar, kind="results", rows=[result_row("A-0000001", offering, 1, "8")])
    assert not Acquisition.objects.exists()
    report = import_rows(
        actor=registrar, kind="results", rows=[result_row("A-0000001", offering, 1, "13")]
    )
    assert report.updated == 1
    corrected = Event.objects.get(kind="records.result_corrected")
    assert corrected.reason == "import"
    assert corrected.data["previous"] == {"status": "graded", "grade": "8.00"}
    assert Acquisition.objects.get().grade == Decimal("13.00")
    assert verify_chain() is None
    assert ledger_differences() == []


def test_a_bad_line_refuses_the_whole_file_naming_each_line(registrar, learners, offering):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    rows = [
        result_row("A-0000001", offering, 1, "12"),
        result_row("A-9999999", offering, 1, "12"),
        result_row("A-0000002", offering, 1, "21"),
        {**result_row("A-0000003", offering, 1, "12"), "unit": "XYZ999"},
        result_row("A-0000002", offering, 2, "12", published=future),
        result_row("A-0000001", offering, 1, "15"),
    ]
    before = counts()
    report = import_rows(actor=registrar, kind="results", rows=rows)
    assert not report.ok
    assert problems(report) == [
        (3, "learner"),
        (4, "grade"),
        (5, "unit"),
        (6, "published"),
        (7, "session"),
    ]
    assert "XYZ999" in report.problems[2].message
    assert counts() == before


def test_learners_import_creates_then_updates_and_refuses_duplicates(registrar, paris):
    rows = [
        {"number": "B-1", "last_name": "Durand", "first_name": "Paul", "home_centre": "paris"},
        {"number": "B-2", "last_name": "Petit", "first_name": "Ana", "home_centre": "paris"},
    ]
    report = import_rows(actor=registrar, kind="learners", rows=rows)
    assert report.created == 2
    assert Event.objects.filter(kind="enrolment.learner_created").count() == 2
    rows[1] = {**rows[1], "last_name": "Petit-Jean", "birth_date": "12/03/1990"}
    report = import_rows(actor=registrar, kind="learners", rows=rows)
    assert (report.updated, report.unchanged) == (1, 1)
    learner = Learner.objects.get(number="B-2")
    assert (learner.last_name, learner.birth_date) == ("Petit-Jean", dt.date(1990, 3, 12))
    updated = Event.objects.get(kind="enrolment.learner_updated")
    assert updated.data == {"number": "B-2", "changed": ["birth_date", "last_name"]}
    before = counts()
    report = import_rows(actor=registrar, kind="learners", rows=[*rows, {**rows[0]}])
    assert problems(report) == [(4, "number")]
    assert "line 2" in report.problems[0].message
    assert counts() == before
    assert verify_chain() is None


def test_a_birth_date_in_the_future_is_refused(registrar, paris):
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    row = {"number": "B-1", "last_name": "D", "first_name": "P", "home_centre": "paris"}
    report = import_rows(actor=registrar, kind="learners", rows=[{**row, "birth_date": future}])
    assert problems(report) == [(2, "birth_date")]
    assert not Learner.objects.exists()


def test_a_missing_column_is_named_and_nothing_is_read(registrar, paris):
    rows = [{"number": "B-1", "last_name": "Durand", "home_centre": "paris"}]
    report = import_rows(actor=registrar, kind="learners", rows=rows)
    assert problems(report) == [(1, "first_name")]
    assert not Learner.objects.exists()


def test_dry_run_reports_counts_and_writes_nothing(registrar, learners, offering):
    before = counts()
    rows = [result_row("A-0000001", offering, 1, "12")]
    report = import_rows(actor=registrar, kind="results", rows=rows, dry_run=True)
    assert report.ok
    assert report.created == 1
    assert counts() == before


def test_a_year_without_tariff_is_named(registrar, learners, offering, tariff):
    tariff.delete()
    report = import_rows(
        actor=registrar, kind="results", rows=[result_row("A-0000001", offering, 1, "12")]
    )
    assert problems(report) == [(2, "term")]


def test_units_and_offerings_import_write_the_catalogue_events(registrar, department, term, paris):
    units = [{"code": "NFE114", "title_fr": "Systèmes", "department": "informatique", "ects": "6"}]
    assert import_rows(actor=registrar, kind="units", rows=units).created == 1
    offerings = [
        {"unit": "NFE114", "term": term.code, "centre": "paris", "formula": "evening_saturday"}
    ]
    assert import_rows(actor=registrar, kind="offerings", rows=offerings).created == 1
    offerings[0]["capacity"] = "30"
    report = import_rows(actor=registrar, kind="offerings", rows=offerings)
    assert report.updated == 1
    assert Offering.objects.get().capacity == 30
    kinds = list(Event.objects.values_list("kind", flat=True))
    assert kinds == [
        "catalogue.unit_created",
        "catalogue.offering_created",
        "catalogue.offering_updated",
    ]
    assert Unit.objects.get(code="NFE114").search_text.strip().startswith("nfe114")
    assert verify_chain() is None


def test_backslashes_tabs_and_line_breaks_are_written_as_given(registrar, department, paris):
    address = "3 rue des Lilas\\B\n\t2e étage"
    learner = {"number": "B-1", "last_name": "O\\Brien", "first_name": "Ann\tMarie"}
    rows = [{**learner, "home_centre": "paris", "address": address}]
    assert import_rows(actor=registrar, kind="learners", rows=rows).created == 1
    written = Learner.objects.values("last_name", "first_name", "address").get()
    assert written == {"last_name": "O\\Brien", "first_name": "Ann\tMarie", "address": address}
    title = "Systèmes\\Réseaux\n\tavancés"
    units = [{"code": "NFE114", "title_fr": title, "department": "informatique", "ects": "6"}]
    assert import_rows(actor=registrar, kind="units", rows=units).created == 1
    assert Unit.objects.get(code="NFE114").title_fr == title
    assert Event.objects.get(kind="catalogue.unit_created").data["title_fr"] == title
    assert verify_chain() is None


def test_learners_and_teachers_may_not_import(teacher, learners, offering):
    with pytest.raises(NotAllowed):
        import_rows(actor=teacher, kind="results", rows=[])


def test_centre_staff_import_only_their_centres_rows(
    paris_staff, learners, offering, other_offering
):
    report = import_rows(
        actor=paris_staff,
        kind="results",
        rows=[
            result_row("A-0000001", offering, 1, "12"),
            result_row("A-0000003", other_offering, 1, "12"),
        ],
    )
    assert problems(report) == [(3, "centre")]
    with pytest.raises(NotAllowed):
        import_rows(actor=paris_staff, kind="units", rows=[])


def test_lyon_staff_may_not_change_a_paris_learner(lyon, learners):
    staff = make_user("staff@lyon.example.org", Role.CENTRE_STAFF, centre=lyon)
    row = {"number": "A-0000001", "last_name": "X", "first_name": "Y", "home_centre": "lyon"}
    report = import_rows(actor=staff, kind="learners", rows=[row])
    assert problems(report) == [(2, "home_centre")]


def test_a_file_in_another_encoding_names_the_line(registrar, paris):
    content = "number;last_name;first_name;home_centre\nB-1;Durand;Paul;paris\nB-2;Hélène;A;paris\n"
    report = import_file(actor=registrar, kind="learners", content=content.encode("latin-1"))
    assert problems(report) == [(3, "")]
    assert "UTF-8" in report.problems[0].message
    assert not Learner.objects.exists()


def test_a_csv_file_with_a_bad_line_is_refused_with_its_line(registrar, learners, offering):
    content = (
        "\ufefflearner,unit,term,centre,formula,session,grade\n"
        f"A-0000001,NFA008,{offering.term.code},paris,evening_saturday,1,12\n"
        "\n"
        f"A-0000002,NFA008,{offering.term.code},paris,evening_saturday,1,douze\n"
    )
    report = import_file(actor=registrar, kind="results", content=content.encode())
    assert problems(report) == [(4, "grade")]
    assert not Result.objects.exists()


def test_a_file_missing_a_column_names_it_and_imports_nothing(registrar, learners, offering):
    content = (
        "learner;unit;term;centre;formula;grade\n"
        f"A-0000001;NFA008;{offering.term.code};paris;evening_saturday;12\n"
    )
    report = import_file(actor=registrar, kind="results", content=content.encode())
    assert problems(report) == [(1, "session")]
    assert "session" in report.problems[0].message
    assert not Result.objects.exists()


def test_a_line_longer_than_the_header_is_named(registrar, paris):
    content = "number;last_name;first_name;home_centre\nB-1;Durand;Paul;paris;extra\n"
    report = import_file(actor=registrar, kind="learners", content=content.encode())
    assert problems(report) == [(2, "")]
    assert not Learner.objects.exists()


def test_a_column_the_file_lacks_leaves_its_field_alone(registrar, paris):
    row = {"number": "B-1", "last_name": "D", "first_name": "P", "home_centre": "paris"}
    import_rows(actor=registrar, kind="learners", rows=[{**row, "email": "p@example.org"}])
    report = import_rows(actor=registrar, kind="learners", rows=[{**row, "last_name": "E"}])
    assert report.updated == 1
    learner = Learner.objects.get()
    assert (learner.last_name, learner.email) == ("E", "p@example.org")
    report = import_rows(actor=registrar, kind="learners", rows=[{**row, "email": ""}])
    assert Learner.objects.get().email == ""


def test_results_added_to_a_ledger_that_holds_others_keep_it_true(registrar, learners, offering):
    from cursus.records.actions import validate_prior_learning

    validate_prior_learning(
        actor=registrar,
        learner=learners[1],
        units=["NFA008"],
        source="dispense",
        decision_reference="D-1",
        jury="Jury",
        decided_on=dt.date(2020, 5, 3),
        centre=offering.centre,
    )
    import_rows(actor=registrar, kind="results", rows=[result_row("A-0000001", offering, 1, "8")])
    report = import_rows(
        actor=registrar,
        kind="results",
        rows=[
            result_row("A-0000001", offering, 1, "8"),
            result_row("A-0000001", offering, 2, "12"),
            result_row("A-0000002", offering, 1, "8"),
        ],
    )
    assert (report.created, report.unchanged) == (2, 1)
    held = {a.learner.number: (a.grade, a.source) for a in Acquisition.objects.all()}
    assert held == {"A-0000001": (Decimal("12.00"), "exam"), "A-0000002": (None, "dispense")}
    assert ledger_differences() == []
    assert verify_chain() is None


def test_enrolments_in_a_term_under_way_fill_only_the_places_left(
    registrar, learners, nfa008, paris
):
    today = timezone.localdate()
    term = make_term(today.year if today.month >= 9 else today.year - 1, 1)
    term.ends_on = today + dt.timedelta(days=30)
    term.save(update_fields=["ends_on"])
    Tariff.objects.create(
        academic_year=term.academic_year,
        centre=None,
        basis=TariffBasis.PER_UNIT,
        registration_fee=Decimal(100),
        full_amount=Decimal(200),
        reduced_amount=Decimal(100),
        employer_amount=Decimal(400),
    )
    offering = make_offering(nfa008, term, paris)
    offering.capacity = 2
    offering.save(update_fields=["capacity"])
    rows = [
        {
            "learner": learner.number,
            "unit": "NFA008",
            "term": term.code,
            "centre": paris.code,
            "formula": offering.formula,
        }
        for learner in learners
    ]
    before = counts()

    report = import_rows(actor=registrar, kind="enrolments", rows=rows)

    assert problems(report) == [(4, "unit")]
    assert "full" in report.problems[0].message
    assert counts() == before
    assert import_rows(actor=registrar, kind="enrolments", rows=rows[:2]).ok
    assert Enrolment.objects.filter(offering=offering).count() == 2
