"""A hand-made institution for the statistics: every row written directly, so that each
test states exactly the enrolments, results and awards it counts."""

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

from cursus.catalogue.models import Centre, Diploma, Institute, Offering, Term, Unit
from cursus.catalogue.tests.fixtures import make_centre, make_department, make_term, make_unit
from cursus.credentials.models import AwardedDiploma, Candidate, JurySession
from cursus.enrolment.models import Enrolment, Learner, Registration, Tariff
from cursus.records.models import Acquisition, Result

_numbers = count(1)


class Stage:
    """Departments, centres of each kind, institutes, units and the terms of 2023 to 2025."""

    def __init__(self) -> None:
        self.info = make_department("informatique", "Informatique")
        self.eco = make_department("economie-gestion", "Économie et gestion")
        self.paris = make_centre("paris", "Paris", "seat")
        self.lyon = make_centre("lyon", "Lyon", "regional")
        self.nantes = make_centre("nantes", "Nantes", "regional")
        self.beirut = make_centre("liban", "Beyrouth", "abroad")
        self.intec = Institute.objects.create(code="intec", name="Intec", sector="Comptabilité")
        self.enjmin = Institute.objects.create(code="enjmin", name="Enjmin", sector="Jeu vidéo")
        self.nfa008 = make_unit("NFA008", self.info)
        self.nfa011 = make_unit("NFA011", self.info)
        self.cfa109 = make_unit("CFA109", self.eco)
        self.cfa110 = make_unit("CFA110", self.eco)
        self.terms = {(y, s): make_term(y, s) for y in (2023, 2024, 2025) for s in (1, 2)}
        self.diplomas: dict[str, Diploma] = {}
        self._offerings: dict[tuple[int, int, int, str, int | None], Offering] = {}
        self._registrations: dict[tuple[int, int], Registration] = {}

    def term(self, year: int = 2025, semester: int = 1) -> Term:
        return self.terms[(year, semester)]

    def learner(self, *, birth_date: date | None = None, sector: str = "") -> Learner:
        number = next(_numbers)
        return Learner.objects.create(
            number=f"T-{number:07d}",
            first_name="Camille",
            last_name=f"Martin {number}",
            birth_date=birth_date,
            sector=sector,
            home_centre=self.paris,
        )

    def offering(
        self,
        unit: Unit,
        term: Term,
        centre: Centre,
        formula: str = "evening_saturday",
        institute: Institute | None = None,
    ) -> Offering:
        if formula == "institute" and institute is None:
            institute = self.intec
        key = (unit.pk, term.pk, centre.pk, formula, institute.pk if institute else None)
        if key not in self._offerings:
            self._offerings[key] = Offering.objects.create(
                unit=unit,
                term=term,
                centre=centre,
                formula=formula,
                institute=institute,
                section=institute.code if institute else "",
            )
        return self._offerings[key]

    def enrol(
        self,
        learner: Learner,
        unit: Unit,
        *,
        term: Term | None = None,
        centre: Centre | None = None,
        formula: str = "evening_saturday",
        institute: Institute | None = None,
        status: str = "enrolled",
    ) -> Enrolment:
        term = term or self.term()
        offering = self.offering(unit, term, centre or self.paris, formula, institute)
        ended = timezone.now() if status in ("withdrawn", "cancelled") else None
        return Enrolment.objects.create(
            learner=learner,
            offering=offering,
            registration=self._registration(learner, term),
            unit=unit,
            term=term,
            status=status,
            enrolled_at=timezone.now() if status == "enrolled" else None,
            ended_at=ended,
        )

    def _registration(self, learner: Learner, term: Term) -> Registration:
        key = (learner.pk, term.academic_year_id)
        if key not in self._registrations:
            tariff = Tariff.objects.filter(academic_year=term.academic_year).first()
            if tariff is None:
                tariff = Tariff.objects.create(
                    academic_year=term.academic_year,
                    basis="per_unit",
                    registration_fee=Decimal(0),
                    full_amount=Decimal(0),
                    reduced_amount=Decimal(0),
                    employer_amount=Decimal(0),
                )
            self._registrations[key] = Registration.objects.create(
                learner=learner,
                academic_year=term.academic_year,
                centre=self.paris,
                tariff=tariff,
                fee=Decimal(0),
            )
        return self._registrations[key]

    def result(
        self, enrolment: Enrolment, grade: str | None, *, session: int = 1, published: bool = True
    ) -> Result:
        return Result.objects.create(
            enrolment=enrolment,
            session=session,
            status="graded" if grade is not None else "absent",
            grade=Decimal(grade) if grade is not None else None,
            published_at=timezone.now() if published else None,
        )

    def acquire(self, learner: Learner, unit: Unit, on: date) -> Acquisition:
        term = self.term(2023, 1)  # before the years the tests count
        enrolment = self.enrol(learner, unit, term=term)
        result = self.result(enrolment, "12")
        return Acquisition.objects.create(
            learner=learner,
            unit=unit,
            grade=Decimal(12),
            source="result",
            acquired_on=on,
            centre=self.paris,
            result=result,
        )

    def diploma(self, kind: str) -> Diploma:
        if kind not in self.diplomas:
            self.diplomas[kind] = Diploma.objects.create(
                code=kind.upper()[:20],
                version=1,
                kind=kind,
                department=self.info,
                rules_text="-",
                first_year=2000,
                title_fr=kind,
            )
        return self.diplomas[kind]

    def award(
        self,
        learner: Learner,
        kind: str,
        on: date,
        *,
        centre: Centre | None = None,
        revoked: bool = False,
    ) -> AwardedDiploma:
        diploma = self.diploma(kind)
        session = JurySession.objects.create(
            diploma_code=diploma.code,
            level="centre" if centre else "national",
            centre=centre,
            held_on=on,
        )
        candidate = Candidate.objects.create(session=session, learner=learner, decision="award")
        return AwardedDiploma.objects.create(
            number=f"{on.year}-{diploma.code}-{next(_numbers):05d}",
            learner=learner,
            diploma=diploma,
            diploma_code=diploma.code,
            session=session,
            candidate=candidate,
            awarded_on=on,
            centre=centre,
            status="revoked" if revoked else "awarded",
            revoked_at=datetime(2026, 1, 5, tzinfo=UTC) if revoked else None,
        )
