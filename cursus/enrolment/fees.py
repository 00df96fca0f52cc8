"""Money: amounts in euros to the cent, and how a changed fee is shared between its payers."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def euros(value: object) -> Decimal | None:
    """Return a value as euros to the cent, or None when it is not an amount of money.

    An amount with fractions of a cent is not rounded but refused: a price is
    written to the cent.
    """
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        return None
    return amount.quantize(CENT)


def format_euros(amount: Decimal) -> str:
    """Return an amount as it is printed in a message, e.g. ``1 250.00 €``."""
    whole, _, cents = f"{amount.quantize(CENT):f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{' '.join(groups) or '0'}.{cents} €"


def rebalance(amounts: Sequence[Decimal], *, learner_index: int, total: Decimal) -> list[Decimal]:
    """Return the shares changed so that they add up to a new total.

    The learner pays what the funders do not: their share takes the difference.
    When it would fall below nothing, the funders' shares go down instead, the
    last listed first, so that no share is ever negative.
    """
    shares = list(amounts)
    others = sum((amount for i, amount in enumerate(shares) if i != learner_index), ZERO)
    shares[learner_index] = total - others
    excess = -shares[learner_index]
    if excess > 0:
        shares[learner_index] = ZERO
        for index in reversed(range(len(shares))):
            if index == learner_index or excess == 0:
                continue
            cut = min(shares[index], excess)
            shares[index] -= cut
            excess -= cut
    return shares
