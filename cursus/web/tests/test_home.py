import pytest
from django.test import Client
from django.urls import reverse

from cursus.core.models import Role

pytestmark = pytest.mark.django_db


def test_visitor_sees_the_institution_and_a_search_box(client: Client, world):
    content = client.get(reverse("web:home")).content.decode()
    assert "Apprendre à son rythme" in content
    assert 'name="q"' in content
    assert f'href="{reverse("web:catalogue")}?department=informatique"' in content
    assert world.beirut.get_absolute_url() in content
    assert "Se connecter" in content


ROLE_CONTENT = {
    Role.REGISTRAR: [
        "Scolarité",
        "L’établissement",
        "Ouvertures du semestre, par modalité",
        "/admin/",
    ],
    Role.CENTRE_STAFF: [
        "Personnel de centre",
        "Votre centre",
        "rattaché ici",
        "/centre/paris/",
    ],
    Role.TEACHER: ["Enseignant", "Vos enseignements ce semestre", "Bases de données", "Amphi C"],
    Role.JURY_MEMBER: ["Membre de jury", "Vos jurys", "Vous siégez au jury de", "/centre/paris/"],
    Role.EMPLOYER_CONTACT: [
        "Correspondant employeur",
        "Vos salariés en formation",
        "Camille Martin",
        "Banque du Rhône",
    ],
    Role.LEARNER: ["Auditeur", "Votre dossier", "A-0000001", "Centre Auvergne-Rhône-Alpes"],
}


@pytest.mark.parametrize("role", list(ROLE_CONTENT))
def test_each_role_lands_on_its_own_desk(client: Client, login, world, role):
    login(world.users()[role])
    content = client.get(reverse("web:home")).content.decode()
    for text in ROLE_CONTENT[role]:
        assert text in content


def test_a_role_sees_no_other_roles_desk(client: Client, login, world):
    login(world.learner_user)
    content = client.get(reverse("web:home")).content.decode()
    assert "Vos enseignements ce semestre" not in content
    assert "L’établissement" not in content
    assert "Vos salariés en formation" not in content


def test_registrar_desk_charts_offerings_by_formula(client: Client, login, world):
    login(world.registrar)
    content = client.get(reverse("web:home")).content.decode()
    # Six evening offerings this term make the longest bar; one daytime offering, a sixth of it.
    assert '<span class="bar" style="--share: 100%"></span><span class="bar-value">6</span>' in (
        content
    )
    assert '<span class="bar" style="--share: 17%"></span><span class="bar-value">1</span>' in (
        content
    )


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("learner_user", 200),
        ("lyon_staff", 200),
        ("employer_contact", 200),
        ("registrar", 200),
        ("paris_staff", 404),
        ("teacher", 404),
    ],
)
def test_learner_file_is_open_only_to_those_it_concerns(client, login, world, reader, status):
    login(getattr(world, reader))
    response = client.get(world.learner.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "Camille Martin" in response.content.decode()


def test_learner_file_asks_visitors_to_log_in(client: Client, world):
    response = client.get(world.learner.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_navigation_offers_each_role_its_links(client: Client, login, world):
    login(world.learner_user)
    learner_nav = client.get(reverse("web:home")).content.decode()
    assert world.learner.get_absolute_url() in learner_nav
    assert reverse("web:offering_create") not in learner_nav
    login(world.registrar)
    registrar_nav = client.get(reverse("web:home")).content.decode()
    assert reverse("web:unit_create") in registrar_nav
    assert reverse("web:offering_create") in registrar_nav
