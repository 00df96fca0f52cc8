"""The shapes the API reads and writes: pydantic schemas, natural keys instead of ids."""

from datetime import date, datetime, time
from typing import Generic, Literal, TypeVar

from ninja import Field, Schema

from cursus.catalogue import queries as catalogue
from cursus.catalogue.models import (
    Department,
    Diploma,
    Institute,
    Offering,
    OfferingBlock,
    OfferingSlot,
    Term,
    Unit,
)
from cursus.core.models import RoleAssignment

T = TypeVar("T")

# A page never holds more than this many items: lists stay fast whatever is asked.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50

UnitKindName = Literal["course", "activity"]
CentreKindName = Literal["seat", "regional", "abroad"]
FormulaName = Literal["evening_saturday", "daytime", "institute", "distance"]
LanguageName = Literal["fr", "en"]
DiplomaKindName = Literal[
    "certificat-competence",
    "certificat-professionnel",
    "deust",
    "licence",
    "titre-rncp",
    "master",
    "ingenieur",
    "dpct",
    "dest",
]


class Errors(Schema):
    """Every problem with a request, by field (``__all__`` for the request as a whole)."""

    errors: dict[str, list[str]] = Field(
        ..., examples=[{"errors": {"ects": ["Ensure this value is greater than or equal to 1."]}}]
    )


class PageParams(Schema):
    """Which slice of a list to return."""

    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class Page(Schema, Generic[T]):
    """A slice of a list, with the number of items in the whole list."""

    count: int
    limit: int
    offset: int
    items: list[T]


class UnitQuery(Schema):
    """How to search units."""

    q: str = Field("", description="Words of the code, title or description; accents ignored.")
    department: str = Field("", description="A department's slug.")
    ects: int | None = None
    kind: UnitKindName | None = None


class OfferingQuery(Schema):
    """How to search offerings."""

    term: str = Field("", pattern=r"^([0-9]{4}-[Ss][12])?$", description="e.g. 2025-S1")
    centre: str = Field("", description="A centre's code.")
    formula: FormulaName | None = None
    weekday: int | None = Field(None, ge=0, le=6, description="0 for Monday to 6 for Sunday.")
    unit: str = Field("", description="A unit's code.")
    institute: str = Field("", description="An institute's code.")


class DiplomaQuery(Schema):
    """How to search diplomas."""

    q: str = Field("", description="Words of the code or title.")
    kind: DiplomaKindName | None = None
    department: str = Field("", description="A department's slug.")


# Reading.


class DepartmentOut(Schema):
    slug: str
    name_fr: str
    name_en: str
    unit_count: int = 0

    @staticmethod
    def resolve_unit_count(obj: Department) -> int:
        return int(getattr(obj, "unit_count", 0))


class CentreOut(Schema):
    code: str
    name: str
    kind: CentreKindName
    city: str
    region: str
    country: str
    time_zone: str
    address: str


class InstituteOut(Schema):
    code: str
    name: str
    sector: str
    description: str
    centres: list[str]

    @staticmethod
    def resolve_centres(obj: Institute) -> list[str]:
        return sorted(centre.code for centre in obj.centres.all())


class UnitOut(Schema):
    code: str
    title_fr: str
    title_en: str
    department: str
    ects: int
    hours: int | None
    kind: UnitKindName
    first_year: int | None
    last_year: int | None

    @staticmethod
    def resolve_department(obj: Unit) -> str:
        return obj.department.slug


class TermOut(Schema):
    code: str
    label: str
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

    @staticmethod
    def resolve_start_year(obj: Term) -> int:
        return obj.academic_year.start_year


class SlotOut(Schema):
    weekday: int
    starts_at: time
    ends_at: time
    room: str


class BlockOut(Schema):
    starts_on: date
    ends_on: date


