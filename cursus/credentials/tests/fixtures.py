"""Jurors, sessions and satisfied learners for the tests of diplomas."""

from dataclasses import dataclass, fields
from datetime import date

import pytest

from cursus.audit.tests.app_fixtures import grant
from cursus.catalogue.models import Centre, Diploma
from cursus.catalogue.tests.fixtures import make_user
from cursus.core.models import Role, User
from cursus.credentials.actions import add_candidates, open_jury_session
from cursus.credentials.models import Candidate, JurySession
from cursus.enrolment.models import Learner

# The units that satisfy CC-DB in its 2022 version.
CC_DB_UNITS = ("NFA008", "NSY103")


@pytest.fixture
def juror(paris) -> User:
    return make_user("juror@example.org", Role.JURY_MEMBER, centre=paris, last_name="Juré")


@pytest.fixture
def other_juror(paris) -> User:
    return make_user("other.juror@example.org", Role.JURY_MEMBER, centre=paris)


def satisfy(learner: Learner, registrar: User) -> Learner:
    """Give a learner every unit CC-DB needs."""
    grant(learner, registrar, *CC_DB_UNITS)
    return learner


def open_session(
    staff: User, juror: User, centre: Centre | None, held_on: date = date(2026, 6, 30)
) -> JurySession:
    """Open a CC-DB jury session with one member."""
    return open_jury_session(
        actor=staff, diploma_code="CC-DB", held_on=held_on, members=[juror], centre=centre
    )


def candidate(staff: User, session: JurySession, learner: Learner) -> Candidate:
    """Put one learner before a jury."""
    return add_candidates(actor=staff, session=session, learners=[learner])[0]


@dataclass(frozen=True)
class Jury:
    """Everyone a jury test needs: the Paris centre, its staff, jurors and learners."""

    diplomas: dict[str, Diploma]
    paris: Centre
    lyon: Centre
    registrar: User
    paris_staff: User
    juror: User
    other_juror: User
    teacher: User
    student: Learner
    classmate: Learner


@pytest.fixture
def w(db: None, request: pytest.FixtureRequest) -> Jury:
    names = [f.name for f in fields(Jury)]
    return Jury(**{name: request.getfixturevalue(name) for name in names})
