"""The enrolment pages, per role: registration, enrolment and waitlists, timetables, lists,
agreements, contracts, fee statements and the registrar's overview."""

import csv
import io
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cursus.catalogue import actions as catalogue
from cursus.catalogue.actions import SlotSpec
from cursus.catalogue.models import Offering, Term
from cursus.core.models import User
from cursus.enrolment import actions
from cursus.enrolment.models import (
    AgreementStatus,
    ContractStatus,
    Enrolment,
    EnrolmentStatus,
    Learner,
    Payer,
    Registration,
    TrainingAgreement,
    TrainingContract,
)
from cursus.web.tests.world import EMPLOYER_SIRET, PASSWORD, World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Enrolling:
    """What the enrolment pages need beside the small institution: an open term, a tariff,
    a distance offering, an offering with one place, and a second learner."""

    world: World
    term: Term
    evening_paris: Offering
    distance: Offering
    one_place: Offering
    daytime: Offering
    other_user: User
    other: Learner


def open_enrolment(world: World) -> Enrolling:
    """Open the current term for enrolment today, set the year's tariff, add offerings."""
    today = timezone.localdate()
    Term.objects.filter(pk=world.current.pk).update(
        enrolment_opens_on=today - timedelta(days=10),
        enrolment_closes_on=today + timedelta(days=10),
        withdrawal_deadline=today + timedelta(days=20),
    )
    term = Term.objects.select_related("academic_year").get(pk=world.current.pk)
    actions.set_tariff(
        actor=world.registrar,
        academic_year=term.academic_year,
        basis="per_ects",
        registration_fee="100.00",
        full_amount="40.00",
        reduced_amount="20.00",
        employer_amount="70.00",
    )
    registrar = world.registrar
    distance = catalogue.create_offering(
        actor=registrar, unit="NFA011", term=term.code, centre="paris", formula="distance"
    )
    one_place = catalogue.create_offering(
        actor=registrar,
        unit="NFE113",
        term=term.code,
        centre="paris",
        formula="evening_saturday",
        capacity=1,
        slots=[SlotSpec(5, time(9, 0), time(12, 0))],
    )
    daytime = Offering.objects.get(term=term, unit__code="STA001")
    other_user = User.objects.create_user(
        "louis.bernard@example.org", PASSWORD, first_name="Louis", last_name="Bernard"
    )
    other = actions.create_learner(
        actor=registrar,
        first_name="Louis",
        last_name="Bernard",
        home_centre="paris",
        email="louis.bernard@example.org",
        user=other_user,
    )
    actions.register(
        actor=registrar, learner=other, centre="paris", academic_year=term.academic_year
    )
    return Enrolling(
        world=world,
        term=term,
        evening_paris=world.nfa008_paris,
        distance=distance,
        one_place=one_place,
        daytime=daytime,
        other_user=other_user,
        other=other,
    )


@pytest.fixture
def enrolling(world: World) -> Enrolling:
    return open_enrolment(world)


def register_camille(setup: Enrolling) -> Registration:
    world = setup.world
    return actions.register(
        actor=world.registrar,
        learner=world.learner,
        centre=world.lyon.code,
        academic_year=setup.term.academic_year,
    )


def draw_up_agreement(setup: Enrolling) -> TrainingAgreement:
    world = setup.world
    agreement = actions.create_agreement(
        actor=world.lyon_staff,
        employer=world.learner.employer.siret if world.learner.employer else "",
        employer_contact=world.employer_contact,
        learner=world.learner,
        offerings=[setup.daytime],
        title="Statistique appliquée",
        objective="Analyser des données de production.",
        content="Statistique descriptive, estimation, tests.",
        assessment="Examen écrit de trois heures.",
    )
    return actions.send_agreement(actor=world.lyon_staff, agreement=agreement)


# The learner.


def test_learner_registers_for_the_year_seeing_the_tariff(client: Client, login, enrolling):
    world = enrolling.world
    login(world.learner_user, "en")
    url = reverse("web:enrolment_register", args=[world.learner.number])
    page = client.get(url).content.decode()
    assert "Tariffs" in page
    assert "100.00 €" in page
    assert "40.00 €" in page
    assert 'name="rate"' not in page
    response = client.post(url, {"centre": world.lyon.code})
    assert response.status_code == 302
    registration = Registration.objects.get(learner=world.learner)
    assert registration.centre == world.lyon
    page = client.get(response["Location"]).content.decode()
    assert "Centre Auvergne-Rhône-Alpes" in page
    assert "Full rate" in page


