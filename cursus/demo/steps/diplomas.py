"""Diplomas: the real ones of the institution and generated ones in every department.

Rules are written in the rules language (docs/rules-language.md). The real
diplomas come from the rules files of ``cursus/audit/rules``; the demo's own
copies (``data/rules``) stand in for those the audit app does not describe,
such as the historic DPCT and DEST, and keep older versions as closed ones.
Units their rules name that the catalogue lacks are added to it. Generated
diplomas draw their units from the catalogue, so every code they name exists.
"""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from cursus.catalogue.actions import create_diploma
from cursus.catalogue.models import DiplomaKind, UnitKind
from cursus.catalogue.search import normalise
from cursus.demo.steps.catalogue import ACTIVITY_KINDS, UnitSpec, activity_code
from cursus.demo.steps.context import BuildContext
from cursus.demo.steps.organisation import DEPARTMENTS
from cursus.demo.steps.vocabulary import (
    FIELDS,
    PREFIXES,
    TITLE_PATTERNS,
    Field,
    Prefix,
    compose_title,
)

Rules = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DiplomaSpec:
    """A diploma version to create."""

    code: str
    version: int
    kind: str
    title_fr: str
    title_en: str
    department: str | None
    ects: int | None
    rules_text: str
    first_year: int
    last_year: int | None = None
    national_jury: bool = False
    description_fr: str = ""
    description_en: str = ""


@dataclass(frozen=True, slots=True)
class RealDiploma:
    """What a rules file does not say about a real diploma: its years and descriptions."""

    first_year: int
    last_year: int | None
    description_fr: str
    description_en: str


REAL_DIPLOMAS: dict[tuple[str, int], RealDiploma] = {
    ("CC-ABD", 2019): RealDiploma(
        2019,
        None,
        "Environ 300 heures sur un an et demi : conception, administration et exploitation de "
        "bases de données, projet et expérience professionnelle.",
        "About 300 hours over eighteen months: database design, administration and operations, "
        "a project and professional experience.",
    ),
    ("CC-ABD", 2012): RealDiploma(
        2012,
        2018,
        "Version antérieure du certificat, remplacée en 2019.",
        "The earlier version of the certificate, replaced in 2019.",
    ),
    ("LG02501A", 2020): RealDiploma(
        2020,
        None,
        "Troisième année de licence : tronc commun, trois groupes thématiques, anglais et "
        "expérience professionnelle.",
        "Third year of the bachelor's degree: a core, three thematic groups, English and "
        "professional experience.",
    ),
    ("RNCP-ARCHI", 2021): RealDiploma(
        2021,
        None,
        "Titre de niveau 7 inscrit au RNCP : architecture des systèmes, services et sécurité, "
        "avec une expérience professionnelle de 39 ECTS.",
        "A level 7 title on the RNCP: systems architecture, services and security, with 39 "
        "ECTS of professional experience.",
    ),
    ("ING-INFO", 2018): RealDiploma(
        2018,
        None,
        "Diplôme d'ingénieur préparé hors temps de travail, délivré par le jury national ; "
        "confère le grade de master.",
        "An engineering degree earned in the evening, awarded by the national jury; confers "
        "the master's degree.",
    ),
    ("DPCT-INFO", 1985): RealDiploma(
        1985,
        2004,
        "Diplôme historique de premier cycle, délivré jusqu'en 2004.",
        "A historic first-cycle diploma, awarded until 2004.",
    ),
    ("DEST-GESTION", 1990): RealDiploma(
        1990,
        2008,
        "Diplôme historique d'études supérieures techniques, délivré jusqu'en 2008.",
        "A historic higher technical diploma, awarded until 2008.",
    ),
}

