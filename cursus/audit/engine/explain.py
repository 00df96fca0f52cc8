"""Say what is still missing and how far each requirement is met, in French and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cursus.audit.engine.rules import (
    AllNode,
    AnyNode,
    ChooseNode,
    CreditsNode,
    Lang,
    MilestoneNode,
    Node,
    Selector,
    UnitNode,
)

LANGS: Final = ("fr", "en")
LANGUAGE_NAMES: Final = {
    "en": ("English", "anglais"),
    "fr": ("French", "français"),
    "de": ("German", "allemand"),
    "es": ("Spanish", "espagnol"),
    "it": ("Italian", "italien"),
    "pt": ("Portuguese", "portugais"),
    "ar": ("Arabic", "arabe"),
    "zh": ("Chinese", "chinois"),
}
MILESTONE_NAMES: Final = {
    "thesis": ("a thesis (mémoire) defended", "un mémoire soutenu"),
    "admission": ("the admission decision", "la décision d'admission"),
    "internship": ("an internship", "un stage"),
    "project": ("a project", "un projet"),
    "oral": ("the oral examination", "l'oral"),
}
# Long lists are cut in messages: the tree shows them whole.
LISTED: Final = 6


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if the texts exist in it, or raise ValueError."""
    if lang == "fr":
        return "fr"
    if lang == "en":
        return "en"
    raise ValueError(f"language must be 'fr' or 'en', not {lang!r}")


def number(value: float, lang: Lang) -> str:
    """Return a number as a reader writes it: 6, 4.5 (en) or 4,5 (fr)."""
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def _plural(value: float, one: str, many: str) -> str:
    return one if value <= 1 else many


def _join(items: list[str], lang: Lang, *, word: str | None = None) -> str:
    """Join items as "a, b or c" (or with ``word`` instead of "or")."""
    if len(items) > LISTED:
        items = [*items[: LISTED - 1], "…"]
    last = word or ("ou" if lang == "fr" else "or")
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def selector_text(selector: Selector, lang: Lang) -> str:
    """Describe the units a credits pool accepts."""
    parts = []
    if selector.everything:
        parts.append("toutes les UE" if lang == "fr" else "any unit")
    if selector.units:
        parts.append(_join(list(selector.units), lang))
    if selector.prefixes:
        prefixes = _join(list(selector.prefixes), lang)
        parts.append(
            f"les UE commençant par {prefixes}"
            if lang == "fr"
            else f"units starting with {prefixes}"
        )
    if selector.departments:
        names = _join(list(selector.departments), lang)
        if lang == "fr":
            many = len(selector.departments) > 1
            parts.append(f"les départements {names}" if many else f"le département {names}")
        else:
            many = len(selector.departments) > 1
            parts.append(f"the {names} department{'s' if many else ''}")
    text = _join(parts, lang)
    if selector.exclude:
        excluded = ", ".join(selector.exclude)
        text += f", sauf {excluded}" if lang == "fr" else f", except {excluded}"
    return text


def language_name(code: str, lang: Lang) -> str:
    """Return the name of a language, or its code."""
    names = LANGUAGE_NAMES.get(code)
    if names is None:
        return code
    return names[1] if lang == "fr" else names[0]


def _years(value: float, lang: Lang) -> str:
    if lang == "fr":
        return f"{number(value, lang)} {_plural(value, 'an', 'ans')}"
    return f"{number(value, lang)} {_plural(value, 'year', 'years')}"


