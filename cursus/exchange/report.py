"""What an import found and did: counts per kind of row, and the problems by line."""

from dataclasses import dataclass, field


@dataclass(slots=True)
class Counts:
    """How many rows of one kind an import creates, updates and leaves unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """Return the number of rows counted."""
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """Something wrong with a file: the line (1 is the header), the column and why."""

    line: int
    column: str
    message: str


@dataclass(slots=True)
class ImportReport:
    """The outcome of an import or of its dry run.

    An import with problems writes nothing: ``counts`` then says what it would
    have done with the lines that were right.
    """

    kind: str
    dry_run: bool = False
    rows: int = 0
    counts: dict[str, Counts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether the file was accepted (nothing is written otherwise)."""
        return not self.problems

    @property
    def written(self) -> bool:
        """Tell whether the import changed the database."""
        return self.ok and not self.dry_run

    def of(self, kind: str) -> Counts:
        """Return the counts of one kind of row, made on first use."""
        return self.counts.setdefault(kind, Counts())

    @property
    def created(self) -> int:
        """Return the rows of the file's own kind that are (or would be) created."""
        return self.of(self.kind).created

    @property
    def updated(self) -> int:
        """Return the rows of the file's own kind that are (or would be) updated."""
        return self.of(self.kind).updated

    @property
    def unchanged(self) -> int:
        """Return the rows of the file's own kind already as the file says."""
        return self.of(self.kind).unchanged

    def add(self, line: int, column: str, message: str) -> None:
        """Record a problem."""
        self.problems.append(Problem(line, column, message))

    def as_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready data."""
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "ok": self.ok,
            "counts": {
                kind: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
                for kind, c in sorted(self.counts.items())
            },
            "problems": [
                {"line": p.line, "column": p.column, "message": p.message}
                for p in sorted(self.problems)
            ],
        }
