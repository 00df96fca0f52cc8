"""What the steps of a demo build share: the seed, the progress display, what was made."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cursus.catalogue.models import Centre, Department, Diploma, Institute, Term, Unit
    from cursus.core.models import User
    from cursus.enrolment.models import Employer, Learner

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo account: its role, the e-mail it logs in with, and whose it is."""

    role: str
    email: str
    name: str


# Rows written per INSERT: large enough to be fast, small enough for SQLite's limits.
BATCH_SIZE = 2000


@dataclass
class BuildContext:
    """The state of one build; each step adds what it made for the steps after it."""

    seed: int
    scale: float
    progress: Progress | None = None
    departments: dict[str, "Department"] = field(default_factory=dict)
    centres: dict[str, "Centre"] = field(default_factory=dict)
    institutes: dict[str, "Institute"] = field(default_factory=dict)
    units: dict[str, "Unit"] = field(default_factory=dict)
    diplomas: list["Diploma"] = field(default_factory=list)
    terms: dict[str, "Term"] = field(default_factory=dict)
    # Teachers by centre code, then by department slug.
    teachers: dict[str, dict[str, list["User"]]] = field(default_factory=dict)
    employers: list["Employer"] = field(default_factory=list)
    teacher_count: int = 0
    offering_count: int = 0
    learner_count: int = 0
    registrar: "User | None" = None
    demo_teacher: "User | None" = None
    demo_employer: "Employer | None" = None
    demo_learner: "Learner | None" = None
    logins: list[DemoLogin] = field(default_factory=list)
    # The learners whose records the history step loads; the other steps leave them be.
    history_learners: set[int] = field(default_factory=set)
    # The demo password, hashed once: hashing it for every account would take seconds.
    password_hash: str = ""

    def rng(self, area: str) -> random.Random:
        """Return a generator for one area of the build, fixed by the seed alone.

        Each area draws from its own generator, so that changing how learners
        are made leaves the catalogue of a seed as it was.
        """
        return random.Random(f"cursus-demo:{self.seed}:{area}")

    def report(self, step: str, done: int, total: int) -> None:
        """Tell the progress display how far a step has gone."""
        if self.progress is not None:
            self.progress(step, done, total)
