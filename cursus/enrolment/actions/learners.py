"""Writes of enrolment: learners' files and the employers they work for.

A learner's file holds personal data, and the event log is kept for ever: the
events about a file name the fields that changed, never their values.
"""

import re
from collections.abc import Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cursus.catalogue.models import Centre
from cursus.core.errors import Conflict, InvalidInput
from cursus.core.events import record_event
from cursus.core.identifiers import normalise_ine, normalise_siret
from cursus.core.models import Role, User
from cursus.core.scoping import require
from cursus.core.validation import Problems
from cursus.enrolment.models import Employer, Learner

LEARNER_NUMBER_PREFIX = "A-"
LEARNER_NUMBER_DIGITS = 7
_GENERATED_NUMBER = re.compile(rf"^{LEARNER_NUMBER_PREFIX}\d{{{LEARNER_NUMBER_DIGITS}}}$")
# A concurrent registration may take the number just computed; try the next one.
_NUMBER_ATTEMPTS = 5

LEARNER_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "home_centre",
        "ine",
        "birth_date",
        "email",
        "phone",
        "address",
        "profession",
        "sector",
        "employer",
        "user",
    }
)
EMPLOYER_FIELDS = frozenset({"name", "address", "city", "sector"})
_TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "address", "profession", "sector")


def _prepare_learner(learner: Learner, values: Mapping[str, object], problems: Problems) -> None:
    for name in (*_TEXT_FIELDS, "birth_date"):
        if name in values:
            value = values[name]
            setattr(learner, name, value.strip() if isinstance(value, str) else value)
    if "email" in values:
        learner.email = learner.email.lower() if learner.email else ""
    if "ine" in values:
        # The model's validator (cursus.core.identifiers) judges the normalised form.
        learner.ine = normalise_ine(str(values["ine"] or "")) or None
    if "home_centre" in values:
        centre = Centre.objects.filter(code=values["home_centre"]).first()
        if centre is None:
            problems.add(
                "home_centre", _("Unknown centre “%(value)s”.") % {"value": values["home_centre"]}
            )
        else:
            learner.home_centre = centre
    if "employer" in values:
        learner.employer = _employer(values["employer"], problems)
    if "user" in values:
        user = values["user"]
        learner.user = user if isinstance(user, User) else None
    if isinstance(learner.birth_date, date) and learner.birth_date > timezone.localdate():
        problems.add("birth_date", _("The birth date cannot be in the future."))
    problems.check_model(learner, exclude=[] if learner.number else ["number"])
    problems.raise_if_any()


def _employer(value: object, problems: Problems) -> Employer | None:
    if value in (None, ""):
        return None
    if isinstance(value, Employer):
        return value
    siret = normalise_siret(str(value))
    employer = Employer.objects.filter(siret=siret).first()
    if employer is None:
        problems.add("employer", _("No employer has the SIRET %(value)s.") % {"value": value})
    return employer


