"""The catalogue of units: the real ones of units.csv, generated ones beside them.

Generated units take a department's prefix and a code number that tells
their level (below 100: introductory; 100-199: undergraduate; 200-299:
graduate), a title composed from the prefix's topics, ECTS among 3, 4, 6, 8
and 9 with about ten hours of teaching per credit, and a description. Some
are advised before others; some succeed an older code that stopped being
taught (``replaces`` and ``last_year``). Each department also has its
activity units: project, experience, theses and admission exam.

The catalogue's size does not depend on the scale: only learners do.
"""

import csv
import random
from dataclasses import dataclass, field, replace
from importlib.resources import files

from cursus.catalogue.models import Unit, UnitKind
from cursus.catalogue.search import unit_search_text
from cursus.demo.steps.context import BATCH_SIZE, BuildContext
from cursus.demo.steps.organisation import DEPARTMENTS
from cursus.demo.steps.vocabulary import (
    DESCRIPTION_AIMS,
    DESCRIPTION_ASSESSMENTS,
    DESCRIPTION_OPENINGS,
    PREFIXES,
    TITLE_PATTERNS,
    Prefix,
    Topic,
    compose_title,
)

# Generated course units per department (beside the real ones).
GENERATED_PER_DEPARTMENT: dict[str, int] = {
    "informatique": 95,
    "economie-gestion": 85,
    "travail-entreprise": 40,
    "mathematiques": 34,
    "physique-electronique": 34,
    "genie-mecanique-materiaux": 40,
    "sciences-chimiques-biologiques-nucleaires": 34,
}
# Generated units that succeed an older code, which is kept with its last year.
REPLACED_UNITS = 32

ECTS_CHOICES: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    # For each level, the ECTS a unit may carry and how often.
    0: ((3, 4, 6), (3, 3, 6)),
    1: ((3, 4, 6, 8, 9), (1, 2, 10, 2, 1)),
    2: ((4, 6, 8, 9), (1, 8, 2, 2)),
}

# Units the real diplomas name but units.csv does not list.
ADDED_REAL_UNITS: tuple[tuple[str, str, str, str, int], ...] = (
    (
        "UTC502",
        "Principes fondamentaux des systèmes d'exploitation",
        "Fundamentals of operating systems",
        "informatique",
        3,
    ),
    ("UTC503", "Paradigmes de programmation", "Programming paradigms", "informatique", 3),
    (
        "UTC504",
        "Systèmes d'information et bases de données",
        "Information systems and databases",
        "informatique",
        3,
    ),
    (
        "NFE156",
        "Sécurité et haute disponibilité des bases de données",
        "Database security and high availability",
        "informatique",
        4,
    ),
)

# Advice between real units: (unit, units advised before it).
REAL_RECOMMENDATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("NFA011", ("NFA008",)),
    ("NFE106", ("NFA008",)),
    ("NFE113", ("NFA008",)),
    ("NFE156", ("NFE113",)),
    ("NFP107", ("NFA008",)),
    ("NFA032", ("NFA031",)),
    ("NFP121", ("NFA032",)),
    ("NSY103", ("NFA003",)),
    ("SMB101", ("NFA003", "NFA004")),
    ("RSX112", ("RSX101",)),
    ("STA211", ("STA001",)),
    ("DRS102", ("DRS101",)),
    ("DRM002", ("DRM001",)),
)


@dataclass(frozen=True, slots=True)
class ActivityKind:
    suffix: str
    title_fr: str
    title_en: str
    ects: int
    description_fr: str
    description_en: str


