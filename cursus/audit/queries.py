"""Reads of audits: records built from the ledger, diplomas compiled once, versions chosen.

The catalogue's diplomas are compiled once per (code, version) and kept while
their rules text (and the units' replacements) stay the same. A learner's
record is read from the ledger in a few queries, one learner or thousands.
Learners read their own audits; centre staff those of the learners in their
scope; the registrar everyone's (:func:`cursus.records.queries.readable_learners`).
"""

import hashlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, cast

from django.db.models import Count, Max, Q
from django.utils.translation import get_language

from cursus.audit.closest import Closeness, DiplomaIndex
from cursus.audit.engine import (
    AuditResult,
    CompiledDiploma,
    Equivalence,
    Holdings,
    MilestoneEntry,
    Record,
    Remaining,
    UnitEntry,
    compile_diploma,
    evaluate,
    holdings,
    parse_rules,
)
from cursus.audit.engine.record import SOURCES, Source
from cursus.audit.models import AuditRun, AuditSnapshot, Pursuit
from cursus.catalogue.models import Diploma, Unit
from cursus.core.errors import NotFound
from cursus.core.models import Role
from cursus.core.scoping import require
from cursus.enrolment.models import Learner
from cursus.records.queries import (
    LedgerRow,
    MilestoneRow,
    ledgers_of,
    milestones_of,
    readable_learner,
    readable_learners,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User

    Reader = User | AnonymousUser | None

# Learners read per batch of queries when loading many.
CHUNK = 2000
# -- Records from the ledger ------------------------------------------------------------


def _source(value: str) -> Source:
    # The ledger and the engine name the same sources; an unknown one is a bug, not data.
    if value not in SOURCES:
        raise ValueError(
            f"The ledger holds an acquisition source the engine does not know: {value}"
        )
    return cast(Source, value)


def _unit_entry(row: LedgerRow) -> UnitEntry:
    return UnitEntry(
        code=row.code,
        ects=float(row.ects),
        grade=float(row.grade) if row.grade is not None else None,
        source=_source(row.source),
        date=row.date,
        department=row.department,
    )


def _milestone_entry(row: MilestoneRow) -> MilestoneEntry:
    return MilestoneEntry(
        kind=row.kind,
        years=float(row.years or 0),
        in_field_years=float(row.in_field_years or 0),
        language=row.language or None,
        level=row.level or None,
        date=row.date,
    )


def records_of(learner_ids: Iterable[int]) -> dict[int, Record]:
    """Return the engine's records of many learners, by id (two queries per chunk).

    Every id asked for has a record, empty when the learner holds nothing.
    """
    ids = list(learner_ids)
    found: dict[int, Record] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        ledgers = ledgers_of(chunk)
        milestones = milestones_of(chunk)
        for learner_id in chunk:
            found[learner_id] = record_from(
                learner_id, ledgers.get(learner_id, ()), milestones.get(learner_id, ())
            )
    return found


def record_from(
    learner_id: int, ledger: Iterable[LedgerRow], milestones: Iterable[MilestoneRow]
) -> Record:
    """Return the engine's record of a learner from their ledger and milestones, already read."""
    return Record(
        units=tuple(_unit_entry(row) for row in ledger),
        milestones=tuple(_milestone_entry(row) for row in milestones),
        learner=str(learner_id),
    )


def record_of(learner: Learner) -> Record:
    """Return one learner's record for the engine (two queries)."""
    return records_of([learner.pk])[learner.pk]


# -- Diplomas compiled once ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiplomaVersion:
    """One version of a diploma's rules, compiled."""

    pk: int
    code: str
    version: int
    kind: str
    title_fr: str
    title_en: str
    ects: int | None
    first_year: int
    last_year: int | None
    compiled: CompiledDiploma

    @property
    def title(self) -> str:
        """Return the title in the active language."""
        if (get_language() or "fr").startswith("en") and self.title_en:
            return self.title_en
        return self.title_fr

    def in_force_in(self, year: int) -> bool:
        """Tell whether this version is in force in the academic year starting ``year``."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(slots=True)
class Catalogue:
    """Every diploma version, compiled; the latest of each diploma indexed by unit."""

    stamp: tuple[object, ...]
    fingerprint: str
    versions: dict[str, list[DiplomaVersion]]
    latest: list[DiplomaVersion]
    unit_ects: dict[str, float]
    unit_titles: dict[str, tuple[str, str]]
    index: DiplomaIndex = field(repr=False)

    def versions_of(self, code: str) -> list[DiplomaVersion]:
        """Return a diploma's versions, oldest first, or raise NotFound."""
        found = self.versions.get(code)
        if not found:
            raise NotFound("No such diploma.", field="diploma")
        return found

    def unit_title(self, code: str) -> str:
        """Return a unit's title in the active language, or an empty string."""
        titles = self.unit_titles.get(code)
        if titles is None:
            return ""
        english = (get_language() or "fr").startswith("en")
        return titles[1] if english and titles[1] else titles[0]


_compiled: dict[tuple[str, int], tuple[str, CompiledDiploma]] = {}
_catalogue: Catalogue | None = None
_lock = threading.Lock()


def _replacements() -> dict[str, tuple[str, ...]]:
    """Return, for each unit that replaces others, every older unit it stands for."""
    direct: dict[str, set[str]] = {}
    through = Unit.replaces.through
    for newer, older in through.objects.values_list("from_unit__code", "to_unit__code"):
        direct.setdefault(newer, set()).add(older)
    closed: dict[str, tuple[str, ...]] = {}
    for newer, olders in direct.items():
        seen: set[str] = set()
        stack = list(olders)
        while stack:
            code = stack.pop()
            if code in seen or code == newer:
                continue
            seen.add(code)
            stack.extend(direct.get(code, ()))
        closed[newer] = tuple(sorted(seen))
    return closed


def compiled_version(
    code: str, version: int, rules_text: str, replaced: dict[str, tuple[str, ...]]
) -> CompiledDiploma:
    """Return a diploma version compiled, with the catalogue's replacements as equivalences.

    Cached per (code, version) while the rules text and the replacements stay the same.
    """
    key = hashlib.sha256(rules_text.encode()).hexdigest() + _replacements_digest(replaced)
    cached = _compiled.get((code, version))
    if cached is not None and cached[0] == key:
        return cached[1]
    diploma = parse_rules(rules_text)
    own = sorted(
        (newer, older)
        for newer, older in replaced.items()
        if newer in compile_diploma(diploma).codes
    )
    if own:
        declared = {eq.code for eq in diploma.equivalences}
        extra = tuple(
            Equivalence(code=newer, equivalents=older)
            for newer, older in own
            if newer not in declared
        )
        merged = tuple(
            Equivalence(
                code=eq.code,
                equivalents=tuple(dict.fromkeys((*eq.equivalents, *replaced.get(eq.code, ())))),
                line=eq.line,
            )
            for eq in diploma.equivalences
        )
        diploma = replace(diploma, equivalences=merged + extra)
    compiled = compile_diploma(diploma)
    _compiled[(code, version)] = (key, compiled)
    return compiled


def _replacements_digest(replaced: dict[str, tuple[str, ...]]) -> str:
    return hashlib.sha256(repr(sorted(replaced.items())).encode()).hexdigest()


def _stamp() -> tuple[object, ...]:
    """Return what changes whenever a diploma, a unit or a replacement is added or saved."""
    diplomas = Diploma.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("updated_at"))
    units = Unit.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("updated_at"))
    links = Unit.replaces.through.objects.count()
    return (*diplomas.values(), *units.values(), links)


