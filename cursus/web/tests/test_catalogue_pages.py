import pytest
from django.test import Client
from django.urls import reverse

from cursus.catalogue.models import Offering
from cursus.web.views import catalogue as catalogue_views
from cursus.web.views.catalogue import named_units

pytestmark = pytest.mark.django_db


def link(code: str) -> str:
    return f'href="{reverse("web:unit", kwargs={"code": code})}"'


def test_search_finds_a_unit_whatever_the_accents(client: Client, world):
    response = client.get(reverse("web:catalogue"), {"q": "bases de donnees"})
    assert response.status_code == 200
    content = response.content.decode()
    assert link("NFA008") in content
    assert link("NFE113") in content
    assert link("STA001") not in content


def test_search_filters_by_department_ects_and_kind(client: Client, world):
    response = client.get(reverse("web:catalogue"), {"department": "informatique", "ects": "3"})
    content = response.content.decode()
    assert link("UTC501") in content
    assert link("NFA008") not in content
    activity = client.get(reverse("web:catalogue"), {"kind": "activity"}).content.decode()
    assert link("UASI05") in activity
    assert link("NFA008") not in activity


def test_search_refuses_zero_ects_naming_the_field(client: Client, world):
    response = client.get(reverse("web:catalogue"), {"ects": "0"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_ects_error"' in content
    assert 'aria-invalid="true"' in content


def test_search_pages_its_results(client: Client, world, monkeypatch):
    monkeypatch.setattr(catalogue_views, "PAGE_SIZE", 4)
    first = client.get(reverse("web:catalogue"), {"department": "informatique"})
    content = first.content.decode()
    assert "9 unités au catalogue" not in content
    assert "9 unités trouvées" in content
    assert "Page 1 sur 3" in content
    assert 'href="?department=informatique&amp;page=2"' in content
    last = client.get(reverse("web:catalogue"), {"department": "informatique", "page": "3"})
    assert last.content.decode().count('class="unit-item"') == 1


def test_results_fragment_holds_only_the_results(client: Client, world):
    response = client.get(reverse("web:catalogue_results"), {"q": "linux"})
    content = response.content.decode()
    assert link("NSY103") in content
    assert "<html" not in content


def test_catalogue_search_runs_a_fixed_number_of_queries(
    client: Client, world, django_assert_num_queries
):
    # Departments for the filter, the count and the page of units.
    with django_assert_num_queries(3):
        response = client.get(reverse("web:catalogue"), {"q": "donnees", "ects": "6"})
    assert response.status_code == 200


def test_unit_page_says_where_and_when_it_is_offered(client: Client, world):
    response = client.get(world.nfa008.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bases de données" in content
    assert "Paris" in content
    assert "Centre Auvergne-Rhône-Alpes" in content
    assert "Centre du Liban" in content
    assert "Lundi" in content
    assert "18:00–21:00" in content
    # Offerings of past terms are history, not where the unit is offered.
    assert "Centre Bretagne" not in content
    assert world.nfa008_past.get_absolute_url() not in content


def test_unit_page_filters_offerings_by_formula_and_centre_kind(client: Client, world):
    url = world.nfa008.get_absolute_url()
    daytime = client.get(url, {"formula": "daytime"}).content.decode()
    assert world.nfa008_blocks.get_absolute_url() in daytime
    assert world.nfa008_lyon.get_absolute_url() not in daytime
    regional = client.get(url, {"centre_kind": "regional"}).content.decode()
    assert world.nfa008_lyon.get_absolute_url() in regional
    assert world.nfa008_paris.get_absolute_url() not in regional


def test_unit_page_runs_a_fixed_number_of_queries(client: Client, world, django_assert_num_queries):
    url = world.nfa008.get_absolute_url()
    # The unit, its three kinds of links, the current term, the offerings, slots and blocks.
    with django_assert_num_queries(8):
        client.get(url)


def test_unit_page_shows_recommended_units_as_advice(client: Client, world):
    content = client.get(world.nfa011.get_absolute_url()).content.decode()
    assert world.nfa008.get_absolute_url() in content
    assert "Conseil seulement" in content


def test_unit_code_in_lower_case_redirects_to_the_unit(client: Client, world):
    response = client.get(reverse("web:unit", kwargs={"code": "nfa008"}))
    assert response.status_code == 301
    assert response["Location"] == world.nfa008.get_absolute_url()


def test_unknown_unit_is_a_translated_404(client: Client, world):
    response = client.get(reverse("web:unit", kwargs={"code": "XYZ999"}))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_diploma_page_shows_its_rules_and_links_the_units_they_name(client: Client, world):
    response = client.get(world.diploma.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Administrateur de bases de données" in content
    assert '<pre class="rules"' in content
    assert "unit: NSY103" in content
    for code in ["NFA008", "NFE113", "NFP107", "NSY103", "NFA011", "UASI05"]:
        assert reverse("web:unit", kwargs={"code": code}) in content


def test_diplomas_list_filters_by_words(client: Client, world):
    found = client.get(reverse("web:diplomas"), {"q": "bases"}).content.decode()
    assert world.diploma.get_absolute_url() in found
    missing = client.get(reverse("web:diplomas"), {"q": "chimie"}).content.decode()
    assert world.diploma.get_absolute_url() not in missing


def test_centres_list_groups_centres_by_kind(client: Client, world):
    content = client.get(reverse("web:centres")).content.decode()
    assert content.index("Siège (Paris)") < content.index("Centre régional")
    assert content.index("Centre régional") < content.index("Centre à l’étranger")


def test_centre_timetable_lays_out_the_week_of_the_current_term(client: Client, world):
    response = client.get(world.paris.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert world.current.label in content
    assert 'class="week"' in content
    # Saturday morning and Monday evening both appear in the grid.
    assert world.nfa008_paris.get_absolute_url() in content
    assert "RSX101" in content
    assert "Samedi" in content
    assert "Soir" in content


def test_centre_timetable_lists_block_offerings_apart(client: Client, world):
    url = world.paris.get_absolute_url()
    content = client.get(url, {"term": world.following.code}).content.decode()
    assert "Enseigné par blocs de jours" in content
    assert world.nfa008_blocks.get_absolute_url() in content


def test_centre_timetable_refuses_an_unknown_term(client: Client, world):
    response = client.get(world.paris.get_absolute_url(), {"term": "1999-S7"})
    assert response.status_code == 400
    assert 'id="id_term_error"' in response.content.decode()


def test_centre_timetable_runs_a_fixed_number_of_queries(
    client: Client, world, django_assert_num_queries
):
    url = world.paris.get_absolute_url()
    # The centre and its institutes, the terms, the offerings with their slots and blocks.
    with django_assert_num_queries(6):
        client.get(url, {"term": world.current.code})


def test_offering_page_shows_its_timetable_and_teachers(client: Client, world):
    content = client.get(world.nfa008_paris.get_absolute_url()).content.decode()
    assert "Ada Lovelace" in content
    assert "Amphi C" in content
    assert "120" in content


def test_unpublished_offering_is_shown_only_to_those_who_run_it(client: Client, login, world):
    Offering.objects.filter(pk=world.nfa008_lyon.pk).update(published=False)
    url = world.nfa008_lyon.get_absolute_url()
    assert client.get(url).status_code == 404
    assert login(world.paris_staff).get(url).status_code == 404
    assert login(world.lyon_staff).get(url).status_code == 200
    assert url not in client.get(world.nfa008.get_absolute_url()).content.decode()


def test_units_named_by_rules_come_in_the_order_the_rules_name_them(world):
    assert named_units(world.diploma.rules_text) == [
        "NFA008",
        "NFE113",
        "NFP107",
        "NSY103",
        "NFA011",
        "UASI05",
    ]


def test_units_named_by_rules_that_no_longer_parse_are_found_by_their_shape():
    assert named_units("requires: [unit NFA008, then NSY103, NFA008]") == ["NFA008", "NSY103"]
