"""A diploma's rules as frozen dataclasses: the tree of requirements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final, Literal

KINDS: Final = (
    "certificat-competence",
    "certificat-professionnel",
    "deust",
    "licence",
    "titre-rncp",
    "master",
    "ingenieur",
    "dpct",
    "dest",
)
CEFR_LEVELS: Final = ("A1", "A2", "B1", "B2", "C1", "C2")

# Course units are three capitals and three digits (NFA008); activity units
# such as UASI05 or UAAL0T use up to four capitals and a digit or a capital
# after the first digit.
UNIT_CODE: Final = re.compile(r"[A-Z]{2,4}[0-9][0-9A-Z]{1,4}")
UNIT_CODE_SHAPE: Final = (
    "two to four capital letters, a digit, then one to four digits or capitals (NFA008, UAAL0T)"
)

Lang = Literal["fr", "en"]


def is_unit_code(text: str) -> bool:
    """Return whether ``text`` has the shape of a unit code."""
    return UNIT_CODE.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class Title:
    """A title in French and English."""

    fr: str
    en: str

    def text(self, lang: Lang) -> str:
        """Return the title in ``lang``."""
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseNode:
    """Hold what every node may carry: a label, a title, the shared flag."""

    label: str | None = None
    title: Title | None = None
    shared: bool = False
    # The line in the rules file, for messages; not part of the meaning.
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitNode(BaseNode):
    """Require one acquisition of a unit (or of an equivalent)."""

    code: str
    min_grade: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AllNode(BaseNode):
    """Require every child."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyNode(BaseNode):
    """Require at least one child."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChooseNode(BaseNode):
    """Require at least ``count`` children."""

    count: int
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Selector:
    """Say which units a credits pool accepts."""

    everything: bool = False
    units: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)

    def matches(self, code: str, department: str | None, counts_as: tuple[str, ...] = ()) -> bool:
        """Return whether a unit matches; ``counts_as`` lists the codes it stands for."""
        names = (code, *counts_as)
        if any(name in self.exclude for name in names):
            return False
        return (
            self.everything
            or any(name in self.units for name in names)
            or (department is not None and department in self.departments)
            # A prefix reads the unit's own code only.
            or any(code.startswith(prefix) for prefix in self.prefixes)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditsNode(BaseNode):
    """Require at least ``credits`` ECTS from the units a selector accepts."""

    credits: float
    selector: Selector
    max_units: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MilestoneNode(BaseNode):
    """Require a fact of the record other than units: experience, a language, a thesis."""

    kind: str
    years: float | None = None
    in_field_years: float | None = None
    language: str | None = None
    level: str | None = None


Node = UnitNode | AllNode | AnyNode | ChooseNode | CreditsNode | MilestoneNode
GroupNode = AllNode | AnyNode | ChooseNode


@dataclass(frozen=True, slots=True, kw_only=True)
class Equivalence:
    """Let an acquisition of any of ``equivalents`` count as ``code``."""

    code: str
    equivalents: tuple[str, ...]
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Diploma:
    """A diploma's rules: what it is and the tree of what it requires."""

    code: str
    version: int
    title: Title
    requires: Node
    kind: str | None = None
    department: str | None = None
    ects: float | None = None
    equivalences: tuple[Equivalence, ...] = ()
    min_course_share: float | None = None
    # Where the rules came from, for messages.
    file: str = field(default="<rules>", compare=False)


@dataclass(frozen=True, slots=True)
class UnitReference:
    """A unit code named by the rules, with the line that names it."""

    code: str
    line: int


def form_of(node: Node) -> str:
    """Return the form key of ``node`` as written in the rules."""
    match node:
        case UnitNode():
            return "unit"
        case AllNode():
            return "all"
        case AnyNode():
            return "any"
        case ChooseNode():
            return "choose"
        case CreditsNode():
            return "credits"
        case MilestoneNode():
            return "milestone"


def walk(diploma: Diploma) -> Iterator[tuple[str, Node]]:
    """Yield every node with its path, parents before children.

    The root's path is ``requires``; the i-th child of a group at path P is at
    ``P/FORM[i]`` where FORM is the group's form: ``requires/all[2]/any[0]``
    is the first option of the third part of a root ``all``.
    """
    stack: list[tuple[str, Node]] = [("requires", diploma.requires)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, AllNode | AnyNode | ChooseNode):
            form = form_of(node)
            stack.extend(
                (f"{path}/{form}[{i}]", child)
                for i, child in reversed(list(enumerate(node.children)))
            )


def references(diploma: Diploma) -> list[UnitReference]:
    """Return every unit code the rules name, in file order, with its line."""
    found = [
        UnitReference(code, eq.line)
        for eq in diploma.equivalences
        for code in (eq.code, *eq.equivalents)
    ]
    for _, node in walk(diploma):
        if isinstance(node, UnitNode):
            found.append(UnitReference(node.code, node.line))
        elif isinstance(node, CreditsNode):
            sel = node.selector
            found.extend(UnitReference(code, sel.line) for code in (*sel.units, *sel.exclude))
    return sorted(found, key=lambda ref: ref.line)


def unit_codes(diploma: Diploma) -> frozenset[str]:
    """Return the unit codes the rules name (units, pools' lists, equivalences).

    Pools that select by prefix, by department or ``any`` accept units beyond
    these; ``CompiledDiploma.accepts`` answers for one unit.
    """
    return frozenset(ref.code for ref in references(diploma))


def unknown_units(diploma: Diploma, known: frozenset[str] | set[str]) -> list[UnitReference]:
    """Return the units the rules name that are not in ``known``, once each."""
    seen: set[str] = set()
    unknown = []
    for ref in references(diploma):
        if ref.code not in known and ref.code not in seen:
            seen.add(ref.code)
            unknown.append(ref)
    return unknown
