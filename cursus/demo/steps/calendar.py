"""Academic years and their terms, on the Paris calendar.

Semester 1 teaches from late September to mid-January; its first exam
session runs over the last fortnight of January, its second in mid-April.
Semester 2 teaches from February to early June; its sessions fall in June
and in early September. Enrolment opens in June for semester 1 and in
mid-November for semester 2 (so that it is open on the demo's reference day),
and closes four weeks into teaching; a learner may withdraw until six weeks in.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from cursus.catalogue.actions import create_term
from cursus.demo.steps.context import BuildContext

FIRST_YEAR = 2021
LAST_YEAR = 2027
# The year whose offerings are still a forecast, not yet published.
FORECAST_YEAR = 2027
# The day the demo pretends it is, for ages and "this term": 2026–2027 S1.
REFERENCE_DAY = date(2026, 11, 28)


@dataclass(frozen=True, slots=True)
class TermDates:
    """The dates of one term."""

    start_year: int
    semester: int
    starts_on: date
    ends_on: date
    enrolment_opens_on: date
    enrolment_closes_on: date
    withdrawal_deadline: date
    session1_starts_on: date
    session1_ends_on: date
    session2_starts_on: date
    session2_ends_on: date

    @property
    def code(self) -> str:
        """Return the term's code, e.g. 2026-S1."""
        return f"{self.start_year}-S{self.semester}"


def monday_on_or_after(day: date) -> date:
    """Return the first Monday on or after a day."""
    return day + timedelta(days=(7 - day.weekday()) % 7)


def term_dates(start_year: int, semester: int) -> TermDates:
    """Return the Paris calendar of a term."""
    january_session = monday_on_or_after(date(start_year + 1, 1, 19))
    if semester == 1:
        starts_on = monday_on_or_after(date(start_year, 9, 28))
        session1 = january_session
        session2 = monday_on_or_after(date(start_year + 1, 4, 13))
        opens_on = date(start_year, 6, 15)
    else:
        starts_on = monday_on_or_after(january_session + timedelta(days=13))
        session1 = monday_on_or_after(date(start_year + 1, 6, 8))
        session2 = monday_on_or_after(date(start_year + 1, 9, 7))
        opens_on = date(start_year, 11, 16)
    return TermDates(
        start_year=start_year,
        semester=semester,
        starts_on=starts_on,
        # Teaching stops on the Saturday before the first session.
        ends_on=session1 - timedelta(days=2),
        enrolment_opens_on=opens_on,
        enrolment_closes_on=starts_on + timedelta(weeks=4),
        withdrawal_deadline=starts_on + timedelta(weeks=6),
        session1_starts_on=session1,
        session1_ends_on=session1 + timedelta(days=12),
        session2_starts_on=session2,
        session2_ends_on=session2 + timedelta(days=5),
    )


def all_terms() -> list[TermDates]:
    """Return every term of the demo, oldest first."""
    return [
        term_dates(year, semester)
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for semester in (1, 2)
    ]


def build_calendar(ctx: BuildContext) -> None:
    """Create the academic years and their terms through the catalogue's action."""
    assert ctx.registrar is not None
    terms = all_terms()
    ctx.report("terms", 0, len(terms))
    for done, dates in enumerate(terms, start=1):
        ctx.terms[dates.code] = create_term(
            actor=ctx.registrar,
            start_year=dates.start_year,
            semester=dates.semester,
            starts_on=dates.starts_on,
            ends_on=dates.ends_on,
            enrolment_opens_on=dates.enrolment_opens_on,
            enrolment_closes_on=dates.enrolment_closes_on,
            withdrawal_deadline=dates.withdrawal_deadline,
            session1_starts_on=dates.session1_starts_on,
            session1_ends_on=dates.session1_ends_on,
            session2_starts_on=dates.session2_starts_on,
            session2_ends_on=dates.session2_ends_on,
        )
        ctx.report("terms", done, len(terms))
