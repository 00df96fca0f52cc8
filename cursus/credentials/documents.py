"""The signed documents of a diploma: parchment, diploma supplement, jury minutes.

Each is an HTML template rendered by :func:`cursus.core.documents.render_pdf`, then
signed with the institution's key (:mod:`cursus.credentials.signing`). A QR code on each
leads to its public verification page, whose address carries a code only the
institution can make, so that nobody can walk through the diploma numbers. The
parchment, the supplement and the credential are issued once and stored as issued
(:func:`issue_documents`); the minutes are drawn up afresh from the closed session.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import segno
from cryptography.hazmat.primitives import serialization
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cursus.catalogue.models import Diploma, DiplomaKind, Unit
from cursus.core.documents import render_pdf
from cursus.core.errors import Conflict, NotAllowed, NotFound
from cursus.core.events import record_event
from cursus.core.models import User
from cursus.credentials import issuance, queries, signing
from cursus.credentials.models import (
    AwardedDiploma,
    AwardStatus,
    Candidate,
    Decision,
    DiplomaDocument,
    DiplomaDocumentKind,
    Honours,
    JuryLevel,
    JurySession,
)
from cursus.records.ledger import EXAM
from cursus.records.models import Acquisition, ExamSession, ValidationSource

TEMPLATES = "juries/pdf"
INSTITUTION_STATUS = {
    "fr": "Grand établissement public d'enseignement supérieur et de recherche",
    "en": "Public higher education and research institution (grand établissement)",
}


# -- Addresses and QR codes --------------------------------------------------------------------


def diploma_verification_url(award: AwardedDiploma) -> str:
    """Return the public address that confirms a diploma and its documents."""
    code = queries.verification_code(f"diploma:{award.number}")
    return f"{issuance.public_url()}/verify/diploma/{award.number}/{code}/"


def minutes_verification_url(session: JurySession) -> str:
    """Return the public address that confirms a jury session's minutes."""
    code = queries.verification_code(f"minutes:{session.pk}")
    return f"{issuance.public_url()}/verify/minutes/{session.pk}/{code}/"


def qr_data_uri(url: str) -> str:
    """Return a QR code of ``url`` as an SVG data URI, drawn here without any network."""
    return str(segno.make(url, error="m").svg_data_uri(scale=3, border=1))


def signing_certificate_numbers() -> list[int]:
    """Return the numbers of every signing key, oldest first."""
    return [identity.number for identity in signing.identities()]


def signing_certificate_pem(number: int) -> bytes | None:
    """Return the PEM certificate of signing key ``number``, or None if there is none."""
    for identity in signing.identities():
        if identity.number == number:
            return identity.certificate.public_bytes(serialization.Encoding.PEM)
    return None


def both(label: Any) -> dict[str, str]:
    """Return a translatable label in French and in English."""
    found = {}
    for language in ("fr", "en"):
        with translation.override(language):
            found[language] = str(label)
    return found


# -- What each kind of diploma is, for the supplement ------------------------------------------


@dataclass(frozen=True)
class KindFacts:
    """The level, the cycle and the function of one kind of diploma, in both languages."""

    eqf: int | None
    level: dict[str, str]
    access: dict[str, str]
    further: dict[str, str]
    status: dict[str, str]


_OUTSIDE = KindFacts(
    eqf=None,
    level={
        "fr": "Certificat d'établissement, hors cadre national des certifications",
        "en": "Institutional certificate, outside the national qualifications framework",
    },
    access={
        "fr": "Ouvert à tout adulte, sans diplôme préalable ; les unités recommandent des acquis",
        "en": "Open to any adult without prior diploma; units recommend prior knowledge",
    },
    further={
        "fr": "Ses unités capitalisées comptent pour les diplômes qui les demandent",
        "en": "Its capitalised units count towards the diplomas that require them",
    },
    status={
        "fr": "Atteste de compétences professionnelles ciblées",
        "en": "Attests targeted professional competences",
    },
)

