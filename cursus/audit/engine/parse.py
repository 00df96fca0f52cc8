"""Read rules and record files: YAML in, frozen dataclasses out, or one precise error.

The YAML is composed to nodes rather than loaded to Python values so that each
problem can be reported with the line it is on.
"""

from __future__ import annotations

import datetime
import math
import re
from pathlib import Path
from typing import Final, NoReturn, TypedDict, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from cursus.audit.engine.errors import InputError, RecordError, RulesError
from cursus.audit.engine.record import SOURCES, MilestoneEntry, Record, Source, UnitEntry
from cursus.audit.engine.rules import (
    CEFR_LEVELS,
    KINDS,
    UNIT_CODE_SHAPE,
    AllNode,
    AnyNode,
    ChooseNode,
    CreditsNode,
    Diploma,
    Equivalence,
    MilestoneNode,
    Node,
    Selector,
    Title,
    UnitNode,
    is_unit_code,
)

FORMS: Final = ("unit", "all", "any", "choose", "credits", "milestone")
COMMON_KEYS: Final = frozenset({"label", "title", "shared"})
FORM_KEYS: Final = {
    "unit": frozenset({"min_grade"}),
    "all": frozenset(),
    "any": frozenset(),
    "choose": frozenset({"from"}),
    "credits": frozenset({"from", "max_units"}),
}
MILESTONE_KEYS: Final = {
    "experience": frozenset({"years", "in_field_years"}),
    "language": frozenset({"language", "level"}),
}
DIPLOMA_KEYS: Final = frozenset(
    {
        "code",
        "version",
        "title",
        "kind",
        "department",
        "ects",
        "equivalences",
        "min_course_share",
        "requires",
    }
)
SELECTOR_KEYS: Final = ("units", "prefix", "department", "exclude")
RECORD_KEYS: Final = frozenset({"learner", "units", "milestones"})
ENTRY_KEYS: Final = frozenset({"code", "ects", "grade", "source", "date", "department"})
MAX_GRADE: Final = 20.0

LABEL: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Labels name nodes in results beside paths and the course-share entry.
RESERVED_LABELS: Final = frozenset({"requires", "min_course_share"})
DIPLOMA_CODE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
PREFIX: Final = re.compile(r"[A-Z][A-Z0-9]{0,7}")
MILESTONE_KIND: Final = re.compile(r"[a-z][a-z0-9_-]*")
LANGUAGE: Final = re.compile(r"[a-z]{2,3}")

YamlNode = MappingNode | SequenceNode | ScalarNode


class _Common(TypedDict, total=False):
    line: int
    label: str
    title: Title
    shared: bool


class _Loader(yaml.SafeLoader):
    """Compose YAML, refusing aliases: a file must not multiply the work it asks."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose the next node, or fail on an alias (``*name``)."""
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in these files", mark
            )
        return super().compose_node(parent, index)


