"""Reads of enrolment: learners' files, seen through the reader's roles and centres."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from cursus.core.errors import NotFound
from cursus.core.scoping import restrict, scope_of
from cursus.enrolment.models import Employer, Learner

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User


def _files() -> QuerySet[Learner]:
    return Learner.objects.select_related("home_centre", "employer")


def visible_learners(user: "User | AnonymousUser | None") -> QuerySet[Learner]:
    """Return the learners' files a user may read: their own, their centres', their employees'."""
    return restrict(_files(), user, centre="home_centre", learner="pk", employer="employer")


def learner_file(user: "User | AnonymousUser | None", number: str) -> Learner:
    """Return a learner's file by number, or raise NotFound when the user may not read it."""
    found = visible_learners(user).filter(number=number.strip()).first()
    if found is None:
        raise NotFound("No such learner.", field="number")
    return found


def learner_of(user: "User") -> Learner | None:
    """Return the user's own learner's file, if they have one."""
    learner_id = scope_of(user).learner_id
    if learner_id is None:
        return None
    return _files().filter(pk=learner_id).first()


def home_learner_counts(centre_ids: Iterable[int]) -> dict[int, int]:
    """Return how many learners have each of these centres as their home centre."""
    rows = (
        Learner.objects.filter(home_centre_id__in=list(centre_ids))
        .values("home_centre_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["home_centre_id"]: row["count"] for row in rows}


def learner_total() -> int:
    """Return the number of learners' files."""
    return Learner.objects.count()


def employer_learners(user: "User") -> QuerySet[Learner]:
    """Return the learners employed by the employers a contact represents."""
    employer_ids = scope_of(user).employer_ids
    return _files().filter(employer_id__in=employer_ids).order_by("last_name", "first_name")


def employers(*, text: str = "") -> QuerySet[Employer]:
    """Return the employers, optionally those whose name or SIRET contains the text."""
    queryset = Employer.objects.all()
    if text:
        digits = text.replace(" ", "")
        queryset = queryset.filter(Q(name__icontains=text) | Q(siret__contains=digits))
    return queryset.order_by("name")