def catalogue() -> Catalogue:
    """Return every diploma compiled, reusing what is unchanged.

    Three small queries tell whether anything was saved since the last call;
    only then are the rules read again (three more), and only the versions
    whose rules text changed compiled again.
    """
    global _catalogue  # noqa: PLW0603 - one cache per process, rebuilt when the rules change
    stamp = _stamp()
    current = _catalogue
    if current is not None and current.stamp == stamp:
        return current
    rows = list(
        Diploma.objects.order_by("code", "version").values_list(
            "pk",
            "code",
            "version",
            "kind",
            "title_fr",
            "title_en",
            "ects",
            "first_year",
            "last_year",
            "rules_text",
        )
    )
    units = list(Unit.objects.values_list("code", "ects", "title_fr", "title_en"))
    replaced = _replacements()
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row[:9]).encode())
        digest.update(hashlib.sha256(row[9].encode()).digest())
    digest.update(repr(sorted(replaced.items())).encode())
    digest.update(repr(sorted(units)).encode())
    fingerprint = digest.hexdigest()
    with _lock:
        if _catalogue is not None and _catalogue.fingerprint == fingerprint:
            _catalogue.stamp = stamp
            return _catalogue
        versions: dict[str, list[DiplomaVersion]] = {}
        for pk, code, version, kind, title_fr, title_en, ects, first, last, text in rows:
            versions.setdefault(code, []).append(
                DiplomaVersion(
                    pk=pk,
                    code=code,
                    version=version,
                    kind=kind,
                    title_fr=title_fr,
                    title_en=title_en,
                    ects=ects,
                    first_year=first,
                    last_year=last,
                    compiled=compiled_version(code, version, text, replaced),
                )
            )
        latest = [found[-1] for found in versions.values()]
        unit_ects = {code: float(ects) for code, ects, _, _ in units}
        _catalogue = Catalogue(
            stamp=stamp,
            fingerprint=fingerprint,
            versions=versions,
            latest=latest,
            unit_ects=unit_ects,
            unit_titles={code: (fr, en) for code, _, fr, en in units},
            index=DiplomaIndex([v.compiled for v in latest], unit_ects),
        )
        return _catalogue


