"""Collect validation problems per field, then refuse the whole input at once.

Actions validate everything before they save anything, so that one answer
names every faulty field and nothing is half-written.
"""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from cursus.core.errors import Conflict, InvalidInput

ALL_FIELDS = "__all__"

# Codes Django gives to uniqueness failures: the input is fine, the state clashes.
_UNIQUENESS_CODES = frozenset({"unique", "unique_together", "unique_for_date"})


class Problems:
    """The problems found in one input, by field."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.conflicts: dict[str, list[str]] = {}

    def __bool__(self) -> bool:
        return bool(self.errors or self.conflicts)

    def add(self, field: str, message: object) -> None:
        """Record a problem with a field (``__all__`` for the input as a whole)."""
        self.errors.setdefault(field, []).append(str(message))

    def add_conflict(self, field: str, message: object) -> None:
        """Record a clash with existing data, such as a code already taken."""
        self.conflicts.setdefault(field, []).append(str(message))

    def has(self, field: str) -> bool:
        """Tell whether a problem is already recorded for the field."""
        return field in self.errors or field in self.conflicts

    def check_model(
        self,
        instance: Model,
        *,
        exclude: Iterable[str] = (),
        prefix: str = "",
        validate_unique: bool = True,
    ) -> None:
        """Run the model's field validators and uniqueness checks, recording what fails.

        Check constraints are left to the caller, which states each rule against
        the field it concerns; the database still enforces them.
        """
        skipped = set(exclude) | {
            name.removeprefix(prefix) for name in (*self.errors, *self.conflicts)
        }
        try:
            instance.full_clean(
                exclude=skipped, validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            self.add_validation_error(error, prefix=prefix)

    def add_validation_error(self, error: ValidationError, *, prefix: str = "") -> None:
        """Record a Django validation error, field by field."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add(prefix.rstrip(".") or ALL_FIELDS, message)
            return
        for field, field_errors in error.error_dict.items():
            name = ALL_FIELDS if field == NON_FIELD_ERRORS else field
            key = f"{prefix}{name}" if name != ALL_FIELDS else (prefix.rstrip(".") or ALL_FIELDS)
            for item in field_errors:
                for message in item.messages:
                    if item.code in _UNIQUENESS_CODES:
                        self.add_conflict(key, message)
                    else:
                        self.add(key, message)

    def raise_if_any(self) -> None:
        """Raise InvalidInput naming every faulty field, or Conflict for a clash alone."""
        if self.errors:
            merged = {field: list(messages) for field, messages in self.errors.items()}
            for field, messages in self.conflicts.items():
                merged.setdefault(field, []).extend(messages)
            raise InvalidInput(merged)
        if self.conflicts:
            field, messages = next(iter(self.conflicts.items()))
            raise Conflict(messages[0], field=field)