def milestone_text(node: MilestoneNode, lang: Lang) -> str:
    """Describe what a milestone requires, as a noun phrase."""
    if node.kind == "experience":
        years, in_field = node.years, node.in_field_years
        if lang == "fr":
            if years and in_field:
                return (
                    f"{_years(years, lang)} d'expérience professionnelle, "
                    f"dont {_years(in_field, lang)} dans le domaine"
                )
            if years:
                return f"{_years(years, lang)} d'expérience professionnelle"
            if in_field:
                return f"{_years(in_field, lang)} d'expérience professionnelle dans le domaine"
            return "une expérience professionnelle"
        if years and in_field:
            return (
                f"{_years(years, lang)} of professional experience, "
                f"{number(in_field, lang)} of them in the field"
            )
        if years:
            return f"{_years(years, lang)} of professional experience"
        if in_field:
            return f"{_years(in_field, lang)} of professional experience in the field"
        return "professional experience"
    if node.kind == "language":
        name = language_name(node.language or "", lang)
        if lang == "fr":
            return f"un niveau {node.level} ou plus en {name}"
        return f"{name} at level {node.level} or higher"
    names = MILESTONE_NAMES.get(node.kind)
    if names is not None:
        return names[1] if lang == "fr" else names[0]
    return f"le jalon « {node.kind} »" if lang == "fr" else f"the “{node.kind}” milestone"


def summary(node: Node, lang: Lang, depth: int = 0) -> str:
    """Describe a requirement in a few words, for lists of options."""
    if node.title is not None:
        return node.title.text(lang)
    match node:
        case UnitNode(code=code, min_grade=floor):
            if floor is None:
                return code
            return f"{code} ({'note' if lang == 'fr' else 'grade'} ≥ {number(floor, lang)})"
        case CreditsNode(credits=credits, selector=selector):
            between = "parmi" if lang == "fr" else "from"
            return f"{number(credits, lang)} ECTS {between} {selector_text(selector, lang)}"
        case MilestoneNode():
            return milestone_text(node, lang)
        case _ if depth >= 2:
            return node.label or "…"
        case AllNode(children=children):
            parts = [summary(c, lang, depth + 1) for c in children]
            return _wrap(_join(parts, lang, word="et" if lang == "fr" else "and"), depth)
        case AnyNode(children=children):
            parts = [summary(c, lang, depth + 1) for c in children]
            return _wrap(_join(parts, lang), depth)
        case ChooseNode(count=count, children=children):
            inner = ", ".join(summary(c, lang, depth + 1) for c in children[:LISTED])
            if len(children) > LISTED:
                inner += ", …"
            between = "parmi" if lang == "fr" else "of"
            return f"{count} {between} ({inner})"
    return node.label or "…"


def _wrap(text: str, depth: int) -> str:
    return f"({text})" if depth else text


# -- what is missing -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitNeeded:
    """A unit is still needed, perhaps with a better grade, perhaps held but counted elsewhere."""

    code: str
    equivalents: tuple[str, ...] = ()
    min_grade: float | None = None
    # Set when a unit that would count is held with too low a grade (None: without grade).
    held: str | None = None
    best_grade: float | None = None
    # Set when the unit held already counts for another requirement.
    elsewhere: str | None = None

    def text(self, lang: str = "en") -> str:
        """Say what is needed."""
        lang = check_lang(lang)
        name = self.code
        if self.equivalents:
            name += f" ({'ou' if lang == 'fr' else 'or'} {_join(list(self.equivalents), lang)})"
        if self.held is not None and self.min_grade is not None:
            floor = number(self.min_grade, lang)
            if self.best_grade is None:
                if lang == "fr":
                    return (
                        f"{self.held} doit être obtenue avec au moins {floor} ; "
                        "elle a été validée sans note"
                    )
                return (
                    f"{self.held} needs a grade of at least {floor}; "
                    "it was validated without a grade"
                )
            best = number(self.best_grade, lang)
            if lang == "fr":
                return (
                    f"{self.held} doit être obtenue avec au moins {floor} ; meilleure note : {best}"
                )
            return f"{self.held} needs a grade of at least {floor}; best grade so far: {best}"
        if self.elsewhere is not None and self.held is not None:
            if lang == "fr":
                return (
                    f"Il manque encore {name} ici : {self.held} détenue "
                    f"compte déjà pour « {self.elsewhere} »"
                )
            return (
                f"{name} is still needed here: the {self.held} held "
                f"already counts for “{self.elsewhere}”"
            )
        return f"Il manque encore {name}" if lang == "fr" else f"{name} is still needed"