def test_registering_twice_shows_the_error_and_changes_nothing(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    login(world.learner_user, "en")
    response = client.post(
        reverse("web:enrolment_register", args=[world.learner.number]), {"centre": "paris"}
    )
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert Registration.objects.filter(learner=world.learner).count() == 1


def test_learner_enrols_from_the_offering_page(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    login(world.learner_user, "en")
    offering_page = client.get(enrolling.evening_paris.get_absolute_url()).content.decode()
    enrol_url = reverse("web:enrolment_enrol", args=[enrolling.evening_paris.pk])
    assert f'action="{enrol_url}"' in offering_page
    response = client.post(enrol_url, follow=True)
    page = response.content.decode()
    assert "Camille Martin is enrolled in NFA008." in page
    enrolment = Enrolment.objects.get(learner=world.learner)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert response.redirect_chain[-1][0] == reverse("web:enrolment_detail", args=[enrolment.pk])


def test_enrolling_without_registration_names_the_problem_and_changes_nothing(
    client: Client, login, enrolling
):
    world = enrolling.world
    login(world.learner_user, "en")
    response = client.post(reverse("web:enrolment_enrol", args=[enrolling.evening_paris.pk]))
    assert response.status_code == 409
    assert "is not registered for" in response.content.decode()
    assert not Enrolment.objects.filter(learner=world.learner).exists()


def test_full_offering_puts_learner_on_waitlist_then_withdrawal_promotes_them(
    client: Client, login, enrolling, django_capture_on_commit_callbacks
):
    world = enrolling.world
    register_camille(enrolling)
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    login(world.learner_user, "en")
    page = client.post(
        reverse("web:enrolment_enrol", args=[enrolling.one_place.pk]), follow=True
    ).content.decode()
    assert "NFE113 is full: Camille Martin is number 1 on the waitlist." in page
    waiting = Enrolment.objects.get(learner=world.learner)
    assert waiting.status == EnrolmentStatus.WAITLISTED

    client.logout()
    login(enrolling.other_user, "en")
    taken = Enrolment.objects.get(learner=enrolling.other)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("web:enrolment_withdraw", args=[taken.pk]), {"reason": "Moved"}, follow=True
        ).content.decode()
    assert "no longer holds a place in NFE113" in page
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED
    assert [message.to for message in mail.outbox] == [["camille.martin@example.org"]]


def test_enrolment_page_shows_the_waitlist_position(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    outcome = actions.enrol(
        actor=world.learner_user, learner=world.learner, offering=enrolling.one_place
    )
    login(world.learner_user, "en")
    page = client.get(reverse("web:enrolment_detail", args=[outcome.enrolment.pk])).content
    assert "Number 1 on the waitlist" in page.decode()
    assert "Leave the waitlist" in page.decode()


def test_withdrawal_after_the_deadline_is_refused_and_changes_nothing(
    client: Client, login, enrolling
):
    world = enrolling.world
    register_camille(enrolling)
    outcome = actions.enrol(
        actor=world.learner_user, learner=world.learner, offering=enrolling.evening_paris
    )
    Term.objects.filter(pk=enrolling.term.pk).update(
        withdrawal_deadline=timezone.localdate() - timedelta(days=1)
    )
    login(world.learner_user, "en")
    page = client.post(
        reverse("web:enrolment_withdraw", args=[outcome.enrolment.pk]), follow=True
    ).content.decode()
    assert "deadline" in page
    outcome.enrolment.refresh_from_db()
    assert outcome.enrolment.status == EnrolmentStatus.ENROLLED


def test_timetable_shows_every_centre_in_one_week(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    nsy103 = Offering.objects.get(unit__code="NSY103", term=enrolling.term)
    for offering in (enrolling.evening_paris, nsy103, enrolling.distance):
        actions.enrol(actor=world.learner_user, learner=world.learner, offering=offering)
    login(world.learner_user, "en")
    page = client.get(reverse("web:enrolment_timetable", args=[world.learner.number])).content
    text = page.decode()
    assert text.count("NFA008") >= 2  # Monday and Thursday evenings
    assert "NSY103" in text
    assert "NFA011" in text
    assert "At your own pace" in text
    assert "Saturday" in text
    assert "Evening" in text


def test_learner_page_lists_enrolments_and_fees(
    client: Client, login, enrolling, django_assert_num_queries
):
    world = enrolling.world
    register_camille(enrolling)
    for offering in (enrolling.evening_paris, enrolling.distance):
        actions.enrol(actor=world.learner_user, learner=world.learner, offering=offering)
    login(world.learner_user, "en")
    url = reverse("web:enrolment_learner", args=[world.learner.number])
    client.get(url)
    with django_assert_num_queries(12):
        page = client.get(url).content.decode()
    assert "NFA008" in page
    assert "NFA011" in page
    assert "500.00 €" in page  # 100 to register, then 6 and 4 ECTS at 40 €


def test_learner_sees_fee_statement_as_page_pdf_and_csv(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    actions.enrol(actor=world.learner_user, learner=world.learner, offering=enrolling.distance)
    login(world.learner_user, "en")
    year = enrolling.term.academic_year.start_year
    args = [world.learner.number, year]
    page = client.get(reverse("web:enrolment_learner_fees", args=args)).content.decode()
    assert "260.00 €" in page
    pdf = client.get(reverse("web:enrolment_learner_fees_file", args=[*args, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("web:enrolment_learner_fees_file", args=[*args, "csv"])
                ).content.decode()
            )
        )
    )
    assert rows[0][0] == "document"
    assert rows[-1] == ["total", "", "", "", "", "", "", "260.00", ""]
    assert (
        client.get(reverse("web:enrolment_learner_fees_file", args=[*args, "xls"])).status_code
        == 404
    )


def test_a_learner_cannot_see_another_learners_enrolments(client: Client, login, enrolling):
    login(enrolling.other_user, "en")
    number = enrolling.world.learner.number
    assert client.get(reverse("web:enrolment_learner", args=[number])).status_code == 404
    assert client.get(reverse("web:enrolment_timetable", args=[number])).status_code == 404


def test_learner_signs_a_contract_and_withdraws_within_ten_days(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    login(world.learner_user, "en")
    url = reverse("web:enrolment_contract_new", args=[world.learner.number])
    form = client.get(url).content.decode()
    assert f'value="{enrolling.distance.pk}"' in form
    response = client.post(
        url,
        {
            "offerings": [str(enrolling.distance.pk)],
            "title": "Développement d'applications",
            "objective": "Développer avec une base de données.",
            "content": "JDBC, transactions.",
            "assessment": "Projet et examen.",
        },
    )
    assert response.status_code == 302
    contract = TrainingContract.objects.get(learner=world.learner)
    page = client.get(response["Location"]).content.decode()
    assert "Sign the contract" in page
    assert "10 days" in page
    client.post(reverse("web:enrolment_contract_step", args=[contract.number, "sign"]))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    pdf = client.get(reverse("web:enrolment_contract_pdf", args=[contract.number]))
    assert pdf.content.startswith(b"%PDF")
    outcome = client.post(reverse("web:enrolment_enrol", args=[enrolling.distance.pk]))
    assert outcome.status_code == 302
    assert Enrolment.objects.get(learner=world.learner).contract == contract
    client.post(reverse("web:enrolment_contract_step", args=[contract.number, "withdraw"]))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.WITHDRAWN
    assert Enrolment.objects.get(learner=world.learner).status == EnrolmentStatus.WITHDRAWN


def test_a_learner_cancels_a_draft_contract_from_its_page(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    login(world.learner_user, "fr")
    response = client.post(
        reverse("web:enrolment_contract_new", args=[world.learner.number]),
        {
            "offerings": [str(enrolling.distance.pk)],
            "title": "Développement d'applications",
            "objective": "Développer avec une base de données.",
            "content": "JDBC, transactions.",
            "assessment": "Projet et examen.",
        },
    )
    contract = TrainingContract.objects.get(learner=world.learner)
    page = client.get(response["Location"]).content.decode()
    assert "Annuler le brouillon" in page
    answer = client.post(
        reverse("web:enrolment_contract_step", args=[contract.number, "cancel"]), follow=True
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    content = answer.content.decode()
    assert f"Le contrat {contract.number} est annulé." in content
    assert "Annuler le brouillon" not in content
    assert "Signer le contrat" not in content


def test_contract_form_names_a_missing_field(client: Client, login, enrolling):
    world = enrolling.world
    login(world.learner_user, "en")
    response = client.post(
        reverse("web:enrolment_contract_new", args=[world.learner.number]),
        {"offerings": [str(enrolling.distance.pk)], "title": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not TrainingContract.objects.exists()


# Centre staff.


def test_staff_see_the_list_and_waitlist_of_their_centres_offering(
    client: Client, login, enrolling, django_assert_num_queries
):
    world = enrolling.world
    register_camille(enrolling)
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    actions.enrol(actor=world.learner_user, learner=world.learner, offering=enrolling.one_place)
    login(world.paris_staff, "en")
    url = reverse("web:enrolment_roster", args=[enrolling.one_place.pk])
    client.get(url)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert "Bernard, Louis" in page
    assert "Martin, Camille" in page
    assert page.index("Bernard, Louis") < page.index("Waitlist") < page.index("Martin, Camille")
    centre_page = client.get(reverse("web:enrolment_centre", args=["paris"])).content.decode()
    assert "NFE113" in centre_page
    assert "full" in centre_page


def test_roster_is_refused_to_other_centres_and_learners(client: Client, login, enrolling):
    url = reverse("web:enrolment_roster", args=[enrolling.one_place.pk])
    login(enrolling.world.lyon_staff, "en")
    assert client.get(url).status_code == 403
    client.logout()
    login(enrolling.other_user, "en")
    assert client.get(url).status_code == 403
    assert client.get(reverse("web:enrolment_overview")).status_code == 403
    assert client.get(reverse("web:enrolment_centre", args=["paris"])).status_code == 403


def test_roster_exports_csv_in_waitlist_order(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    actions.enrol(actor=world.learner_user, learner=world.learner, offering=enrolling.one_place)
    login(world.paris_staff, "en")
    response = client.get(reverse("web:enrolment_roster_csv", args=[enrolling.one_place.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["status", "position", "learner_number"]
    assert [(row[0], row[1], row[2]) for row in rows[1:]] == [
        ("enrolled", "", enrolling.other.number),
        ("waitlisted", "1", world.learner.number),
    ]


def test_staff_enrol_a_learner_on_their_behalf_and_withdraw_them(client: Client, login, enrolling):
    world = enrolling.world
    login(world.paris_staff, "en")
    roster = reverse("web:enrolment_roster", args=[enrolling.evening_paris.pk])
    response = client.post(
        reverse("web:enrolment_enrol", args=[enrolling.evening_paris.pk]),
        {"learner": enrolling.other.number, "next": roster},
    )
    assert response.status_code == 302
    assert response["Location"] == roster
    enrolment = Enrolment.objects.get(learner=enrolling.other)
    response = client.post(reverse("web:enrolment_withdraw", args=[enrolment.pk]), {"next": roster})
    assert response["Location"] == roster
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_staff_enrolling_an_unknown_number_see_the_error_next_to_the_field(
    client: Client, login, enrolling
):
    login(enrolling.world.paris_staff, "en")
    response = client.post(
        reverse("web:enrolment_enrol", args=[enrolling.evening_paris.pk]), {"learner": "A-9999999"}
    )
    assert response.status_code == 400
    assert "No learner of your centres has this number." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_staff_register_a_learner_at_a_reduced_rate(client: Client, login, enrolling):
    world = enrolling.world
    login(world.lyon_staff, "en")
    found = client.get(
        reverse("web:enrolment_find_learner"),
        {"learner": world.learner.number, "then": "register"},
    )
    assert found["Location"] == reverse("web:enrolment_register", args=[world.learner.number])
    response = client.post(found["Location"], {"centre": world.lyon.code, "rate": "reduced"})
    assert response.status_code == 302
    assert Registration.objects.get(learner=world.learner).rate == "reduced"


def test_staff_draw_up_an_agreement_and_the_siret_is_checked(client: Client, login, enrolling):
    world = enrolling.world
    login(world.lyon_staff, "en")
    url = reverse("web:enrolment_agreement_new", args=[world.learner.number])
    values = {
        "employer": "12345678901234",
        "employer_contact": world.employer_contact.email,
        "offerings": [str(enrolling.daytime.pk)],
        "title": "Statistique appliquée",
        "objective": "Analyser des données.",
        "content": "Statistique descriptive.",
        "assessment": "Examen écrit.",
    }
    response = client.post(url, values)
    assert response.status_code == 400
    assert "is not a valid SIRET" in response.content.decode()
    assert not TrainingAgreement.objects.exists()

    response = client.post(
        url, {**values, "employer": "73282932000009", "opco": "Atlas", "opco_amount": "100.00"}
    )
    assert response.status_code == 400
    assert not TrainingAgreement.objects.exists()

    response = client.post(url, {**values, "employer": "73282932000009"})
    assert response.status_code == 302
    agreement = TrainingAgreement.objects.get()
    client.post(reverse("web:enrolment_agreement_step", args=[agreement.number, "send"]))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT


# Employer contacts.


def test_employer_contact_signs_an_agreement_from_their_pages(client: Client, login, enrolling):
    agreement = draw_up_agreement(enrolling)
    login(enrolling.world.employer_contact, "en")
    home = client.get(reverse("web:home")).content.decode()
    assert "Agreements awaiting your signature" in home
    assert agreement.number in home
    page = client.get(reverse("web:enrolment_agreement", args=[agreement.number])).content
    assert "Sign for the employer" in page.decode()
    client.post(reverse("web:enrolment_agreement_step", args=[agreement.number, "sign-employer"]))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_EMPLOYER
    assert agreement.employer_signed_by == enrolling.world.employer_contact
    pdf = client.get(reverse("web:enrolment_agreement_pdf", args=[agreement.number]))
    assert pdf.content.startswith(b"%PDF")


def test_only_the_employers_contact_may_sign_for_it(client: Client, login, enrolling):
    agreement = draw_up_agreement(enrolling)
    login(enrolling.world.lyon_staff, "en")
    step = reverse("web:enrolment_agreement_step", args=[agreement.number, "sign-employer"])
    assert client.post(step).status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT
    client.logout()
    login(enrolling.other_user, "en")
    assert (
        client.get(reverse("web:enrolment_agreement", args=[agreement.number])).status_code == 404
    )


def test_signing_out_of_order_shows_the_error(client: Client, login, enrolling):
    agreement = draw_up_agreement(enrolling)
    login(enrolling.world.registrar, "en")
    page = client.post(
        reverse("web:enrolment_agreement_step", args=[agreement.number, "sign-institution"]),
        follow=True,
    ).content.decode()
    assert "the institution signs it after the employer" in page
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT


def test_employer_fee_statement(client: Client, login, enrolling):
    world = enrolling.world
    agreement = draw_up_agreement(enrolling)
    actions.sign_agreement_as_employer(actor=world.employer_contact, agreement=agreement)
    actions.sign_agreement_as_institution(actor=world.lyon_staff, agreement=agreement)
    login(world.employer_contact, "en")
    args = ["73282932000009", enrolling.term.academic_year.start_year]
    page = client.get(reverse("web:enrolment_employer_fees", args=args)).content.decode()
    assert agreement.number in page
    assert "Banque du Rhône" in page
    pdf = client.get(reverse("web:enrolment_employer_fees_file", args=[*args, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    client.logout()
    login(enrolling.other_user, "en")
    assert client.get(reverse("web:enrolment_employer_fees", args=args)).status_code == 404


# The registrar.


def test_registrar_overview_counts_by_formula_and_centre_kind(
    client: Client, login, enrolling, django_assert_num_queries
):
    world = enrolling.world
    register_camille(enrolling)
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    actions.enrol(actor=world.learner_user, learner=world.learner, offering=enrolling.one_place)
    actions.enrol(actor=world.learner_user, learner=world.learner, offering=enrolling.distance)
    draw_up_agreement(enrolling)
    login(world.registrar, "en")
    url = reverse("web:enrolment_overview")
    client.get(url)
    with django_assert_num_queries(10):
        page = client.get(url).content.decode()
    assert "Places held, by formula" in page
    assert "Sent to the employer (1)" in page
    assert "NFE113" in page  # full, with one waiting
    home = client.get(reverse("web:home")).content.decode()
    assert "Enrolment overview" in home


def test_staff_home_shows_full_offerings(client: Client, login, enrolling):
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    login(enrolling.world.paris_staff, "en")
    home = client.get(reverse("web:home")).content.decode()
    assert "Full offerings and waitlists" in home
    assert "NFE113" in home


def test_learner_home_shows_this_terms_units(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    actions.enrol(actor=world.learner_user, learner=world.learner, offering=enrolling.distance)
    login(world.learner_user, "en")
    home = client.get(reverse("web:home")).content.decode()
    assert "Your units" in home
    assert "NFA011" in home
    assert reverse("web:enrolment_timetable", args=[world.learner.number]) in home


def test_pages_ask_anonymous_visitors_to_log_in(client: Client, enrolling):
    response = client.get(reverse("web:enrolment_learner", args=[enrolling.world.learner.number]))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_finding_a_learner_stays_on_the_site(client: Client, login, enrolling):
    login(enrolling.world.paris_staff, "en")
    response = client.get(
        reverse("web:enrolment_find_learner"),
        {"learner": "A-9999999", "back": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("web:enrolment_centres")


def test_agreements_and_centre_lists_keep_their_query_counts(
    client: Client, login, enrolling, django_assert_num_queries
):
    draw_up_agreement(enrolling)
    actions.enrol(actor=enrolling.other_user, learner=enrolling.other, offering=enrolling.one_place)
    login(enrolling.world.registrar, "en")
    agreements = reverse("web:enrolment_agreements")
    centre = reverse("web:enrolment_centre", args=["paris"])
    client.get(agreements)
    with django_assert_num_queries(7):
        client.get(agreements)
    client.get(centre)
    with django_assert_num_queries(10):
        page = client.get(centre).content.decode()
    assert "NFE113" in page


def test_recommended_prior_units_are_advice_not_a_block(client: Client, login, enrolling):
    world = enrolling.world
    register_camille(enrolling)
    login(world.learner_user, "en")
    page = client.post(
        reverse("web:enrolment_enrol", args=[enrolling.distance.pk]), follow=True
    ).content.decode()
    assert "Advice, not a requirement: NFA008" in page
    assert Enrolment.objects.get(learner=world.learner).status == EnrolmentStatus.ENROLLED


def test_staff_split_a_registration_fee_between_the_learner_and_the_employer(
    client: Client, login, enrolling
):
    registration = register_camille(enrolling)
    fee = registration.fee
    assert fee > 10
    login(enrolling.world.lyon_staff)
    url = reverse("web:enrolment_funding", args=[enrolling.world.learner.number])
    year = f"?year={enrolling.term.academic_year.start_year}"

    response = client.post(
        url + year,
        {
            "learner_amount": "10",
            "employer": EMPLOYER_SIRET,
            "employer_amount": str(fee - 10),
        },
    )

    assert response.status_code == 302
    shares = {share.payer: share.amount for share in registration.funding.all()}
    assert shares == {Payer.LEARNER: 10, Payer.EMPLOYER: fee - 10}
    page = client.get(
        reverse("web:enrolment_learner", args=[enrolling.world.learner.number]) + year
    )
    assert "Banque du Rhône (" in page.content.decode()


def test_a_funding_split_that_does_not_add_up_is_refused_and_changes_nothing(
    client: Client, login, enrolling
):
    registration = register_camille(enrolling)
    before = list(registration.funding.values_list("payer", "amount"))
    login(enrolling.world.lyon_staff)
    url = reverse("web:enrolment_funding", args=[enrolling.world.learner.number])

    response = client.post(
        url + f"?year={enrolling.term.academic_year.start_year}",
        {"learner_amount": "1", "opco": "Atlas", "opco_amount": "2"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert list(registration.funding.values_list("payer", "amount")) == before


def test_an_unknown_employer_is_named_next_to_its_field(client: Client, login, enrolling):
    registration = register_camille(enrolling)
    login(enrolling.world.lyon_staff)
    url = reverse("web:enrolment_funding", args=[enrolling.world.learner.number])

    response = client.post(
        url + f"?year={enrolling.term.academic_year.start_year}",
        {"employer": "73282932000074", "employer_amount": str(registration.fee)},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["employer"]


def test_a_learner_cannot_change_who_pays(client: Client, login, enrolling):
    register_camille(enrolling)
    login(enrolling.world.learner_user)
    url = reverse("web:enrolment_funding", args=[enrolling.world.learner.number])

    response = client.post(url, {"learner_amount": "0"})

    assert response.status_code == 403
