"""Who may see what: the one place where roles and centres narrow querysets.

Every permission-checked query passes its queryset through :func:`restrict`,
naming the paths from its model to a centre, a learner, a teacher or an
employer. A user sees the union of what each of their roles covers; the
registrar sees everything; an anonymous user sees nothing.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet

from cursus.core.errors import NotAllowed
from cursus.core.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cursus.core.models import User

M = TypeVar("M", bound=Model)

_CACHE_ATTRIBUTE = "_cursus_scope"


@dataclass(frozen=True, slots=True)
class Scope:
    """What one user's roles cover."""

    user_id: int | None
    roles: frozenset[str] = field(default_factory=frozenset)
    centre_ids: frozenset[int] = field(default_factory=frozenset)
    jury_centre_ids: frozenset[int] = field(default_factory=frozenset)
    employer_ids: frozenset[int] = field(default_factory=frozenset)
    learner_id: int | None = None

    @property
    def is_registrar(self) -> bool:
        """Tell whether the user covers every centre."""
        return Role.REGISTRAR in self.roles

    @property
    def is_staff_member(self) -> bool:
        """Tell whether the user works for the institution (registrar or centre staff)."""
        return self.is_registrar or Role.CENTRE_STAFF in self.roles

    def has(self, role: str) -> bool:
        """Tell whether the user holds this role."""
        return role in self.roles

    def covers_centre(self, centre_id: int | None) -> bool:
        """Tell whether the user administers the given centre."""
        return self.is_registrar or (centre_id is not None and centre_id in self.centre_ids)


ANONYMOUS = Scope(user_id=None)


def scope_of(user: "User | AnonymousUser | None") -> Scope:
    """Return the scope of a user, computed once per user object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached: Scope | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    centres: set[int] = set()
    jury_centres: set[int] = set()
    employers: set[int] = set()
    for role, centre_id, employer_id in user.role_assignments.values_list(
        "role", "centre_id", "employer_id"
    ):
        roles.add(role)
        if role == Role.CENTRE_STAFF and centre_id is not None:
            centres.add(centre_id)
        elif role == Role.JURY_MEMBER and centre_id is not None:
            jury_centres.add(centre_id)
        elif role == Role.EMPLOYER_CONTACT and employer_id is not None:
            employers.add(employer_id)
    learner_id = _learner_id(user)
    if learner_id is not None:
        roles.add(Role.LEARNER)
    if user.is_superuser:
        roles.add(Role.REGISTRAR)
    scope = Scope(
        user_id=user.pk,
        roles=frozenset(roles),
        centre_ids=frozenset(centres),
        jury_centre_ids=frozenset(jury_centres),
        employer_ids=frozenset(employers),
        learner_id=learner_id,
    )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def _learner_id(user: "User") -> int | None:
    # The reverse one-to-one from enrolment.Learner; its absence raises an AttributeError.
    learner = getattr(user, "learner", None)
    return learner.pk if learner is not None else None


def restrict(
    queryset: QuerySet[M],
    user: "User | AnonymousUser | None",
    *,
    centre: str | None = None,
    learner: str | None = None,
    teacher: str | None = None,
    employer: str | None = None,
) -> QuerySet[M]:
    """Narrow a queryset to the rows the user's roles cover.

    Each keyword names the lookup path from the queryset's model to a centre,
    a learner, a teacher (a user) or an employer; a row is visible when any
    path the user's roles use leads to something they cover.
    """
    scope = scope_of(user)
    if scope.is_registrar:
        return queryset
    condition = Q(pk__in=[])
    if centre is not None and scope.centre_ids:
        condition |= Q(**{f"{centre}__in": scope.centre_ids})
    if learner is not None and scope.learner_id is not None:
        condition |= Q(**{learner: scope.learner_id})
    if teacher is not None and scope.has(Role.TEACHER):
        condition |= Q(**{teacher: scope.user_id})
    if employer is not None and scope.employer_ids:
        condition |= Q(**{f"{employer}__in": scope.employer_ids})
    return queryset.filter(condition).distinct() if teacher else queryset.filter(condition)


def require(user: "User | AnonymousUser | None", *roles: str, centre_id: Any = None) -> Scope:
    """Return the user's scope, or raise NotAllowed unless they hold one of the roles.

    With ``centre_id``, centre staff must also administer that centre.
    """
    scope = scope_of(user)
    if scope.is_registrar:
        return scope
    allowed = [role for role in roles if scope.has(role)]
    if not allowed:
        raise NotAllowed("Your role does not allow this.")
    if (
        centre_id is not None
        and allowed == [Role.CENTRE_STAFF]
        and not scope.covers_centre(centre_id)
    ):
        raise NotAllowed("This centre is outside your scope.")
    return scope