ACTIVITY_KINDS: tuple[ActivityKind, ...] = (
    ActivityKind(
        "05",
        "Projet",
        "Project",
        6,
        "Projet individuel encadré, mené en entreprise ou au centre, soutenu devant un jury.",
        "A supervised individual project, at work or at the centre, defended before a panel.",
    ),
    ActivityKind(
        "10",
        "Expérience professionnelle",
        "Professional experience",
        12,
        "Validation de l'expérience professionnelle sur rapport d'activité.",
        "Professional experience, validated on an activity report.",
    ),
    ActivityKind(
        "39",
        "Expérience professionnelle (titre RNCP)",
        "Professional experience (RNCP title)",
        39,
        "Expérience professionnelle exigée pour un titre RNCP, validée sur rapport et soutenance.",
        "The professional experience an RNCP title requires, validated on a report and an oral.",
    ),
    ActivityKind(
        "30",
        "Mémoire de master",
        "Master's thesis",
        30,
        "Mémoire de recherche ou d'études appliquées, soutenu devant un jury.",
        "A research or applied thesis, defended before a jury.",
    ),
    ActivityKind(
        "45",
        "Mémoire d'ingénieur",
        "Engineering thesis",
        45,
        "Mémoire d'ingénieur préparé en entreprise pendant six mois au moins, soutenu devant un "
        "jury.",
        "An engineering thesis prepared at work over at least six months, defended before a jury.",
    ),
    ActivityKind(
        "0A",
        "Examen d'admission en cycle ingénieur",
        "Admission exam to the engineering cycle",
        3,
        "Entretien d'admission au centre, puis examen du dossier par le jury national.",
        "An admission interview at the centre, then a review of the file by the national jury.",
    ),
)


