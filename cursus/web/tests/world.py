"""A small institution for page and browser tests, built through the actions.

Terms are placed around today, so that "this term" and "from now on" mean the
same thing whatever day the tests run.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils import timezone

from cursus.catalogue import actions as catalogue
from cursus.catalogue.actions import BlockSpec, SlotSpec
from cursus.catalogue.models import Centre, Diploma, Offering, Term, Unit
from cursus.core.models import Role, RoleAssignment, User
from cursus.enrolment import actions as enrolment
from cursus.enrolment.models import Learner

PASSWORD = "correct horse battery staple"
EMPLOYER_SIRET = "73282932000009"

RULES_CC_ABD = """\
code: CC-ABD
version: 2019
title: {fr: "Certificat de compétence Administrateur de bases de données",
        en: "Certificate of competence: database administrator"}
kind: certificat-competence
department: informatique
ects: 36
requires:
  all:
    - unit: NFA008
      label: prerequisite
    - any:
        - unit: NFE113
        - unit: NFP107
      label: design
    - unit: NSY103
      label: systems
    - unit: NFA011
      label: development
    - unit: UASI05
      label: project
    - milestone: experience
      years: 1
"""

UNITS = [
    # code, title_fr, title_en, department, ects, hours
    ("NFA008", "Bases de données", "Databases", "informatique", 6, 60),
    ("NFA011", "Développement d'applications avec les bases de données", "", "informatique", 4, 40),
    ("NFE113", "Conception et administration de bases de données", "", "informatique", 6, 60),
    ("NFP107", "Systèmes de gestion de bases de données", "", "informatique", 6, 60),
    ("NSY103", "Linux : principes et programmation", "Linux", "informatique", 6, 60),
    ("NFA031", "Programmation avec Java : notions de base", "", "informatique", 6, 60),
    ("RSX101", "Réseaux et protocoles pour l'Internet", "", "informatique", 6, 60),
    ("UTC501", "Outils mathématiques pour informatique", "", "informatique", 3, 30),
    ("STA001", "Techniques de la statistique", "", "mathematiques", 6, 60),
    ("CFA109", "Information comptable et management", "", "economie-gestion", 6, 60),
]


@dataclass(frozen=True)
class World:
    """What the tests look for: terms, centres, units, offerings and one user per role."""

    past: Term
    current: Term
    following: Term
    paris: Centre
    lyon: Centre
    rennes: Centre
    beirut: Centre
    nfa008: Unit
    nfa011: Unit
    diploma: Diploma
    nfa008_paris: Offering
    nfa008_lyon: Offering
    nfa008_blocks: Offering
    nfa008_past: Offering
    registrar: User
    paris_staff: User
    lyon_staff: User
    teacher: User
    jury_member: User
    employer_contact: User
    learner_user: User
    learner: Learner

    def users(self) -> dict[str, User]:
        """Return one user per role, by role."""
        return {
            Role.REGISTRAR: self.registrar,
            Role.CENTRE_STAFF: self.paris_staff,
            Role.TEACHER: self.teacher,
            Role.JURY_MEMBER: self.jury_member,
            Role.EMPLOYER_CONTACT: self.employer_contact,
            Role.LEARNER: self.learner_user,
        }


def _term(actor: User, start_year: int, semester: int) -> Term:
    # The two terms cover the whole year, so that some term is always in progress.
    if semester == 1:
        starts, ends = date(start_year, 9, 1), date(start_year + 1, 1, 31)
    else:
        starts, ends = date(start_year + 1, 2, 1), date(start_year + 1, 8, 31)
    return catalogue.create_term(
        actor=actor,
        start_year=start_year,
        semester=semester,
        starts_on=starts,
        ends_on=ends,
        enrolment_opens_on=starts - timedelta(days=60),
        enrolment_closes_on=starts + timedelta(days=30),
        withdrawal_deadline=starts + timedelta(days=45),
        session1_starts_on=ends - timedelta(days=12),
        session1_ends_on=ends,
        session2_starts_on=ends + timedelta(days=60),
        session2_ends_on=ends + timedelta(days=66),
    )


def _user(email: str, first_name: str, last_name: str, **extra: object) -> User:
    return User.objects.create_user(
        email, PASSWORD, first_name=first_name, last_name=last_name, **extra
    )


def build_world(today: date | None = None) -> World:
    """Build the small institution, with the term in progress today as its current term."""
    today = today or timezone.localdate()
    registrar = _user("registrar@cursus.example", "Hélène", "Marchand", is_staff=True)
    RoleAssignment.objects.create(user=registrar, role=Role.REGISTRAR)

    for slug, fr, en in [
        ("informatique", "Informatique", "Computer science"),
        ("mathematiques", "Mathématiques", "Mathematics"),
        ("economie-gestion", "Économie et gestion", "Economics and management"),
    ]:
        catalogue.create_department(actor=registrar, slug=slug, name_fr=fr, name_en=en)
    paris = catalogue.create_centre(
        actor=registrar,
        code="paris",
        name="Paris",
        kind="seat",
        city="Paris",
        region="Île-de-France",
    )
    lyon = catalogue.create_centre(
        actor=registrar,
        code="auvergne-rhone-alpes",
        name="Centre Auvergne-Rhône-Alpes",
        kind="regional",
        city="Lyon",
        region="Auvergne-Rhône-Alpes",
    )
    rennes = catalogue.create_centre(
        actor=registrar,
        code="bretagne",
        name="Centre Bretagne",
        kind="regional",
        city="Rennes",
        region="Bretagne",
    )
    beirut = catalogue.create_centre(
        actor=registrar,
        code="liban",
        name="Centre du Liban",
        kind="abroad",
        city="Beyrouth",
        country="LB",
        time_zone="Asia/Beirut",
    )
    catalogue.create_institute(
        actor=registrar, code="intec", name="Intec", sector="Comptabilité", centres=["paris"]
    )

    year = today.year if today.month >= 9 else today.year - 1
    past = _term(registrar, year - 1, 2)
    current = _term(registrar, year, 1 if today.month >= 9 or today.month == 1 else 2)
    if current.semester == 1:
        following = _term(registrar, year, 2)
    else:
        following = _term(registrar, year + 1, 1)

    units = {
        code: catalogue.create_unit(
            actor=registrar,
            code=code,
            title_fr=title_fr,
            title_en=title_en,
            department=department,
            ects=ects,
            hours=hours,
            description_fr=(
                "Modèle relationnel, algèbre relationnelle et SQL ; conception d'un schéma."
                if code == "NFA008"
                else ""
            ),
        )
        for code, title_fr, title_en, department, ects, hours in UNITS
    }
    catalogue.create_unit(
        actor=registrar,
        code="UASI05",
        title_fr="Projet en systèmes d'information",
        department="informatique",
        ects=9,
        kind="activity",
    )
    catalogue.update_unit(
        actor=registrar, unit=units["NFA011"], changes={"recommended_prior": ["NFA008"]}
    )
    diploma = catalogue.create_diploma(
        actor=registrar,
        code="CC-ABD",
        version=2019,
        kind="certificat-competence",
        title_fr="Certificat de compétence Administrateur de bases de données",
        title_en="Certificate of competence: database administrator",
        department="informatique",
        ects=36,
        rules_text=RULES_CC_ABD,
        first_year=2019,
    )

    paris_staff = _user("scolarite@paris.cursus.example", "Paul", "Durand")
    RoleAssignment.objects.create(user=paris_staff, role=Role.CENTRE_STAFF, centre=paris)
    lyon_staff = _user("scolarite@lyon.cursus.example", "Léa", "Roux")
    RoleAssignment.objects.create(user=lyon_staff, role=Role.CENTRE_STAFF, centre=lyon)
    teacher = _user("enseignant@cursus.example", "Ada", "Lovelace")
    RoleAssignment.objects.create(user=teacher, role=Role.TEACHER)
    jury_member = _user("jury@cursus.example", "Jean", "Juré")
    RoleAssignment.objects.create(user=jury_member, role=Role.JURY_MEMBER, centre=paris)

    evening = "evening_saturday"
    nfa008_paris = catalogue.create_offering(
        actor=registrar,
        unit="NFA008",
        term=current.code,
        centre="paris",
        formula=evening,
        capacity=120,
        slots=[
            SlotSpec(0, time(18, 0), time(21, 0), "Amphi C"),
            SlotSpec(3, time(18, 0), time(21, 0), "Amphi C"),
        ],
        teachers=[teacher],
    )
    nfa008_lyon = catalogue.create_offering(
        actor=registrar,
        unit="NFA008",
        term=current.code,
        centre=lyon.code,
        formula=evening,
        capacity=30,
        slots=[SlotSpec(1, time(18, 30), time(21, 30), "Salle 12")],
    )
    nfa008_blocks = catalogue.create_offering(
        actor=registrar,
        unit="NFA008",
        term=following.code,
        centre="paris",
        formula="daytime",
        capacity=20,
        blocks=[
            BlockSpec(
                following.starts_on + timedelta(days=first),
                following.starts_on + timedelta(days=first + 4),
            )
            for first in (14, 42)
        ],
    )
    catalogue.create_offering(
        actor=registrar,
        unit="NFA008",
        term=following.code,
        centre=beirut.code,
        formula=evening,
        language="fr",
        slots=[SlotSpec(5, time(9, 0), time(12, 0))],
    )
    catalogue.create_offering(
        actor=registrar, unit="NFA008", term=following.code, centre="paris", formula="distance"
    )
    nfa008_past = catalogue.create_offering(
        actor=registrar,
        unit="NFA008",
        term=past.code,
        centre=rennes.code,
        formula=evening,
        slots=[SlotSpec(2, time(18, 0), time(21, 0))],
    )
    for code, weekday, start in [
        ("NSY103", 1, time(18, 0)),
        ("NFA031", 2, time(18, 0)),
        ("RSX101", 5, time(9, 0)),
        ("UTC501", 5, time(13, 30)),
        ("STA001", 4, time(9, 30)),
    ]:
        catalogue.create_offering(
            actor=registrar,
            unit=code,
            term=current.code,
            centre="paris",
            formula="daytime" if code == "STA001" else evening,
            slots=[SlotSpec(weekday, start, time(start.hour + 3, start.minute))],
        )
    catalogue.create_offering(
        actor=registrar,
        unit="CFA109",
        term=current.code,
        centre="paris",
        formula="institute",
        institute="intec",
        slots=[SlotSpec(2, time(18, 0), time(21, 0))],
    )

    employer = enrolment.create_employer(
        actor=registrar, name="Banque du Rhône", siret=EMPLOYER_SIRET, city="Lyon"
    )
    employer_contact = _user("rh@banque-du-rhone.example", "Claire", "Fontaine")
    RoleAssignment.objects.create(
        user=employer_contact, role=Role.EMPLOYER_CONTACT, employer=employer
    )
    learner_user = _user("camille.martin@example.org", "Camille", "Martin")
    learner = enrolment.create_learner(
        actor=registrar,
        first_name="Camille",
        last_name="Martin",
        home_centre=lyon.code,
        email="camille.martin@example.org",
        profession="Analyste",
        employer=employer,
        user=learner_user,
    )
    return World(
        past=past,
        current=current,
        following=following,
        paris=paris,
        lyon=lyon,
        rennes=rennes,
        beirut=beirut,
        nfa008=units["NFA008"],
        nfa011=units["NFA011"],
        diploma=diploma,
        nfa008_paris=nfa008_paris,
        nfa008_lyon=nfa008_lyon,
        nfa008_blocks=nfa008_blocks,
        nfa008_past=nfa008_past,
        registrar=registrar,
        paris_staff=paris_staff,
        lyon_staff=lyon_staff,
        teacher=teacher,
        jury_member=jury_member,
        employer_contact=employer_contact,
        learner_user=learner_user,
        learner=learner,
    )
