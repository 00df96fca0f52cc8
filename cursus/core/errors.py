"""Domain errors: raised by actions, turned into clear 4xx answers at the edge."""

from collections.abc import Mapping


class DomainError(Exception):
    """A rule of the institution refused the request; nothing was changed."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_errors(self) -> dict[str, list[str]]:
        """Return the error as a field → messages mapping (``__all__`` when no field)."""
        return {self.field or "__all__": [self.message]}


class InvalidInput(DomainError):
    """Input failed validation; ``errors`` maps each field to its messages."""

    status = 422

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        first_field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=first_field)
        self.errors = dict(errors)

    def as_errors(self) -> dict[str, list[str]]:
        return dict(self.errors)


class NotAllowed(DomainError):
    """The user's role or centre does not cover this."""

    status = 403


class NotFound(DomainError):
    """No such object within the user's scope."""

    status = 404


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a closed period...)."""

    status = 409
