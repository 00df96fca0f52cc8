import pytest

from cursus.core.events import events_about
from cursus.core.models import Event, User
from cursus.enrolment.models import Learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin@example.org", "pw"))
    return client


def learner_form(paris, **overrides):
    form = {
        "number": "",
        "first_name": "Alice",
        "last_name": "Martin",
        "home_centre": paris.pk,
        "ine": "",
        "birth_date": "",
        "email": "",
        "phone": "",
        "address": "",
        "profession": "",
        "sector": "",
        "employer": "",
        "user": "",
        "_save": "Save",
    }
    return {**form, **overrides}


def test_a_file_opened_in_the_back_office_gets_a_number_and_an_event(admin_client, paris):
    answer = admin_client.post("/admin/enrolment/learner/add/", learner_form(paris))

    assert answer.status_code == 302
    learner = Learner.objects.get()
    assert learner.number == "A-0000001"
    assert [event.kind for event in events_about(learner)] == ["enrolment.learner_created"]


def test_a_malformed_ine_is_refused_on_its_field_in_the_back_office(admin_client, paris):
    answer = admin_client.post(
        "/admin/enrolment/learner/add/", learner_form(paris, ine="0123456789A")
    )

    assert answer.status_code == 200
    assert "ine" in answer.context["adminform"].form.errors
    assert Learner.objects.count() == 0
    assert Event.objects.count() == 0


def test_centre_staff_see_only_their_centres_files(client, registrar, paris_staff, lyon, paris):
    from cursus.enrolment.actions import create_learner

    create_learner(actor=registrar, first_name="A", last_name="Paris", home_centre="paris")
    create_learner(actor=registrar, first_name="B", last_name="Lyon", home_centre="lyon")
    from django.contrib.auth.models import Permission

    paris_staff.is_staff = True
    paris_staff.save()
    paris_staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_learner"))
    client.force_login(paris_staff)

    page = client.get("/admin/enrolment/learner/")

    assert [learner.last_name for learner in page.context["cl"].result_list] == ["Paris"]


def test_a_tariff_set_in_the_back_office_goes_through_the_action(admin_client, world):
    from cursus.enrolment.models import Tariff

    answer = admin_client.post(
        "/admin/enrolment/tariff/add/",
        {
            "academic_year": world.year.pk,
            "centre": world.lyon.pk,
            "basis": "per_unit",
            "registration_fee": "90",
            "full_amount": "300",
            "reduced_amount": "150",
            "employer_amount": "450",
            "_save": "Save",
        },
    )

    assert answer.status_code == 302
    tariff = Tariff.objects.get(centre=world.lyon)
    assert [event.kind for event in events_about(tariff)] == ["enrolment.tariff_set"]


def test_a_bad_tariff_is_refused_on_its_field_in_the_back_office(admin_client, world):
    answer = admin_client.post(
        f"/admin/enrolment/tariff/{world.tariff.pk}/change/",
        {
            "academic_year": world.year.pk,
            "basis": "per_ects",
            "registration_fee": "-5",
            "full_amount": "50",
            "reduced_amount": "25",
            "employer_amount": "80",
            "_save": "Save",
        },
    )

    assert answer.status_code == 200
    assert answer.context["adminform"].form.errors


@pytest.mark.parametrize(
    "model", ["registration", "enrolment", "trainingagreement", "trainingcontract"]
)
def test_registrations_enrolments_and_agreements_are_shown_not_edited(admin_client, world, model):
    from cursus.enrolment.actions import enrol

    enrol(actor=world.registrar, learner=world.bob, offering=world.evening)
    world.signed_agreement(world.carol)

    listing = admin_client.get(f"/admin/enrolment/{model}/")
    adding = admin_client.get(f"/admin/enrolment/{model}/add/")

    assert listing.status_code == 200
    assert adding.status_code == 403


def test_centre_staff_see_the_registrations_of_their_centres(client, world):
    from django.contrib.auth.models import Permission

    world.lyon_staff.is_staff = True
    world.lyon_staff.save()
    world.lyon_staff.user_permissions.add(*Permission.objects.filter(codename="view_registration"))
    client.force_login(world.lyon_staff)

    page = client.get("/admin/enrolment/registration/")

    assert [r.learner for r in page.context["cl"].result_list] == [world.alice]
