"""Check that the French interface is complete and that every catalogue is compiled.

Run as ``python -m cursus.web.i18n_check [LOCALE_DIR]``. It fails, listing
each problem, when a French entry is untranslated or fuzzy, or when a ``.mo``
file is missing or holds other translations than its ``.po`` (someone edited
the ``.po`` and did not run ``compilemessages``). It needs neither Django
settings nor the gettext tools.
"""

import ast
import struct
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
COMPLETE_LANGUAGES = ("fr",)
MO_MAGIC = 0x950412DE
CONTEXT_SEPARATOR = "\x04"


@dataclass
class Entry:
    """One message of a ``.po`` file."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """Return the key gettext stores this message under in a ``.mo`` file."""
        key = self.msgid if self.msgid_plural is None else f"{self.msgid}\0{self.msgid_plural}"
        return key if self.msgctxt is None else f"{self.msgctxt}{CONTEXT_SEPARATOR}{key}"

    @property
    def translated(self) -> bool:
        """Tell whether every form of the message has a translation."""
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def compiled(self) -> bool:
        """Tell whether msgfmt writes the message: it has a first form, and is not fuzzy."""
        return bool(self.msgid and self.msgstr.get(0)) and not self.fuzzy

    @property
    def fuzzy(self) -> bool:
        """Tell whether a translator marked the translation as doubtful."""
        return "fuzzy" in self.flags

    @property
    def value(self) -> str:
        """Return the translation as a ``.mo`` file stores it (plural forms joined by NUL)."""
        return "\0".join(self.msgstr[index] for index in sorted(self.msgstr))


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise ValueError(f"{path}:{number}: expected a quoted string, found {text!r}")
    # A .po string is written like a C string; Python's literal syntax reads the same escapes.
    value = ast.literal_eval(text)
    if not isinstance(value, str):
        raise ValueError(f"{path}:{number}: not a string: {text!r}")
    return value


def parse_po(path: Path) -> list[Entry]:
    """Return the live entries of a ``.po`` file (obsolete ``#~`` entries are left out)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if target is not None and target[0] == "msgstr":
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: a string outside any entry")
            _append(entry, target, _unquote(line, path, number))
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            target = _target(keyword, path, number)
            if keyword == "msgid":
                entry.line = number
            _set(entry, target, _unquote(rest, path, number))
    finish()
    return entries


def _target(keyword: str, path: Path, number: int) -> tuple[str, int]:
    if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
        return keyword, 0
    if keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit():
        return "msgstr", int(keyword[7:-1])
    raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")


def _set(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def _append(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, (getattr(entry, name) or "") + value)


def parse_mo(path: Path) -> dict[str, str]:
    """Return the messages of a compiled ``.mo`` file, by key."""
    data = path.read_bytes()
    if len(data) < 20:
        raise ValueError(f"{path}: too short to be a .mo file")
    for order in ("<", ">"):
        if struct.unpack(f"{order}I", data[:4])[0] == MO_MAGIC:
            break
    else:
        raise ValueError(f"{path}: not a .mo file")
    count, originals, translations = struct.unpack(f"{order}3I", data[8:20])
    messages = {}
    for index in range(count):
        length, offset = struct.unpack(f"{order}2I", data[originals + 8 * index :][:8])
        key = data[offset : offset + length].decode("utf-8")
        length, offset = struct.unpack(f"{order}2I", data[translations + 8 * index :][:8])
        messages[key] = data[offset : offset + length].decode("utf-8")
    return messages


def compiled_messages(entries: Sequence[Entry]) -> dict[str, str]:
    """Return what compiling these entries must give, header left out (as msgfmt does)."""
    return {entry.key: entry.value for entry in entries if entry.compiled}


def catalogue_problems(po_path: Path, *, complete: bool) -> Iterator[str]:
    """Yield what is wrong with one catalogue and its compiled form."""
    entries = parse_po(po_path)
    if complete:
        for entry in entries:
            if not entry.msgid:
                continue
            if entry.fuzzy:
                yield f"{po_path}:{entry.line}: fuzzy: {entry.msgid!r}"
            elif not entry.translated:
                yield f"{po_path}:{entry.line}: untranslated: {entry.msgid!r}"
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        yield f"{mo_path}: missing; run compilemessages"
        return
    compiled = parse_mo(mo_path)
    compiled.pop("", None)
    expected = compiled_messages(entries)
    if compiled != expected:
        stale = sorted(
            key
            for key in expected.keys() | compiled.keys()
            if compiled.get(key) != expected.get(key)
        )
        yield (
            f"{mo_path}: differs from its .po in {len(stale)} message(s), e.g. "
            f"{stale[0].split(CONTEXT_SEPARATOR)[-1]!r}; run compilemessages"
        )


def check(locale_dir: Path = LOCALE_DIR) -> tuple[list[str], str]:
    """Return the problems found under a locale directory, and a one-line summary."""
    catalogues = sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
    if not catalogues:
        return [f"{locale_dir}: no catalogue found"], ""
    problems: list[str] = []
    counted = 0
    for po_path in catalogues:
        language = po_path.parent.parent.name
        complete = language in COMPLETE_LANGUAGES
        if complete:
            counted += sum(1 for entry in parse_po(po_path) if entry.msgid)
        problems.extend(catalogue_problems(po_path, complete=complete))
    languages = sorted({po.parent.parent.name for po in catalogues})
    summary = (
        f"Translations complete: {counted} French messages; "
        f"{len(catalogues)} catalogues compiled ({', '.join(languages)})."
    )
    return problems, summary


def main(argv: Sequence[str] | None = None) -> int:
    """Print the problems and return 1, or print the summary and return 0."""
    args = list(sys.argv[1:] if argv is None else argv)
    problems, summary = check(Path(args[0]) if args else LOCALE_DIR)
    if problems:
        sys.stderr.write("\n".join(problems) + f"\n{len(problems)} translation problem(s).\n")
        return 1
    sys.stdout.write(summary + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
