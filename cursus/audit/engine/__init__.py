"""The diploma rules engine: parse rules, audit records, explain what is missing.

Pure Python: nothing here imports Django or the other apps. Typical use::

    diploma = parse_rules(text)
    result = evaluate(diploma, record)
    result.satisfied, result.assignment, [m.text("fr") for m in result.missing]

To audit many records against many diplomas, compile each diploma once with
``compile_diploma`` and prepare each record once with ``holdings``.
"""

from cursus.audit.engine.compiled import CompiledDiploma, compile_diploma
from cursus.audit.engine.errors import InputError, RecordError, RulesError
from cursus.audit.engine.explain import (
    ChoiceNeeded,
    CreditsNeeded,
    MilestoneNeeded,
    Reason,
    ShareNeeded,
    UnitNeeded,
)
from cursus.audit.engine.parse import load_record, load_rules, parse_record, parse_rules
from cursus.audit.engine.record import (
    Acquisition,
    Holdings,
    MilestoneEntry,
    Record,
    UnitEntry,
    acquisitions,
    holdings,
)
from cursus.audit.engine.result import (
    AuditResult,
    Missing,
    NodeResult,
    Remaining,
    Status,
    evaluate,
    remaining,
)
from cursus.audit.engine.rules import (
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
    UnitReference,
    unit_codes,
    unknown_units,
    walk,
)

__all__ = [
    "Acquisition",
    "AllNode",
    "AnyNode",
    "AuditResult",
    "ChoiceNeeded",
    "ChooseNode",
    "CompiledDiploma",
    "CreditsNeeded",
    "CreditsNode",
    "Diploma",
    "Equivalence",
    "Holdings",
    "InputError",
    "MilestoneEntry",
    "MilestoneNeeded",
    "MilestoneNode",
    "Missing",
    "Node",
    "NodeResult",
    "Reason",
    "Record",
    "RecordError",
    "Remaining",
    "RulesError",
    "Selector",
    "ShareNeeded",
    "Status",
    "Title",
    "UnitEntry",
    "UnitNeeded",
    "UnitNode",
    "UnitReference",
    "acquisitions",
    "compile_diploma",
    "evaluate",
    "holdings",
    "load_record",
    "load_rules",
    "parse_record",
    "parse_rules",
    "remaining",
    "unit_codes",
    "unknown_units",
    "walk",
]
