"""A jury's staff issue the documents of a session: the page follows the batch to its end,
with JavaScript (polling) and without (refreshing itself)."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cursus.catalogue import actions as catalogue
from cursus.credentials import actions as credentials
from cursus.credentials.models import BatchStatus, DiplomaDocument, IssuanceBatch
from cursus.records.actions import validate_prior_learning
from cursus.web.tests.world import PASSWORD

pytestmark = pytest.mark.e2e

RULES_CC_DEV = """\
code: CC-DEV
version: 2020
title: {fr: "Certificat de compétence Développeur de bases de données",
        en: "Certificate of competence: database developer"}
requires:
  all:
    - unit: NFA008
    - unit: NFA011
"""
# The batch runs in the live server's request, as soon as it is queued.
RUN_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"


@pytest.fixture
def held(world):
    catalogue.create_diploma(
        actor=world.registrar,
        code="CC-DEV",
        version=2020,
        kind="certificat-competence",
        title_fr="Certificat de compétence Développeur de bases de données",
        title_en="Certificate of competence: database developer",
        rules_text=RULES_CC_DEV,
        first_year=2020,
    )
    validate_prior_learning(
        actor=world.registrar,
        learner=world.learner,
        units=["NFA008", "NFA011"],
        source="dispense",
        decision_reference="D-2021-12",
        jury="Jury informatique",
        decided_on=date(2021, 5, 3),
        centre=world.lyon,
    )
    made = credentials.open_jury_session(
        actor=world.lyon_staff,
        diploma_code="CC-DEV",
        held_on=date(2026, 6, 30),
        members=[world.jury_member],
        centre=world.lyon,
    )
    [candidate] = credentials.add_candidates(
        actor=world.lyon_staff, session=made, learners=[world.learner]
    )
    credentials.decide(actor=world.jury_member, candidate=candidate, decision="award")
    return credentials.close_jury_session(actor=world.jury_member, session=made)


def enter(page, user) -> None:
    page.goto("/account/login/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def watch_and_finish(page, held) -> None:
    """Open the session page while its batch runs, then let the batch end."""
    batch = IssuanceBatch.objects.create(
        session=held, status=BatchStatus.RUNNING, total=1, started_at=timezone.now()
    )
    page.goto(f"/juries/{held.pk}/")
    expect(page.locator("#issuance-bar")).to_be_visible()
    IssuanceBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, done=1, documents=3, finished_at=timezone.now()
    )


def test_the_button_issues_the_documents(page, world, held, settings):
    settings.TASKS = RUN_AT_ONCE
    enter(page, world.jury_member)
    page.goto(f"/juries/{held.pk}/")

    page.locator(f"form[action='/juries/{held.pk}/issuance/'] button").click()

    expect(page.locator("#issuance")).to_contain_text(re.compile(r"\b3 documents"))
    assert DiplomaDocument.objects.filter(award__session=held).count() == 3


def test_the_page_follows_the_batch_with_javascript(page, world, held):
    enter(page, world.jury_member)

    watch_and_finish(page, held)

    expect(page.locator("#issuance-bar")).to_have_count(0)
    expect(page.locator("#issuance")).to_contain_text(re.compile(r"\b3 documents"))


def test_the_page_follows_the_batch_without_javascript(page_without_javascript, world, held):
    enter(page_without_javascript, world.lyon_staff)

    watch_and_finish(page_without_javascript, held)

    expect(page_without_javascript.locator("#issuance")).to_contain_text(
        re.compile(r"\b3 documents")
    )
