"""Bulk import of learners, units, offerings, enrolments and historic results.

:func:`import_rows` checks every row first, against the database and the rest
of the file; with a single problem it writes nothing and returns the report
naming each line and column at fault. Otherwise it writes every row in one
transaction, in bulk (COPY on PostgreSQL), with the events the single-row
actions would write, chained by :func:`cursus.core.events.record_events`.

Re-running a file changes nothing and counts its rows as unchanged. A row
that differs from the database updates it: a learner's file, a unit or an
offering is updated; a published result with another mark is *corrected*, as
:func:`cursus.records.actions.correct_result` does, with the reason "import";
a draft result is published with the file's mark.

Imported enrolments are historic: enrolled, without a teaching fee (fees were
settled where the records come from), under the learner's registration for
the year, which is made (fee 0) at the offering's centre when missing. In a
term that is over they record places already given, as they were; in a term
still under way they may only take the places left, as enrolling would, and
each line beyond an offering's capacity is named. A column the file does not
have leaves that field of existing rows as it is.

On PostgreSQL the new rows are copied (COPY) straight into their tables, with
ids drawn from the tables' sequences beforehand: every check ran before, so
no staging table is needed, and a row another session inserted meanwhile
still breaks a unique constraint and rolls the whole import back.
"""

import datetime as dt
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import (
    UNIT_CODE_PATTERN,
    Centre,
    Department,
    Formula,
    Institute,
    Offering,
    TeachingLanguage,
    Term,
    Unit,
    UnitKind,
)
from cursus.catalogue.search import unit_search_text
from cursus.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from cursus.core.events import EventSpec, record_event, record_events
from cursus.core.identifiers import is_valid_ine, normalise_ine, normalise_siret
from cursus.core.models import Role, User
from cursus.core.scoping import Scope, require, scope_of
from cursus.enrolment.models import (
    ACTIVE_STATUSES,
    Employer,
    Enrolment,
    EnrolmentStatus,
    Learner,
    Rate,
    Registration,
    RegistrationStatus,
    Tariff,
)
from cursus.exchange import bulk
from cursus.exchange.files import read_sheet
from cursus.exchange.formats import EXTRA_CELLS, FORMATS, KINDS
from cursus.exchange.models import ImportJob, ImportStatus
from cursus.exchange.report import ImportReport
from cursus.records.grades import BadGrade, Mark, parse_mark
from cursus.records.ledger import Fact, Key, ResultFact, replay
from cursus.records.models import Acquisition, ExamSession, Result, Validation
from cursus.records.store import facts_for

T = TypeVar("T")
Progress = Callable[[int, int], None]

# How many keys a lookup sends in one IN (...) list.
CHUNK = 5000
# How many learners' ledgers are replayed at once after results are written.
LEDGER_CHUNK = 500
# Progress is reported every so many rows.
TICK = 2000
IMPORT_REASON = "import"
ZERO = Decimal("0.00")


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@lru_cache(maxsize=4096)
def _noon(day: dt.date) -> dt.datetime:
    # Imported rows share few days (the sessions' last days): make each instant once.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# The column sets met so far: the rows of a file share one.
_COLUMN_SETS: dict[tuple[str, ...], frozenset[str]] = {}


class Cells:
    """The cells of one row, read with the checks each column needs."""

    def __init__(self, row: Mapping[str, object], line: int, report: ImportReport) -> None:
        self.row = row
        self.line = line
        self.report = report
        self.bad = False

    @property
    def columns(self) -> frozenset[str]:
        """Return the columns the row has (the file's header)."""
        keys = tuple(self.row.keys())
        found = _COLUMN_SETS.get(keys)
        if found is None:
            found = _COLUMN_SETS[keys] = frozenset(keys)
        return found

    def problem(self, column: str, message: str) -> None:
        """Record a problem with a cell of this row."""
        self.report.add(self.line, column, message)
        self.bad = True

    def text(self, column: str, *, required: bool = False, max_length: int = 200) -> str:
        """Return a cell's text, stripped; record a problem if it is missing or too long."""
        value = self.row.get(column)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.problem(column, _("This column must not be empty."))
        elif len(text) > max_length:
            self.problem(
                column,
                _("At most %(max)s characters; this has %(count)s.")
                % {"max": max_length, "count": len(text)},
            )
        return text

    def integer(
        self, column: str, *, required: bool = False, minimum: int = 0, maximum: int = 32767
    ) -> int | None:
        """Return a cell's whole number, or None when empty and allowed."""
        text = self.text(column, required=required)
        if not text:
            return None
        try:
            value = int(text.removesuffix(".0"))
        except ValueError:
            self.problem(column, _("“%(value)s” is not a whole number.") % {"value": text})
            return None
        if not minimum <= value <= maximum:
            self.problem(
                column,
                _("%(value)s is out of range (%(min)s to %(max)s).")
                % {"value": value, "min": minimum, "max": maximum},
            )
            return None
        return value

    def date(self, column: str, *, today: dt.date) -> dt.date | None:
        """Return a cell's date (2024-06-30 or 30/06/2024), refusing one in the future."""
        text = self.text(column)
        if not text:
            return None
        day = _parse_date(text)
        if day is None:
            self.problem(
                column,
                _("“%(value)s” is not a date: write it 2024-06-30 or 30/06/2024.")
                % {"value": text},
            )
        elif day > today:
            self.problem(
                column,
                _("%(value)s is in the future.") % {"value": day.isoformat()},
            )
            return None
        return day

    def choice(self, column: str, choices: Iterable[str], *, default: str) -> str:
        """Return a cell's value among the choices, or the default when empty."""
        text = self.text(column).lower() or default
        allowed = list(choices)
        if text not in allowed:
            self.problem(
                column,
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(allowed)},
            )
        return text

    def boolean(self, column: str, *, default: bool) -> bool:
        """Return a cell's yes or no (1/0, true/false, oui/non)."""
        text = self.text(column).lower()
        if not text:
            return default
        if text in {"1", "true", "yes", "oui", "vrai", "y", "o"}:
            return True
        if text in {"0", "false", "no", "non", "faux", "n"}:
            return False
        self.problem(column, _("“%(value)s” is not yes or no.") % {"value": text})
        return default


def _parse_date(text: str) -> dt.date | None:
    text = text.strip().split(" ")[0].split("T")[0]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass
class Importer:
    """What every kind shares: the actor, the report, progress and the events to write."""

    actor: User | None
    scope: Scope | None
    report: ImportReport
    today: dt.date = field(default_factory=timezone.localdate)
    events: list[EventSpec] = field(default_factory=list)

    @property
    def actor_id(self) -> int | None:
        """Return the id events record as their author."""
        return self.actor.pk if self.actor is not None else None

    def covers(self, centre_id: int | None) -> bool:
        """Tell whether the actor may write rows of this centre."""
        return self.scope is None or self.scope.covers_centre(centre_id)

    def refuse_centre(self, cells: Cells, column: str) -> None:
        """Record that the row belongs to a centre the actor does not administer."""
        cells.problem(column, _("You do not administer this centre."))

    def event(
        self,
        kind: str,
        subject_type: str,
        subject_id: object,
        data: Mapping[str, Any],
        reason: str = "",
    ) -> None:
        """Queue an event, written in the file's order once every row is saved."""
        self.events.append(self.spec(kind, subject_type, subject_id, data, reason))

    def spec(
        self,
        kind: str,
        subject_type: str,
        subject_id: object,
        data: Mapping[str, Any],
        reason: str = "",
    ) -> EventSpec:
        """Return an event by the import's actor."""
        return EventSpec(
            kind=kind,
            subject_type=subject_type,
            subject_id=str(subject_id),
            actor_id=self.actor_id,
            data=data,
            reason=reason,
        )

    def pending_events(self) -> Iterable[EventSpec]:
        """Return the events to append once the rows are written, in order."""
        return self.events

    def check(self, cells: Cells) -> None:
        """Read and check one row, keeping what it says."""
        raise NotImplementedError

    def resolve(self) -> None:
        """Check the rows against the database and each other, once all are read."""

    def write(self, tick: Callable[[int], None]) -> None:
        """Write the checked rows and their events."""
        raise NotImplementedError