KIND_FACTS: dict[str, KindFacts] = {
    DiplomaKind.CERTIFICAT_COMPETENCE: _OUTSIDE,
    DiplomaKind.CERTIFICAT_PROFESSIONNEL: _OUTSIDE,
    DiplomaKind.DEUST: KindFacts(
        eqf=5,
        level={
            "fr": "Niveau 5 du cadre national (bac + 2), premier cycle court",
            "en": "Level 5 of the national framework (two years after the baccalauréat), "
            "short first cycle",
        },
        access={
            "fr": "Baccalauréat ou équivalent, ou validation des acquis",
            "en": "Baccalauréat or equivalent, or validation of prior learning",
        },
        further={
            "fr": "Donne accès à la troisième année de licence",
            "en": "Gives access to the third year of a licence (bachelor)",
        },
        status={
            "fr": "Qualification de technicien supérieur",
            "en": "Higher technician qualification",
        },
    ),
    DiplomaKind.LICENCE: KindFacts(
        eqf=6,
        level={
            "fr": "Niveau 6 du cadre national (bac + 3), premier cycle, grade de licence",
            "en": "Level 6 of the national framework (three years after the baccalauréat), "
            "first cycle, bachelor's degree",
        },
        access={
            "fr": "Baccalauréat ou équivalent, ou validation des acquis",
            "en": "Baccalauréat or equivalent, or validation of prior learning",
        },
        further={
            "fr": "Donne accès aux études de master",
            "en": "Gives access to master's studies",
        },
        status={
            "fr": "Qualification de cadre intermédiaire",
            "en": "Qualification for intermediate management positions",
        },
    ),
    DiplomaKind.TITRE_RNCP: KindFacts(
        eqf=None,
        level={
            "fr": "Titre inscrit au répertoire national des certifications professionnelles "
            "(RNCP), au niveau de son inscription",
            "en": "Title registered in the national register of professional certifications "
            "(RNCP), at the level of its registration",
        },
        access={
            "fr": "Selon les prérequis du titre ; validation des acquis possible",
            "en": "As the title requires; validation of prior learning possible",
        },
        further={
            "fr": "Selon le niveau du titre",
            "en": "According to the title's level",
        },
        status={
            "fr": "Certification professionnelle reconnue par l'État",
            "en": "Professional certification recognised by the State",
        },
    ),
    DiplomaKind.MASTER: KindFacts(
        eqf=7,
        level={
            "fr": "Niveau 7 du cadre national (bac + 5), deuxième cycle, grade de master",
            "en": "Level 7 of the national framework (five years after the baccalauréat), "
            "second cycle, master's degree",
        },
        access={
            "fr": "Licence ou équivalent, ou validation des acquis",
            "en": "Licence (bachelor) or equivalent, or validation of prior learning",
        },
        further={
            "fr": "Donne accès aux études doctorales",
            "en": "Gives access to doctoral studies",
        },
        status={
            "fr": "Qualification de cadre",
            "en": "Qualification for management and expert positions",
        },
    ),
    DiplomaKind.INGENIEUR: KindFacts(
        eqf=7,
        level={
            "fr": "Niveau 7 du cadre national (bac + 5), titre d'ingénieur diplômé "
            "conférant le grade de master",
            "en": "Level 7 of the national framework (five years after the baccalauréat), "
            "engineering degree conferring the master's degree",
        },
        access={
            "fr": "Bac + 2 scientifique ou technique et expérience professionnelle",
            "en": "Two years of scientific or technical higher education and work experience",
        },
        further={
            "fr": "Donne accès aux études doctorales",
            "en": "Gives access to doctoral studies",
        },
        status={
            "fr": "Titre d'ingénieur diplômé, habilité par la Commission des titres d'ingénieur",
            "en": "Chartered engineering title accredited by the Commission des titres d'ingénieur",
        },
    ),
    DiplomaKind.DPCT: KindFacts(
        eqf=5,
        level={
            "fr": "Diplôme de premier cycle technique (historique), niveau 5",
            "en": "First-cycle technical diploma (historic), level 5",
        },
        access=_OUTSIDE.access,
        further={
            "fr": "Ses unités comptent pour les diplômes qui les demandent",
            "en": "Its units count towards the diplomas that require them",
        },
        status={"fr": "Qualification de technicien", "en": "Technician qualification"},
    ),
    DiplomaKind.DEST: KindFacts(
        eqf=6,
        level={
            "fr": "Diplôme d'études supérieures techniques (historique), niveau 6",
            "en": "Diploma of higher technical studies (historic), level 6",
        },
        access=_OUTSIDE.access,
        further={
            "fr": "Ses unités comptent pour les diplômes qui les demandent",
            "en": "Its units count towards the diplomas that require them",
        },
        status={
            "fr": "Qualification de cadre technique",
            "en": "Qualification for technical management positions",
        },
    ),
}