@dataclass(frozen=True, slots=True)
class UnitSpec:
    """A unit to create, with what the later steps need to know about it."""

    code: str
    title_fr: str
    title_en: str
    department: str
    ects: int
    hours: int | None = None
    kind: str = UnitKind.COURSE
    description_fr: str = ""
    description_en: str = ""
    recommended_prior: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    first_year: int | None = None
    last_year: int | None = None
    prefix: str = ""
    generated: bool = True
    topic: Topic | None = field(default=None, compare=False)

    @property
    def level(self) -> int:
        """Return 0, 1 or 2 (introductory, undergraduate, graduate), read from the code."""
        if self.kind != UnitKind.COURSE or not self.code[3:].isdigit():
            return 1
        return min(int(self.code[3:]) // 100, 2)

    def taught_in(self, year: int) -> bool:
        """Tell whether the unit is taught in the academic year starting in ``year``."""
        return (self.first_year is None or self.first_year <= year) and (
            self.last_year is None or self.last_year >= year
        )


def activity_code(department: str, suffix: str) -> str:
    """Return the code of a department's activity unit, e.g. UASI05 for an IT project."""
    tag = next(d.activity_tag for d in DEPARTMENTS if d.slug == department)
    return f"UA{tag}{suffix}"


def real_unit_specs() -> list[UnitSpec]:
    """Return the units of units.csv, and the few the real diplomas add."""
    specs = []
    source = files("cursus.demo").joinpath("data/units.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(source.splitlines()):
        code = row["code"]
        activity = code.startswith("UA")
        ects = int(row["ects"])
        specs.append(
            UnitSpec(
                code=code,
                title_fr=row["title_fr"],
                title_en=row["title_en"],
                department=row["department"],
                ects=ects,
                hours=None if activity else ects * 10,
                kind=UnitKind.ACTIVITY if activity else UnitKind.COURSE,
                prefix=code[:3],
                generated=False,
            )
        )
    for code, title_fr, title_en, department, ects in ADDED_REAL_UNITS:
        specs.append(
            UnitSpec(
                code=code,
                title_fr=title_fr,
                title_en=title_en,
                department=department,
                ects=ects,
                hours=ects * 10,
                prefix=code[:3],
                generated=False,
            )
        )
    return specs


def plan_units(rng: random.Random) -> list[UnitSpec]:
    """Return every unit of the demo catalogue, real and generated, in creation order."""
    specs = real_unit_specs()
    taken_codes = {spec.code for spec in specs}
    taken_titles = {spec.title_fr.casefold() for spec in specs}
    generated: list[UnitSpec] = []
    for department in (d.slug for d in DEPARTMENTS):
        prefixes = [p for p in PREFIXES if p.department == department]
        generated.extend(
            _generate_department(
                rng,
                prefixes,
                GENERATED_PER_DEPARTMENT[department],
                taken_codes,
                taken_titles,
            )
        )
    generated = _add_descriptions(rng, generated)
    generated, old = _add_replacements(rng, generated, taken_codes)
    activity = _activity_units(taken_codes)
    everything = [*specs, *old, *generated, *activity]
    return _add_recommendations(rng, everything)


def _generate_department(
    rng: random.Random,
    prefixes: list[Prefix],
    count: int,
    taken_codes: set[str],
    taken_titles: set[str],
) -> list[UnitSpec]:
    # Every topic once under its bare name first, then variants until the count is met.
    firsts = [(prefix, topic, TITLE_PATTERNS[0]) for prefix in prefixes for topic in prefix.topics]
    rng.shuffle(firsts)
    variants = [
        (prefix, topic, pattern)
        for prefix in prefixes
        for topic in prefix.topics
        for pattern in TITLE_PATTERNS[1:]
    ]
    rng.shuffle(variants)
    specs: list[UnitSpec] = []
    for prefix, topic, pattern in [*firsts, *variants]:
        if len(specs) == count:
            break
        title_fr, title_en = compose_title(topic, pattern)
        if title_fr.casefold() in taken_titles:
            continue
        level = 0 if prefix.introductory_only else pattern.level
        code = _free_code(rng, prefix.code, level, taken_codes)
        if code is None:
            continue
        taken_titles.add(title_fr.casefold())
        taken_codes.add(code)
        choices, weights = ECTS_CHOICES[level]
        ects = rng.choices(choices, weights)[0]
        specs.append(
            UnitSpec(
                code=code,
                title_fr=title_fr,
                title_en=title_en,
                department=prefix.department,
                ects=ects,
                hours=ects * 10 + rng.choice((0, 0, 0, 0, -5, 5)),
                prefix=prefix.code,
                topic=topic,
            )
        )
    return specs


def _free_code(rng: random.Random, prefix: str, level: int, taken: set[str]) -> str | None:
    low, high = (1, 99) if level == 0 else (level * 100, level * 100 + 99)
    for _ in range(50):
        code = f"{prefix}{rng.randint(low, high):03d}"
        if code not in taken:
            return code
    free = [f"{prefix}{n:03d}" for n in range(low, high + 1) if f"{prefix}{n:03d}" not in taken]
    return free[0] if free else None


def _add_descriptions(rng: random.Random, specs: list[UnitSpec]) -> list[UnitSpec]:
    described = []
    for spec in specs:
        assert spec.topic is not None
        words = {
            "after_de": spec.topic.after_de,
            "fr": spec.topic.fr,
            "en": spec.topic.en,
        }
        parts = [rng.choice(DESCRIPTION_OPENINGS), rng.choice(DESCRIPTION_AIMS)]
        parts.append(rng.choice(DESCRIPTION_ASSESSMENTS))
        described.append(
            replace(
                spec,
                description_fr=" ".join(fr.format(**words) for fr, _ in parts),
                description_en=" ".join(en.format(**words) for _, en in parts),
            )
        )
    return described


def _add_replacements(
    rng: random.Random, specs: list[UnitSpec], taken_codes: set[str]
) -> tuple[list[UnitSpec], list[UnitSpec]]:
    """Give some units an older code they succeed; return the units and the old codes."""
    candidates = [i for i, spec in enumerate(specs) if spec.level > 0]
    chosen = set(rng.sample(candidates, min(REPLACED_UNITS, len(candidates))))
    updated: list[UnitSpec] = []
    old: list[UnitSpec] = []
    for index, spec in enumerate(specs):
        if index not in chosen:
            updated.append(spec)
            continue
        old_code = _free_code(rng, spec.prefix, spec.level, taken_codes)
        if old_code is None:
            updated.append(spec)
            continue
        taken_codes.add(old_code)
        last_year = rng.randint(2018, 2024)
        old_ects = spec.ects if rng.random() < 0.6 else rng.choice((3, 4, 6, 8))
        old.append(
            replace(
                spec,
                code=old_code,
                ects=old_ects,
                hours=old_ects * 10,
                first_year=rng.randint(1994, 2010),
                last_year=last_year,
                description_fr=f"{spec.description_fr} Remplacée par {spec.code}.",
                description_en=f"{spec.description_en} Replaced by {spec.code}.",
            )
        )
        updated.append(replace(spec, replaces=(old_code,), first_year=last_year + 1))
    return updated, old


def _activity_units(taken_codes: set[str]) -> list[UnitSpec]:
    specs = []
    for department in DEPARTMENTS:
        for kind in ACTIVITY_KINDS:
            code = activity_code(department.slug, kind.suffix)
            if code in taken_codes:
                continue
            taken_codes.add(code)
            specs.append(
                UnitSpec(
                    code=code,
                    title_fr=f"{kind.title_fr} — {department.name_fr}",
                    title_en=f"{kind.title_en} — {department.name_en}",
                    department=department.slug,
                    ects=kind.ects,
                    kind=UnitKind.ACTIVITY,
                    description_fr=kind.description_fr,
                    description_en=kind.description_en,
                    prefix="UA",
                )
            )
    return specs


def _add_recommendations(rng: random.Random, specs: list[UnitSpec]) -> list[UnitSpec]:
    real = dict(REAL_RECOMMENDATIONS)
    current = [s for s in specs if s.kind == UnitKind.COURSE and s.last_year is None]
    by_prefix: dict[str, list[UnitSpec]] = {}
    for spec in current:
        by_prefix.setdefault(spec.prefix, []).append(spec)
    result = []
    for spec in specs:
        if spec.code in real:
            result.append(replace(spec, recommended_prior=real[spec.code]))
            continue
        if (
            not spec.generated
            or spec.kind != UnitKind.COURSE
            or spec.last_year is not None
            or spec.level == 0
        ):
            result.append(spec)
            continue
        if rng.random() < 0.4:
            earlier = [s.code for s in by_prefix[spec.prefix] if s.level < spec.level]
            if earlier:
                picks = rng.sample(earlier, min(len(earlier), rng.choice((1, 1, 2))))
                result.append(replace(spec, recommended_prior=tuple(sorted(picks))))
                continue
        result.append(spec)
    return result


def build_units(ctx: BuildContext, specs: list[UnitSpec]) -> None:
    """Create the units, then the advice and succession links between them, in bulk.

    Through ``create_unit`` the catalogue took about 3 seconds (some 6 ms a
    unit: lookups, checks, links and an event each), half of a default build
    and most of the demo tests' time; in bulk it takes a tenth of a second.
    Each row is valid by construction (codes, ECTS, hours, years) and gets
    the search text the action would write; the tests run the model's
    validators on every unit.
    """
    total = len(specs)
    ctx.report("units", 0, total)
    units = [
        Unit(
            code=spec.code,
            title_fr=spec.title_fr,
            title_en=spec.title_en,
            department=ctx.departments[spec.department],
            ects=spec.ects,
            hours=spec.hours,
            kind=spec.kind,
            description_fr=spec.description_fr,
            description_en=spec.description_en,
            first_year=spec.first_year,
            last_year=spec.last_year,
            search_text=unit_search_text(
                code=spec.code,
                title_fr=spec.title_fr,
                title_en=spec.title_en,
                description_fr=spec.description_fr,
                description_en=spec.description_en,
            ),
        )
        for spec in specs
    ]
    ctx.units = {unit.code: unit for unit in Unit.objects.bulk_create(units, batch_size=BATCH_SIZE)}
    for name in ("recommended_prior", "replaces"):
        through = getattr(Unit, name).through
        through.objects.bulk_create(
            [
                through(from_unit_id=ctx.units[spec.code].pk, to_unit_id=ctx.units[code].pk)
                for spec in specs
                for code in getattr(spec, name)
            ],
            batch_size=BATCH_SIZE,
        )
    ctx.report("units", total, total)
