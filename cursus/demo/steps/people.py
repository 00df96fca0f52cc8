"""People: the demo accounts, teachers, employers and learners.

Learners are the one part of the demo that grows with the scale (about
100,000 a year at scale 1.0, some 250,000 over the history's years, plus the
newcomers of ``newcomer_count``), so they are written in batches with ``bulk_create``; every value
is valid by construction (learner numbers, INE with their keys, names and
dates within the fields' limits), and the tests run the model validators on
them. The demo learner goes through ``create_learner``, employers through
``create_employer``.
"""

import random
from collections.abc import Iterator
from datetime import timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password

from cursus.catalogue.models import CentreKind
from cursus.catalogue.search import normalise
from cursus.core.models import Role, RoleAssignment, User
from cursus.demo.steps.calendar import REFERENCE_DAY
from cursus.demo.steps.context import BATCH_SIZE, BuildContext, DemoLogin
from cursus.demo.steps.identifiers import random_ine, random_siret
from cursus.demo.steps.names import (
    COMPANY_FORMS_BY_SECTOR,
    COMPANY_LEGAL_FORMS,
    COMPANY_STEMS,
    FIRST_NAMES_BY_COUNTRY,
    FOREIGN_ORIGINS_IN_FRANCE,
    FRENCH_FIRST_NAMES,
    FRENCH_LAST_NAMES,
    LAST_NAMES_BY_COUNTRY,
    PROFESSIONS,
    SECTORS,
    STREET_KINDS,
    STREET_NAMES,
)
from cursus.demo.steps.organisation import CENTRES, DEPARTMENTS, CentreSpec
from cursus.enrolment.actions import create_employer, create_learner
from cursus.enrolment.models import Employer, Learner

DEMO_PASSWORD = "cursus-demo"  # noqa: S105 - the published password of the demo accounts
DEMO_DOMAIN = "demo.cursus.test"
LEARNERS_AT_FULL_SCALE = 100_000
MIN_LEARNERS = 5
NEWCOMER_SHARE = 0.02
NEWCOMERS = (200, 2000)

# The demo accounts: role, e-mail local part, first and last names.
REGISTRAR = (Role.REGISTRAR, "registraire", "Hélène", "Marchand")
CENTRE_STAFF = (Role.CENTRE_STAFF, "centre.lyon", "Julien", "Morel")
TEACHER = (Role.TEACHER, "enseignant", "Sophie", "Garnier")
JURY_MEMBER = (Role.JURY_MEMBER, "jury", "Philippe", "Girard")
EMPLOYER_CONTACT = (Role.EMPLOYER_CONTACT, "employeur", "Nathalie", "Faure")
LEARNER = (Role.LEARNER, "auditeur", "Camille", "Fontaine")
DEMO_CENTRE = "lyon"
DEMO_EMPLOYER = ("Lumen Numérique SAS", "Informatique et numérique")

# Teachers per department at Paris; regional centres and centres abroad have a few in all.
PARIS_TEACHERS_PER_DEPARTMENT = 10
REGIONAL_TEACHERS = 4
ABROAD_TEACHERS = 3

PHONE_PREFIXES = {
    "LB": "+961 3",
    "MA": "+212 6",
    "MG": "+261 34",
    "CN": "+86 139",
    "CI": "+225 07",
}
SPECS_BY_CODE = {spec.code: spec for spec in CENTRES}


def learner_count(scale: float) -> int:
    """Return how many learners a scale makes: 100,000 at 1.0, never fewer than five."""
    return max(MIN_LEARNERS, round(LEARNERS_AT_FULL_SCALE * scale))


def newcomer_count(scale: float) -> int:
    """Return how many learners stand outside the simulated history at a scale.

    They are this year's newcomers and the few whose records the records step
    makes through the actions; 2 % of ``learner_count``, between 200 and 2,000.
    """
    return max(NEWCOMERS[0], min(NEWCOMERS[1], round(learner_count(scale) * NEWCOMER_SHARE)))


def _demo_user(
    ctx: BuildContext, account: tuple[str, str, str, str], *, superuser: bool = False
) -> User:
    role, local_part, first_name, last_name = account
    user = User.objects.create(
        email=f"{local_part}@{DEMO_DOMAIN}",
        first_name=first_name,
        last_name=last_name,
        password=ctx.password_hash,
        is_staff=superuser,
        is_superuser=superuser,
    )
    ctx.logins.append(DemoLogin(role=Role(role).value, email=user.email, name=user.get_full_name()))
    return user


def create_registrar(ctx: BuildContext) -> None:
    """Create the registrar, who also administers the Django admin, and acts for the build."""
    ctx.password_hash = make_password(DEMO_PASSWORD)
    registrar = _demo_user(ctx, REGISTRAR, superuser=True)
    RoleAssignment.objects.create(user=registrar, role=Role.REGISTRAR)
    ctx.registrar = registrar


