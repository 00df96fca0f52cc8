"""Writes of enrolment, one module per sub-domain, all importable from here.

- ``learners``: learners' files and their employers;
- ``registrations``: tariffs, annual registrations, their fees and who pays them;
- ``enrolments``: enrolment in offerings, waitlists, withdrawal and promotion;
- ``agreements``: training agreements with employers;
- ``contracts``: individual training contracts with self-paying learners.

``common`` holds what they share, and states the order in which they take locks.
"""

from cursus.enrolment.actions.agreements import (
    AGREEMENT_NUMBER_PREFIX,
    cancel_agreement,
    complete_agreement,
    create_agreement,
    send_agreement,
    sign_agreement_as_employer,
    sign_agreement_as_institution,
)
from cursus.enrolment.actions.common import FundingSpec
from cursus.enrolment.actions.contracts import (
    CONTRACT_NUMBER_PREFIX,
    WITHDRAWAL_DAYS,
    cancel_contract,
    create_contract,
    sign_contract,
    withdraw_from_contract,
    withdrawal_period_end,
)
from cursus.enrolment.actions.enrolments import (
    IDEMPOTENCY_KEY_MAX_LENGTH,
    EnrolmentOutcome,
    WithdrawalOutcome,
    end_enrolments,
    enrol,
    fill_places,
    waitlist_position,
    withdraw,
)
from cursus.enrolment.actions.learners import (
    EMPLOYER_FIELDS,
    LEARNER_FIELDS,
    LEARNER_NUMBER_DIGITS,
    LEARNER_NUMBER_PREFIX,
    create_employer,
    create_learner,
    next_learner_number,
    update_employer,
    update_learner,
    validate_employer,
    validate_learner,
)
from cursus.enrolment.actions.registrations import (
    cancel_registration,
    quote,
    recompute_fee,
    register,
    set_funding,
    set_tariff,
    validate_tariff,
)

__all__ = [
    "AGREEMENT_NUMBER_PREFIX",
    "CONTRACT_NUMBER_PREFIX",
    "EMPLOYER_FIELDS",
    "IDEMPOTENCY_KEY_MAX_LENGTH",
    "LEARNER_FIELDS",
    "LEARNER_NUMBER_DIGITS",
    "LEARNER_NUMBER_PREFIX",
    "WITHDRAWAL_DAYS",
    "EnrolmentOutcome",
    "FundingSpec",
    "WithdrawalOutcome",
    "cancel_agreement",
    "cancel_contract",
    "cancel_registration",
    "complete_agreement",
    "create_agreement",
    "create_contract",
    "create_employer",
    "create_learner",
    "end_enrolments",
    "enrol",
    "fill_places",
    "next_learner_number",
    "quote",
    "recompute_fee",
    "register",
    "send_agreement",
    "set_funding",
    "set_tariff",
    "sign_agreement_as_employer",
    "sign_agreement_as_institution",
    "sign_contract",
    "update_employer",
    "update_learner",
    "validate_employer",
    "validate_learner",
    "validate_tariff",
    "waitlist_position",
    "withdraw",
    "withdraw_from_contract",
    "withdrawal_period_end",
]
