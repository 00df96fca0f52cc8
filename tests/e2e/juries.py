"""A jury session of the browser tests: the CC-DEV certificate, whose two units the demo
learner holds by a dispense, before the Lyon jury."""

from datetime import date

from cursus.catalogue import actions as catalogue
from cursus.credentials import actions as credentials
from cursus.credentials.models import JurySession
from cursus.records.actions import validate_prior_learning
from cursus.web.tests.world import World

RULES_CC_DEV = """\
code: CC-DEV
version: 2020
title: {fr: "Certificat de compétence Développeur de bases de données",
        en: "Certificate of competence: database developer"}
requires:
  all:
    - unit: NFA008
    - unit: NFA011
"""


def open_cc_dev_session(world: World) -> JurySession:
    """Make the CC-DEV certificate, grant the learner its units, and open the Lyon jury."""
    catalogue.create_diploma(
        actor=world.registrar,
        code="CC-DEV",
        version=2020,
        kind="certificat-competence",
        title_fr="Certificat de compétence Développeur de bases de données",
        title_en="Certificate of competence: database developer",
        rules_text=RULES_CC_DEV,
        first_year=2020,
    )
    validate_prior_learning(
        actor=world.registrar,
        learner=world.learner,
        units=["NFA008", "NFA011"],
        source="dispense",
        decision_reference="D-2021-12",
        jury="Jury informatique",
        decided_on=date(2021, 5, 3),
        centre=world.lyon,
    )
    return credentials.open_jury_session(
        actor=world.lyon_staff,
        diploma_code="CC-DEV",
        held_on=date(2026, 6, 30),
        members=[world.jury_member],
        centre=world.lyon,
    )
