"""The ``cursus audit`` and ``cursus rules`` commands: rules and records as files."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from cursus.audit.engine.errors import InputError, RulesError
from cursus.audit.engine.parse import load_record, load_rules
from cursus.audit.engine.result import AuditResult, NodeResult, evaluate
from cursus.audit.engine.rules import Lang, UnitNode, form_of, unknown_units

INVALID: Final = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus", description="Audit learners' records against diploma rules."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    audit = commands.add_parser(
        "audit",
        help="audit a learner's record against a diploma's rules",
        description="Audit RECORD against RULES. Exit 0 when the audit ran, 2 on invalid input.",
    )
    audit.add_argument("rules", metavar="RULES", help="the diploma's rules file (YAML)")
    audit.add_argument("record", metavar="RECORD", help="the learner's record file (YAML)")
    audit.add_argument("--json", action="store_true", help="print one JSON object")
    audit.add_argument(
        "--lang", choices=("fr", "en"), default="en", help="language of the texts (default: en)"
    )
    rules = commands.add_parser("rules", help="work with rules files")
    actions = rules.add_subparsers(dest="action", required=True)
    check = actions.add_parser(
        "check",
        help="check rules files",
        description="Check each FILE; print 'FILE: ok' or its error. Exit 2 if any is invalid.",
    )
    check.add_argument("files", metavar="FILE", nargs="+", help="rules files (YAML)")
    check.add_argument(
        "--units",
        metavar="CATALOGUE",
        help="a CSV file with a 'code' column (or one code a line): refuse other units",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``audit`` or ``rules check`` and return the exit status."""
    try:
        args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        # argparse has printed its message; keep the status for callers of main().
        return exc.code if isinstance(exc.code, int) else INVALID
    if args.command == "audit":
        return _audit(args.rules, args.record, as_json=args.json, lang=args.lang)
    return _check(args.files, args.units)


def _audit(rules: str, record: str, *, as_json: bool, lang: Lang) -> int:
    try:
        diploma = load_rules(rules)
        learner = load_record(record)
    except InputError as exc:
        sys.stderr.write(f"{exc}\n")
        return INVALID
    result = evaluate(diploma, learner)
    if as_json:
        sys.stdout.write(json.dumps(result.as_json(lang), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(result, lang))
    return 0


def _check(files: Sequence[str], catalogue: str | None) -> int:
    known = None
    if catalogue is not None:
        try:
            known = read_catalogue(catalogue)
        except InputError as exc:
            sys.stderr.write(f"{exc}\n")
            return INVALID
    status = 0
    for file in files:
        try:
            diploma = load_rules(file)
            if known is not None:
                for ref in unknown_units(diploma, known)[:1]:
                    raise RulesError(file, ref.line, f"unit {ref.code} is not in the catalogue")
        except InputError as exc:
            sys.stdout.write(f"{exc}\n")
            status = INVALID
        else:
            sys.stdout.write(f"{file}: ok\n")
    return status


def read_catalogue(path: str) -> frozenset[str]:
    """Return the unit codes of a catalogue: a CSV with a ``code`` column, or one code a line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read the catalogue ({exc})") from exc
    lines = text.splitlines()
    if lines and "code" in [cell.strip() for cell in lines[0].split(",")]:
        return frozenset(row["code"].strip() for row in csv.DictReader(lines) if row.get("code"))
    return frozenset(line.strip() for line in lines if line.strip())


def render(result: AuditResult, lang: Lang) -> str:
    """Return the audit as a readable text tree."""
    fr = lang == "fr"
    diploma = result.diploma
    lines = [f"{diploma.code} ({diploma.version}) — {diploma.title.text(lang)}"]
    if fr:
        verdict = "satisfait" if result.satisfied else "non satisfait"
        lines.append(f"Diplôme {verdict} ; {_ects(result.ects)} ECTS comptés")
    else:
        verdict = "satisfied" if result.satisfied else "not satisfied"
        lines.append(f"Diploma {verdict}; {_ects(result.ects)} ECTS counted")
    lines.append("")
    _render_node(result.tree(), lang, 0, lines)
    if result.missing:
        lines.append("")
        lines.append("Il manque encore :" if fr else "Still needed:")
        lines.extend(f"  - {m.node}: {m.text(lang)}" for m in result.missing)
    return "\n".join(lines) + "\n"


def _render_node(node: NodeResult, lang: Lang, depth: int, lines: list[str]) -> None:
    mark = {"met": "[x]", "partly-met": "[~]", "not-met": "[ ]"}[node.status.value]
    name = node.node.title.text(lang) if node.node.title else node.key
    form = form_of(node.node)
    detail = f"unit {node.node.code}" if isinstance(node.node, UnitNode) else form
    line = f"{'  ' * depth}{mark} {name} ({detail}): {node.progress(lang)}"
    if node.units and node.units != (getattr(node.node, "code", None),):
        # Pools list their units; a unit node names an equivalent counted for it.
        line += f" — {', '.join(node.units)}"
    lines.append(line)
    for child in node.children:
        _render_node(child, lang, depth + 1, lines)


def _ects(value: float) -> str:
    return str(round(value)) if value == round(value) else f"{value:g}"


if __name__ == "__main__":
    sys.exit(main())