# What each department's generated diplomas are, in order; every kind appears.
GENERATED_KINDS: dict[str, tuple[DiplomaKind, ...]] = {
    "informatique": (
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.CERTIFICAT_PROFESSIONNEL,
        DiplomaKind.LICENCE,
        DiplomaKind.MASTER,
        DiplomaKind.INGENIEUR,
        DiplomaKind.TITRE_RNCP,
    ),
    "economie-gestion": (
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.CERTIFICAT_PROFESSIONNEL,
        DiplomaKind.LICENCE,
        DiplomaKind.MASTER,
        DiplomaKind.TITRE_RNCP,
        DiplomaKind.DEST,
    ),
    "travail-entreprise": (
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.CERTIFICAT_PROFESSIONNEL,
        DiplomaKind.LICENCE,
        DiplomaKind.MASTER,
    ),
    "mathematiques": (
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.DEUST,
        DiplomaKind.MASTER,
    ),
    "physique-electronique": (
        DiplomaKind.CERTIFICAT_PROFESSIONNEL,
        DiplomaKind.DEUST,
        DiplomaKind.INGENIEUR,
        DiplomaKind.DPCT,
    ),
    "genie-mecanique-materiaux": (
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.LICENCE,
        DiplomaKind.INGENIEUR,
        DiplomaKind.DEUST,
    ),
    "sciences-chimiques-biologiques-nucleaires": (
        DiplomaKind.CERTIFICAT_COMPETENCE,
        DiplomaKind.CERTIFICAT_PROFESSIONNEL,
        DiplomaKind.LICENCE,
        DiplomaKind.TITRE_RNCP,
    ),
}

KIND_CODES: dict[DiplomaKind, str] = {
    DiplomaKind.CERTIFICAT_COMPETENCE: "CC",
    DiplomaKind.CERTIFICAT_PROFESSIONNEL: "CP",
    DiplomaKind.DEUST: "DEUST",
    DiplomaKind.LICENCE: "LIC",
    DiplomaKind.TITRE_RNCP: "RNCP",
    DiplomaKind.MASTER: "MR",
    DiplomaKind.INGENIEUR: "ING",
    DiplomaKind.DPCT: "DPCT",
    DiplomaKind.DEST: "DEST",
}
HISTORIC_KINDS: frozenset[str] = frozenset({DiplomaKind.DPCT, DiplomaKind.DEST})
# Share of current generated diplomas that also keep an older, closed version.
OLDER_VERSION_SHARE = 0.3


# Reading rules files.


def real_rules_texts() -> list[str]:
    """Return the texts of the real diplomas' rules files.

    The audit app's files are the reference. The demo's own copies fill in
    the diplomas they do not describe (by code, or by kind and department),
    and the versions of a code older than all of theirs, kept as closed.
    """
    reference = [_parsed(text) for text in _yaml_texts(_audit_rules_folder())]
    first_versions: dict[str, int] = {}
    for rules, _text in reference:
        code, version = _code(rules), int(rules["version"])
        first_versions[code] = min(version, first_versions.get(code, version))
    described = {(rules.get("kind"), rules.get("department")) for rules, _text in reference}
    texts = {(_code(rules), int(rules["version"])): text for rules, text in reference}
    for rules, text in (_parsed(text) for text in _yaml_texts(_demo_rules_folder())):
        code, version = _code(rules), int(rules["version"])
        if code in first_versions:
            if version < first_versions[code]:
                texts[(code, version)] = text
        elif (rules.get("kind"), rules.get("department")) not in described:
            texts[(code, version)] = text
    return [texts[key] for key in sorted(texts)]


def _parsed(text: str) -> tuple[Rules, str]:
    rules = yaml.safe_load(text)
    if not isinstance(rules, dict) or "code" not in rules or "version" not in rules:
        raise ValueError("A rules file without a code and a version cannot describe a diploma.")
    return rules, text


def _code(rules: Rules) -> str:
    return str(rules["code"]).upper()


def _demo_rules_folder() -> Traversable:
    return files("cursus.demo").joinpath("data/rules")


def _audit_rules_folder() -> Traversable | None:
    try:
        folder = files("cursus.audit").joinpath("rules")
    except ModuleNotFoundError:
        return None
    return folder if folder.is_dir() else None


