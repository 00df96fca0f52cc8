"""The enrolment API through HTTP: registration, enrolment and waitlists, timetables, rosters,
agreements, contracts and fee statements, with the refusals each role meets."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cursus.core.actions import create_api_token
from cursus.core.models import Event
from cursus.enrolment.models import Enrolment, Registration, TrainingAgreement
from cursus.enrolment.tests.fixtures import ACME_SIRET, build_world, make_learner

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world(db):
    return build_world()


class Caller:
    """An API client authenticated with a user's personal token, reading English."""

    def __init__(self, client, user):
        _token, plaintext = create_api_token(user=user, name="tests")
        self.client = client
        self.headers = {"Authorization": f"Bearer {plaintext}", "Accept-Language": "en"}

    def get(self, path, **params):
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path, payload=None, **headers):
        return self.client.post(
            f"{API}{path}",
            payload or {},
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def put(self, path, payload):
        return self.client.put(
            f"{API}{path}", payload, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def as_user(client):
    return lambda user: Caller(client, user)


def state():
    return Enrolment.objects.count(), Registration.objects.count(), Event.objects.count()


def test_a_learner_registered_in_lyon_enrols_in_paris_and_at_a_distance_and_sees_one_timetable(
    world, as_user
):
    alice = as_user(world.alice.user)

    evening = alice.post("/enrolments", {"offering": world.evening.pk})
    distance = alice.post("/enrolments", {"offering": world.distance.pk})
    timetable = alice.get("/me/timetable", term="2025-S1")

    assert evening.status_code == 201, evening.json()
    assert evening.json()["status"] == "enrolled"
    assert distance.status_code == 201
    body = timetable.json()
    assert [(e["unit"], e["centre"], e["formula"]) for e in body["entries"]] == [
        ("NFA008", "paris", "evening_saturday"),
        ("NFA011", "paris", "distance"),
    ]
    assert body["clashes"] == []
    mine = alice.get("/me/enrolments", term="2025-S1").json()
    assert [item["unit"] for item in mine["items"]] == ["NFA008", "NFA011"]
    assert mine["count"] == 2


def test_advice_names_the_recommended_prior_units_not_held(world, as_user):
    answer = as_user(world.bob.user).post("/enrolments", {"offering": world.distance.pk})

    assert answer.status_code == 201
    assert answer.json()["advice"] == [{"code": "NFA008", "title": "Unité NFA008"}]


def test_a_full_offering_answers_with_the_waitlist_position_and_a_withdrawal_promotes(
    world, as_user, django_capture_on_commit_callbacks
):
    for learner in (world.alice, world.bob):
        as_user(learner.user).post("/enrolments", {"offering": world.evening.pk})
    carol = as_user(world.carol.user)

    waiting = carol.post("/enrolments", {"offering": world.evening.pk})

    assert waiting.status_code == 201
    assert (waiting.json()["status"], waiting.json()["position"]) == ("waitlisted", 1)
    assert waiting.json()["enrolment"]["position"] == 1
    alice_enrolment = Enrolment.objects.get(learner=world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = as_user(world.alice.user).post(
            f"/enrolments/{alice_enrolment.pk}/withdraw", {"reason": "moving"}
        )
    assert withdrawal.status_code == 200, withdrawal.json()
    assert withdrawal.json()["enrolment"]["status"] == "withdrawn"
    assert withdrawal.json()["places_given"] == 1
    promoted = carol.get(f"/enrolments/{waiting.json()['enrolment']['id']}").json()
    assert (promoted["status"], promoted["position"]) == ("enrolled", None)
    assert [message.to for message in mail.outbox] == [[world.carol.email]]


def test_the_same_idempotency_key_enrols_once_and_answers_as_the_first_time(world, as_user):
    bob = as_user(world.bob.user)

    first = bob.post("/enrolments", {"offering": world.evening.pk}, **{"Idempotency-Key": "a1"})
    before = state()
    again = bob.post("/enrolments", {"offering": world.evening.pk}, **{"Idempotency-Key": "a1"})

    assert first.status_code == again.status_code == 201
    assert first.json()["replayed"] is False
    assert again.json()["replayed"] is True
    assert again.json()["enrolment"] == first.json()["enrolment"]
    assert state() == before
    reused = bob.post("/enrolments", {"offering": world.distance.pk}, **{"Idempotency-Key": "a1"})
    assert reused.status_code == 422
    assert list(reused.json()["errors"]) == ["idempotency_key"]


@pytest.mark.parametrize(
    "case",
    [
        ("dan", "evening", "learner", "not registered for 2025–2026"),
        ("bob", "daytime", "agreement", "training agreement"),
    ],
)
def test_refusals_name_the_problem_and_change_nothing(world, as_user, case):
    learner, offering, field, words = case
    caller = as_user(getattr(world, learner).user)
    before = state()

    answer = caller.post("/enrolments", {"offering": getattr(world, offering).pk})

    assert answer.status_code == 409
    assert words in answer.json()["errors"][field][0]
    assert state() == before


def test_closed_enrolment_is_refused(world, as_user):
    term = world.term
    term.enrolment_opens_on = timezone.localdate() - timedelta(days=30)
    term.enrolment_closes_on = timezone.localdate() - timedelta(days=1)
    term.save()
    bob = as_user(world.bob.user)
    before = state()

    answer = bob.post("/enrolments", {"offering": world.evening.pk})

    assert answer.status_code == 409
    assert "closed on" in answer.json()["errors"]["offering"][0]
    assert state() == before


def test_a_duplicate_enrolment_is_refused(world, as_user):
    bob = as_user(world.bob.user)
    bob.post("/enrolments", {"offering": world.evening.pk})
    before = state()

    answer = bob.post("/enrolments", {"offering": world.evening.pk})

    assert answer.status_code == 409
    assert "already enrolled in NFA008" in answer.json()["errors"]["offering"][0]
    assert state() == before


def test_withdrawal_past_the_deadline_is_refused(world, as_user):
    bob = as_user(world.bob.user)
    enrolment = bob.post("/enrolments", {"offering": world.evening.pk}).json()["enrolment"]
    world.term.withdrawal_deadline = timezone.localdate() - timedelta(days=1)
    world.term.save()
    before = state()

    answer = bob.post(f"/enrolments/{enrolment['id']}/withdraw")

    assert answer.status_code == 409
    assert "withdrawal deadline" in answer.json()["errors"]["enrolment"][0]
    assert state() == before


def test_a_learner_cannot_enrol_or_read_another_learner(world, as_user):
    bob = as_user(world.bob.user)

    enrolling = bob.post("/enrolments", {"offering": world.evening.pk, "learner": "A-0000003"})
    reading = bob.get("/learners/A-0000003/enrolments")

    assert enrolling.status_code == 404
    assert reading.status_code == 404
    assert Enrolment.objects.count() == 0


def test_staff_enrol_learners_of_their_centre_by_number(world, as_user):
    lyon = as_user(world.lyon_staff)

    mine = lyon.post("/enrolments", {"offering": world.evening.pk, "learner": "A-0000001"})
    not_mine = lyon.post("/enrolments", {"offering": world.evening.pk, "learner": "A-0000002"})

    assert mine.status_code == 201
    assert not_mine.status_code == 403
    listing = lyon.get("/learners/A-0000001/enrolments").json()
    assert [item["learner"] for item in listing["items"]] == ["A-0000001"]


def test_an_unknown_offering_is_not_found(world, as_user):
    answer = as_user(world.bob.user).post("/enrolments", {"offering": 999_999})

    assert answer.status_code == 404
    assert list(answer.json()["errors"]) == ["offering"]


def test_learners_register_themselves_and_list_their_registrations(world, as_user):
    eve = make_learner("A-0000020", world.paris, first_name="Eve")
    caller = as_user(eve.user)

    created = caller.post("/registrations", {"centre": "lyon", "academic_year": 2025})
    listing = caller.get("/registrations")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["learner"], body["centre"], body["fee"], body["rate"]) == (
        "A-0000020",
        "lyon",
        "100.00",
        "full",
    )
    assert body["funding"] == [
        {
            "payer": "learner",
            "employer": None,
            "payer_name": "The learner",
            "funder": "",
            "amount": "100.00",
        }
    ]
    assert [item["id"] for item in listing.json()["items"]] == [body["id"]]


def test_a_funding_split_that_does_not_add_up_is_refused(world, as_user):
    eve = make_learner("A-0000020", world.paris, first_name="Eve")
    staff = as_user(world.paris_staff)
    before = state()

    answer = staff.post(
        "/registrations",
        {
            "learner": eve.number,
            "centre": "paris",
            "academic_year": 2025,
            "rate": "employer",
            "funding": [
                {"payer": "employer", "employer": ACME_SIRET, "amount": "50"},
                {"payer": "opco", "funder": "Atlas", "amount": "20.00"},
            ],
        },
    )

    assert answer.status_code == 422
    assert answer.json()["errors"] == {
        "funding": ["The shares add up to 70.00 €, not to the price of 100.00 €."]
    }
    assert state() == before


def test_an_invalid_siret_in_a_split_is_named(world, as_user):
    eve = make_learner("A-0000020", world.paris, first_name="Eve")

    answer = as_user(world.paris_staff).post(
        "/registrations",
        {
            "learner": eve.number,
            "centre": "paris",
            "academic_year": 2025,
            "funding": [{"payer": "employer", "employer": "12345678901234", "amount": "100"}],
        },
    )

    assert answer.status_code == 422
    assert "not a valid SIRET" in answer.json()["errors"]["funding[0].employer"][0]


def test_staff_change_who_pays(world, as_user):
    registration = Registration.objects.get(learner=world.bob)

    answer = as_user(world.paris_staff).put(
        f"/registrations/{registration.pk}/funding",
        {"funding": [{"payer": "cpf", "amount": "60"}, {"payer": "learner", "amount": "40"}]},
    )

    assert answer.status_code == 200, answer.json()
    assert [(s["payer"], s["amount"]) for s in answer.json()["funding"]] == [
        ("cpf", "60.00"),
        ("learner", "40.00"),
    ]
    refused = as_user(world.bob.user).put(
        f"/registrations/{registration.pk}/funding",
        {"funding": [{"payer": "cpf", "amount": "100"}]},
    )
    assert refused.status_code == 403


def test_roster_for_the_teacher_and_refused_to_a_learner(world, as_user):
    for learner in (world.carol, world.alice, world.bob):
        as_user(learner.user).post("/enrolments", {"offering": world.evening.pk})

    roster = as_user(world.teacher).get(f"/offerings/{world.evening.pk}/roster")
    refused = as_user(world.bob.user).get(f"/offerings/{world.evening.pk}/roster")

    assert roster.status_code == 200
    body = roster.json()
    assert [e["name"] for e in body["enrolled"]] == ["Alice Martin", "Carol Martin"]
    assert [(e["name"], e["position"]) for e in body["waitlist"]] == [("Bob Martin", 1)]
    assert (body["capacity"], body["free_places"]) == (2, 0)
    assert refused.status_code == 403


AGREEMENT = {
    "employer": ACME_SIRET,
    "employer_contact": "rh@acme.example.org",
    "learner": "A-0000002",
    "title": "Systèmes d'exploitation",
    "objective": "Administrer des systèmes Unix.",
    "content": "Processus, mémoire, fichiers.",
    "assessment": "Examen écrit.",
    "hours": 60,
}


def test_an_employer_contact_signs_an_agreement_and_the_learner_enrols_in_the_daytime_course(
    world, as_user
):
    staff = as_user(world.paris_staff)
    contact = as_user(world.contact)
    created = staff.post("/agreements", {**AGREEMENT, "offerings": [world.daytime.pk]})
    assert created.status_code == 201, created.json()
    number = created.json()["number"]
    assert created.json()["funding"][0]["employer"] == ACME_SIRET

    early = contact.post(f"/agreements/{number}/sign-as-employer")
    assert early.status_code == 409
    assert staff.post(f"/agreements/{number}/send").json()["status"] == "sent"
    assert [a["number"] for a in contact.get("/agreements").json()["items"]] == [number]
    assert staff.post(f"/agreements/{number}/sign-as-employer").status_code == 403
    signed = contact.post(f"/agreements/{number}/sign-as-employer").json()
    assert (signed["status"], signed["employer_signed_by"]) == (
        "signed_by_employer",
        "rh@acme.example.org",
    )
    assert contact.post(f"/agreements/{number}/sign-as-institution").status_code == 403
    final = staff.post(f"/agreements/{number}/sign-as-institution").json()
    assert final["status"] == "signed_by_institution"

    enrolled = as_user(world.bob.user).post("/enrolments", {"offering": world.daytime.pk})

    assert enrolled.status_code == 201
    assert enrolled.json()["enrolment"]["agreement"] == number
    timetable = as_user(world.bob.user).get("/me/timetable", term="2025-S1").json()
    assert [b["unit"] for b in timetable["blocks"]] == ["NSY103"]


def test_an_agreement_with_a_bad_siret_or_split_is_refused(world, as_user):
    staff = as_user(world.paris_staff)

    bad_siret = staff.post(
        "/agreements",
        {**AGREEMENT, "employer": "73282932000075", "offerings": [world.daytime.pk]},
    )
    bad_split = staff.post(
        "/agreements",
        {
            **AGREEMENT,
            "offerings": [world.daytime.pk],
            "price": "1000",
            "funding": [{"payer": "employer", "employer": ACME_SIRET, "amount": "999"}],
        },
    )

    assert bad_siret.status_code == 422
    assert "not a valid SIRET" in bad_siret.json()["errors"]["employer"][0]
    assert bad_split.status_code == 422
    assert list(bad_split.json()["errors"]) == ["funding"]
    assert TrainingAgreement.objects.count() == 0


def test_a_learner_signs_a_contract_and_withdraws_within_ten_days(world, as_user):
    bob = as_user(world.bob.user)
    created = bob.post(
        "/contracts",
        {
            "offerings": [world.evening.pk],
            "title": "Bases de données",
            "objective": "Concevoir une base.",
            "content": "SQL.",
            "assessment": "Examen.",
            "hours": 50,
        },
    )
    assert created.status_code == 201, created.json()
    number = created.json()["number"]
    assert created.json()["price"] == "300.00"

    signed = bob.post(f"/contracts/{number}/sign").json()
    withdrawn = bob.post(f"/contracts/{number}/withdraw", {"reason": "changed my mind"})

    assert signed["withdrawal_ends_on"] == (timezone.localdate() + timedelta(days=10)).isoformat()
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert bob.post(f"/contracts/{number}/withdraw").status_code == 409


def test_a_learner_cancels_a_draft_contract_but_not_a_signed_one(world, as_user):
    bob = as_user(world.bob.user)
    terms = {
        "offerings": [world.evening.pk],
        "title": "Bases de données",
        "objective": "Concevoir une base.",
        "content": "SQL.",
        "assessment": "Examen.",
        "hours": 50,
    }
    first = bob.post("/contracts", terms).json()["number"]
    cancelled = bob.post(f"/contracts/{first}/cancel", {"reason": "Plans changed"})
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == "cancelled"

    again = bob.post("/contracts", terms)
    assert again.status_code == 201, again.json()
    second = again.json()["number"]
    bob.post(f"/contracts/{second}/sign")
    refused = bob.post(f"/contracts/{second}/cancel")
    assert refused.status_code == 409
    assert "only a draft can be cancelled" in refused.json()["errors"]["status"][0]


def test_fee_statement_per_payer_in_json_and_csv(world, as_user):
    world.signed_agreement(world.bob)
    contact = as_user(world.contact)

    answer = contact.get("/fee-statements", year=2025, payer="employer", employer=ACME_SIRET)
    as_csv = contact.get("/fee-statements.csv", year=2025, payer="employer", employer=ACME_SIRET)

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["payer"] == {"kind": "employer", "name": f"Acme (SIRET {ACME_SIRET})"}
    assert [(line["document"], line["amount"]) for line in body["lines"]] == [
        ("agreement", "480.00")
    ]
    assert body["total"] == "480.00"
    assert as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0][0] == "document"
    assert rows[1][:2] == ["agreement", "CF-2025-00001"]
    assert rows[-1][-2] == "480.00"


def test_a_learners_own_fee_statement(world, as_user):
    alice = as_user(world.alice.user)
    alice.post("/enrolments", {"offering": world.evening.pk})

    body = alice.get("/fee-statements", year=2025).json()

    assert body["total"] == "400.00"
    assert (
        as_user(world.bob.user).get("/fee-statements", year=2025, learner="A-0000001").status_code
        == 404
    )


def test_tariffs_are_public_and_set_by_the_registrar(world, client, as_user):
    public = client.get(f"{API}/tariffs", {"year": 2025})
    refused = as_user(world.paris_staff).post(
        "/tariffs",
        {
            "academic_year": 2025,
            "basis": "per_unit",
            "registration_fee": "1",
            "full_amount": "1",
            "reduced_amount": "1",
            "employer_amount": "1",
        },
    )

    assert public.status_code == 200
    assert public.json()[0]["full_amount"] == "50.00"
    assert refused.status_code == 403