# -- Versions: the most favourable of those the learner may claim ---------------------------


def academic_year(day: date) -> int:
    """Return the academic year a day falls in, by its first calendar year (September)."""
    return day.year if day.month >= 9 else day.year - 1


@dataclass(frozen=True, slots=True)
class VersionChoice:
    """The version a learner is audited against, the one in force when they started, and why."""

    chosen: DiplomaVersion
    at_start: DiplomaVersion
    result: AuditResult
    remaining: Remaining
    # How many versions were compared.
    compared: int

    @property
    def later_is_better(self) -> bool:
        """Tell whether a version later than the one in force at the start was chosen."""
        return self.chosen.version != self.at_start.version


def version_at(versions: Sequence[DiplomaVersion], started_on: date | None) -> DiplomaVersion:
    """Return the version in force when the learner started, else the earliest one."""
    if started_on is None:
        return versions[-1]
    year = academic_year(started_on)
    in_force = [v for v in versions if v.in_force_in(year)]
    if in_force:
        return in_force[-1]
    earlier = [v for v in versions if v.first_year <= year]
    return earlier[-1] if earlier else versions[0]


def favourable_audit(
    versions: Sequence[DiplomaVersion],
    held: Holdings,
    started_on: date | None,
    unit_ects: dict[str, float],
) -> VersionChoice:
    """Audit against the version in force at the start and each later one; keep the best.

    Satisfied beats not satisfied, then least remaining; a tie keeps the version
    in force at the start.
    """
    at_start = version_at(versions, started_on)
    candidates = [v for v in versions if v.version >= at_start.version]
    best: tuple[tuple[bool, Remaining, int], DiplomaVersion, AuditResult, Remaining] | None = None
    for position, version in enumerate(candidates):
        result = evaluate(version.compiled, held)
        left = result.remaining(unit_ects)
        key = (not result.satisfied, left, position)
        if best is None or key < best[0]:
            best = (key, version, result, left)
    assert best is not None  # at_start is among the candidates
    return VersionChoice(
        chosen=best[1],
        at_start=at_start,
        result=best[2],
        remaining=best[3],
        compared=len(candidates),
    )


# -- What a page or the API shows ---------------------------------------------------------------


def auditable_learner(user: "Reader", number: str) -> Learner:
    """Return a learner whose audits the user may read: self, staff in scope, registrar."""
    return readable_learner(user, number)


@dataclass(frozen=True, slots=True)
class PursuitAudit:
    """A diploma a learner pursues, audited against its most favourable version."""

    pursuit: Pursuit
    choice: VersionChoice