# -- The diploma's content ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLine:
    """One unit the jury counted for the diploma, as the supplement lists it."""

    code: str
    title_fr: str
    title_en: str
    ects: int | float
    grade: Decimal | None
    source: str
    session: dict[str, str]
    on: date
    centre: str

    @property
    def is_validation(self) -> bool:
        """Tell whether the unit is held by a validation rather than an examination."""
        return self.source != EXAM


def _counted_rows(award: AwardedDiploma) -> list[dict[str, Any]]:
    """Return the ledger rows the jury saw that the audit counted (all of them if none)."""
    evidence = award.candidate.evidence or {}
    rows = [row for row in evidence.get("ledger", []) if isinstance(row, dict)]
    audit = evidence.get("audit")
    counted = set(audit.get("assignment", {})) if isinstance(audit, dict) else set()
    chosen = [row for row in rows if row.get("code") in counted]
    return chosen or rows


def _session_label(acquisition: Acquisition | None, source: str) -> dict[str, str]:
    if source != EXAM:
        known = source in ValidationSource.values
        return both(ValidationSource(source).label) if known else {"fr": source, "en": source}
    if acquisition is not None and acquisition.result is not None:
        return both(ExamSession(acquisition.result.session).label)
    return {"fr": "Examen", "en": "Examination"}


def unit_lines(award: AwardedDiploma) -> list[UnitLine]:
    """Return the units counted for a diploma with their titles, sessions and centres."""
    rows = _counted_rows(award)
    codes = [str(row.get("code")) for row in rows]
    held = {
        a.unit.code: a
        for a in Acquisition.objects.filter(
            learner_id=award.learner_id, unit__code__in=codes
        ).select_related("unit", "centre", "result")
    }
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    lines = []
    for row in rows:
        code = str(row.get("code"))
        acquisition = held.get(code)
        unit = units.get(code)
        source = str(row.get("source") or EXAM)
        grade = row.get("grade")
        lines.append(
            UnitLine(
                code=code,
                title_fr=unit.title_fr if unit else code,
                title_en=(unit.title_en or unit.title_fr) if unit else code,
                ects=row.get("ects") or 0,
                grade=Decimal(grade) if grade is not None else None,
                source=source,
                session=_session_label(acquisition, source),
                on=date.fromisoformat(str(row.get("date"))),
                centre=acquisition.centre.name if acquisition else "",
            )
        )
    return lines


def _honours(award: AwardedDiploma) -> dict[str, str]:
    if not award.honours:
        return {"fr": "", "en": ""}
    english = {"assez_bien": "Fairly good", "bien": "Good", "tres_bien": "Very good"}
    return {"fr": str(Honours(award.honours).label), "en": english.get(award.honours, "")}