# Learners.

LEARNER_TEXT = {
    "last_name": 150,
    "first_name": 150,
    "phone": 30,
    "address": 2000,
    "profession": 150,
    "sector": 150,
}
# The learner's fields an import sets, by model attribute.
LEARNER_ATTRIBUTES = (
    "last_name",
    "first_name",
    "home_centre_id",
    "birth_date",
    "ine",
    "email",
    "phone",
    "address",
    "profession",
    "sector",
    "employer_id",
)


def _public_name(attribute: str) -> str:
    return attribute.removesuffix("_id")


@dataclass
class LearnerImporter(Importer):
    """Learners' files, by number: opened, or updated when a field differs."""

    rows: list[tuple[int, str, dict[str, Any], frozenset[str]]] = field(default_factory=list)
    centres: dict[str, int] = field(default_factory=dict)
    centre_codes: dict[int, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    ines: dict[str, int] = field(default_factory=dict)
    new: list[Learner] = field(default_factory=list)
    changed: list[tuple[Learner, list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.centres = dict(Centre.objects.values_list("code", "pk"))
        self.centre_codes = {pk: code for code, pk in self.centres.items()}

    def check(self, cells: Cells) -> None:
        number = cells.text("number", required=True, max_length=12)
        values: dict[str, Any] = {
            name: cells.text(name, required=name in {"last_name", "first_name"}, max_length=size)
            for name, size in LEARNER_TEXT.items()
        }
        centre = cells.text("home_centre", required=True)
        values["home_centre_id"] = self.centres.get(centre)
        if centre and values["home_centre_id"] is None:
            cells.problem("home_centre", _("Unknown centre “%(value)s”.") % {"value": centre})
        elif centre and not self.covers(values["home_centre_id"]):
            self.refuse_centre(cells, "home_centre")
        values["birth_date"] = cells.date("birth_date", today=self.today)
        ine = normalise_ine(cells.text("ine", max_length=20))
        if ine and not is_valid_ine(ine):
            cells.problem("ine", _("“%(value)s” is not a valid INE.") % {"value": ine})
        values["ine"] = ine or None
        email = cells.text("email", max_length=254).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                cells.problem(
                    "email", _("“%(value)s” is not an e-mail address.") % {"value": email}
                )
        values["email"] = email
        siret = normalise_siret(cells.text("employer", max_length=20))
        values["employer_id"] = siret or None
        if number in self.numbers:
            cells.problem(
                "number",
                _("Learner %(number)s is already on line %(line)s.")
                % {"number": number, "line": self.numbers[number]},
            )
        elif number:
            self.numbers[number] = cells.line
        if ine and ine in self.ines:
            cells.problem(
                "ine",
                _("This INE is already on line %(line)s.") % {"line": self.ines[ine]},
            )
        elif ine:
            self.ines[ine] = cells.line
        if not cells.bad:
            self.rows.append((cells.line, number, values, cells.columns))

    def resolve(self) -> None:
        sirets = sorted({v["employer_id"] for _l, _n, v, _c in self.rows if v["employer_id"]})
        employers: dict[str, int] = {}
        for chunk in _chunks(sirets):
            employers.update(Employer.objects.filter(siret__in=chunk).values_list("siret", "pk"))
        numbers = [number for _line, number, _values, _columns in self.rows]
        existing: dict[str, Learner] = {}
        for chunk in _chunks(numbers):
            existing.update(
                (learner.number, learner)
                for learner in Learner.objects.filter(number__in=chunk).only(
                    "pk", "number", *LEARNER_ATTRIBUTES
                )
            )
        ines = sorted(v["ine"] for _l, _n, v, _c in self.rows if v["ine"])
        ine_owner: dict[str, str] = {}
        for chunk in _chunks(ines):
            for ine, holder in Learner.objects.filter(ine__in=chunk).values_list("ine", "number"):
                ine_owner[str(ine)] = holder
        counts = self.report.of("learners")
        for line, number, values, columns in self.rows:
            cells = Cells({}, line, self.report)
            siret = values["employer_id"]
            if siret is not None:
                values["employer_id"] = employers.get(siret)
                if values["employer_id"] is None:
                    cells.problem(
                        "employer", _("No employer has the SIRET %(value)s.") % {"value": siret}
                    )
            owner = ine_owner.get(values["ine"]) if values["ine"] else None
            if owner is not None and owner != number:
                cells.problem(
                    "ine",
                    _("This INE belongs to learner %(number)s.") % {"number": owner},
                )
            learner = existing.get(number)
            if learner is None:
                if not cells.bad:
                    self.new.append(Learner(number=number, **values))
                    counts.created += 1
                continue
            if not self.covers(learner.home_centre_id):
                self.refuse_centre(cells, "home_centre")
            # A column the file does not have leaves its field as it is.
            changed = [
                name
                for name in LEARNER_ATTRIBUTES
                if _public_name(name) in columns and getattr(learner, name) != values[name]
            ]
            if cells.bad:
                continue
            if changed:
                for name in changed:
                    setattr(learner, name, values[name])
                self.changed.append((learner, changed))
                counts.updated += 1
            else:
                counts.unchanged += 1

    def write(self, tick: Callable[[int], None]) -> None:
        now = timezone.now()
        for learner, _names in self.changed:
            learner.updated_at = now
        bulk.insert(Learner, self.new)
        tick(len(self.new))
        fields = sorted({name for _learner, names in self.changed for name in names})
        bulk.update(Learner, [learner for learner, _names in self.changed], [*fields, "updated_at"])
        tick(len(self.changed))
        subject = Learner._meta.label_lower
        for learner in self.new:
            self.event(
                "enrolment.learner_created",
                subject,
                learner.pk,
                {
                    "number": learner.number,
                    "home_centre": self.centre_codes[learner.home_centre_id],
                },
            )
        for learner, names in self.changed:
            self.event(
                "enrolment.learner_updated",
                subject,
                learner.pk,
                {"number": learner.number, "changed": sorted(_public_name(n) for n in names)},
            )


# Units.

UNIT_ATTRIBUTES = (
    "title_fr",
    "title_en",
    "department_id",
    "ects",
    "hours",
    "kind",
    "first_year",
    "last_year",
    "description_fr",
    "description_en",
)
UNIT_CODE = re.compile(UNIT_CODE_PATTERN)


@dataclass
class UnitImporter(Importer):
    """Units of the catalogue, by code: added, or updated when a field differs."""

    departments: dict[str, int] = field(default_factory=dict)
    slugs: dict[int, str] = field(default_factory=dict)
    existing: dict[str, Unit] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    new: list[Unit] = field(default_factory=list)
    changed: list[tuple[Unit, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.departments = dict(Department.objects.values_list("slug", "pk"))
        self.slugs = {pk: slug for slug, pk in self.departments.items()}
        self.existing = {unit.code: unit for unit in Unit.objects.all()}

    def check(self, cells: Cells) -> None:
        code = cells.text("code", required=True, max_length=9).upper()
        if code and not UNIT_CODE.match(code):
            cells.problem(
                "code",
                _("“%(value)s” is not a unit code (NFA008, or UA and 3 to 6 letters or digits).")
                % {"value": code},
            )
        if code in self.seen:
            cells.problem(
                "code",
                _("Unit %(code)s is already on line %(line)s.")
                % {"code": code, "line": self.seen[code]},
            )
        elif code:
            self.seen[code] = cells.line
        values: dict[str, Any] = {
            "title_fr": cells.text("title_fr", required=True),
            "title_en": cells.text("title_en"),
            "description_fr": cells.text("description_fr", max_length=20000),
            "description_en": cells.text("description_en", max_length=20000),
            "ects": cells.integer("ects", required=True, minimum=1, maximum=300),
            "hours": cells.integer("hours", maximum=2000),
            "kind": cells.choice("kind", UnitKind.values, default=UnitKind.COURSE),
            "first_year": cells.integer("first_year", minimum=1900, maximum=2200),
            "last_year": cells.integer("last_year", minimum=1900, maximum=2200),
        }
        first, last = values["first_year"], values["last_year"]
        if first is not None and last is not None and last < first:
            cells.problem("last_year", _("The last year comes before the first."))
        slug = cells.text("department", required=True)
        values["department_id"] = self.departments.get(slug)
        if slug and values["department_id"] is None:
            cells.problem("department", _("Unknown department “%(value)s”.") % {"value": slug})
        if cells.bad:
            return
        counts = self.report.of("units")
        unit = self.existing.get(code)
        if unit is None:
            self.new.append(Unit(code=code, **values))
            counts.created += 1
            return
        before = self._state(unit)
        columns = cells.columns
        for name, value in values.items():
            if _public_name(name) in columns:
                setattr(unit, name, value)
        after = self._state(unit)
        changes = {
            name: {"before": before[name], "after": after[name]}
            for name in after
            if before[name] != after[name]
        }
        if changes:
            self.changed.append((unit, changes))
            counts.updated += 1
        else:
            counts.unchanged += 1

    def _state(self, unit: Unit) -> dict[str, Any]:
        state = {_public_name(name): getattr(unit, name) for name in UNIT_ATTRIBUTES}
        state["department"] = self.slugs.get(unit.department_id)
        return state

    def write(self, tick: Callable[[int], None]) -> None:
        now = timezone.now()
        for unit, _changes in [*((u, {}) for u in self.new), *self.changed]:
            unit.search_text = unit_search_text(
                code=unit.code,
                title_fr=unit.title_fr,
                title_en=unit.title_en,
                description_fr=unit.description_fr,
                description_en=unit.description_en,
            )
            unit.updated_at = now
        bulk.insert(Unit, self.new)
        bulk.update(
            Unit,
            [unit for unit, _c in self.changed],
            [*UNIT_ATTRIBUTES, "search_text", "updated_at"],
        )
        tick(len(self.new) + len(self.changed))
        subject = Unit._meta.label_lower
        for unit in self.new:
            self.event(
                "catalogue.unit_created",
                subject,
                unit.pk,
                {"code": unit.code, **self._state(unit), "recommended_prior": [], "replaces": []},
            )
        for unit, changes in self.changed:
            self.event("catalogue.unit_updated", subject, unit.pk, {"changes": changes})


# Offerings, and the rows that name one.

OfferingKey = tuple[int, int, int, str, str]
FORMULAS = frozenset(Formula.values)


@dataclass
class Catalogue:
    """The lookups of rows that name offerings: units, terms, centres and offerings by key."""

    units: dict[str, int]
    unit_codes: dict[int, str]
    terms: dict[str, Term]
    centres: dict[str, int]
    centre_codes: dict[int, str]
    terms_by_id: dict[int, Term] = field(default_factory=dict)
    offerings: dict[OfferingKey, int] = field(default_factory=dict)
    offering_centres: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Catalogue":
        """Read the units, terms and centres once."""
        units = dict(Unit.objects.values_list("code", "pk"))
        centres = dict(Centre.objects.values_list("code", "pk"))
        terms = {term.code: term for term in Term.objects.select_related("academic_year")}
        return cls(
            units=units,
            unit_codes={pk: code for code, pk in units.items()},
            terms=terms,
            centres=centres,
            centre_codes={pk: code for code, pk in centres.items()},
            terms_by_id={term.pk: term for term in terms.values()},
        )

    def load_offerings(self, term_ids: Iterable[int]) -> None:
        """Read the offerings of these terms by key."""
        rows = Offering.objects.filter(term_id__in=sorted(set(term_ids))).values_list(
            "pk", "unit_id", "term_id", "centre_id", "formula", "section"
        )
        for pk, unit, term, centre, formula, section in rows:
            self.offerings[(unit, term, centre, formula, section)] = pk
            self.offering_centres[pk] = centre

    def key(self, cells: Cells) -> OfferingKey | None:
        """Read the columns naming an offering; record problems and return None if bad."""
        unit_code = cells.text("unit", required=True).upper()
        term_code = cells.text("term", required=True).upper()
        centre_code = cells.text("centre", required=True)
        formula = cells.text("formula", required=True).lower()
        if formula and formula not in FORMULAS:
            cells.problem(
                "formula",
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": formula, "choices": ", ".join(Formula.values)},
            )
        section = cells.text("section", max_length=20)
        unit = self.units.get(unit_code)
        if unit_code and unit is None:
            cells.problem("unit", _("Unit %(code)s does not exist.") % {"code": unit_code})
        term = self.terms.get(term_code)
        if term_code and term is None:
            cells.problem(
                "term", _("Unknown term “%(value)s”; write it as 2025-S1.") % {"value": term_code}
            )
        centre = self.centres.get(centre_code)
        if centre_code and centre is None:
            cells.problem("centre", _("Unknown centre “%(value)s”.") % {"value": centre_code})
        if unit is None or term is None or centre is None or formula not in FORMULAS:
            return None
        return (unit, term.pk, centre, formula, section)


@dataclass
class OfferingImporter(Importer):
    """Offerings, by unit, term, centre, formula and section: opened, or updated."""

    catalogue: Catalogue = field(default_factory=Catalogue.load)
    institutes: dict[str, int] = field(default_factory=dict)
    institute_codes: dict[int, str] = field(default_factory=dict)
    rows: list[tuple[int, OfferingKey, dict[str, Any], frozenset[str]]] = field(
        default_factory=list
    )
    seen: dict[OfferingKey, int] = field(default_factory=dict)
    new: list[Offering] = field(default_factory=list)
    changed: list[tuple[Offering, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.institutes = dict(Institute.objects.values_list("code", "pk"))
        self.institute_codes = {pk: code for code, pk in self.institutes.items()}

    def check(self, cells: Cells) -> None:
        key = self.catalogue.key(cells)
        institute = cells.text("institute")
        values: dict[str, Any] = {
            "institute_id": self.institutes.get(institute) if institute else None,
            "capacity": cells.integer("capacity", minimum=1, maximum=100000),
            "language": cells.choice(
                "language", TeachingLanguage.values, default=TeachingLanguage.FRENCH
            ),
            "published": cells.boolean("published", default=True),
        }
        if institute and values["institute_id"] is None:
            cells.problem("institute", _("Unknown institute “%(value)s”.") % {"value": institute})
        elif not institute and cells.text("formula").lower() == Formula.INSTITUTE:
            cells.problem("institute", _("An institute offering must name its institute."))
        if key is not None:
            if not self.covers(key[2]):
                self.refuse_centre(cells, "centre")
            if key in self.seen:
                cells.problem(
                    "section",
                    _("This offering is already on line %(line)s.") % {"line": self.seen[key]},
                )
            else:
                self.seen[key] = cells.line
        if not cells.bad and key is not None:
            self.rows.append((cells.line, key, values, cells.columns))

    def resolve(self) -> None:
        term_ids = {key[1] for _line, key, _values, _columns in self.rows}
        existing = {
            (o.unit_id, o.term_id, o.centre_id, o.formula, o.section): o
            for o in Offering.objects.filter(term_id__in=sorted(term_ids))
        }
        counts = self.report.of("offerings")
        for _line, key, values, columns in self.rows:
            offering = existing.get(key)
            if offering is None:
                unit, term, centre, formula, section = key
                self.new.append(
                    Offering(
                        unit_id=unit,
                        term_id=term,
                        centre_id=centre,
                        formula=formula,
                        section=section,
                        **values,
                    )
                )
                counts.created += 1
                continue
            before = self._state(offering)
            for name, value in values.items():
                if _public_name(name) in columns:
                    setattr(offering, name, value)
            after = self._state(offering)
            changes = {
                name: {"before": before[name], "after": after[name]}
                for name in after
                if before[name] != after[name]
            }
            if changes:
                self.changed.append((offering, changes))
                counts.updated += 1
            else:
                counts.unchanged += 1

    def _state(self, offering: Offering) -> dict[str, Any]:
        terms = {term.pk: code for code, term in self.catalogue.terms.items()}
        return {
            "unit": self.catalogue.unit_codes[offering.unit_id],
            "term": terms[offering.term_id],
            "centre": self.catalogue.centre_codes[offering.centre_id],
            "formula": offering.formula,
            "institute": self.institute_codes.get(offering.institute_id or 0),
            "section": offering.section,
            "capacity": offering.capacity,
            "language": offering.language,
            "published": offering.published,
        }

    def write(self, tick: Callable[[int], None]) -> None:
        now = timezone.now()
        for offering, _changes in self.changed:
            offering.updated_at = now
        bulk.insert(Offering, self.new)
        bulk.update(
            Offering,
            [offering for offering, _c in self.changed],
            ["institute_id", "capacity", "language", "published", "updated_at"],
        )
        tick(len(self.new) + len(self.changed))
        subject = Offering._meta.label_lower
        for offering in self.new:
            self.event(
                "catalogue.offering_created",
                subject,
                offering.pk,
                {**self._state(offering), "slots": [], "blocks": [], "teachers": []},
            )
        for offering, changes in self.changed:
            self.event("catalogue.offering_updated", subject, offering.pk, {"changes": changes})


ENROLMENT_COLUMNS = (
    "learner_id",
    "offering_id",
    "registration_id",
    "unit_id",
    "term_id",
    "status",
    "fee",
    "idempotency_key",
    "enrolled_at",
)
RESULT_COLUMNS = (
    "enrolment_id",
    "session",
    "status",
    "grade",
    "entered_by_id",
    "published_at",
    "published_by_id",
)
REGISTRATION_COLUMNS = (
    "learner_id",
    "academic_year_id",
    "centre_id",
    "rate",
    "tariff_id",
    "fee",
    "status",
)
ACQUISITION_COLUMNS = (
    "learner_id",
    "unit_id",
    "grade",
    "source",
    "acquired_on",
    "centre_id",
    "result_id",
    "validation_id",
)


@dataclass(slots=True)
class YearRegistration:
    """A learner's registration for a year: one in the database, or one the import makes."""

    learner_id: int
    academic_year_id: int
    centre_id: int
    pk: int | None = None
    tariff_id: int | None = None


@dataclass(slots=True)
class Placed:
    """A row's enrolment: one already in the database, or one the import makes."""

    learner_id: int
    learner_number: str
    offering_id: int
    key: OfferingKey
    registration: YearRegistration | None = None
    enrolled_at: dt.datetime | None = None
    enrolment_id: int | None = None


@dataclass
class EnrolmentImporter(Importer):
    """Historic enrolments, by learner and offering; their registrations when missing."""

    catalogue: Catalogue = field(default_factory=Catalogue.load)
    # The checked rows, by line: the cells themselves are not kept.
    parsed: list[tuple[int, str, OfferingKey, dict[str, Any]]] = field(default_factory=list)
    learners: dict[str, tuple[int, int]] = field(default_factory=dict)
    placed: dict[tuple[int, int, int], Placed] = field(default_factory=dict)
    new_enrolments: list[Placed] = field(default_factory=list)
    registrations: dict[tuple[int, int], YearRegistration] = field(default_factory=dict)
    new_registrations: list[YearRegistration] = field(default_factory=list)
    tariffs: dict[tuple[int, int | None], int] = field(default_factory=dict)
    # New enrolments in terms not yet over, by offering: the lines that ask for a place.
    live_lines: dict[int, list[int]] = field(default_factory=dict)
    rows_read: int = 0

    def check(self, cells: Cells) -> None:
        number = cells.text("learner", required=True, max_length=12)
        key = self.catalogue.key(cells)
        extra = self.check_more(cells)
        if not cells.bad and key is not None:
            self.parsed.append((cells.line, number, key, extra))

    def check_more(self, cells: Cells) -> dict[str, Any]:
        """Read the columns a subclass adds."""
        return {}

    def resolve(self) -> None:
        self.catalogue.load_offerings(key[1] for _c, _n, key, _e in self.parsed)
        numbers = sorted({number for _c, number, _k, _e in self.parsed})
        for named in _chunks(numbers):
            self.learners.update(
                (number, (pk, centre))
                for number, pk, centre in Learner.objects.filter(number__in=named).values_list(
                    "number", "pk", "home_centre_id"
                )
            )
        learner_ids = sorted(pk for pk, _centre in self.learners.values())
        term_ids = sorted({key[1] for _c, _n, key, _e in self.parsed})
        existing: dict[tuple[int, int, int], tuple[int, int, str]] = {}
        for chunk in _chunks(learner_ids):
            for pk, learner, unit, term, offering_id, status in Enrolment.objects.filter(
                learner_id__in=chunk, term_id__in=term_ids, status__in=ACTIVE_STATUSES
            ).values_list("pk", "learner_id", "unit_id", "term_id", "offering_id", "status"):
                existing[(learner, unit, term)] = (pk, offering_id, status)
        years = {term.pk: term.academic_year_id for term in self.catalogue.terms.values()}
        year_ids = sorted({years[t] for t in term_ids})
        for chunk in _chunks(learner_ids):
            for pk, learner_id, year_id, centre_id in Registration.objects.filter(
                learner_id__in=chunk,
                academic_year_id__in=year_ids,
                status=RegistrationStatus.REGISTERED,
            ).values_list("pk", "learner_id", "academic_year_id", "centre_id"):
                self.registrations[(learner_id, year_id)] = YearRegistration(
                    learner_id, year_id, centre_id, pk
                )
        for tariff_id, year_id, centre_id in Tariff.objects.filter(
            academic_year_id__in=year_ids
        ).values_list("pk", "academic_year_id", "centre_id"):
            self.tariffs[(year_id, centre_id)] = tariff_id
        for line, number, key, extra in self.parsed:
            cells = Cells({}, line, self.report)
            found = self.learners.get(number)
            if found is None:
                cells.problem(
                    "learner", _("Learner %(number)s does not exist.") % {"number": number}
                )
            offering = self.catalogue.offerings.get(key)
            if offering is None:
                cells.problem(
                    "unit",
                    _("No offering of %(unit)s in %(term)s at %(centre)s (%(formula)s%(section)s).")
                    % {
                        "unit": self.catalogue.unit_codes[key[0]],
                        "term": self.catalogue.terms_by_id[key[1]].code,
                        "centre": self.catalogue.centre_codes[key[2]],
                        "formula": key[3],
                        "section": f", {key[4]}" if key[4] else "",
                    },
                )
            elif not self.covers(key[2]):
                self.refuse_centre(cells, "centre")
            if found is None or offering is None:
                continue
            place_key = (found[0], key[0], key[1])
            placed = self.placed.get(place_key)
            if placed is not None:
                if placed.offering_id != offering:
                    cells.problem(
                        "unit",
                        _("%(number)s is in another offering of this unit this term.")
                        % {"number": number},
                    )
                    continue
                self.on_row(cells, placed, extra, again=True)
                continue
            current = existing.get(place_key)
            placed = Placed(found[0], number, offering, key)
            if current is not None:
                pk, current_offering, status = current
                if current_offering != offering:
                    cells.problem(
                        "unit",
                        _(
                            "%(number)s is already enrolled in another offering of this unit "
                            "this term."
                        )
                        % {"number": number},
                    )
                    continue
                if status != EnrolmentStatus.ENROLLED:
                    cells.problem(
                        "learner",
                        _("%(number)s is on this offering's waitlist.") % {"number": number},
                    )
                    continue
                placed.enrolment_id = pk
                self.report.of("enrolments").unchanged += 1
            elif not self.plan_enrolment(cells, placed):
                continue
            self.placed[place_key] = placed
            self.on_row(cells, placed, extra, again=False)
        self.refuse_overbooking()
        # What the rows said is now in the plans: let it go, files can be long.
        self.rows_read = len(self.parsed)
        self.parsed, self.placed = [], {}

    def refuse_overbooking(self) -> None:
        """Name each line that would take a place beyond an offering's capacity.

        History is recorded as it was; in a term still under way an import may only
        fill the places left, as enrolling would.
        """
        if not self.live_lines:
            return
        offering_ids = sorted(self.live_lines)
        capacity: dict[int, int | None] = {}
        taken: dict[int, int] = {}
        for chunk in _chunks(offering_ids):
            capacity.update(Offering.objects.filter(pk__in=chunk).values_list("pk", "capacity"))
            taken.update(
                Enrolment.objects.filter(offering_id__in=chunk, status=EnrolmentStatus.ENROLLED)
                .values("offering_id")
                .annotate(count=Count("pk"))
                .values_list("offering_id", "count")
            )
        for offering_id in offering_ids:
            places = capacity[offering_id]
            if places is None:  # no limit, as for distance learning
                continue
            free = max(0, places - taken.get(offering_id, 0))
            for line in self.live_lines[offering_id][free:]:
                Cells({}, line, self.report).problem(
                    "unit",
                    _("The offering is full: its %(capacity)d places are taken.")
                    % {"capacity": places},
                )

    def plan_enrolment(self, cells: Cells, placed: Placed) -> bool:
        """Plan a new enrolment for the row, and its registration when the year has none."""
        term = self.catalogue.terms_by_id[placed.key[1]]
        year = term.academic_year_id
        registration = self.registrations.get((placed.learner_id, year))
        if registration is None:
            centre = placed.key[2]
            tariff = self.tariffs.get((year, centre)) or self.tariffs.get((year, None))
            if tariff is None:
                cells.problem(
                    "term",
                    _("No tariff is set for %(year)s: set one before importing its enrolments.")
                    % {"year": term.academic_year.label},
                )
                return False
            registration = YearRegistration(placed.learner_id, year, centre, tariff_id=tariff)
            self.registrations[(placed.learner_id, year)] = registration
            self.new_registrations.append(registration)
            self.report.of("registrations").created += 1
        placed.registration = registration
        placed.enrolled_at = _noon(term.starts_on)
        if term.ends_on >= self.today:
            self.live_lines.setdefault(placed.offering_id, []).append(cells.line)
        self.new_enrolments.append(placed)
        self.report.of("enrolments").created += 1
        return True

    def on_row(self, cells: Cells, placed: Placed, extra: dict[str, Any], *, again: bool) -> None:
        """Take note of a row once its enrolment is known."""
        if again:
            cells.problem(
                "learner",
                _("%(number)s is already enrolled in this offering by another line.")
                % {"number": placed.learner_number},
            )

    def write_enrolments(self) -> None:
        """Write the new registrations and enrolments."""
        fresh = [
            (
                registration.learner_id,
                registration.academic_year_id,
                registration.centre_id,
                Rate.FULL.value,
                registration.tariff_id,
                ZERO,
                RegistrationStatus.REGISTERED.value,
            )
            for registration in self.new_registrations
        ]
        ids = bulk.insert_rows(Registration, REGISTRATION_COLUMNS, fresh)
        for registration, pk in zip(self.new_registrations, ids, strict=True):
            registration.pk = pk
        rows = []
        for placed in self.new_enrolments:
            assert placed.registration is not None
            rows.append(
                (
                    placed.learner_id,
                    placed.offering_id,
                    placed.registration.pk,
                    placed.key[0],
                    placed.key[1],
                    EnrolmentStatus.ENROLLED.value,
                    ZERO,
                    "",
                    placed.enrolled_at,
                )
            )
        ids = bulk.insert_rows(Enrolment, ENROLMENT_COLUMNS, rows)
        for placed, pk in zip(self.new_enrolments, ids, strict=True):
            placed.enrolment_id = pk

    def enrolment_events(self) -> Iterator[EventSpec]:
        """Yield the events of the new registrations, then of the new enrolments."""
        terms = {term.pk: term for term in self.catalogue.terms.values()}
        numbers = {pk: number for number, (pk, _c) in self.learners.items()}
        years = {t.academic_year_id: t.academic_year.label for t in terms.values()}
        # The values as the log keeps them (plain JSON), made once rather than per event.
        fee, rate, status = str(ZERO), Rate.FULL.value, EnrolmentStatus.ENROLLED.value
        for registration in self.new_registrations:
            yield self.spec(
                "enrolment.registered",
                Registration._meta.label_lower,
                registration.pk,
                {
                    "learner": numbers[registration.learner_id],
                    "academic_year": years[registration.academic_year_id],
                    "centre": self.catalogue.centre_codes[registration.centre_id],
                    "rate": rate,
                    "fee": fee,
                    "funding": [],
                },
            )
        for placed in self.new_enrolments:
            unit, term, centre, _formula, _section = placed.key
            yield self.spec(
                "enrolment.enrolled",
                Enrolment._meta.label_lower,
                placed.enrolment_id,
                {
                    "learner": placed.learner_number,
                    "offering": placed.offering_id,
                    "unit": self.catalogue.unit_codes[unit],
                    "term": terms[term].code,
                    "centre": self.catalogue.centre_codes[centre],
                    "status": status,
                    "position": None,
                    "agreement": None,
                    "contract": None,
                    "fee": fee,
                },
            )

    def write(self, tick: Callable[[int], None]) -> None:
        self.write_enrolments()
        tick(self.rows_read)

    def pending_events(self) -> Iterable[EventSpec]:
        return itertools.chain(self.events, self.enrolment_events())


# Results.


@dataclass(slots=True)
class PlannedResult:
    """A result row once checked: its enrolment, session, mark and publication day."""

    line: int
    placed: Placed
    session: int
    mark: Mark
    published_on: dt.date
    current: Result | None = None
    result_id: int | None = None
    change: str = "created"
    previous: tuple[str, Decimal | None] | None = None


@dataclass
class ResultImporter(EnrolmentImporter):
    """Historic published results, with their enrolments; the ledger follows."""

    results: list[PlannedResult] = field(default_factory=list)
    by_session: dict[tuple[int, int, int, int], PlannedResult] = field(default_factory=dict)

    def check_more(self, cells: Cells) -> dict[str, Any]:
        session = cells.integer("session", required=True, minimum=1, maximum=2)
        mark: Mark | None = None
        text = cells.text("grade")
        try:
            mark = parse_mark(text)
        except BadGrade as error:
            cells.problem("grade", str(error))
        published = cells.date("published", today=self.today)
        return {"session": session, "mark": mark, "published": published}

    def on_row(self, cells: Cells, placed: Placed, extra: dict[str, Any], *, again: bool) -> None:
        session, mark = extra["session"], extra["mark"]
        if session is None or mark is None:
            return
        key = (placed.learner_id, placed.key[0], placed.key[1], session)
        earlier = self.by_session.get(key)
        if earlier is not None:
            cells.problem(
                "session",
                _("The result of %(number)s in session %(session)s is already on line %(line)s.")
                % {"number": placed.learner_number, "session": session, "line": earlier.line},
            )
            return
        term = self.catalogue.terms_by_id[placed.key[1]]
        day = _session_day(term, session)
        published = extra["published"] or day
        if published > self.today:
            cells.problem(
                "published",
                _("Session %(session)s of %(term)s has not ended: its results cannot be imported.")
                % {"session": session, "term": term.code},
            )
            return
        planned = PlannedResult(cells.line, placed, session, mark, published)
        self.by_session[key] = planned
        self.results.append(planned)

    def resolve(self) -> None:
        super().resolve()
        # Each row has met its session's other lines: the index is no longer needed.
        self.by_session = {}
        enrolment_ids = sorted(
            {p.placed.enrolment_id for p in self.results if p.placed.enrolment_id is not None}
        )
        existing: dict[tuple[int, int], Result] = {}
        for chunk in _chunks(enrolment_ids):
            for result in Result.objects.filter(enrolment_id__in=chunk):
                existing[(result.enrolment_id, result.session)] = result
        firsts = {
            (p.placed.learner_id, p.placed.key[0], p.placed.key[1]): p.mark
            for p in self.results
            if p.session == ExamSession.FIRST
        }
        counts = self.report.of("results")
        for planned in self.results:
            placed = planned.placed
            cells = Cells({}, planned.line, self.report)
            if placed.enrolment_id is not None:
                planned.current = existing.get((placed.enrolment_id, planned.session))
            if planned.session == ExamSession.SECOND:
                first = firsts.get((placed.learner_id, placed.key[0], placed.key[1]))
                if first is None and placed.enrolment_id is not None:
                    former = existing.get((placed.enrolment_id, ExamSession.FIRST))
                    if former is not None:
                        first = Mark(former.status, former.grade)
                if first is None:
                    cells.problem(
                        "session",
                        _("%(number)s has no session 1 result: import session 1 first.")
                        % {"number": placed.learner_number},
                    )
                    continue
                if first.grade is not None and first.grade >= 10:
                    cells.problem(
                        "session",
                        _(
                            "%(number)s passed session 1 with %(grade)s/20: session 2 is only "
                            "for those absent or under 10."
                        )
                        % {"number": placed.learner_number, "grade": f"{first.grade:.2f}"},
                    )
                    continue
            current = planned.current
            if current is None:
                counts.created += 1
            elif current.is_published and (current.status, current.grade) == (
                planned.mark.status,
                planned.mark.grade,
            ):
                planned.change = "unchanged"
                counts.unchanged += 1
            else:
                planned.change = "corrected" if current.is_published else "published"
                counts.updated += 1

    def write(self, tick: Callable[[int], None]) -> None:
        self.write_enrolments()
        tick(len(self.new_enrolments))
        fresh = [p for p in self.results if p.change == "created"]
        rows = []
        for planned in fresh:
            published = _noon(planned.published_on)
            rows.append(
                (
                    planned.placed.enrolment_id,
                    planned.session,
                    str(planned.mark.status),
                    planned.mark.grade,
                    self.actor_id,
                    published,
                    self.actor_id,
                )
            )
        for planned, pk in zip(fresh, bulk.insert_rows(Result, RESULT_COLUMNS, rows), strict=True):
            planned.result_id = pk
        now = timezone.now()
        updated: list[Result] = []
        for planned in self.results:
            result = planned.current
            if planned.change not in {"corrected", "published"} or result is None:
                continue
            planned.previous = (result.status, result.grade)
            result.status, result.grade, result.updated_at = (
                planned.mark.status,
                planned.mark.grade,
                now,
            )
            if not result.is_published:
                result.published_at = _noon(planned.published_on)
                result.published_by = self.actor
            planned.result_id = result.pk
            updated.append(result)
        bulk.update(
            Result, updated, ["status", "grade", "published_at", "published_by", "updated_at"]
        )
        tick(len(fresh) + len(updated))

    def pending_events(self) -> Iterable[EventSpec]:
        return itertools.chain(self.events, self.enrolment_events(), self.result_events())

    def result_events(self) -> Iterator[EventSpec]:
        """Yield the events of the results written, in the file's order."""
        sessions = {
            term.pk: (term.session1_ends_on.isoformat(), term.session2_ends_on.isoformat())
            for term in self.catalogue.terms.values()
        }
        unit_codes, centre_codes = self.catalogue.unit_codes, self.catalogue.centre_codes
        subject = Result._meta.label_lower
        for planned in self.results:
            if planned.result_id is None:
                continue
            unit, term, centre, _formula, _section = planned.placed.key
            grade = planned.mark.grade
            state = {
                "learner": planned.placed.learner_id,
                "unit": unit_codes[unit],
                "offering": planned.placed.offering_id,
                "session": planned.session,
                "status": str(planned.mark.status),
                "grade": None if grade is None else f"{grade:.2f}",
                "date": sessions[term][planned.session - 1],
                "centre": centre_codes[centre],
            }
            if planned.change == "corrected" and planned.previous is not None:
                status, former = planned.previous
                previous = {"status": status, "grade": None if former is None else f"{former:.2f}"}
                yield self.spec(
                    "records.result_corrected",
                    subject,
                    planned.result_id,
                    {**state, "previous": previous},
                    reason=IMPORT_REASON,
                )
            else:
                yield self.spec("records.result_published", subject, planned.result_id, state)

    def fresh_facts(self) -> dict[Key, list[ResultFact]]:
        """Return the facts of the results this import created, by pair, in the log's order."""
        sessions = {
            term.pk: (term.session1_ends_on, term.session2_ends_on)
            for term in self.catalogue.terms.values()
        }
        facts: dict[Key, list[ResultFact]] = {}
        for planned in self.results:
            if planned.change != "created" or planned.result_id is None:
                continue
            unit, term, centre, _formula, _section = planned.placed.key
            pair = (planned.placed.learner_id, self.catalogue.unit_codes[unit])
            facts.setdefault(pair, []).append(
                ResultFact(
                    result_id=planned.result_id,
                    learner_id=pair[0],
                    unit=pair[1],
                    grade=planned.mark.grade,
                    on=sessions[term][planned.session - 1],
                    centre=self.catalogue.centre_codes[centre],
                )
            )
        return facts

    def ledger_pairs(self) -> set[tuple[int, str]]:
        """Return the (learner, unit) pairs whose acquisitions the written results touch."""
        return {
            (p.placed.learner_id, self.catalogue.unit_codes[p.placed.key[0]])
            for p in self.results
            if p.result_id is not None
        }


def _session_day(term: Term, session: int) -> dt.date:
    return term.session1_ends_on if session == ExamSession.FIRST else term.session2_ends_on


def _known_elsewhere(chunk: Sequence[int], created_ids: set[int]) -> set[Key]:
    """Return the pairs of these learners with results or validations not just created."""
    pairs: set[Key] = {
        (learner, unit)
        for pk, learner, unit in Result.objects.filter(enrolment__learner_id__in=chunk).values_list(
            "pk", "enrolment__learner_id", "enrolment__unit__code"
        )
        if pk not in created_ids
    }
    pairs.update(
        Validation.objects.filter(learner_id__in=chunk).values_list("learner_id", "unit__code")
    )
    return pairs


def refresh_ledger(
    pairs: set[tuple[int, str]],
    tick: Callable[[int], None] | None = None,
    created: Mapping[Key, list[ResultFact]] | None = None,
) -> None:
    """Rewrite, in bulk, the acquisitions of these pairs from the replay of their events.

    ``created`` holds the facts of results the caller has just created and logged:
    a pair with no other result nor validation is replayed from them, without
    reading its events back.
    """
    created = created or {}
    created_ids = {fact.result_id for facts in created.values() for fact in facts}
    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    centre_ids = dict(Centre.objects.values_list("code", "pk"))
    by_learner: dict[int, set[str]] = {}
    for learner, unit in pairs:
        by_learner.setdefault(learner, set()).add(unit)
    learners = sorted(by_learner)
    for chunk in _chunks(learners, LEDGER_CHUNK):
        chunk_pairs = {(learner, unit) for learner in chunk for unit in by_learner[learner]}
        if created:
            elsewhere = _known_elsewhere(chunk, created_ids)
            logged = {pair for pair in chunk_pairs if pair in elsewhere or pair not in created}
        else:
            logged = chunk_pairs
        facts: list[Fact] = facts_for(logged) if logged else []
        facts.extend(fact for pair in chunk_pairs - logged for fact in created[pair])
        ledger = replay(facts)
        existing = {
            (row.learner_id, row.unit.code): row
            for row in Acquisition.objects.select_related("unit").filter(learner_id__in=chunk)
            if (row.learner_id, row.unit.code) in chunk_pairs
        }
        stale = [row.pk for key, row in existing.items() if key not in ledger]
        if stale:
            Acquisition.objects.filter(pk__in=stale).delete()
        new: list[tuple[Any, ...]] = []
        changed: list[Acquisition] = []
        for key, entry in ledger.items():
            values = {
                "grade": entry.grade,
                "source": entry.source,
                "acquired_on": entry.on,
                "centre_id": centre_ids[entry.centre],
                "result_id": entry.result_id,
                "validation_id": entry.validation_id,
            }
            row = existing.get(key)
            if row is None:
                new.append((entry.learner_id, unit_ids[entry.unit], *values.values()))
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        bulk.insert_rows(Acquisition, ACQUISITION_COLUMNS, new)
        bulk.update(
            Acquisition,
            changed,
            ["grade", "source", "acquired_on", "centre_id", "result_id", "validation_id"],
        )
        if tick is not None:
            tick(len(chunk))


IMPORTERS: dict[str, type[Importer]] = {
    "learners": LearnerImporter,
    "units": UnitImporter,
    "offerings": OfferingImporter,
    "enrolments": EnrolmentImporter,
    "results": ResultImporter,
}


def _scope(actor: User | None, kind: str) -> Scope | None:
    if actor is None:
        return None
    if kind == "units":
        return require(actor, Role.REGISTRAR)
    return require(actor, Role.REGISTRAR, Role.CENTRE_STAFF)


# Imports take this transaction-level lock on PostgreSQL, so that two imports run one
# after the other and each checks what the one before wrote. (SQLite's immediate
# transactions already let one writer in at a time.)
IMPORT_LOCK = 7_000_001


def _serialise_imports() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


class Tracker:
    """Turn the import's passes into one figure: rows done out of the file's rows.

    Checking counts for 40 %, writing the rows 20 %, chaining their events 30 %
    and rebuilding the ledger 10 %, about the time each takes.
    """

    WEIGHTS: dict[str, int] = {"check": 40, "write": 20, "events": 30, "ledger": 10}

    def __init__(self, progress: Progress | None, total: int | None) -> None:
        self.progress = progress
        self.total = total
        self.current = "check"
        self.size = total or 0
        self.count = 0
        self.finished = 0

    def phase(self, name: str, size: int) -> None:
        """Start the next pass, of about ``size`` steps."""
        self.finished += self.WEIGHTS[self.current]
        self.current, self.size, self.count = name, size, 0
        self.tick(0)

    def tick(self, count: int) -> None:
        """Record ``count`` more steps of the current pass."""
        self.count += count
        if self.progress is None:
            return
        total = self.total or 0
        share = min(1.0, self.count / self.size) if self.size else 0.0
        percent = self.finished + self.WEIGHTS[self.current] * share
        self.progress(min(total, int(total * percent / 100)), total)


def _counted(events: Iterable[EventSpec], tick: Callable[[int], None]) -> Iterator[EventSpec]:
    for index, event in enumerate(events, start=1):
        yield event
        if index % TICK == 0:
            tick(TICK)


def _check_columns(kind: str, present: Iterable[str], report: ImportReport) -> bool:
    spec = FORMATS[kind]
    names = set(present)
    for column in spec.required:
        if column not in names:
            report.add(1, column, _("The column “%(column)s” is missing.") % {"column": column})
    for column in sorted(names - set(spec.columns)):
        report.add(
            1,
            column,
            _("Unknown column “%(column)s”; the columns are: %(columns)s.")
            % {"column": column, "columns": ", ".join(spec.columns)},
        )
    return report.ok


def import_rows(
    *,
    actor: User | None,
    kind: str,
    rows: Iterable[Mapping[str, str]],
    dry_run: bool = False,
    progress: Progress | None = None,
    total: int | None = None,
    columns: Sequence[str] | None = None,
) -> ImportReport:
    """Import rows of one kind: every row, or none; return the report.

    ``actor`` None is the system itself (the demo, a command run by the
    operator). Rows carrying a ``line`` attribute (files) are reported by it;
    others by their position, the first being line 2. ``columns`` names the
    file's header, checked even when the file has no row.
    """
    if kind not in KINDS:
        raise InvalidInput({"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]})
    scope = _scope(actor, kind)
    report = ImportReport(kind=kind, dry_run=dry_run)
    report.of(kind)
    if total is None and isinstance(rows, Sequence):
        total = len(rows)
    tracker = Tracker(progress, total)
    tick = tracker.tick

    try:
        with transaction.atomic():
            _serialise_imports()
            importer = IMPORTERS[kind](actor=actor, scope=scope, report=report)
            checked = columns is not None
            if columns is not None and not _check_columns(kind, columns, report):
                return report
            for index, row in enumerate(rows):
                if not checked:
                    checked = True
                    if not _check_columns(kind, row.keys(), report):
                        return report
                line = getattr(row, "line", index + 2)
                if EXTRA_CELLS in row:
                    report.add(line, "", _("This line has more cells than the header has columns."))
                    continue
                importer.check(Cells(row, line, report))
                report.rows += 1
                if report.rows % TICK == 0:
                    tick(TICK)
            tick(report.rows % TICK)
            if total is None:
                total = tracker.total = report.rows
            importer.resolve()
            report.problems.sort()
            if not report.ok or dry_run:
                return report
            tracker.phase("write", report.rows)
            importer.write(tick)
            tracker.phase("events", report.rows + len(importer.events))
            record_events(_counted(importer.pending_events(), tick), stream=True)
            if isinstance(importer, ResultImporter):
                pairs = importer.ledger_pairs()
                tracker.phase("ledger", len({learner for learner, _unit in pairs}))
                refresh_ledger(pairs, tick, importer.fresh_facts())

    except IntegrityError:
        # Only a write that raced this import's checks gets here; it rolled back.
        report.add(
            0,
            "",
            _("Other changes were saved at the same time; nothing was imported. Run it again."),
        )
        return report
    if progress is not None:
        progress(total, total)
    return report


def import_file(
    *,
    actor: User | None,
    kind: str,
    content: bytes,
    name: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file of one kind: every line, or none; return the report."""
    sheet = read_sheet(content, name=name)
    if sheet.problems:
        _scope(actor, kind)
        return ImportReport(kind=kind, dry_run=dry_run, problems=sheet.problems)
    return import_rows(
        actor=actor,
        kind=kind,
        rows=sheet.rows,
        dry_run=dry_run,
        progress=progress,
        total=sheet.size - 1 if sheet.size > 1 else None,
        columns=sheet.columns,
    )


# Imports from the registrar's page, run as background tasks.

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
PROGRESS_INTERVAL = 0.5


def _enqueue(job_id: int) -> None:
    def enqueue() -> None:
        # Imported here: the task module imports this one.
        from cursus.exchange.tasks import run_import

        run_import.enqueue(job_id=job_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def start_import(*, actor: User, kind: str, file_name: str, content: bytes) -> ImportJob:
    """Keep an uploaded file and queue its dry run; the import waits for confirmation."""
    if kind in KINDS:
        _scope(actor, kind)
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}]
    if not content:
        errors["file"] = [_("The file is empty.")]
    elif len(content) > MAX_UPLOAD_BYTES:
        errors["file"] = [_("The file is larger than 200 MB: split it.")]
    if errors:
        raise InvalidInput(errors)
    job = ImportJob.objects.create(
        kind=kind, file_name=file_name[:200], content=content, requested_by=actor
    )
    record_event(
        kind="exchange.import_requested",
        subject=job,
        actor=actor,
        data={"kind": kind, "file": job.file_name, "bytes": len(content)},
    )
    _enqueue(job.pk)
    return job


@transaction.atomic
def confirm_import(*, actor: User, job: ImportJob) -> ImportJob:
    """Queue the import of a file whose dry run found nothing wrong."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    _scope(actor, job.kind)
    if job.requested_by_id != actor.pk and not scope_of(actor).is_registrar:
        raise NotAllowed(_("Only who uploaded the file, or the registrar, may import it."))
    if job.status != ImportStatus.CHECKED:
        raise Conflict(_("Only a file checked without problems can be imported."), field="job")
    job.status, job.rows_done = ImportStatus.IMPORTING, 0
    job.save(update_fields=["status", "rows_done", "updated_at"])
    record_event(
        kind="exchange.import_confirmed", subject=job, actor=actor, data={"kind": job.kind}
    )
    _enqueue(job.pk)
    return job


class ProgressWriter:
    """Write an import's progress to its job's row, where the page can read it at once.

    The import holds its transaction open until the end; on PostgreSQL the
    progress goes through a connection of its own, committed as it is written.
    SQLite allows one writer at a time, so there the page shows the pass as
    running until it ends.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def __call__(self, done: int, total: int) -> None:
        """Record how many rows are done, at most twice a second."""
        now = time.monotonic()
        if self.side is None or (now - self.last < PROGRESS_INTERVAL and done < total):
            return
        self.last = now
        table = connection.ops.quote_name(ImportJob._meta.db_table)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = %s WHERE id = %s",  # noqa: S608
                [done, total, self.job_id],
            )

    def close(self) -> None:
        """Close the side connection."""
        if self.side is not None:
            self.side.close()


def run_import_job(job_id: int) -> ImportJob:
    """Run the dry run or the import of a job, as its status says, and keep the report."""
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if not job.is_running:
        return job
    dry_run = job.status == ImportStatus.CHECKING
    ImportJob.objects.filter(pk=job_id).update(started_at=timezone.now(), finished_at=None)
    writer = ProgressWriter(job_id)
    try:
        report = import_file(
            actor=job.requested_by,
            kind=job.kind,
            content=bytes(job.content),
            name=job.file_name,
            dry_run=dry_run,
            progress=writer,
        )
    except DomainError as error:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.REFUSED,
            report={"problems": [{"line": 0, "column": "", "message": error.message}]},
            finished_at=timezone.now(),
        )
    except Exception as error:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise
    else:
        if not report.ok:
            status = ImportStatus.REFUSED
        else:
            status = ImportStatus.CHECKED if dry_run else ImportStatus.DONE
        ImportJob.objects.filter(pk=job_id).update(
            status=status,
            report=report.as_dict(),
            rows_done=report.rows,
            rows_total=report.rows,
            finished_at=timezone.now(),
        )
    finally:
        writer.close()
    job.refresh_from_db()
    return job


__all__ = [
    "IMPORTERS",
    "ImportReport",
    "confirm_import",
    "import_file",
    "import_rows",
    "refresh_ledger",
    "run_import_job",
    "start_import",
]