class _Reader:
    """Walk composed YAML for one file, raising its error class with the line."""

    def __init__(self, file: str, error: type[InputError]) -> None:
        self.file = file
        self.error = error
        self.constructor = SafeConstructor()

    def fail(self, node: yaml.Node | int | None, message: str) -> NoReturn:
        """Raise the error for ``message`` at the node's line (or the given line)."""
        if isinstance(node, yaml.Node):
            line: int | None = node.start_mark.line + 1
        else:
            line = node
        raise self.error(self.file, line, message)

    def compose(self, text: str) -> YamlNode:
        """Compose ``text`` to one YAML node, or fail on broken YAML."""
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            self.fail(mark.line + 1 if mark else None, f"invalid YAML: {problem}")
        except yaml.YAMLError as exc:
            self.fail(None, f"invalid YAML: {exc}")
        if root is None:
            self.fail(1, "the file is empty")
        return cast(YamlNode, root)

    def value(self, node: yaml.Node) -> object:
        """Return a scalar's Python value, or fail on a list or mapping."""
        if not isinstance(node, ScalarNode):
            self.fail(node, "expected a single value here, not a list or mapping")
        try:
            return self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError):
            return self.fail(node, f"invalid value {node.value!r}")

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[ScalarNode, yaml.Node]]:
        """Return a mapping's entries by key, refusing duplicate and non-text keys."""
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value)")
        entries: dict[str, tuple[ScalarNode, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                self.fail(key_node, f"keys must be words, not {key!r}")
            if key in entries:
                first = entries[key][0].start_mark.line + 1
                self.fail(key_node, f"duplicate key '{key}' (first on line {first})")
            entries[key] = (cast(ScalarNode, key_node), value_node)
        return entries

    def sequence(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> list[yaml.Node]:
        """Return a list's items, refusing an empty list unless allowed."""
        if not isinstance(node, SequenceNode):
            self.fail(node, f"{what} must be a list")
        if not node.value and not allow_empty:
            self.fail(node, f"{what} must not be empty")
        return list(node.value)

    def unknown(
        self, entries: dict[str, tuple[ScalarNode, yaml.Node]], allowed: frozenset[str], where: str
    ) -> None:
        """Fail on the first key of ``entries`` not in ``allowed``."""
        for key, (key_node, _) in entries.items():
            if key not in allowed:
                choices = ", ".join(sorted(allowed))
                self.fail(key_node, f"unknown key '{key}' in {where} (expected one of: {choices})")

    def text(
        self, node: yaml.Node, what: str, pattern: re.Pattern[str] | None = None, shape: str = ""
    ) -> str:
        """Return a non-empty text value, matching ``pattern`` when given."""
        value = self.value(node)
        if isinstance(value, int | float) and not isinstance(value, bool) and pattern is None:
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(node, f"{what} must be a text")
        if pattern is not None and pattern.fullmatch(value) is None:
            self.fail(node, f"{what} '{value}' is not valid: expected {shape}")
        return value

    def code(self, node: yaml.Node, what: str = "unit code") -> str:
        """Return a unit code, checking its shape."""
        value = self.value(node)
        if not isinstance(value, str):
            self.fail(node, f"{what} must be a unit code such as NFA008, not {value!r}")
        if not is_unit_code(value):
            hint = " (unit codes are written in capitals)" if is_unit_code(value.upper()) else ""
            self.fail(
                node, f"{what} '{value}' is not a unit code: expected {UNIT_CODE_SHAPE}{hint}"
            )
        return value

    def codes(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """Return one code or a list of codes."""
        if isinstance(node, SequenceNode):
            return tuple(self.code(item, what) for item in self.sequence(node, what))
        return (self.code(node, what),)

    def texts(
        self, node: yaml.Node, what: str, pattern: re.Pattern[str] | None = None, shape: str = ""
    ) -> tuple[str, ...]:
        """Return one text or a list of texts."""
        if isinstance(node, SequenceNode):
            return tuple(
                self.text(item, what, pattern, shape) for item in self.sequence(node, what)
            )
        return (self.text(node, what, pattern, shape),)

    def number(
        self, node: yaml.Node, what: str, *, positive: bool = False, maximum: float | None = None
    ) -> float:
        """Return a number, refusing negatives (and zero when ``positive``)."""
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(node, f"{what} must be a number, not {value!r}")
        if not math.isfinite(value):
            self.fail(node, f"{what} must be a finite number")
        if value < 0:
            self.fail(node, f"{what} must not be negative (got {value})")
        if positive and value == 0:
            self.fail(node, f"{what} must be greater than zero")
        if maximum is not None and value > maximum:
            self.fail(node, f"{what} must be at most {maximum:g} (got {value})")
        return value

    def whole(self, node: yaml.Node, what: str, *, minimum: int) -> int:
        """Return a whole number of at least ``minimum``."""
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(node, f"{what} must be a whole number, not {value!r}")
        if value < minimum:
            low = "must not be negative" if value < 0 else f"must be at least {minimum}"
            self.fail(node, f"{what} {low} (got {value})")
        return value

    def flag(self, node: yaml.Node, what: str) -> bool:
        """Return a yes/no value."""
        value = self.value(node)
        if not isinstance(value, bool):
            self.fail(node, f"{what} must be true or false, not {value!r}")
        return value

    def date(self, node: yaml.Node) -> datetime.date:
        """Return a date written as YYYY-MM-DD."""
        try:
            value = self.value(node)
        except InputError:
            value = getattr(node, "value", None)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        return self.fail(node, f"date must be written YYYY-MM-DD, not {value!r}")

    def level(self, node: yaml.Node) -> str:
        """Return a CEFR level."""
        level = self.value(node)
        if not isinstance(level, str) or level not in CEFR_LEVELS:
            self.fail(node, f"level must be a CEFR level ({', '.join(CEFR_LEVELS)}), not {level!r}")
        return level


class _RulesReader(_Reader):
    """Read one rules file."""

    def __init__(self, file: str) -> None:
        super().__init__(file, RulesError)
        self.labels: dict[str, int] = {}

    def diploma(self, text: str) -> Diploma:
        """Return the diploma the file describes."""
        root = self.compose(text)
        entries = self.mapping(root, "a rules file")
        self.unknown(entries, DIPLOMA_KEYS, "the diploma")
        for required in ("code", "version", "requires"):
            if required not in entries:
                self.fail(root, f"missing required field '{required}'")
        code = self.text(entries["code"][1], "code", DIPLOMA_CODE, "letters, digits and - _ .")
        version = self.whole(entries["version"][1], "version", minimum=0)
        title = self.title(entries["title"][1]) if "title" in entries else Title(code, code)
        kind = None
        if "kind" in entries:
            kind = self.text(entries["kind"][1], "kind")
            if kind not in KINDS:
                self.fail(
                    entries["kind"][1], f"unknown kind '{kind}': expected one of {', '.join(KINDS)}"
                )
        department = (
            self.text(entries["department"][1], "department") if "department" in entries else None
        )
        ects = self.number(entries["ects"][1], "ects") if "ects" in entries else None
        share = None
        if "min_course_share" in entries:
            share = self.number(entries["min_course_share"][1], "min_course_share", maximum=1)
        equivalences = (
            self.equivalences(entries["equivalences"][1]) if "equivalences" in entries else ()
        )
        return Diploma(
            code=code,
            version=version,
            title=title,
            kind=kind,
            department=department,
            ects=ects,
            equivalences=equivalences,
            min_course_share=share,
            requires=self.node(entries["requires"][1]),
            file=self.file,
        )

    def title(self, node: yaml.Node) -> Title:
        """Return a title: one text, or a mapping with ``fr`` and ``en``."""
        if isinstance(node, ScalarNode):
            value = self.text(node, "title")
            return Title(value, value)
        entries = self.mapping(node, "title")
        self.unknown(entries, frozenset({"fr", "en"}), "a title")
        for lang in ("fr", "en"):
            if lang not in entries:
                self.fail(node, f"title needs both 'fr' and 'en' (missing '{lang}')")
        return Title(
            self.text(entries["fr"][1], "title fr"), self.text(entries["en"][1], "title en")
        )

    def equivalences(self, node: yaml.Node) -> tuple[Equivalence, ...]:
        """Return the equivalences: each code with the codes that count as it."""
        found = []
        for code, (key_node, value_node) in self.mapping(node, "equivalences").items():
            self.code(key_node, "equivalence")
            equivalents = self.codes(value_node, "equivalent unit")
            if code in equivalents:
                self.fail(value_node, f"{code} cannot be its own equivalent")
            found.append(
                Equivalence(code=code, equivalents=equivalents, line=key_node.start_mark.line + 1)
            )
        return tuple(found)

    def node(self, node: yaml.Node) -> Node:
        """Return a node of the requirement tree."""
        if not isinstance(node, MappingNode):
            hint = ""
            if isinstance(node, ScalarNode) and is_unit_code(str(node.value)):
                hint = f": write {{unit: {node.value}}}"
            self.fail(node, f"a requirement must be a mapping with one form{hint}")
        entries = self.mapping(node, "a requirement")
        forms = [key for key in entries if key in FORMS]
        if not forms:
            known = COMMON_KEYS.union(*FORM_KEYS.values(), *MILESTONE_KEYS.values())
            strange = next((key for key in entries if key not in known), None)
            if strange is not None:
                self.fail(
                    entries[strange][0],
                    f"unknown form '{strange}': a requirement is one of {', '.join(FORMS)}",
                )
            self.fail(node, f"this requirement has no form: it needs one of {', '.join(FORMS)}")
        if len(forms) > 1:
            self.fail(
                entries[forms[1]][0],
                f"a requirement has exactly one form; this one has '{forms[0]}' and '{forms[1]}'",
            )
        form = forms[0]
        form_node = entries[form][1]
        if form == "milestone":
            kind = self.text(
                form_node, "milestone", MILESTONE_KIND, "a word in small letters such as thesis"
            )
            extra = MILESTONE_KEYS.get(kind, frozenset())
        else:
            kind = ""
            extra = FORM_KEYS[form]
        self.unknown(entries, COMMON_KEYS | extra | {form}, f"a {form} requirement")
        common = self.common(node, entries)
        match form:
            case "unit":
                min_grade = None
                if "min_grade" in entries:
                    min_grade = self.number(entries["min_grade"][1], "min_grade", maximum=MAX_GRADE)
                return UnitNode(code=self.code(form_node), min_grade=min_grade, **common)
            case "all":
                return AllNode(children=self.children(form_node, "all"), **common)
            case "any":
                return AnyNode(children=self.children(form_node, "any"), **common)
            case "choose":
                count = self.whole(form_node, "choose", minimum=1)
                if "from" not in entries:
                    self.fail(node, "choose needs 'from', the list to choose from")
                children = self.children(entries["from"][1], "from")
                if count > len(children):
                    self.fail(
                        form_node, f"choose {count} is larger than its list of {len(children)}"
                    )
                return ChooseNode(count=count, children=children, **common)
            case "credits":
                credits = self.number(form_node, "credits", positive=True)
                if "from" not in entries:
                    self.fail(node, "credits needs 'from': any, or units, prefix or department")
                max_units = None
                if "max_units" in entries:
                    max_units = self.whole(entries["max_units"][1], "max_units", minimum=1)
                selector = self.selector(entries["from"][1])
                return CreditsNode(
                    credits=credits, selector=selector, max_units=max_units, **common
                )
        return self.milestone(kind, entries, common)

    def common(self, node: yaml.Node, entries: dict[str, tuple[ScalarNode, yaml.Node]]) -> _Common:
        """Return the line, label, title and shared flag of a requirement."""
        common: _Common = {"line": node.start_mark.line + 1}
        if "label" in entries:
            value_node = entries["label"][1]
            label = self.text(value_node, "label", LABEL, "a letter, then letters, digits, - or _")
            if label in RESERVED_LABELS:
                self.fail(value_node, f"'{label}' is reserved; choose another label")
            if label in self.labels:
                self.fail(
                    value_node,
                    f"duplicate label '{label}' (first used on line {self.labels[label]})",
                )
            self.labels[label] = value_node.start_mark.line + 1
            common["label"] = label
        if "title" in entries:
            common["title"] = self.title(entries["title"][1])
        if "shared" in entries:
            common["shared"] = self.flag(entries["shared"][1], "shared")
        return common

    def children(self, node: yaml.Node, what: str) -> tuple[Node, ...]:
        """Return the requirements of a group."""
        return tuple(self.node(item) for item in self.sequence(node, what))

    def selector(self, node: yaml.Node) -> Selector:
        """Return the selector of a credits pool."""
        line = node.start_mark.line + 1
        if isinstance(node, ScalarNode):
            if self.value(node) == "any":
                return Selector(everything=True, line=line)
            self.fail(
                node, "from: expects 'any' or a mapping with units, prefix, department or exclude"
            )
        entries = self.mapping(node, "from")
        self.unknown(entries, frozenset(SELECTOR_KEYS), "a selector")
        if not {"units", "prefix", "department"} & entries.keys():
            self.fail(
                node,
                "a selector needs units, prefix or department (write 'from: any' for every unit)",
            )

        def get(key: str) -> yaml.Node | None:
            return entries[key][1] if key in entries else None

        units = get("units")
        prefixes = get("prefix")
        departments = get("department")
        exclude = get("exclude")
        return Selector(
            units=self.codes(units, "unit code") if units else (),
            prefixes=self.texts(prefixes, "prefix", PREFIX, "capitals and digits such as NF")
            if prefixes
            else (),
            departments=self.texts(departments, "department") if departments else (),
            exclude=self.codes(exclude, "excluded unit") if exclude else (),
            line=line,
        )

    def milestone(
        self, kind: str, entries: dict[str, tuple[ScalarNode, yaml.Node]], common: _Common
    ) -> MilestoneNode:
        """Return a milestone requirement."""
        if kind == "experience":
            years = self.number(entries["years"][1], "years") if "years" in entries else None
            in_field = None
            if "in_field_years" in entries:
                in_field = self.number(entries["in_field_years"][1], "in_field_years")
            return MilestoneNode(kind=kind, years=years, in_field_years=in_field, **common)
        if kind == "language":
            for required in ("language", "level"):
                if required not in entries:
                    self.fail(entries["milestone"][0], f"a language milestone needs '{required}'")
            language = self.text(
                entries["language"][1], "language", LANGUAGE, "a language code such as en"
            )
            level = self.level(entries["level"][1])
            return MilestoneNode(kind=kind, language=language, level=level, **common)
        return MilestoneNode(kind=kind, **common)


class _RecordReader(_Reader):
    """Read one learner record file."""

    def __init__(self, file: str) -> None:
        super().__init__(file, RecordError)

    def record(self, text: str) -> Record:
        """Return the record the file describes."""
        root = self.compose(text)
        entries = self.mapping(root, "a record file")
        self.unknown(entries, RECORD_KEYS, "the record")
        learner = self.text(entries["learner"][1], "learner") if "learner" in entries else None
        units: tuple[UnitEntry, ...] = ()
        if "units" in entries:
            items = self.sequence(entries["units"][1], "units", allow_empty=True)
            units = tuple(self.entry(item) for item in items)
        milestones: tuple[MilestoneEntry, ...] = ()
        if "milestones" in entries:
            items = self.sequence(entries["milestones"][1], "milestones", allow_empty=True)
            milestones = tuple(self.held_milestone(item) for item in items)
        return Record(units=units, milestones=milestones, learner=learner)

    def entry(self, node: yaml.Node) -> UnitEntry:
        """Return one unit result or validation."""
        entries = self.mapping(node, "a unit entry")
        self.unknown(entries, ENTRY_KEYS, "a unit entry")
        for required in ("code", "ects"):
            if required not in entries:
                self.fail(node, f"a unit entry needs '{required}'")
        code = self.code(entries["code"][1])
        source = "exam"
        if "source" in entries:
            source = self.text(entries["source"][1], "source")
            if source not in SOURCES:
                self.fail(
                    entries["source"][1],
                    f"unknown source '{source}': expected one of {', '.join(SOURCES)}",
                )
        grade = None
        if "grade" in entries:
            grade = self.number(entries["grade"][1], "grade", maximum=MAX_GRADE)
        elif source == "exam":
            self.fail(
                node,
                f"the exam result for {code} needs a grade (or a source such as ves)",
            )
        return UnitEntry(
            code=code,
            ects=self.number(entries["ects"][1], "ects"),
            grade=grade,
            source=cast(Source, source),
            date=self.date(entries["date"][1]) if "date" in entries else None,
            department=self.text(entries["department"][1], "department")
            if "department" in entries
            else None,
            line=node.start_mark.line + 1,
        )

    def held_milestone(self, node: yaml.Node) -> MilestoneEntry:
        """Return one milestone the learner holds."""
        entries = self.mapping(node, "a milestone entry")
        if "milestone" not in entries:
            self.fail(
                node, "a milestone entry needs 'milestone' (experience, language, thesis, ...)"
            )
        kind = self.text(
            entries["milestone"][1],
            "milestone",
            MILESTONE_KIND,
            "a word in small letters such as thesis",
        )
        allowed = MILESTONE_KEYS.get(kind, frozenset()) | {"milestone", "date"}
        self.unknown(entries, allowed, f"a {kind} milestone")
        line = node.start_mark.line + 1
        held_on = self.date(entries["date"][1]) if "date" in entries else None
        if kind == "experience":
            return MilestoneEntry(
                kind=kind,
                years=self.number(entries["years"][1], "years") if "years" in entries else 0.0,
                in_field_years=(
                    self.number(entries["in_field_years"][1], "in_field_years")
                    if "in_field_years" in entries
                    else 0.0
                ),
                date=held_on,
                line=line,
            )
        if kind == "language":
            for required in ("language", "level"):
                if required not in entries:
                    self.fail(node, f"a language milestone needs '{required}'")
            return MilestoneEntry(
                kind=kind,
                language=self.text(
                    entries["language"][1], "language", LANGUAGE, "a language code such as en"
                ),
                level=self.level(entries["level"][1]),
                date=held_on,
                line=line,
            )
        return MilestoneEntry(kind=kind, date=held_on, line=line)


def parse_rules(text: str, *, file: str = "<rules>") -> Diploma:
    """Return the diploma a rules text describes, or raise ``RulesError``."""
    return _RulesReader(file).diploma(text)


def parse_record(text: str, *, file: str = "<record>") -> Record:
    """Return the record a record text describes, or raise ``RecordError``."""
    return _RecordReader(file).record(text)


def _read(path: str | Path, error: type[InputError]) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(str(path), None, f"cannot read the file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise error(str(path), None, "the file is not UTF-8 text") from exc


def load_rules(path: str | Path) -> Diploma:
    """Return the diploma a rules file describes, or raise ``RulesError``."""
    return parse_rules(_read(path, RulesError), file=str(path))


def load_record(path: str | Path) -> Record:
    """Return the record a record file describes, or raise ``RecordError``."""
    return parse_record(_read(path, RecordError), file=str(path))