@dataclass(frozen=True, slots=True)
class CreditsNeeded:
    """More ECTS are needed from a pool."""

    missing: float
    have: float
    need: float
    selector: Selector
    max_units: int | None = None

    def text(self, lang: str = "en") -> str:
        """Say what is needed."""
        lang = check_lang(lang)
        missing = number(self.missing, lang)
        units = selector_text(self.selector, lang)
        if lang == "fr":
            text = f"Encore {missing} ECTS à obtenir parmi {units}"
            if self.max_units is not None:
                text += f" ({self.max_units} UE au plus)"
            if self.have > 0:
                have, need = number(self.have, lang), number(self.need, lang)
                text += f" ; {have} ECTS sur {need} pour l'instant"
            return text
        text = f"{missing} more ECTS needed from {units}"
        if self.max_units is not None:
            text += f" (at most {self.max_units} units)"
        if self.have > 0:
            text += f"; {number(self.have, lang)} of {number(self.need, lang)} ECTS so far"
        return text


@dataclass(frozen=True, slots=True)
class ChoiceNeeded:
    """More of a group's options are needed."""

    more: int
    options: tuple[Node, ...]
    of_any: bool = False

    def text(self, lang: str = "en") -> str:
        """Say what is needed."""
        lang = check_lang(lang)
        # French sets a space before the semicolon.
        separator = " ; " if lang == "fr" else "; "
        listed = separator.join(summary(node, lang, 1) for node in self.options[:LISTED])
        if len(self.options) > LISTED:
            listed += f"{separator}…"
        if lang == "fr":
            if self.of_any:
                return f"Il faut encore l'un de ces éléments : {listed}"
            word = _plural(self.more, "élément", "éléments")
            return f"Il faut encore {self.more} {word} parmi : {listed}"
        if self.of_any:
            return f"One of these is still needed: {listed}"
        verb = _plural(self.more, "is", "are")
        return f"{self.more} more of these {verb} needed: {listed}"


@dataclass(frozen=True, slots=True)
class MilestoneNeeded:
    """A milestone is not met yet."""

    node: MilestoneNode
    years: float = 0.0
    in_field_years: float = 0.0
    level: str | None = None

    def text(self, lang: str = "en") -> str:
        """Say what is needed and what the record holds."""
        lang = check_lang(lang)
        what = milestone_text(self.node, lang)
        if self.node.kind == "experience":
            years, in_field = _years(self.years, lang), number(self.in_field_years, lang)
            if lang == "fr":
                return (
                    f"Il faut encore {what} (déclarée : {years}, dont {in_field} dans le domaine)"
                )
            return f"Still needed: {what} (recorded: {years}, {in_field} in the field)"
        if self.node.kind == "language":
            if lang == "fr":
                return f"Il faut encore {what} (niveau déclaré : {self.level or 'aucun'})"
            return f"Still needed: {what} (recorded: {self.level or 'none'})"
        return f"Il manque encore : {what}" if lang == "fr" else f"Still needed: {what}"


@dataclass(frozen=True, slots=True)
class ShareNeeded:
    """Too few of the ECTS counted were earned by examination."""

    share: float
    assessed: float
    total: float

    def text(self, lang: str = "en") -> str:
        """Say what is needed."""
        lang = check_lang(lang)
        wanted = number(self.share * 100, lang)
        now = number(100 * self.assessed / self.total if self.total else 0.0, lang)
        assessed, total = number(self.assessed, lang), number(self.total, lang)
        if lang == "fr":
            return (
                f"Au moins {wanted} % des ECTS comptés doivent être obtenus par examen : "
                f"{assessed} ECTS sur {total} le sont ({now} %)"
            )
        return (
            f"At least {wanted}% of the ECTS counted must be earned by examination: "
            f"{assessed} of {total} ECTS are ({now}%)"
        )


Reason = UnitNeeded | CreditsNeeded | ChoiceNeeded | MilestoneNeeded | ShareNeeded
