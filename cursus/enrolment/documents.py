"""The documents of enrolment: training agreements, individual training contracts and fee
statements, as PDF (and fee statements as CSV).

They state what the law requires of a training contract (Code du travail,
L6353-1 and following): title, objective, content, duration, dates, how the
learning is assessed and the price; the parties; who pays what; and, for an
individual contract, the ten-day withdrawal period.
"""

import csv
import io

from django.utils import timezone

from cursus.core.documents import render_pdf
from cursus.enrolment.actions import WITHDRAWAL_DAYS
from cursus.enrolment.models import TrainingAgreement, TrainingContract
from cursus.enrolment.queries import FeeStatement

TEMPLATES = "enrolment/documents"


def agreement_pdf(agreement: TrainingAgreement, *, base_url: str) -> bytes:
    """Return a training agreement as a PDF, with its parties, terms, price and funding."""
    return render_pdf(
        f"{TEMPLATES}/agreement.html",
        {
            "agreement": agreement,
            "terms": agreement,
            "offerings": list(agreement.offerings.all()),
            "funding": list(agreement.funding.all()),
            "printed_on": timezone.localdate(),
        },
        base_url=base_url,
    )


def contract_pdf(contract: TrainingContract, *, base_url: str) -> bytes:
    """Return an individual training contract as a PDF, with its withdrawal period."""
    return render_pdf(
        f"{TEMPLATES}/contract.html",
        {
            "contract": contract,
            "terms": contract,
            "offerings": list(contract.offerings.all()),
            "withdrawal_days": WITHDRAWAL_DAYS,
            "printed_on": timezone.localdate(),
        },
        base_url=base_url,
    )


def fee_statement_pdf(statement: FeeStatement, *, base_url: str) -> bytes:
    """Return what a payer owes for a year as a PDF."""
    return render_pdf(
        f"{TEMPLATES}/fee_statement.html",
        {"statement": statement, "printed_on": timezone.localdate()},
        base_url=base_url,
    )


def fee_statement_csv(statement: FeeStatement) -> str:
    """Return what a payer owes for a year as CSV text (comma-separated, a header first)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(statement.csv_rows())
    return buffer.getvalue()


def fee_statement_name(statement: FeeStatement) -> str:
    """Return the file name, without extension, of a payer's statement for a year."""
    payer = statement.payer
    who = (
        payer.learner.number
        if payer.learner is not None
        else payer.employer.siret
        if payer.employer is not None
        else payer.kind
    )
    return f"fees-{statement.academic_year.start_year}-{who}"