def pursuit_of(user: "Reader", pursuit_id: int) -> Pursuit:
    """Return a pursuit of a learner whose audits the user may read, or raise NotFound."""
    found = (
        Pursuit.objects.select_related("learner")
        .filter(pk=pursuit_id, learner__in=readable_learners(user))
        .first()
    )
    if found is None:
        raise NotFound("No such diploma pursued.", field="pursuit")
    return found


def pursuits_of(learner: Learner) -> list[Pursuit]:
    """Return the diplomas a learner pursues, earliest first (one query)."""
    return list(Pursuit.objects.filter(learner=learner).order_by("started_on", "diploma_code"))


def audit_pursuits(learner: Learner, held: Holdings | None = None) -> list[PursuitAudit]:
    """Audit a learner against every diploma they pursue."""
    cat = catalogue()
    held = held if held is not None else holdings(record_of(learner))
    found = []
    for pursuit in pursuits_of(learner):
        versions = cat.versions.get(pursuit.diploma_code)
        if not versions:
            continue
        found.append(
            PursuitAudit(
                pursuit, favourable_audit(versions, held, pursuit.started_on, cat.unit_ects)
            )
        )
    return found


def what_if(
    learner: Learner, code: str, version: int | None = None, held: Holdings | None = None
) -> tuple[DiplomaVersion, AuditResult]:
    """Audit a learner against any diploma: a given version, else the latest."""
    versions = catalogue().versions_of(code)
    chosen = versions[-1]
    if version is not None:
        matching = [v for v in versions if v.version == version]
        if not matching:
            raise NotFound("No such version of this diploma.", field="version")
        chosen = matching[0]
    held = held if held is not None else holdings(record_of(learner))
    return chosen, evaluate(chosen.compiled, held)


@dataclass(frozen=True, slots=True)
class Closest:
    """One diploma and how close a learner is to it."""

    diploma: DiplomaVersion
    closeness: Closeness


def closest_diplomas(
    learner: Learner, *, limit: int | None = 10, held: Holdings | None = None
) -> list[Closest]:
    """Return diplomas by what the learner still lacks, closest first (latest versions)."""
    cat = catalogue()
    held = held if held is not None else holdings(record_of(learner))
    return [Closest(cat.latest[c.position], c) for c in cat.index.rank(held, limit)]


def search_diplomas(text: str = "") -> list[DiplomaVersion]:
    """Return the latest version of the diplomas whose code or title contains ``text``."""
    needle = text.strip().casefold()
    found = catalogue().latest
    if needle:
        found = [
            v
            for v in found
            if needle in v.code.casefold()
            or needle in v.title_fr.casefold()
            or needle in v.title_en.casefold()
        ]
    return sorted(found, key=lambda v: v.code)


# -- Institution audits ------------------------------------------------------------------------


def audit_runs(user: "Reader", limit: int = 10) -> list[AuditRun]:
    """Return the latest institution audits, for the registrar."""
    require(user, Role.REGISTRAR)
    return list(AuditRun.objects.select_related("requested_by")[:limit])


def audit_run(user: "Reader", run_id: int) -> AuditRun:
    """Return one institution audit, for the registrar, or raise NotFound."""
    require(user, Role.REGISTRAR)
    found = AuditRun.objects.filter(pk=run_id).first()
    if found is None:
        raise NotFound("No such audit.", field="run")
    return found


@dataclass(frozen=True, slots=True)
class DiplomaTally:
    """How many learners an institution audit found satisfying or pursuing a diploma."""

    code: str
    version: int
    pursued: int
    satisfied: int


def run_tallies(run: AuditRun, limit: int = 20) -> list[DiplomaTally]:
    """Return, per diploma version, the learners pursuing it and those satisfying it."""
    rows = (
        AuditSnapshot.objects.filter(run=run)
        .values("diploma__code", "diploma__version")
        .annotate(
            pursued=Count("pk", filter=Q(pursued=True)),
            satisfied=Count("pk", filter=Q(satisfied=True)),
        )
        .order_by("-satisfied", "-pursued", "diploma__code")[:limit]
    )
    return [
        DiplomaTally(r["diploma__code"], r["diploma__version"], r["pursued"], r["satisfied"])
        for r in rows
    ]


def learner_ids() -> Iterator[list[int]]:
    """Yield every learner's id, in chunks, by id."""
    ids = list(Learner.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
