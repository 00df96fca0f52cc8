import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cursus.core.actions import remove_role_assignment, save_role_assignment
from cursus.core.events import verify_chain
from cursus.core.models import Event, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    user = User.objects.create_user("registrar@example.org", "pw", is_staff=True, is_superuser=True)
    RoleAssignment.objects.create(user=user, role=Role.REGISTRAR)
    return user


def test_granting_changing_and_removing_a_role_are_each_logged(registrar):
    clerk = User.objects.create_user("clerk@example.org", "pw")

    assignment = save_role_assignment(
        actor=registrar,
        assignment=RoleAssignment(user=clerk, role=Role.TEACHER),
    )
    assignment.role = Role.JURY_MEMBER
    save_role_assignment(actor=registrar, assignment=assignment)
    remove_role_assignment(actor=registrar, assignment=assignment)

    kinds = list(
        Event.objects.filter(subject_type="core.roleassignment").values_list("kind", flat=True)
    )
    assert kinds == ["core.role_granted", "core.role_changed", "core.role_removed"]
    assert not RoleAssignment.objects.filter(user=clerk).exists()
    assert verify_chain() is None


def test_centre_staff_without_a_centre_is_refused_and_nothing_is_logged(registrar):
    clerk = User.objects.create_user("clerk@example.org", "pw")
    before = Event.objects.count()

    with pytest.raises(ValidationError) as refused:
        save_role_assignment(
            actor=registrar, assignment=RoleAssignment(user=clerk, role=Role.CENTRE_STAFF)
        )

    assert refused.value.messages
    assert Event.objects.count() == before
    assert not RoleAssignment.objects.filter(user=clerk).exists()


def test_roles_granted_in_the_back_office_are_logged(client: Client, registrar):
    clerk = User.objects.create_user("clerk@example.org", "pw")
    client.force_login(registrar)

    response = client.post(
        reverse("admin:core_roleassignment_add"),
        {"user": clerk.pk, "role": Role.JURY_MEMBER, "centre": "", "employer": ""},
    )

    assert response.status_code == 302
    event = Event.objects.get(kind="core.role_granted")
    assert event.actor == registrar
    assert event.data["role"] == Role.JURY_MEMBER
    assert RoleAssignment.objects.filter(user=clerk, role=Role.JURY_MEMBER).exists()
