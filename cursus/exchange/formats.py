"""The columns of each kind of file, and the rows read from a file with their line numbers.

Rows name their objects by natural keys, never by database ids: a learner by
its number, a unit by its code, an offering by unit, term (2025-S1), centre,
formula and section. The first line of a file names the columns; a user
counts it as line 1, so the first row is line 2.
"""

from dataclasses import dataclass

KINDS = ("learners", "units", "offerings", "enrolments", "results")

# Where a file's reader puts the cells beyond the header's columns.
EXTRA_CELLS = "__extra__"

# Offerings are named by these columns wherever a row refers to one.
OFFERING_KEY = ("unit", "term", "centre", "formula", "section")


@dataclass(frozen=True, slots=True)
class Format:
    """The columns of one kind of file: those a file must have, then those it may have."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Return every column, in the order exports write them."""
        return (*self.required, *self.optional)


FORMATS: dict[str, Format] = {
    "learners": Format(
        required=("number", "last_name", "first_name", "home_centre"),
        optional=(
            "birth_date",
            "ine",
            "email",
            "phone",
            "address",
            "profession",
            "sector",
            "employer",
        ),
    ),
    "units": Format(
        required=("code", "title_fr", "department", "ects"),
        optional=(
            "title_en",
            "hours",
            "kind",
            "first_year",
            "last_year",
            "description_fr",
            "description_en",
        ),
    ),
    "offerings": Format(
        required=("unit", "term", "centre", "formula"),
        optional=("section", "institute", "capacity", "language", "published"),
    ),
    "enrolments": Format(
        required=("learner", "unit", "term", "centre", "formula"), optional=("section",)
    ),
    "results": Format(
        required=("learner", "unit", "term", "centre", "formula", "session", "grade"),
        optional=("section", "published"),
    ),
}

COLUMNS: dict[str, tuple[str, ...]] = {kind: spec.columns for kind, spec in FORMATS.items()}


class Row(dict[str, str]):
    """One row of a file: its cells by column name, and its line number in the file."""

    __slots__ = ("line",)

    def __init__(self, cells: dict[str, str], line: int) -> None:
        super().__init__(cells)
        self.line = line