class OfferingOut(Schema):
    id: int
    unit: str
    unit_title_fr: str
    unit_title_en: str
    ects: int
    term: str
    centre: str
    formula: FormulaName
    institute: str | None
    section: str
    capacity: int | None
    language: LanguageName
    published: bool
    slots: list[SlotOut]
    blocks: list[BlockOut]

    @staticmethod
    def resolve_unit(obj: Offering) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_title_fr(obj: Offering) -> str:
        return obj.unit.title_fr

    @staticmethod
    def resolve_unit_title_en(obj: Offering) -> str:
        return obj.unit.title_en

    @staticmethod
    def resolve_ects(obj: Offering) -> int:
        return obj.unit.ects

    @staticmethod
    def resolve_term(obj: Offering) -> str:
        return obj.term.code

    @staticmethod
    def resolve_centre(obj: Offering) -> str:
        return obj.centre.code

    @staticmethod
    def resolve_institute(obj: Offering) -> str | None:
        return obj.institute.code if obj.institute is not None else None

    @staticmethod
    def resolve_slots(obj: Offering) -> list[OfferingSlot]:
        return list(obj.slots.all())

    @staticmethod
    def resolve_blocks(obj: Offering) -> list[OfferingBlock]:
        return list(obj.blocks.all())


class UnitDetailOut(UnitOut):
    description_fr: str
    description_en: str
    recommended_prior: list[str]
    replaces: list[str]
    replaced_by: list[str]
    offerings: list[OfferingOut] = Field(
        ..., description="Where and when the unit is offered, from the current term on."
    )

    @staticmethod
    def resolve_recommended_prior(obj: Unit) -> list[str]:
        return sorted(unit.code for unit in obj.recommended_prior.all())

    @staticmethod
    def resolve_replaces(obj: Unit) -> list[str]:
        return sorted(unit.code for unit in obj.replaces.all())

    @staticmethod
    def resolve_replaced_by(obj: Unit) -> list[str]:
        return sorted(unit.code for unit in obj.replaced_by.all())

    @staticmethod
    def resolve_offerings(obj: Unit) -> list[Offering]:
        return list(catalogue.unit_offerings(obj, from_term=catalogue.current_term()))


class DiplomaOut(Schema):
    code: str
    version: int
    kind: DiplomaKindName
    title_fr: str
    title_en: str
    department: str | None
    ects: int | None
    first_year: int
    last_year: int | None
    national_jury: bool

    @staticmethod
    def resolve_department(obj: Diploma) -> str | None:
        return obj.department.slug if obj.department is not None else None


class DiplomaDetailOut(DiplomaOut):
    description_fr: str
    description_en: str
    rules_text: str


class RoleOut(Schema):
    role: str
    centre: str | None
    employer: str | None = Field(None, description="The employer's SIRET.")

    @staticmethod
    def resolve_centre(obj: RoleAssignment) -> str | None:
        return obj.centre.code if obj.centre is not None else None

    @staticmethod
    def resolve_employer(obj: RoleAssignment) -> str | None:
        return obj.employer.siret if obj.employer is not None else None


