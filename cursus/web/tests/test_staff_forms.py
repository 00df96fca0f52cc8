import pytest
from django.test import Client
from django.urls import reverse

from cursus.catalogue.models import Offering, OfferingSlot, Unit
from cursus.core.models import Event

pytestmark = pytest.mark.django_db

UNIT = {
    "code": "NFA019",
    "title_fr": "Bases de données avancées",
    "title_en": "Advanced databases",
    "department": "informatique",
    "ects": "6",
    "kind": "course",
    "recommended_prior": "NFA008",
}


def offering_data(world, **overrides):
    data = {
        "unit": "NSY103",
        "term": world.following.code,
        "centre": "paris",
        "formula": "evening_saturday",
        "language": "fr",
        "published": "on",
        "capacity": "40",
        "slots-TOTAL_FORMS": "3",
        "slots-INITIAL_FORMS": "0",
        "slots-0-weekday": "2",
        "slots-0-starts_at": "18:00",
        "slots-0-ends_at": "21:00",
        "slots-0-room": "31.2.85",
        "blocks-TOTAL_FORMS": "2",
        "blocks-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_registrar_adds_a_unit_and_lands_on_its_page(client: Client, login, world):
    login(world.registrar)
    response = client.post(reverse("web:unit_create"), UNIT)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:unit", kwargs={"code": "NFA019"})
    unit = Unit.objects.get(code="NFA019")
    assert list(unit.recommended_prior.values_list("code", flat=True)) == ["NFA008"]
    assert Event.objects.filter(kind="catalogue.unit_created", subject_id=str(unit.pk)).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "NFA19"),
        ("ects", "0"),
        ("ects", "-3"),
        ("department", "astrologie"),
        ("recommended_prior", "ZZZ999"),
    ],
)
def test_bad_unit_is_refused_naming_the_field_and_nothing_is_saved(
    client: Client, login, world, field, value
):
    login(world.registrar)
    units, events = Unit.objects.count(), Event.objects.count()
    response = client.post(reverse("web:unit_create"), {**UNIT, field: value})
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert f'href="#id_{field}"' in content
    assert Unit.objects.count() == units
    assert Event.objects.count() == events


def test_registrar_offers_a_unit_with_its_weekly_class(client: Client, login, world):
    login(world.registrar)
    response = client.post(
        reverse("web:offering_create"), offering_data(world, teachers=world.teacher.email)
    )
    assert response.status_code == 302
    offering = Offering.objects.get(unit__code="NSY103", term=world.following)
    assert response["Location"] == offering.get_absolute_url()
    slot = offering.slots.get()
    assert (slot.weekday, slot.starts_at.hour, slot.ends_at.hour, slot.room) == (
        2,
        18,
        21,
        "31.2.85",
    )
    assert list(offering.teachers.all()) == [world.teacher]


def test_slot_ending_before_it_starts_is_refused_next_to_the_field(client: Client, login, world):
    login(world.registrar)
    offerings, slots = Offering.objects.count(), OfferingSlot.objects.count()
    data = offering_data(
        world,
        **{
            "slots-1-weekday": "5",
            "slots-1-starts_at": "12:00",
            "slots-1-ends_at": "09:00",
        },
    )
    response = client.post(reverse("web:offering_create"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_slots-1-ends_at_error"' in content
    assert "Un créneau doit finir après avoir commencé." in content
    assert 'href="#id_slots-1-ends_at"' in content
    assert 'id="id_slots-0-ends_at_error"' not in content
    assert Offering.objects.count() == offerings
    assert OfferingSlot.objects.count() == slots


def test_blank_slot_rows_between_filled_ones_keep_errors_on_their_row(client: Client, login, world):
    login(world.registrar)
    data = offering_data(
        world,
        **{
            "slots-0-weekday": "",
            "slots-0-starts_at": "",
            "slots-0-ends_at": "",
            "slots-2-weekday": "1",
            "slots-2-starts_at": "20:00",
            "slots-2-ends_at": "19:00",
        },
    )
    content = client.post(reverse("web:offering_create"), data).content.decode()
    assert 'id="id_slots-2-ends_at_error"' in content


def test_offering_of_an_unknown_unit_names_the_unit_field(client: Client, login, world):
    login(world.registrar)
    response = client.post(reverse("web:offering_create"), offering_data(world, unit="ABC123"))
    assert response.status_code == 400
    assert 'id="id_unit_error"' in response.content.decode()


def test_unknown_teacher_email_is_refused(client: Client, login, world):
    login(world.registrar)
    response = client.post(
        reverse("web:offering_create"), offering_data(world, teachers="personne@example.org")
    )
    assert response.status_code == 400
    assert 'id="id_teachers_error"' in response.content.decode()
    assert not Offering.objects.filter(unit__code="NSY103", term=world.following).exists()


def test_centre_staff_offer_units_at_their_centre_only(client: Client, login, world):
    login(world.paris_staff)
    form = client.get(reverse("web:offering_create")).content.decode()
    assert '<option value="paris"' in form
    assert '<option value="auvergne-rhone-alpes"' not in form
    elsewhere = client.post(
        reverse("web:offering_create"), offering_data(world, centre="auvergne-rhone-alpes")
    )
    assert elsewhere.status_code == 400
    assert 'id="id_centre_error"' in elsewhere.content.decode()
    assert not Offering.objects.filter(unit__code="NSY103", term=world.following).exists()
    at_home = client.post(reverse("web:offering_create"), offering_data(world))
    assert at_home.status_code == 302


@pytest.mark.parametrize("reader", ["teacher", "learner_user", "jury_member", "employer_contact"])
def test_other_roles_may_not_use_the_back_office_forms(client: Client, login, world, reader):
    login(getattr(world, reader))
    assert client.get(reverse("web:unit_create")).status_code == 403
    assert client.get(reverse("web:offering_create")).status_code == 403
    response = client.post(reverse("web:unit_create"), UNIT)
    assert response.status_code == 403
    assert "Cette page ne vous est pas ouverte" in response.content.decode()
    assert not Unit.objects.filter(code="NFA019").exists()


def test_centre_staff_may_not_add_units(client: Client, login, world):
    login(world.paris_staff)
    assert client.post(reverse("web:unit_create"), UNIT).status_code == 403


def test_forms_ask_visitors_to_log_in(client: Client, world):
    for name in ["web:unit_create", "web:offering_create"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_unit_code_already_taken_is_refused_on_the_code(client: Client, login, world):
    login(world.registrar)
    response = client.post(reverse("web:unit_create"), {**UNIT, "code": "NFA008"})
    assert response.status_code == 400
    assert 'id="id_code_error"' in response.content.decode()
    assert Unit.objects.get(code="NFA008").title_fr == "Bases de données"
