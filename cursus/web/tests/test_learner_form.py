import pytest
from django.test import Client
from django.urls import reverse

from cursus.core.models import Event
from cursus.enrolment.models import Learner
from cursus.web.tests.world import EMPLOYER_SIRET

pytestmark = pytest.mark.django_db

LEARNER = {
    "first_name": "Inès",
    "last_name": "Benali",
    "home_centre": "auvergne-rhone-alpes",
    "ine": "1234567890A",
    "birth_date": "1990-04-02",
    "email": "ines.benali@example.org",
    "profession": "Technicienne",
    "employer": EMPLOYER_SIRET,
}


def valid_ine() -> str:
    # Ten digits whose value modulo 23 picks the key letter.
    digits = "0123456789"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


def test_centre_staff_open_a_file_at_their_centre(client: Client, login, world):
    login(world.lyon_staff)
    response = client.post(reverse("web:learner_create"), {**LEARNER, "ine": valid_ine()})
    assert response.status_code == 302
    created = Learner.objects.get(last_name="Benali")
    assert response["Location"] == created.get_absolute_url()
    assert created.home_centre == world.lyon
    assert created.employer is not None
    assert created.ine == valid_ine()
    page = client.get(created.get_absolute_url()).content.decode()
    assert "Inès Benali" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("ine", "12345"), ("ine", "0123456789B"), ("employer", "12345678901234"), ("last_name", "")],
)
def test_bad_learner_file_names_the_field_and_saves_nothing(
    client: Client, login, world, field, value
):
    login(world.lyon_staff)
    learners, events = Learner.objects.count(), Event.objects.count()
    response = client.post(
        reverse("web:learner_create"), {**LEARNER, "ine": valid_ine(), field: value}
    )
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Learner.objects.count() == learners
    assert Event.objects.count() == events


def test_centre_staff_may_not_open_files_at_other_centres(client: Client, login, world):
    login(world.paris_staff)
    response = client.post(reverse("web:learner_create"), {**LEARNER, "ine": valid_ine()})
    assert response.status_code == 400
    assert 'id="id_home_centre_error"' in response.content.decode()
    assert not Learner.objects.filter(last_name="Benali").exists()


def test_teachers_may_not_open_files(client: Client, login, world):
    login(world.teacher)
    assert client.get(reverse("web:learner_create")).status_code == 403