def _award_context(award: AwardedDiploma) -> dict[str, Any]:
    url = diploma_verification_url(award)
    diploma = award.diploma
    return {
        "award": award,
        "diploma": diploma,
        "learner": award.learner,
        "centre": award.centre,
        "session": award.session,
        "institution": issuance.INSTITUTION_NAME,
        "institution_status": INSTITUTION_STATUS,
        "kind": both(DiplomaKind(diploma.kind).label),
        "facts": KIND_FACTS.get(diploma.kind, _OUTSIDE),
        "honours": _honours(award),
        "jury_level": both(JuryLevel(award.session.level).label),
        "title_en": diploma.title_en or diploma.title_fr,
        "verification_url": url,
        "qr": qr_data_uri(url),
        "issued_on": timezone.localdate(),
    }


def _fresh(award: AwardedDiploma) -> AwardedDiploma:
    return AwardedDiploma.objects.select_related(
        "diploma__department", "learner", "centre", "session__centre", "candidate"
    ).get(pk=award.pk)


def unsigned_parchment(award: AwardedDiploma) -> bytes:
    """Return the diploma's parchment as a PDF not yet signed (A4 landscape, bilingual)."""
    award = _fresh(award)
    return render_pdf(
        f"{TEMPLATES}/parchment.html", _award_context(award), base_url=issuance.base_url()
    )


def unsigned_supplement(award: AwardedDiploma) -> bytes:
    """Return the diploma supplement (Europass, eight sections, bilingual), not yet signed."""
    award = _fresh(award)
    lines = unit_lines(award)
    context = _award_context(award) | {
        "units": lines,
        "ects_total": sum(Decimal(str(line.ects)) for line in lines),
        "validations": any(line.is_validation for line in lines),
        "override": award.candidate.override_reason,
    }
    return render_pdf(f"{TEMPLATES}/supplement.html", context, base_url=issuance.base_url())


def parchment_pdf(award: AwardedDiploma) -> bytes:
    """Return the diploma's parchment as a signed PDF (A4 landscape, French and English)."""
    return signing.sign_pdf(
        unsigned_parchment(award),
        reason=f"Diplôme n° {award.number} / Diploma number {award.number}",
        field_name="Parchemin",
    )


def supplement_pdf(award: AwardedDiploma) -> bytes:
    """Return the diploma supplement (Europass, eight sections, bilingual) as a signed PDF."""
    return signing.sign_pdf(
        unsigned_supplement(award),
        reason=f"Supplément au diplôme n° {award.number} / Diploma supplement {award.number}",
        field_name="Supplement",
    )


# How the minutes state each decision (the page labels are verbs for the jury to click).
DECISIONS: dict[str, dict[str, str]] = {
    Decision.PENDING: {"fr": "Non décidé", "en": "Not decided"},
    Decision.AWARD: {"fr": "Admis", "en": "Awarded"},
    Decision.DEFER: {"fr": "Ajourné", "en": "Deferred"},
    Decision.REFUSE: {"fr": "Refusé", "en": "Refused"},
}


@dataclass(frozen=True)
class MinutesLine:
    """One candidate as the minutes record them."""

    candidate: Candidate
    decision: dict[str, str]
    honours: dict[str, str]
    number: str


def minutes_pdf(session: JurySession) -> bytes:
    """Return the minutes (procès-verbal) of a closed jury session as a signed PDF."""
    session = JurySession.objects.select_related("centre").get(pk=session.pk)
    candidates = queries.candidates_of(session)
    awards = {
        a.candidate_id: a for a in AwardedDiploma.objects.filter(session=session).order_by("number")
    }
    lines = []
    for candidate in candidates:
        award = awards.get(candidate.pk)
        lines.append(
            MinutesLine(
                candidate=candidate,
                decision=DECISIONS[Decision(candidate.decision)],
                honours=_honours(award) if award else {"fr": "", "en": ""},
                number=award.number if award else "",
            )
        )
    diploma = Diploma.objects.filter(code=session.diploma_code).order_by("-version").first()
    url = minutes_verification_url(session)
    context = {
        "session": session,
        "diploma": diploma,
        "kind": both(DiplomaKind(diploma.kind).label) if diploma else {"fr": "", "en": ""},
        "jury_level": both(JuryLevel(session.level).label),
        "members": list(session.members.order_by("last_name", "first_name", "email")),
        "lines": lines,
        "awarded": sum(1 for line in lines if line.number),
        "institution": issuance.INSTITUTION_NAME,
        "verification_url": url,
        "qr": qr_data_uri(url),
    }
    pdf = render_pdf(f"{TEMPLATES}/minutes.html", context, base_url=issuance.base_url())
    return signing.sign_pdf(
        pdf,
        reason=f"Procès-verbal du jury {session.diploma_code} du {session.held_on:%d/%m/%Y}",
        field_name="ProcesVerbal",
    )