def validate_learner(*, values: Mapping[str, object], learner: Learner | None = None) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad learner file."""
    working = Learner() if learner is None else Learner.objects.get(pk=learner.pk)
    if "number" in values:
        working.number = str(values["number"] or "").strip()
    _prepare_learner(working, values, Problems())


@transaction.atomic
def create_learner(
    *,
    actor: User,
    number: str | None = None,
    first_name: str,
    last_name: str,
    home_centre: str,
    ine: str | None = None,
    birth_date: date | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
    profession: str = "",
    sector: str = "",
    employer: Employer | str | None = None,
    user: User | None = None,
) -> Learner:
    """Open a learner's file at their home centre (a centre code).

    Without a number, the next free ``A-`` and seven digits is given. The
    employer is an Employer or its SIRET. The registrar may open a file at any
    centre; centre staff at their own.
    """
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF)
    learner = Learner(number=(number or "").strip())
    _prepare_learner(
        learner,
        {
            "first_name": first_name,
            "last_name": last_name,
            "home_centre": home_centre,
            "ine": ine,
            "birth_date": birth_date,
            "email": email,
            "phone": phone,
            "address": address,
            "profession": profession,
            "sector": sector,
            "employer": employer,
            "user": user,
        },
        Problems(),
    )
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF, centre_id=learner.home_centre_id)
    if learner.number:
        _save_learner(learner)
    else:
        _save_with_next_number(learner)
    record_event(
        kind="enrolment.learner_created",
        subject=learner,
        actor=actor,
        data={"number": learner.number, "home_centre": learner.home_centre.code},
    )
    return learner


def _save_learner(learner: Learner) -> None:
    try:
        with transaction.atomic():
            learner.save()
    except IntegrityError as error:
        raise Conflict(
            _("Another file took this number or INE at the same time."), field="number"
        ) from error


def _save_with_next_number(learner: Learner) -> None:
    for _attempt in range(_NUMBER_ATTEMPTS):
        learner.number = next_learner_number()
        try:
            with transaction.atomic():
                learner.save()
        except IntegrityError:
            if Learner.objects.filter(number=learner.number).exists():
                continue
            raise
        return
    raise Conflict(_("No free learner number was found; try again."), field="number")


def next_learner_number() -> str:
    """Return the learner number after the highest one given so far (A-0000001 first)."""
    numbers = Learner.objects.filter(number__startswith=LEARNER_NUMBER_PREFIX).order_by("-number")
    for number in numbers.values_list("number", flat=True)[:20]:
        # Numbers imported in other shapes do not take part in the sequence.
        if _GENERATED_NUMBER.match(number):
            following = int(number.removeprefix(LEARNER_NUMBER_PREFIX)) + 1
            return f"{LEARNER_NUMBER_PREFIX}{following:0{LEARNER_NUMBER_DIGITS}d}"
    return f"{LEARNER_NUMBER_PREFIX}{1:0{LEARNER_NUMBER_DIGITS}d}"


@transaction.atomic
def update_learner(*, actor: User, learner: Learner, changes: Mapping[str, object]) -> Learner:
    """Change a learner's file; its number never changes.

    Staff of the current home centre may change it, moving the file to another
    centre included.
    """
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF, centre_id=learner.home_centre_id)
    unknown = sorted(set(changes) - LEARNER_FIELDS)
    if unknown:
        raise InvalidInput({name: [_("This field cannot be changed here.")] for name in unknown})
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    before = {name: getattr(learner, _attribute(name)) for name in changes}
    _prepare_learner(learner, changes, Problems())
    _save_learner(learner)
    changed = sorted(name for name in changes if getattr(learner, _attribute(name)) != before[name])
    if changed:
        record_event(
            kind="enrolment.learner_updated",
            subject=learner,
            actor=actor,
            data={"number": learner.number, "changed": changed},
        )
    return learner


def _attribute(name: str) -> str:
    return f"{name}_id" if name in {"home_centre", "employer", "user"} else name


def _prepare_employer(employer: Employer, values: Mapping[str, object], problems: Problems) -> None:
    for name in ("name", "address", "city", "sector"):
        if name in values:
            value = values[name]
            setattr(employer, name, value.strip() if isinstance(value, str) else value)
    if "siret" in values:
        employer.siret = normalise_siret(str(values["siret"] or ""))
    problems.check_model(employer)
    problems.raise_if_any()


def validate_employer(*, values: Mapping[str, object], employer: Employer | None = None) -> None:
    """Raise InvalidInput or Conflict if these values would make a bad employer."""
    working = Employer() if employer is None else Employer.objects.get(pk=employer.pk)
    _prepare_employer(working, values, Problems())


@transaction.atomic
def create_employer(
    *, actor: User, name: str, siret: str, address: str = "", city: str = "", sector: str = ""
) -> Employer:
    """Record an employer establishment, identified by its SIRET."""
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF)
    employer = Employer()
    values = {"name": name, "siret": siret, "address": address, "city": city, "sector": sector}
    _prepare_employer(employer, values, Problems())
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as error:
        raise Conflict(_("This SIRET was recorded at the same time."), field="siret") from error
    record_event(
        kind="enrolment.employer_created",
        subject=employer,
        actor=actor,
        data={"name": employer.name, "siret": employer.siret},
    )
    return employer


@transaction.atomic
def update_employer(*, actor: User, employer: Employer, changes: Mapping[str, object]) -> Employer:
    """Change an employer's name, address or sector; its SIRET never changes."""
    require(actor, Role.REGISTRAR, Role.CENTRE_STAFF)
    unknown = sorted(set(changes) - EMPLOYER_FIELDS)
    if unknown:
        raise InvalidInput({name: [_("This field cannot be changed here.")] for name in unknown})
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    before = {name: getattr(employer, name) for name in changes}
    _prepare_employer(employer, changes, Problems())
    employer.save()
    changed = {
        name: {"before": before[name], "after": getattr(employer, name)}
        for name in changes
        if getattr(employer, name) != before[name]
    }
    if changed:
        record_event(
            kind="enrolment.employer_updated",
            subject=employer,
            actor=actor,
            data={"changes": changed},
        )
    return employer