def create_centre_accounts(ctx: BuildContext) -> None:
    """Create the demo centre staff member and jury member, both at Lyon."""
    lyon = ctx.centres[DEMO_CENTRE]
    staff = _demo_user(ctx, CENTRE_STAFF)
    RoleAssignment.objects.create(user=staff, role=Role.CENTRE_STAFF, centre=lyon)
    jury = _demo_user(ctx, JURY_MEMBER)
    RoleAssignment.objects.create(user=jury, role=Role.JURY_MEMBER, centre=lyon)


def _email_name(text: str) -> str:
    return normalise(text).replace(" ", "-")


def _names(rng: random.Random, country: str) -> tuple[str, str]:
    """Return a first and a last name for someone living in a country."""
    if country in LAST_NAMES_BY_COUNTRY and country != "FR":
        first_names = FIRST_NAMES_BY_COUNTRY[country]
        if country == "LB" and rng.random() < 0.4:
            first_names = FRENCH_FIRST_NAMES
        return rng.choice(first_names), rng.choice(LAST_NAMES_BY_COUNTRY[country])
    if rng.random() < 0.15:
        origin = rng.choice(FOREIGN_ORIGINS_IN_FRANCE)
        first_names = FIRST_NAMES_BY_COUNTRY[origin] if rng.random() < 0.6 else FRENCH_FIRST_NAMES
        return rng.choice(first_names), rng.choice(LAST_NAMES_BY_COUNTRY[origin])
    return rng.choice(FRENCH_FIRST_NAMES), rng.choice(FRENCH_LAST_NAMES)


def build_teachers(ctx: BuildContext) -> None:
    """Create the teachers of every centre, each in a department, and the demo teacher."""
    rng = ctx.rng("teachers")
    plan: list[tuple[str, str, str, str]] = []
    for spec in CENTRES:
        if spec.kind == CentreKind.SEAT:
            departments = [
                d.slug for d in DEPARTMENTS for _ in range(PARIS_TEACHERS_PER_DEPARTMENT)
            ]
        else:
            count = REGIONAL_TEACHERS if spec.kind == CentreKind.REGIONAL else ABROAD_TEACHERS
            departments = [rng.choice(DEPARTMENTS).slug for _ in range(count)]
        for department in departments:
            first_name, last_name = _names(rng, spec.country)
            plan.append((spec.code, department, first_name, last_name))
    ctx.report("teachers", 0, len(plan) + 1)
    taken = {login.email for login in ctx.logins}
    unusable = make_password(None)
    users = []
    for _centre, _department, first_name, last_name in plan:
        base = f"{_email_name(first_name)}.{_email_name(last_name)}"
        email, suffix = f"{base}@{DEMO_DOMAIN}", 2
        while email in taken:
            email, suffix = f"{base}{suffix}@{DEMO_DOMAIN}", suffix + 1
        taken.add(email)
        users.append(
            User(email=email, first_name=first_name, last_name=last_name, password=unusable)
        )
    created = User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=Role.TEACHER) for user in created],
        batch_size=BATCH_SIZE,
    )
    for (centre, department, _first, _last), user in zip(plan, created, strict=True):
        ctx.teachers.setdefault(centre, {}).setdefault(department, []).append(user)
    teacher = _demo_user(ctx, TEACHER)
    RoleAssignment.objects.create(user=teacher, role=Role.TEACHER)
    ctx.demo_teacher = teacher
    ctx.teacher_count = len(created) + 1
    ctx.report("teachers", len(plan) + 1, len(plan) + 1)


def _address(rng: random.Random, spec: CentreSpec) -> str:
    number = rng.randint(1, 180)
    street = rng.choice(STREET_NAMES)
    if spec.country != "FR":
        return f"{number} rue {street}, {spec.city}"
    return f"{number} {rng.choice(STREET_KINDS)} {street}, {spec.postcode} {spec.city}"


def _phone(rng: random.Random, country: str) -> str:
    if country in PHONE_PREFIXES:
        return f"{PHONE_PREFIXES[country]} {rng.randrange(10**3):03d} {rng.randrange(10**4):04d}"
    pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    return f"0{rng.choice((6, 7))} {pairs}"


def _company_name(rng: random.Random, sector: str, city: str) -> str:
    form = rng.choice(COMPANY_FORMS_BY_SECTOR[sector])
    name = form.format(
        stem=rng.choice(COMPANY_STEMS), name=rng.choice(FRENCH_LAST_NAMES), city=city
    )
    legal = "" if sector == "Administration publique" else rng.choice(COMPANY_LEGAL_FORMS)
    return f"{name} {legal}".strip()