def _yaml_texts(folder: Traversable | None) -> Iterator[str]:
    if folder is None:
        return
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith((".yaml", ".yml")) and entry.is_file():
            yield entry.read_text(encoding="utf-8")


def named_units(rules: Rules) -> set[str]:
    """Return every unit code a rules file names: units, pools' lists, equivalences."""
    found: set[str] = set()
    for code, equivalents in (rules.get("equivalences") or {}).items():
        found.add(str(code))
        found.update(str(other) for other in equivalents or ())
    stack: list[Any] = [rules.get("requires")]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "unit" in node:
                found.add(str(node["unit"]))
            for key in ("all", "any"):
                stack.append(node.get(key))
            selector = node.get("from")
            if "choose" in node:
                stack.append(selector)
            elif isinstance(selector, dict):
                found.update(str(code) for code in selector.get("units") or ())
                found.update(str(code) for code in selector.get("exclude") or ())
    return found


def real_diploma_specs(texts: list[str]) -> list[DiplomaSpec]:
    """Return the real diplomas described by rules texts."""
    parsed = [yaml.safe_load(text) for text in texts]
    versions = [(_code(rules), int(rules["version"])) for rules in parsed]
    specs = []
    for text, rules in zip(texts, parsed, strict=True):
        code, version = str(rules["code"]).upper(), int(rules["version"])
        kind = str(rules.get("kind") or DiplomaKind.CERTIFICAT_COMPETENCE)
        known = REAL_DIPLOMAS.get((code, version))
        first_year = known.first_year if known else (version if 1900 < version < 2100 else 2020)
        last_year = known.last_year if known else None
        if known is None and kind in HISTORIC_KINDS:
            last_year = max(first_year, min(first_year + 18, 2010))
        later = [v for c, v in versions if c == code and v > version]
        if later:
            last_year = min(last_year or later[0], min(later) - 1)
        title = rules.get("title") or code
        title_fr, title_en = (
            (str(title["fr"]), str(title["en"])) if isinstance(title, dict) else (title, title)
        )
        ects = rules.get("ects")
        specs.append(
            DiplomaSpec(
                code=code,
                version=version,
                kind=kind,
                title_fr=title_fr,
                title_en=title_en,
                department=rules.get("department"),
                ects=round(ects) if isinstance(ects, int | float) else None,
                rules_text=text,
                first_year=first_year,
                last_year=last_year,
                national_jury=kind == DiplomaKind.INGENIEUR,
                description_fr=known.description_fr if known else "",
                description_en=known.description_en if known else "",
            )
        )
    return specs


def missing_units(specs: Iterable[DiplomaSpec], units: list[UnitSpec]) -> list[UnitSpec]:
    """Return units for the codes that rules name and the catalogue lacks."""
    known = {unit.code for unit in units}
    prefixes = {prefix.code: prefix for prefix in PREFIXES}
    added: list[UnitSpec] = []
    for spec in specs:
        for code in sorted(named_units(yaml.safe_load(spec.rules_text)) - known):
            known.add(code)
            if code.startswith("UA"):
                added.append(_activity_unit(code, spec.department or "informatique"))
            elif code[:3] in prefixes:
                added.append(_course_unit(code, prefixes[code[:3]]))
            else:
                department = spec.department or "informatique"
                added.append(
                    UnitSpec(
                        code=code,
                        title_fr=f"Unité d'enseignement {code}",
                        title_en=f"Unit {code}",
                        department=department,
                        ects=6,
                        hours=60,
                        prefix=code[:3],
                        generated=False,
                    )
                )
    return added