# -- Issuing and keeping the documents ----------------------------------------------------------


def _render(kind: str, award: AwardedDiploma) -> bytes:
    if kind == DiplomaDocumentKind.PARCHMENT:
        return parchment_pdf(award)
    if kind == DiplomaDocumentKind.SUPPLEMENT:
        return supplement_pdf(award)
    credential = issuance.credential_for(award)
    return json.dumps(credential, ensure_ascii=False, indent=2).encode()


def issue_documents(*, award: AwardedDiploma, actor: User | None) -> list[DiplomaDocument]:
    """Issue a diploma's parchment, supplement and credential once; return what is stored.

    What is already stored is returned as it is; what is missing is rendered, signed and
    stored. ``actor`` None is the institution itself (a batch); a user must be one who
    may download the diploma's documents.
    """
    if actor is not None:
        try:
            queries.documents_award_of(actor, award.number)
        except NotFound as error:
            raise NotAllowed(_("You may not issue the documents of this diploma.")) from error
    award = _fresh(award)
    if award.status == AwardStatus.REVOKED:
        raise Conflict(_("This diploma is revoked: its documents are withdrawn."), field="status")
    stored = set(DiplomaDocument.objects.filter(award=award).values_list("kind", flat=True))
    # Rendering takes a second: it happens before the transaction, which only inserts.
    rendered = {
        kind: _render(kind, award) for kind in DiplomaDocumentKind.values if kind not in stored
    }
    if not rendered:
        return list(DiplomaDocument.objects.filter(award=award))
    issued = {}
    with transaction.atomic():
        for kind, content in rendered.items():
            digest = hashlib.sha256(content).hexdigest()
            try:
                with transaction.atomic():
                    DiplomaDocument.objects.create(
                        award=award, kind=kind, content=content, sha256=digest
                    )
            except IntegrityError:
                continue  # Another request stored it first; theirs stands.
            issued[kind] = digest
        if issued:
            record_event(
                kind="credentials.documents_issued",
                subject=award,
                actor=actor,
                data={"number": award.number, "documents": issued},
            )
    return list(DiplomaDocument.objects.filter(award=award))


# The content type and file extension of each document, as downloaded.
CONTENT_TYPES = {
    DiplomaDocumentKind.PARCHMENT: ("application/pdf", "pdf"),
    DiplomaDocumentKind.SUPPLEMENT: ("application/pdf", "pdf"),
    DiplomaDocumentKind.CREDENTIAL: ("application/ld+json", "json"),
}


@dataclass(frozen=True, slots=True)
class Download:
    """A document as a download gives it: its bytes, content type and file name."""

    content: bytes
    content_type: str
    name: str


def download(*, award: AwardedDiploma, kind: str, actor: User) -> Download | None:
    """Return one of a diploma's documents to download, the documents issued on first asking.

    A revoked diploma issues nothing more, but those who may still read it (its
    staff) get what was issued before the revocation. None: no such document.
    """
    if kind not in CONTENT_TYPES:
        return None
    try:
        issued = issue_documents(award=award, actor=actor)
    except Conflict:
        issued = queries.documents_of(award, with_content=True)
    found = next((d for d in issued if d.kind == kind), None)
    if found is None:
        return None
    content_type, extension = CONTENT_TYPES[DiplomaDocumentKind(kind)]
    return Download(bytes(found.content), content_type, f"{kind}-{award.number}.{extension}")
