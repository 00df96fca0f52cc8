"""A small catalogue with diplomas in several versions, and learners holding units."""

from datetime import date

import pytest

from cursus.catalogue.models import Department, Diploma, Unit
from cursus.catalogue.tests.fixtures import make_centre, make_unit, make_user
from cursus.core.models import Role, User
from cursus.enrolment.models import Learner
from cursus.records.actions import record_milestone, validate_prior_learning
from cursus.records.tests.fixtures import make_learner

# Units of the small catalogue: code, ECTS.
UNITS = {
    "NFA008": 6,
    "NFA011": 6,
    "NSY103": 6,
    "NSY107": 6,
    "NFE156": 6,
    "GLG101": 4,
    "GLG102": 4,
    "MVA101": 6,
    "USAL0A": 3,
}


def rules(code: str, version: int, body: str) -> str:
    """Return a rules file for a diploma, ``body`` being the indented requirements."""
    return f"code: {code}\nversion: {version}\ntitle: {{fr: {code} fr, en: {code} en}}\n{body}"


CERTIFICATE_2018 = rules(
    "CC-DB",
    2018,
    """requires:
  all:
    - unit: NFA008
    - unit: NFA011
    - unit: NSY103
""",
)
CERTIFICATE_2022 = rules(
    "CC-DB",
    2022,
    """requires:
  all:
    - unit: NFA008
    - {label: systems, any: [{unit: NSY103}, {unit: NSY107}]}
""",
)
LICENCE = rules(
    "LIC-INFO",
    2020,
    """requires:
  all:
    - unit: NFA008
    - label: options
      credits: 8
      from: {units: [GLG101, GLG102, MVA101]}
    - {label: english, milestone: language, language: en, level: B1}
""",
)
MATHS = rules(
    "CC-MATHS",
    2020,
    """requires:
  all:
    - unit: MVA101
    - unit: GLG101
""",
)


def make_diploma(text: str, first_year: int, last_year: int | None = None) -> Diploma:
    """Store a diploma version whose rules are ``text`` (already checked by the tests)."""
    from cursus.audit.engine import parse_rules

    parsed = parse_rules(text)
    return Diploma.objects.create(
        code=parsed.code,
        version=parsed.version,
        kind="certificat-competence",
        title_fr=parsed.title.fr,
        title_en=parsed.title.en,
        rules_text=text,
        first_year=first_year,
        last_year=last_year,
    )


def grant(
    learner: Learner,
    actor: User,
    *codes: str,
    source: str = "dispense",
    decided_on: date = date(2020, 1, 15),
) -> None:
    """Give a learner units, through a jury's validation."""
    validate_prior_learning(
        actor=actor,
        learner=learner,
        units=list(codes),
        source=source,
        decision_reference=f"J-{learner.number}-{codes[0]}",
        jury="Jury",
        decided_on=decided_on,
        centre=learner.home_centre,
    )


def speak_english(learner: Learner, actor: User, level: str = "B2") -> None:
    """Record an English certificate for a learner."""
    record_milestone(
        actor=actor,
        learner=learner,
        kind="language",
        achieved_on=date(2021, 6, 1),
        language="en",
        level=level,
        test="TOEIC",
        evidence="certificate 42",
    )


@pytest.fixture
def units(department: Department) -> dict[str, Unit]:
    other = Department.objects.create(slug="mathematiques", name_fr="Maths", name_en="Maths")
    made = {}
    for code, ects in UNITS.items():
        made[code] = make_unit(code, other if code.startswith("MVA") else department, ects=ects)
    return made


@pytest.fixture
def diplomas(units) -> dict[str, Diploma]:
    return {
        "CC-DB-2018": make_diploma(CERTIFICATE_2018, 2018, 2021),
        "CC-DB-2022": make_diploma(CERTIFICATE_2022, 2022),
        "LIC-INFO": make_diploma(LICENCE, 2020),
        "CC-MATHS": make_diploma(MATHS, 2020),
    }


@pytest.fixture
def student_user(db) -> User:
    return make_user("camille@example.org", first_name="Camille", last_name="Fontaine")


@pytest.fixture
def student(paris, student_user) -> Learner:
    return make_learner(paris, last_name="Fontaine", user=student_user)


@pytest.fixture
def classmate(paris) -> Learner:
    return make_learner(paris, last_name="Durand")


@pytest.fixture
def lyon_learner(lyon) -> Learner:
    return make_learner(lyon, last_name="Lyonnais")


@pytest.fixture
def lyon_staff(lyon) -> User:
    return make_user("staff@lyon.example.org", Role.CENTRE_STAFF, centre=lyon)


__all__ = ["make_centre"]