def _activity_unit(code: str, department: str) -> UnitSpec:
    """Return an activity unit named by rules, read as a department's activity of that kind."""
    kind = next((k for k in ACTIVITY_KINDS if code.endswith(k.suffix)), ACTIVITY_KINDS[1])
    names = next((d for d in DEPARTMENTS if d.slug == department), DEPARTMENTS[1])
    return UnitSpec(
        code=code,
        title_fr=f"{kind.title_fr} — {names.name_fr}",
        title_en=f"{kind.title_en} — {names.name_en}",
        department=department,
        ects=kind.ects,
        kind=UnitKind.ACTIVITY,
        description_fr=kind.description_fr,
        description_en=kind.description_en,
        prefix="UA",
        generated=False,
    )


def _course_unit(code: str, prefix: Prefix) -> UnitSpec:
    """Return a course unit named by rules, titled after one of its prefix's topics."""
    number = int(code[3:]) if code[3:].isdigit() else 0
    topic = prefix.topics[number % len(prefix.topics)]
    title_fr, title_en = compose_title(topic, TITLE_PATTERNS[8])
    return UnitSpec(
        code=code,
        title_fr=title_fr,
        title_en=title_en,
        department=prefix.department,
        ects=6,
        hours=60,
        prefix=prefix.code,
        generated=False,
    )


# Generating diplomas.


class _Pools:
    """The units generated diplomas can draw from, by prefix and by level."""

    def __init__(self, units: Iterable[UnitSpec]) -> None:
        self.current: dict[str, list[UnitSpec]] = {}
        self.old: dict[str, list[UnitSpec]] = {}
        self.successor: dict[str, str] = {}
        for unit in units:
            if unit.kind != UnitKind.COURSE or not unit.code[3:].isdigit():
                continue
            target = self.old if unit.last_year is not None else self.current
            target.setdefault(unit.code[:3], []).append(unit)
            for old in unit.replaces:
                self.successor[old] = unit.code

    def draw(
        self, rng: random.Random, prefixes: Iterable[str], count: int, levels: set[int]
    ) -> list[UnitSpec]:
        """Return up to ``count`` distinct current units of the prefixes, preferring levels."""
        pool = [u for p in prefixes for u in self.current.get(p, ())]
        preferred = [u for u in pool if u.level in levels]
        others = [u for u in pool if u.level not in levels]
        rng.shuffle(preferred)
        rng.shuffle(others)
        return [*preferred, *others][:count]

    def draw_old(self, rng: random.Random, prefixes: Iterable[str], count: int) -> list[UnitSpec]:
        """Return up to ``count`` units no longer taught, of the prefixes."""
        pool = [u for p in prefixes for u in self.old.get(p, ())]
        rng.shuffle(pool)
        return pool[:count]


def plan_generated_diplomas(
    rng: random.Random, units: list[UnitSpec], taken: set[str]
) -> list[DiplomaSpec]:
    """Return the generated diplomas of every department, with some older versions."""
    pools = _Pools(units)
    specs: list[DiplomaSpec] = []
    for department in DEPARTMENTS:
        fields = list(FIELDS[department.slug])
        for index, kind in enumerate(GENERATED_KINDS[department.slug]):
            field = fields[(index + rng.randrange(len(fields))) % len(fields)]
            code = _free_code(KIND_CODES[kind], field, taken)
            taken.add(code)
            maker = _MAKERS[kind]
            if kind in HISTORIC_KINDS:
                version = rng.randint(1982, 1995)
                last_year: int | None = rng.randint(2002, 2010)
            else:
                version = rng.randint(2014, 2024)
                last_year = None
            rules, ects = maker(rng, pools, department.slug, field)
            specs.append(
                _spec(
                    code=code,
                    version=version,
                    kind=kind,
                    department=department.slug,
                    field=field,
                    requires=rules,
                    ects=ects,
                    last_year=last_year,
                )
            )
            if kind not in HISTORIC_KINDS and rng.random() < OLDER_VERSION_SHARE:
                old_version = version - rng.randint(4, 8)
                old_rules, old_ects = maker(rng, pools, department.slug, field)
                old_rules = _with_old_units(pools, old_rules)
                specs.append(
                    _spec(
                        code=code,
                        version=old_version,
                        kind=kind,
                        department=department.slug,
                        field=field,
                        requires=old_rules,
                        ects=old_ects,
                        last_year=version - 1,
                    )
                )
    return specs


