"""Errors raised on invalid rules or record files."""

from __future__ import annotations


class InputError(ValueError):
    """Report one problem in an input file, with the line it is on."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(file, line, message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class RulesError(InputError):
    """Report a problem in a diploma rules file."""


class RecordError(InputError):
    """Report a problem in a learner record file."""
