"""A terminal display of a demo build: one line per step, with a bar, counts and times."""

import time
from collections.abc import Callable, Mapping
from typing import Protocol

BAR_WIDTH = 28


class Output(Protocol):
    """Where the display writes: a management command's stdout (an ``OutputWrapper``)."""

    def write(
        self,
        msg: str = "",
        style_func: Callable[[str], str] | None = None,
        ending: str | None = None,
    ) -> None:
        """Write a message, ended by ``ending``."""


class ProgressDisplay:
    """Show each step of a build on its own line: a bar while it runs, counts and time at the end.

    On a terminal the running line is redrawn in place; elsewhere (a log, a
    pipe) only each step's final line is written.
    """

    def __init__(
        self,
        output: Output,
        *,
        interactive: bool,
        labels: Mapping[str, str] | None = None,
        number: Callable[[int], str] = "{:,}".format,
    ) -> None:
        self.output = output
        self.interactive = interactive
        self.labels = dict(labels or {})
        self.width = max([12, *(len(label) for label in self.labels.values())])
        self.number = number
        self.started = time.monotonic()
        self.step = ""
        self.step_started = self.started
        self.finished = True
        self.last_drawn = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        """Record how far ``step`` has gone (the build's progress callback)."""
        now = time.monotonic()
        if step != self.step:
            self.step = step
            self.step_started = now
            self.finished = False
        elif self.finished:
            return
        if done >= total:
            self.finished = True
            self._draw(done, total, now, ending="\n")
        elif self.interactive and now - self.last_drawn > 0.05:
            self._draw(done, total, now, ending="")

    def line(self, step: str, done: int, total: int, seconds: float) -> str:
        """Return the line shown for a step."""
        filled = BAR_WIDTH if total <= 0 else min(BAR_WIDTH, BAR_WIDTH * done // total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        counts = f"{self.number(done):>8}/{self.number(total):<8}"
        return f"  {self._label(step):<{self.width}} [{bar}] {counts} {seconds:6.1f} s"

    def mark(self, step: str, seconds: float) -> None:
        """Write the line of a step that has no count, such as migrating the database."""
        bar = "#" * BAR_WIDTH
        self.output.write(f"  {self._label(step):<{self.width}} [{bar}] {'':17} {seconds:6.1f} s")

    @property
    def elapsed(self) -> float:
        """Return the seconds since the display started."""
        return time.monotonic() - self.started

    def _label(self, step: str) -> str:
        return self.labels.get(step, step)

    def _draw(self, done: int, total: int, now: float, *, ending: str) -> None:
        self.last_drawn = now
        text = self.line(self.step, done, total, now - self.step_started)
        prefix = "\r" if self.interactive else ""
        self.output.write(prefix + text, ending=ending)
