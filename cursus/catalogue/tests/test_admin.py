"""The back office saves through the actions: same checks, same events, nothing half-saved."""

import pytest
from django.contrib.auth.models import Permission

from cursus.catalogue.models import Offering, OfferingSlot, Unit
from cursus.catalogue.tests.fixtures import make_user
from cursus.core.events import events_about
from cursus.core.models import Event, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin@example.org", "pw"))
    return client


def unit_form(department, **overrides):
    form = {
        "code": "NFA011",
        "title_fr": "Applications avec les bases de données",
        "title_en": "",
        "department": department.pk,
        "ects": 4,
        "hours": "",
        "kind": "course",
        "description_fr": "",
        "description_en": "",
        "first_year": "",
        "last_year": "",
        "_save": "Save",
    }
    return {**form, **overrides}


def test_site_header_is_the_institutions(admin_client):
    answer = admin_client.get("/admin/")

    assert "Cursus — administration" in answer.content.decode()


def test_adding_a_unit_in_the_back_office_records_the_event(admin_client, department):
    answer = admin_client.post("/admin/catalogue/unit/add/", unit_form(department))

    assert answer.status_code == 302
    unit = Unit.objects.get()
    assert "applications" in unit.search_text
    (event,) = events_about(unit)
    assert event.kind == "catalogue.unit_created"
    assert event.actor == User.objects.get(email="admin@example.org")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ects": 0}, "ects"),
        ({"code": "NF011"}, "code"),
        ({"last_year": 1990, "first_year": 2000}, "last_year"),
    ],
)
def test_bad_unit_in_the_back_office_is_refused_on_its_field(
    admin_client, department, overrides, field
):
    answer = admin_client.post("/admin/catalogue/unit/add/", unit_form(department, **overrides))

    assert answer.status_code == 200
    assert field in answer.context["adminform"].form.errors
    assert Unit.objects.count() == 0
    assert Event.objects.count() == 0


def test_changing_a_unit_in_the_back_office_records_before_and_after(admin_client, nfa008):
    form = unit_form(nfa008.department, code="NFA008", title_fr="Bases de données", ects=8)

    answer = admin_client.post(f"/admin/catalogue/unit/{nfa008.pk}/change/", form)

    assert answer.status_code == 302
    (event,) = events_about(nfa008)
    assert event.data == {"changes": {"ects": {"before": 6, "after": 8}}}


def offering_form(nfa008, term, paris, slots):
    form = {
        "unit": nfa008.pk,
        "term": term.pk,
        "centre": paris.pk,
        "formula": "evening_saturday",
        "institute": "",
        "section": "",
        "capacity": "",
        "language": "fr",
        "published": "on",
        "slots-TOTAL_FORMS": len(slots),
        "slots-INITIAL_FORMS": 0,
        "blocks-TOTAL_FORMS": 0,
        "blocks-INITIAL_FORMS": 0,
        "_save": "Save",
    }
    for index, (weekday, starts, ends) in enumerate(slots):
        form |= {
            f"slots-{index}-weekday": weekday,
            f"slots-{index}-starts_at": starts,
            f"slots-{index}-ends_at": ends,
            f"slots-{index}-room": "",
        }
    return form


def test_an_offering_is_saved_with_its_slots_through_the_action(admin_client, nfa008, term, paris):
    answer = admin_client.post(
        "/admin/catalogue/offering/add/",
        offering_form(nfa008, term, paris, [(1, "18:00", "21:00")]),
    )

    assert answer.status_code == 302
    offering = Offering.objects.get()
    assert offering.slots.count() == 1
    (event,) = events_about(offering)
    assert event.data["slots"][0]["weekday"] == 1


def test_a_slot_ending_before_it_starts_is_refused_in_the_back_office(
    admin_client, nfa008, term, paris
):
    answer = admin_client.post(
        "/admin/catalogue/offering/add/",
        offering_form(nfa008, term, paris, [(1, "21:00", "18:00")]),
    )

    assert answer.status_code == 200
    (slots, _blocks) = answer.context["inline_admin_formsets"]
    assert list(slots.formset.errors[0]) == ["ends_at"]
    assert Offering.objects.count() == 0
    assert OfferingSlot.objects.count() == 0


def test_the_event_log_is_read_only(admin_client, registrar):
    from cursus.core.events import record_event

    event = record_event(kind="test.touched", subject=registrar, actor=registrar)

    assert admin_client.get("/admin/core/event/").status_code == 200
    assert admin_client.get("/admin/core/event/add/").status_code == 403
    page = admin_client.get(f"/admin/core/event/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(f"/admin/core/event/{event.pk}/delete/").status_code == 403
    assert Event.objects.count() == 1


def test_staff_without_the_registrar_role_cannot_add_units(client, paris):
    staff = make_user("staff@example.org", Role.CENTRE_STAFF, centre=paris, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_unit"))
    client.force_login(staff)

    assert client.get("/admin/catalogue/unit/add/").status_code == 403


def test_users_are_added_by_email_with_their_roles(admin_client, paris):
    assert admin_client.get("/admin/core/user/add/").status_code == 200

    answer = admin_client.post(
        "/admin/core/user/add/",
        {
            "email": "New.Staff@example.org",
            "usable_password": "true",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
            "role_assignments-TOTAL_FORMS": 1,
            "role_assignments-INITIAL_FORMS": 0,
            "role_assignments-0-role": "centre_staff",
            "role_assignments-0-centre": paris.pk,
            "role_assignments-0-employer": "",
            "_save": "Save",
        },
    )

    assert answer.status_code == 302
    user = User.objects.get(email="new.staff@example.org")
    assert [(ra.role, ra.centre) for ra in user.role_assignments.all()] == [("centre_staff", paris)]
    assert admin_client.get(f"/admin/core/user/{user.pk}/change/").status_code == 200