def build_employers(ctx: BuildContext, learners: int) -> None:
    """Create employers in the French centres' cities, the demo learner's among them."""
    rng = ctx.rng("employers")
    count = min(2500, max(12, round(learners / 40)))
    french = [spec for spec in CENTRES if spec.country == "FR"]
    weights = [spec.weight for spec in french]
    taken: set[str] = set()
    ctx.report("employers", 0, count + 1)
    assert ctx.registrar is not None
    lyon = SPECS_BY_CODE[DEMO_CENTRE]
    demo_name, demo_sector = DEMO_EMPLOYER
    ctx.demo_employer = create_employer(
        actor=ctx.registrar,
        name=demo_name,
        siret=random_siret(rng, taken),
        address=_address(rng, lyon),
        city=lyon.city,
        sector=demo_sector,
    )
    ctx.employers.append(ctx.demo_employer)
    for done in range(1, count + 1):
        spec = rng.choices(french, weights)[0]
        sector = rng.choice(SECTORS)
        ctx.employers.append(
            create_employer(
                actor=ctx.registrar,
                name=_company_name(rng, sector, spec.city),
                siret=random_siret(rng, taken),
                address=_address(rng, spec),
                city=spec.city,
                sector=sector,
            )
        )
        if done % 50 == 0 or done == count:
            ctx.report("employers", done + 1, count + 1)
    contact = _demo_user(ctx, EMPLOYER_CONTACT)
    RoleAssignment.objects.create(
        user=contact, role=Role.EMPLOYER_CONTACT, employer=ctx.demo_employer
    )


def build_learners(ctx: BuildContext, count: int) -> None:
    """Create the demo learner, then ``count - 1`` generated learners in batches."""
    rng = ctx.rng("learners")
    assert ctx.registrar is not None
    assert ctx.demo_employer is not None
    ctx.report("learners", 0, count)
    taken_ines: set[str] = set()
    user = _demo_user(ctx, LEARNER)
    RoleAssignment.objects.create(user=user, role=Role.LEARNER)
    lyon = SPECS_BY_CODE[DEMO_CENTRE]
    demo = create_learner(
        actor=ctx.registrar,
        first_name=user.first_name,
        last_name=user.last_name,
        home_centre=DEMO_CENTRE,
        ine=random_ine(rng, taken_ines),
        birth_date=REFERENCE_DAY.replace(year=REFERENCE_DAY.year - 34, month=3, day=14),
        email=user.email,
        phone=_phone(rng, "FR"),
        address=_address(rng, lyon),
        profession="Technicienne support informatique",
        sector="Informatique et numérique",
        employer=ctx.demo_employer,
        user=user,
    )
    ctx.demo_learner = demo
    first_number = int(demo.number.removeprefix("A-")) + 1
    made = 1
    rows = _learners(ctx, rng, count - 1, first_number, taken_ines)
    while True:
        batch = [row for _, row in zip(range(BATCH_SIZE), rows, strict=False)]
        if not batch:
            break
        Learner.objects.bulk_create(batch)
        made += len(batch)
        ctx.report("learners", made, count)
    ctx.learner_count = made
    ctx.report("learners", made, count)


def _learners(
    ctx: BuildContext, rng: random.Random, count: int, first_number: int, taken_ines: set[str]
) -> Iterator[Learner]:
    specs = list(CENTRES)
    cumulative = list(accumulate(spec.weight for spec in specs))
    employers_by_city: dict[str, list[Employer]] = {}
    for known in ctx.employers:
        employers_by_city.setdefault(known.city, []).append(known)
    for index in range(count):
        spec = rng.choices(specs, cum_weights=cumulative)[0]
        first_name, last_name = _names(rng, spec.country)
        age = int(rng.triangular(20, 61, 33))
        birth_date = REFERENCE_DAY - timedelta(days=age * 365 + rng.randrange(365))
        profession, sector = rng.choice(PROFESSIONS)
        employer: Employer | None = None
        if spec.country == "FR" and sector and rng.random() < 0.45:
            nearby = employers_by_city.get(spec.city) or ctx.employers
            employer = rng.choice(nearby)
        email = ""
        if rng.random() < 0.92:
            digits = f"{rng.randrange(100)}" if rng.random() < 0.5 else ""
            email = f"{_email_name(first_name)}.{_email_name(last_name)}{digits}@exemple.test"
        yield Learner(
            number=f"A-{first_number + index:07d}",
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            email=email,
            phone=_phone(rng, spec.country),
            address=_address(rng, spec),
            profession=profession,
            sector=sector,
            employer=employer,
            home_centre=ctx.centres[spec.code],
            ine=random_ine(rng, taken_ines) if rng.random() < 0.35 else None,
        )