def _free_code(kind_code: str, field: Field, taken: set[str]) -> str:
    base = f"{kind_code}-{_abbreviation(field)}"
    code, suffix = base, 2
    while code in taken:
        code, suffix = f"{base}{suffix}", suffix + 1
    return code


def _abbreviation(field: Field) -> str:
    """Return the initials of the field's French name (SI, CCA), or its first four letters."""
    words = [w for w in normalise(field.fr).split() if len(w) > 1 and w not in _LINKING_WORDS]
    if len(words) == 1:
        return words[0][:4].upper()
    return "".join(word[0] for word in words).upper()


_LINKING_WORDS = frozenset({"et", "de", "des", "du", "la", "le", "les"})


def _spec(
    *,
    code: str,
    version: int,
    kind: str,
    department: str,
    field: Field,
    requires: Rules,
    ects: int,
    last_year: int | None,
) -> DiplomaSpec:
    title_fr, title_en = _titles(kind, field)
    rules: Rules = {
        "code": code,
        "version": version,
        "title": {"fr": title_fr, "en": title_en},
        "kind": str(kind),
        "department": department,
        "ects": ects,
    }
    equivalences = requires.pop("equivalences", None)
    if equivalences:
        rules["equivalences"] = equivalences
    share = requires.pop("min_course_share", None)
    if share is not None:
        rules["min_course_share"] = share
    rules["requires"] = _stored_slugs(requires)
    description_fr, description_en = _descriptions(kind, field)
    return DiplomaSpec(
        code=code,
        version=version,
        kind=str(kind),
        title_fr=title_fr,
        title_en=title_en,
        department=department,
        ects=ects,
        rules_text=yaml.safe_dump(rules, sort_keys=False, allow_unicode=True, width=96),
        first_year=version,
        last_year=last_year,
        national_jury=kind == DiplomaKind.INGENIEUR,
        description_fr=description_fr,
        description_en=description_en,
    )


def _stored_slugs(node: Any) -> Any:
    """Return the rules with each department named by the slug it is stored under."""
    if isinstance(node, list):
        return [_stored_slugs(child) for child in node]
    if isinstance(node, dict):
        return {
            key: _department_value(value) if key == "department" else _stored_slugs(value)
            for key, value in node.items()
        }
    return node


def _department_value(value: Any) -> Any:
    if isinstance(value, list):
        return [str(slug) for slug in value]
    return str(value)


def _titles(kind: str, field: Field) -> tuple[str, str]:
    lower_fr = field.fr[0].lower() + field.fr[1:]
    titles = {
        DiplomaKind.CERTIFICAT_COMPETENCE: (
            f"Certificat de compétence {field.job_fr}",
            f"Certificate of competence: {field.job_en}",
        ),
        DiplomaKind.CERTIFICAT_PROFESSIONNEL: (
            f"Certificat professionnel {field.fr}",
            f"Professional certificate in {field.en}",
        ),
        DiplomaKind.DEUST: (f"DEUST {field.fr}", f"DEUST in {field.en}"),
        DiplomaKind.LICENCE: (
            f"Licence professionnelle {field.fr}",
            f"Professional bachelor's degree in {field.en}",
        ),
        DiplomaKind.TITRE_RNCP: (f"Titre RNCP {field.job_fr}", f"RNCP title: {field.job_en}"),
        DiplomaKind.MASTER: (f"Master {field.fr}", f"Master's degree in {field.en}"),
        DiplomaKind.INGENIEUR: (
            f"Diplôme d'ingénieur spécialité {lower_fr}",
            f"Engineering degree in {field.en}",
        ),
        DiplomaKind.DPCT: (
            f"Diplôme de premier cycle technique (DPCT) {lower_fr}",
            f"First-cycle technical diploma (DPCT) in {field.en}",
        ),
        DiplomaKind.DEST: (
            f"Diplôme d'études supérieures techniques (DEST) {lower_fr}",
            f"Higher technical studies diploma (DEST) in {field.en}",
        ),
    }
    return titles[DiplomaKind(kind)]


