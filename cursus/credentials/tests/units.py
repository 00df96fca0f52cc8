"""A learner holding a graded unit, and the credential of it, for the tests of unit credentials."""

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from cursus.catalogue.models import Unit
from cursus.catalogue.tests.fixtures import make_offering, make_term
from cursus.credentials.models import UnitCredential
from cursus.records import actions as records
from cursus.records.tests.fixtures import enrol

GRADED_UNIT = "NFA008"


def pass_exam(w: Any, grade: str = "14.5") -> None:
    """Give the student NFA008 by an exam passed at Paris, with a grade."""
    offering = make_offering(Unit.objects.get(code=GRADED_UNIT), make_term(2024), w.paris)
    offering.teachers.add(w.teacher)
    enrol(w.student, offering)
    records.record_results(
        actor=w.teacher,
        offering=offering,
        session=1,
        entries=[records.GradeEntry(w.student.number, grade)],
    )
    records.publish_results(actor=w.paris_staff, offering=offering, session=1)


def ask_for(client: Client, w: Any, code: str = GRADED_UNIT) -> dict[str, Any]:
    """Ask for the credential of a unit as the student, as the record page's button does."""
    client.force_login(w.student.user)
    issued = client.post(reverse("web:issue_unit_credential", args=[w.student.number, code]))
    assert issued.status_code == 302
    answer = client.get(issued["Location"])
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment;")
    client.logout()
    document: dict[str, Any] = json.loads(answer.content)
    return document


def issued(w: Any, code: str = GRADED_UNIT) -> UnitCredential:
    return UnitCredential.objects.get(learner=w.student, unit_code=code, status="issued")


def served(client: Client, name: str, *args: object) -> dict[str, Any]:
    answer = client.get(reverse(name, args=args))
    assert answer.status_code == 200
    document: dict[str, Any] = json.loads(answer.content)
    return document
