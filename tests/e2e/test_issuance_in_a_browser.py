"""A jury's staff issue the documents of a session: the page follows the batch to its end,
with JavaScript (polling) and without (refreshing itself)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cursus.credentials import actions as credentials
from cursus.credentials.models import BatchStatus, DiplomaDocument, IssuanceBatch
from cursus.web.tests.world import PASSWORD
from tests.e2e.juries import open_cc_dev_session

pytestmark = pytest.mark.e2e

# The batch runs in the live server's request, as soon as it is queued.
RUN_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.CURSUS_CREDENTIAL_KEYS_DIR = tmp_path / "keys"


@pytest.fixture
def held(world):
    made = open_cc_dev_session(world)
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