def _descriptions(kind: str, field: Field) -> tuple[str, str]:
    if kind in HISTORIC_KINDS:
        return (
            (
                "Diplôme historique, délivré aux auditeurs qui en remplissaient les conditions "
                "avant sa fermeture."
            ),
            "A historic diploma, awarded to learners who met its conditions before it closed.",
        )
    return (
        (
            f"Prépare au métier de {field.job_fr.lower()} ; accessible à tout adulte, unité par "
            "unité, en cours du soir, en journée ou à distance."
        ),
        (
            f"Prepares for work as a {field.job_en}; open to every adult, unit by unit, in the "
            "evening, during the day or at a distance."
        ),
    )


def _unit(code: str) -> Rules:
    return {"unit": code}


def _title(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def _experience(years: int | None = None, in_field: int | None = None) -> Rules:
    node: Rules = {"milestone": "experience"}
    if years is not None:
        node["years"] = years
    if in_field is not None:
        node["in_field_years"] = in_field
    return node


def _labelled(label: str, node: Rules, title: dict[str, str] | None = None) -> Rules:
    labelled: Rules = {"label": label}
    if title is not None:
        labelled["title"] = title
    labelled.update(node)
    return labelled


def _ects(units: Iterable[UnitSpec]) -> int:
    return sum(unit.ects for unit in units)


def _equivalences(units: Iterable[UnitSpec]) -> dict[str, list[str]]:
    return {unit.code: list(unit.replaces) for unit in units if unit.replaces}


def _certificat_competence(
    rng: random.Random, pools: _Pools, department: str, field: Field
) -> tuple[Rules, int]:
    core = pools.draw(rng, field.prefixes, rng.randint(3, 5), {0, 1})
    choice = pools.draw(rng, field.prefixes, 8, {1, 2})
    options = [u for u in choice if u not in core][:2]
    children: list[Rules] = [_labelled("core", {"all": [_unit(u.code) for u in core]})]
    ects = _ects(core)
    if len(options) == 2:
        children.append(_labelled("option", {"any": [_unit(u.code) for u in options]}))
        ects += min(u.ects for u in options)
    if rng.random() < 0.6:
        children.append(_labelled("project", _unit(activity_code(department, "05"))))
        ects += 6
    children.append(_labelled("experience", _experience(years=1)))
    rules: Rules = {"all": children}
    if equivalences := _equivalences(core):
        rules["equivalences"] = equivalences
    return rules, ects


def _certificat_professionnel(
    rng: random.Random, pools: _Pools, department: str, field: Field
) -> tuple[Rules, int]:
    drawn = pools.draw(rng, field.prefixes, 8, {0, 1})
    core, others = drawn[:4], drawn[4:]
    credits = 6 if len(others) < 3 else 12
    children: list[Rules] = [_labelled("core", {"all": [_unit(u.code) for u in core]})]
    ects = _ects(core)
    if others:
        credits = min(credits, _ects(others))
        children.append(
            _labelled(
                "options",
                {"credits": credits, "from": {"units": [u.code for u in others]}},
                _title("Unités au choix", "Elective units"),
            )
        )
        ects += credits
    if rng.random() < 0.5:
        children.append(_labelled("experience-unit", _unit(activity_code(department, "10"))))
        ects += 12
    return {"all": children}, ects


def _deust(rng: random.Random, pools: _Pools, department: str, field: Field) -> tuple[Rules, int]:
    core = pools.draw(rng, field.prefixes, 6, {0})
    prefixes = sorted({p.code for p in PREFIXES if p.department == department})
    children: list[Rules] = [
        _labelled("core", {"all": [_unit(u.code) for u in core]}, _title("Tronc commun", "Core")),
        _labelled(
            "department",
            {"credits": 60, "from": {"prefix": prefixes, "exclude": [u.code for u in core]}},
            _title("Unités du département", "Units of the department"),
        ),
        _labelled("experience-unit", _unit(activity_code(department, "10"))),
        _labelled("experience", _experience(years=1)),
    ]
    return {"all": children}, 120


def _licence(rng: random.Random, pools: _Pools, department: str, field: Field) -> tuple[Rules, int]:
    drawn = pools.draw(rng, field.prefixes, 10, {1})
    core, rest = drawn[:4], drawn[4:]
    groups = [rest[i : i + 2] for i in range(0, len(rest) - 1, 2)][:3]
    children: list[Rules] = [
        _labelled("core", {"all": [_unit(u.code) for u in core]}, _title("Tronc commun", "Core"))
    ]
    ects = _ects(core)
    if len(groups) >= 2:
        children.append(
            _labelled(
                "themes",
                {
                    "choose": 2,
                    "from": [{"any": [_unit(u.code) for u in group]} for group in groups],
                },
                _title("Deux groupes thématiques", "Two thematic groups"),
            )
        )
        ects += 12
    free = max(6, 60 - ects - 6 - 12)
    children += [
        _labelled(
            "free",
            {"credits": free, "from": {"department": department}},
            _title("Unités libres du département", "Free units of the department"),
        ),
        _labelled("english", _unit("ANG320")),
        _labelled("experience-unit", _unit(activity_code(department, "10"))),
        _labelled("experience", _experience(in_field=1)),
    ]
    rules: Rules = {"all": children, "min_course_share": 0.2}
    if equivalences := _equivalences(core):
        rules["equivalences"] = equivalences
    return rules, 60


def _titre_rncp(
    rng: random.Random, pools: _Pools, department: str, field: Field
) -> tuple[Rules, int]:
    drawn = pools.draw(rng, field.prefixes, 9, {1, 2})
    core, options = drawn[:4], drawn[4:]
    children: list[Rules] = [_labelled("core", {"all": [_unit(u.code) for u in core]})]
    ects = _ects(core)
    if options:
        credits = min(12, _ects(options))
        children.append(
            _labelled("options", {"credits": credits, "from": {"units": [u.code for u in options]}})
        )
        ects += credits
    children += [
        _labelled("experience-unit", _unit(activity_code(department, "39"))),
        _labelled(
            "experience",
            {
                "any": [
                    _experience(in_field=2),
                    {"all": [_experience(years=3), {"milestone": "internship"}]},
                ]
            },
            _title("Expérience exigée", "Experience required"),
        ),
    ]
    return {"all": children}, ects + 39


def _master(rng: random.Random, pools: _Pools, department: str, field: Field) -> tuple[Rules, int]:
    core = pools.draw(rng, field.prefixes, 5, {2})
    children: list[Rules] = [
        _labelled("core", {"all": [_unit(u.code) for u in core]}, _title("Tronc commun", "Core")),
        _labelled(
            "specialisation",
            {
                "credits": 30,
                "from": {"prefix": list(field.prefixes), "exclude": [u.code for u in core]},
            },
            _title("Spécialisation", "Specialisation"),
        ),
        _labelled("thesis", _unit(activity_code(department, "30"))),
        _labelled("english", {"milestone": "language", "language": "en", "level": "B2"}),
        _labelled("experience", _experience(years=1)),
    ]
    return {"all": children, "min_course_share": 0.2}, 120


def _ingenieur(
    rng: random.Random, pools: _Pools, department: str, field: Field
) -> tuple[Rules, int]:
    department_prefixes = sorted({p.code for p in PREFIXES if p.department == department})
    children: list[Rules] = [
        _labelled(
            "preparatory",
            {"credits": 60, "from": {"department": [department, "mathematiques"]}},
            _title("Cycle préparatoire", "Preparatory cycle"),
        ),
        _labelled("admission", _unit(activity_code(department, "0A"))),
        _labelled(
            "specialisation",
            {"credits": 60, "from": {"prefix": list(field.prefixes) or department_prefixes}},
            _title("Cycle de spécialisation", "Specialisation cycle"),
        ),
        _labelled("engineer-of-tomorrow", _unit("ENG210")),
        _labelled("probatory", _unit("ENG221")),
        _labelled("english", {"milestone": "language", "language": "en", "level": "B2"}),
        _labelled("thesis", _unit(activity_code(department, "45"))),
        _labelled("experience", _experience(years=3, in_field=2)),
    ]
    return {"all": children}, 180


def _historic(
    rng: random.Random, pools: _Pools, department: str, field: Field
) -> tuple[Rules, int]:
    old = pools.draw_old(rng, field.prefixes, 3)
    current = pools.draw(rng, field.prefixes, 7 - len(old), {0, 1})
    units = [*old, *current]
    core, option = units[:-2], units[-2:]
    children: list[Rules] = [
        _labelled("units", {"all": [_unit(u.code) for u in core]}, _title("Unités", "Units"))
    ]
    ects = _ects(core)
    if len(option) == 2:
        children.append(_labelled("option", {"choose": 1, "from": [_unit(u.code) for u in option]}))
        ects += min(u.ects for u in option)
    children.append(_labelled("experience", _experience(years=rng.choice((2, 3)))))
    return {"all": children}, ects


_MAKERS = {
    DiplomaKind.CERTIFICAT_COMPETENCE: _certificat_competence,
    DiplomaKind.CERTIFICAT_PROFESSIONNEL: _certificat_professionnel,
    DiplomaKind.DEUST: _deust,
    DiplomaKind.LICENCE: _licence,
    DiplomaKind.TITRE_RNCP: _titre_rncp,
    DiplomaKind.MASTER: _master,
    DiplomaKind.INGENIEUR: _ingenieur,
    DiplomaKind.DPCT: _historic,
    DiplomaKind.DEST: _historic,
}


def _with_old_units(pools: _Pools, rules: Rules) -> Rules:
    """Return older rules: where a unit succeeds an older code, name the older code."""
    older = {new: old for old, new in pools.successor.items()}

    def rewrite(node: Any) -> Any:
        if isinstance(node, list):
            return [rewrite(child) for child in node]
        if isinstance(node, dict):
            if "unit" in node and node["unit"] in older:
                return {**node, "unit": older[node["unit"]]}
            return {key: rewrite(value) for key, value in node.items()}
        return node

    rewritten: Rules = rewrite({k: v for k, v in rules.items() if k != "equivalences"})
    return rewritten


def plan_diplomas(
    rng: random.Random, units: list[UnitSpec]
) -> tuple[list[DiplomaSpec], list[UnitSpec]]:
    """Return every diploma to create and the units their rules need beyond the catalogue."""
    real = real_diploma_specs(real_rules_texts())
    added = missing_units(real, units)
    taken = {spec.code for spec in real}
    generated = plan_generated_diplomas(rng, [*units, *added], taken)
    return [*real, *generated], added


def build_diplomas(ctx: BuildContext, specs: list[DiplomaSpec]) -> None:
    """Create the diplomas through the catalogue's action, which checks every rules text."""
    assert ctx.registrar is not None
    ctx.report("diplomas", 0, len(specs))
    for done, spec in enumerate(specs, start=1):
        ctx.diplomas.append(
            create_diploma(
                actor=ctx.registrar,
                code=spec.code,
                version=spec.version,
                kind=spec.kind,
                title_fr=spec.title_fr,
                title_en=spec.title_en,
                department=spec.department or None,
                ects=spec.ects,
                rules_text=spec.rules_text,
                first_year=spec.first_year,
                last_year=spec.last_year,
                national_jury=spec.national_jury,
                description_fr=spec.description_fr,
                description_en=spec.description_en,
            )
        )
        ctx.report("diplomas", done, len(specs))
