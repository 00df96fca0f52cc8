"""Template context shared by every page."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cursus.core.models import Role
from cursus.core.scoping import Scope, scope_of


@dataclass(frozen=True, slots=True)
class NavLink:
    """One entry of the main navigation."""

    url: str
    label: str | Promise
    current: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Give templates the user's scope and the navigation links their roles allow."""
    user = getattr(request, "user", None)
    scope = scope_of(user)
    return {"scope": scope, "nav_links": _links(request, scope, user)}


def _links(request: HttpRequest, scope: Scope, user: Any) -> list[NavLink]:
    entries: list[tuple[str, str | Promise]] = [
        (reverse("web:home"), _("Home")),
        (reverse("web:catalogue"), _("Catalogue")),
        (reverse("web:diplomas"), _("Diplomas")),
        (reverse("web:centres"), _("Centres")),
    ]
    learner = getattr(user, "learner", None) if scope.learner_id is not None else None
    if learner is not None:
        entries.append((learner.get_absolute_url(), _("My file")))
        entries.append((reverse("web:learner_record", args=[learner.number]), _("My record")))
    if scope.is_staff_member or scope.has(Role.TEACHER):
        entries.append((reverse("web:grading"), _("Grades")))
    if scope.is_staff_member:
        entries.append((reverse("web:offering_create"), _("New offering")))
        entries.append((reverse("web:learner_create"), _("New learner")))
    if scope.is_registrar:
        entries.append((reverse("web:unit_create"), _("New unit")))
    if learner is not None or scope.is_staff_member:
        label = _("Audits") if scope.is_staff_member else _("My diplomas")
        entries.append((reverse("web:audits"), label))
    if scope.is_registrar:
        entries.append((reverse("web:audit_institution"), _("Institution audit")))
    if learner is not None or scope.is_staff_member:
        label = _("Plans") if scope.is_staff_member else _("My plan")
        entries.append((reverse("web:planner"), label))
    if learner is not None:
        entries.append(
            (reverse("web:enrolment_learner", args=[learner.number]), _("My enrolments"))
        )
    if scope.is_staff_member:
        entries.append((reverse("web:enrolment_centres"), _("Enrolments")))
    if scope.is_staff_member or scope.employer_ids:
        entries.append((reverse("web:enrolment_agreements"), _("Agreements")))
    if scope.is_registrar:
        entries.append((reverse("web:enrolment_overview"), _("Enrolment overview")))
    if scope.is_staff_member or scope.has(Role.JURY_MEMBER):
        entries.append((reverse("web:jury_sessions"), _("Juries")))
    if scope.is_staff_member:
        entries.append((reverse("web:stats"), _("Statistics")))
    if scope.is_staff_member:
        entries.append((reverse("web:exchange"), _("Import and export")))
    if learner is not None:
        entries.append(
            (reverse("web:jury_learner", args=[learner.number]), _("My diplomas awarded"))
        )
    path = getattr(request, "path", "")
    home = reverse("web:home")
    return [
        NavLink(url, label, path == url if url == home else path.startswith(url))
        for url, label in entries
    ]
