"""Correct an acquisition where it comes from: its result's mark, or its validation."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from cursus.core.errors import InvalidInput
from cursus.core.models import User
from cursus.records.actions.results import correct_result
from cursus.records.actions.validations import correct_validation
from cursus.records.models import Acquisition, Result, Validation


def correct_acquisition(
    *,
    actor: User,
    acquisition: Acquisition,
    reason: str,
    grade: object = None,
    changes: Mapping[str, object] | None = None,
) -> Result | Validation:
    """Correct the result (its ``grade``) or the validation (its ``changes``) behind a unit."""
    if acquisition.result_id is not None:
        if grade is None:
            raise InvalidInput({"grade": [_("Give the corrected grade.")]})
        return correct_result(
            actor=actor, result=Result(pk=acquisition.result_id), grade=grade, reason=reason
        )
    return correct_validation(
        actor=actor,
        validation=Validation(pk=acquisition.validation_id),
        changes=changes or {},
        reason=reason,
    )
