"""What people do with the pages, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from cursus.catalogue.models import Offering, OfferingSlot
from cursus.core.models import Role

pytestmark = pytest.mark.e2e


def test_newcomer_finds_where_a_unit_is_offered(page, world):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Apprendre à son rythme")
    page.get_by_label("Trouver une unité").fill("bases de données")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/catalogue/\?q=bases"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name=re.compile("NFA008"))).to_be_visible()
    results.get_by_role("link", name=re.compile("NFA008")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bases de données")
    rows = page.locator(".offerings-table tbody tr")
    expect(rows.filter(has_text="Siège (Paris)").first).to_contain_text("Lundi 18:00–21:00")
    expect(rows.filter(has_text="Centre Auvergne-Rhône-Alpes")).to_contain_text("Centre régional")
    expect(rows.filter(has_text="Centre Auvergne-Rhône-Alpes")).to_contain_text("Mardi")


def test_unit_filters_apply_as_soon_as_a_choice_changes(page, world):
    page.goto(world.nfa008.get_absolute_url())
    expect(page.get_by_role("button", name="Filtrer")).to_be_hidden()
    page.get_by_label("Centre", exact=True).select_option("regional")
    expect(page).to_have_url(re.compile("centre_kind=regional"))
    rows = page.locator(".offerings-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Centre Auvergne-Rhône-Alpes")


def test_search_updates_as_you_type(page, world):
    page.goto("/catalogue/")
    page.get_by_label("Rechercher").fill("statistique")
    results = page.locator("#results")
    expect(results.get_by_role("link", name=re.compile("STA001"))).to_be_visible()
    expect(results.get_by_role("link", name=re.compile("NFA008"))).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=statistique"))


def test_search_works_without_javascript(page_without_javascript, world):
    page = page_without_javascript
    page.goto("/catalogue/")
    page.get_by_label("Rechercher").fill("linux")
    page.get_by_label("Crédits ECTS").fill("6")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"q=linux"))
    expect(page.locator("#results").get_by_role("link", name=re.compile("NSY103"))).to_be_visible()
    expect(page.locator("#results .unit-item")).to_have_count(1)


def test_centre_timetable_shows_the_week(page, world):
    page.goto(f"{world.paris.get_absolute_url()}?term={world.current.code}")
    week = page.locator("table.week")
    expect(week).to_be_visible()
    evening = week.locator("tr.period-evening")
    expect(evening).to_contain_text("NFA008")
    expect(evening).to_contain_text("18:00–21:00")
    expect(week.locator("tr.period-morning td.weekend")).to_contain_text("RSX101")
    page.get_by_label("Semestre", exact=True).select_option(world.following.code)
    expect(page).to_have_url(re.compile(f"term={world.following.code}"))
    expect(page.get_by_role("heading", name="Enseigné par blocs de jours")).to_be_visible()


# What each role's desk shows once logged in.
DESKS = {
    Role.REGISTRAR: "L’établissement",
    Role.CENTRE_STAFF: "Votre centre",
    Role.TEACHER: "Vos enseignements ce semestre",
    Role.JURY_MEMBER: "Vos jurys",
    Role.EMPLOYER_CONTACT: "Vos salariés en formation",
    Role.LEARNER: "Votre dossier",
}


@pytest.mark.parametrize("role", list(DESKS))
def test_each_role_logs_in_to_its_own_desk(page, world, log_in, role):
    user = world.users()[role]
    log_in(user)
    expect(page.get_by_role("heading", level=1)).to_contain_text(user.first_name)
    expect(page.get_by_role("heading", level=2, name=DESKS[role])).to_be_visible()
    for other, heading in DESKS.items():
        if other != role:
            expect(page.get_by_role("heading", level=2, name=heading)).to_have_count(0)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_language_switch_goes_to_english_and_back(page, world):
    page.goto(world.nfa008.get_absolute_url())
    expect(page.get_by_role("heading", name="Où et quand elle est ouverte")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Where and when it is offered")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(world.nfa008.get_absolute_url() + "$"))
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Où et quand elle est ouverte")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_slot_ending_before_it_starts_shows_its_error_and_saves_nothing(page, world, log_in):
    offerings, slots = Offering.objects.count(), OfferingSlot.objects.count()
    log_in(world.registrar)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Nouvelle ouverture"
    ).click()
    page.get_by_label("Unité", exact=True).fill("NSY103")
    page.get_by_label("Semestre", exact=True).select_option(world.following.code)
    page.get_by_label("Centre", exact=True).select_option("paris")
    page.locator("#id_slots-0-weekday").select_option("5")
    page.locator("#id_slots-0-starts_at").fill("12:00")
    page.locator("#id_slots-0-ends_at").fill("09:00")
    page.get_by_role("button", name="Ouvrir l’unité").click()
    error = page.locator("#id_slots-0-ends_at_error")
    expect(error).to_have_text("Un créneau doit finir après avoir commencé.")
    expect(page.locator("#id_slots-0-ends_at")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_be_focused()
    assert Offering.objects.count() == offerings
    assert OfferingSlot.objects.count() == slots


def test_formset_grows_a_row_with_javascript(page, world, log_in):
    log_in(world.registrar)
    page.goto("/staff/offerings/new/")
    rows = page.locator('[data-formset="slots"] tbody tr')
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="Ajouter un cours").click()
    expect(rows).to_have_count(4)
    expect(page.locator("#id_slots-3-weekday")).to_be_focused()
    expect(page.locator("#id_slots-TOTAL_FORMS")).to_have_value("4")