class MeOut(Schema):
    email: str
    first_name: str
    last_name: str
    preferred_language: str
    is_registrar: bool
    learner_number: str | None
    roles: list[RoleOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The token itself: shown this once, never again.")


class TokenIn(Schema):
    name: str = Field(..., max_length=100)
    expires_on: date | None = None


# Writing. Field checks beyond types are the actions': they name each faulty field.


class DepartmentIn(Schema):
    slug: str
    name_fr: str
    name_en: str


class DepartmentPatch(Schema):
    name_fr: str | None = None
    name_en: str | None = None


class CentreIn(Schema):
    code: str
    name: str
    kind: CentreKindName
    city: str
    region: str = ""
    country: str = "FR"
    time_zone: str = "Europe/Paris"
    address: str = ""


class CentrePatch(Schema):
    name: str | None = None
    kind: CentreKindName | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    time_zone: str | None = None
    address: str | None = None


class InstituteIn(Schema):
    code: str
    name: str
    sector: str
    description: str = ""
    centres: list[str] = Field(default_factory=list, description="Centre codes.")


class InstitutePatch(Schema):
    name: str | None = None
    sector: str | None = None
    description: str | None = None
    centres: list[str] | None = None


class UnitIn(Schema):
    code: str = Field(..., examples=["NFA008"])
    title_fr: str
    title_en: str = ""
    department: str = Field(..., description="The department's slug.")
    ects: int
    hours: int | None = None
    kind: UnitKindName = "course"
    description_fr: str = ""
    description_en: str = ""
    recommended_prior: list[str] = Field(default_factory=list, description="Unit codes.")
    replaces: list[str] = Field(default_factory=list, description="Unit codes.")
    first_year: int | None = None
    last_year: int | None = None


class UnitPatch(Schema):
    title_fr: str | None = None
    title_en: str | None = None
    department: str | None = None
    ects: int | None = None
    hours: int | None = None
    kind: UnitKindName | None = None
    description_fr: str | None = None
    description_en: str | None = None
    recommended_prior: list[str] | None = None
    replaces: list[str] | None = None
    first_year: int | None = None
    last_year: int | None = None


class DiplomaIn(Schema):
    code: str
    version: int
    kind: DiplomaKindName
    title_fr: str
    title_en: str = ""
    department: str | None = None
    ects: int | None = None
    rules_text: str = Field(..., description="The rules file, in the rules language (YAML).")
    first_year: int
    last_year: int | None = None
    national_jury: bool = False
    description_fr: str = ""
    description_en: str = ""


class DiplomaPatch(Schema):
    kind: DiplomaKindName | None = None
    title_fr: str | None = None
    title_en: str | None = None
    department: str | None = None
    ects: int | None = None
    rules_text: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    national_jury: bool | None = None
    description_fr: str | None = None
    description_en: str | None = None


class TermDates(Schema):
    starts_on: date
    ends_on: date
    enrolment_opens_on: date
    enrolment_closes_on: date
    withdrawal_deadline: date
    session1_starts_on: date
    session1_ends_on: date
    session2_starts_on: date
    session2_ends_on: date


class TermIn(TermDates):
    start_year: int = Field(..., description="The academic year's first calendar year.")
    semester: int


class TermPatch(Schema):
    starts_on: date | None = None
    ends_on: date | None = None
    enrolment_opens_on: date | None = None
    enrolment_closes_on: date | None = None
    withdrawal_deadline: date | None = None
    session1_starts_on: date | None = None
    session1_ends_on: date | None = None
    session2_starts_on: date | None = None
    session2_ends_on: date | None = None


class SlotIn(Schema):
    weekday: int = Field(..., description="0 for Monday to 6 for Sunday.")
    starts_at: time
    ends_at: time
    room: str = ""


class BlockIn(Schema):
    starts_on: date
    ends_on: date


class OfferingIn(Schema):
    unit: str = Field(..., description="The unit's code.")
    term: str = Field(..., description="The term's code, e.g. 2025-S1.")
    centre: str = Field(..., description="The centre's code.")
    formula: FormulaName
    institute: str | None = Field(None, description="The institute's code.")
    section: str = ""
    capacity: int | None = None
    language: LanguageName = "fr"
    published: bool = True
    slots: list[SlotIn] = Field(default_factory=list)
    blocks: list[BlockIn] = Field(default_factory=list)
    teachers: list[str] = Field(default_factory=list, description="The teachers' e-mails.")


class OfferingPatch(Schema):
    formula: FormulaName | None = None
    institute: str | None = None
    section: str | None = None
    capacity: int | None = None
    language: LanguageName | None = None
    published: bool | None = None
    slots: list[SlotIn] | None = None
    blocks: list[BlockIn] | None = None
    teachers: list[str] | None = None


__all__ = [
    "BlockIn",
    "CentreIn",
    "CentreOut",
    "CentrePatch",
    "DepartmentIn",
    "DepartmentOut",
    "DepartmentPatch",
    "DiplomaDetailOut",
    "DiplomaIn",
    "DiplomaOut",
    "DiplomaPatch",
    "Errors",
    "InstituteIn",
    "InstituteOut",
    "InstitutePatch",
    "MeOut",
    "NewTokenOut",
    "OfferingIn",
    "OfferingOut",
    "OfferingPatch",
    "Page",
    "PageParams",
    "SlotIn",
    "TermIn",
    "TermOut",
    "TermPatch",
    "TokenIn",
    "TokenOut",
    "UnitDetailOut",
    "UnitIn",
    "UnitOut",
    "UnitPatch",
]
