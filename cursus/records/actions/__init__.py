"""Writes of records: results, validations, milestones, corrections and issued documents.

Each action checks everything first and changes nothing when anything is wrong;
each writes its events, and those that touch the ledger bring the learner's
acquisitions up to date from the log.
"""

from cursus.records.actions.acquisitions import correct_acquisition
from cursus.records.actions.documents import issue_attestation, issue_transcript
from cursus.records.actions.milestones import (
    NewMilestone,
    correct_milestone,
    record_milestone,
    record_milestones,
)
from cursus.records.actions.results import (
    GradeEntry,
    correct_result,
    import_results_csv,
    publish_results,
    record_result,
    record_results,
)
from cursus.records.actions.validations import (
    PriorLearning,
    correct_validation,
    ensure_may_validate,
    revoke_validation,
    validate_prior_learning,
    validate_prior_learning_in_bulk,
)

__all__ = [
    "GradeEntry",
    "NewMilestone",
    "PriorLearning",
    "correct_acquisition",
    "correct_milestone",
    "correct_result",
    "correct_validation",
    "ensure_may_validate",
    "import_results_csv",
    "issue_attestation",
    "issue_transcript",
    "publish_results",
    "record_milestone",
    "record_milestones",
    "record_result",
    "record_results",
    "revoke_validation",
    "validate_prior_learning",
    "validate_prior_learning_in_bulk",
]
