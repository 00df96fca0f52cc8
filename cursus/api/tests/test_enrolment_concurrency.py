"""Concurrent enrolment through HTTP against a real multi-threaded server, on PostgreSQL.

Each client thread has its own connection and its own personal token; a barrier
releases them together so that their requests race for the offering's places.

The server is Django's live test server (a thread per request, a database
connection each), with a listen queue long enough for every client to knock at
once: Django's own queues ten, and the kernel resets the connections beyond.
"""

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from cursus.catalogue.tests.fixtures import make_centre
from cursus.core.actions import create_api_token
from cursus.core.events import verify_chain
from cursus.core.testing import needs_postgres
from cursus.enrolment.models import Enrolment, EnrolmentStatus, Learner
from cursus.enrolment.tests.fixtures import build_world, make_learner, make_offering

pytestmark = [needs_postgres, pytest.mark.postgres]

TIMEOUT = 60


class RoomyServer(ThreadedWSGIServer):
    """Django's threaded test server, with room in its listen queue for a rush of clients."""

    request_queue_size = 256


class RoomyServerThread(LiveServerThread):
    server_class = RoomyServer


@pytest.fixture
def live_server_url(transactional_db):
    """Serve the site on loopback from a thread, for the length of one test."""
    thread = RoomyServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


Answer = tuple[int, dict[str, Any]]


def post(url: str, token: str, payload: dict[str, Any], key: str | None = None) -> Answer:
    """POST JSON with a token, on a connection of its own; return the status and the body."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept-Language": "en",
    }
    if key is not None:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(  # noqa: S310 - the URL is the test server's, on loopback
        url, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, json.loads(body) if body.startswith(b"{") else {"raw": body.decode()}


def race(calls: Sequence[Callable[[], Answer]]) -> list[Answer]:
    """Run the calls in threads released together; return their answers in the calls' order."""
    barrier = threading.Barrier(len(calls))
    answers: list[Answer] = [(0, {})] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = calls[index]()
        except Exception as error:  # reported by the test's assertions, not swallowed
            answers[index] = (0, {"exception": repr(error)})

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    return answers


def learners_with_tokens(world, count: int, centre) -> list[tuple[Learner, str]]:
    found = []
    for n in range(count):
        learner = make_learner(f"A-9{n:06d}", centre)
        world.register(learner)
        assert learner.user is not None
        _token, plaintext = create_api_token(user=learner.user, name="race")
        found.append((learner, plaintext))
    return found


def test_fifty_requests_racing_for_ten_places_enrol_ten_and_queue_the_rest_in_order(
    live_server_url,
):
    world = build_world()
    offering = make_offering(world.units["NFE113"], world.term, world.paris, capacity=10)
    clients = learners_with_tokens(world, 50, world.paris)
    url = f"{live_server_url}/api/v1/enrolments"

    answers = race(
        [partial(post, url, token, {"offering": offering.pk}) for _learner, token in clients]
    )

    assert Counter(status for status, _body in answers) == {201: 50}, answers
    statuses = Counter(body["status"] for _status, body in answers)
    assert statuses == {"enrolled": 10, "waitlisted": 40}
    positions = sorted(body["position"] for _s, body in answers if body["status"] == "waitlisted")
    assert positions == list(range(1, 41))
    rows = list(Enrolment.objects.filter(offering=offering).order_by("pk"))
    assert len(rows) == 50
    assert len({row.learner_id for row in rows}) == 50
    enrolled = [row for row in rows if row.status == EnrolmentStatus.ENROLLED]
    waiting = [row for row in rows if row.status == EnrolmentStatus.WAITLISTED]
    assert len(enrolled) == 10
    # First come, first served: every place went before anyone waited, and the queue's
    # order is the order each request was answered with.
    assert max(row.pk for row in enrolled) < min(row.pk for row in waiting)
    answered = {
        body["enrolment"]["id"]: body["position"]
        for _s, body in answers
        if body["status"] == "waitlisted"
    }
    assert [answered[row.pk] for row in waiting] == list(range(1, 41))
    assert verify_chain() is None


def test_repeated_requests_with_the_same_key_enrol_once_under_concurrency(
    live_server_url,
):
    world = build_world()
    offering = make_offering(world.units["NFE113"], world.term, world.paris, capacity=4)
    clients = learners_with_tokens(world, 10, world.paris)
    url = f"{live_server_url}/api/v1/enrolments"
    calls = [
        partial(post, url, token, {"offering": offering.pk}, f"key-{learner.number}")
        for learner, token in clients
        for _repeat in range(5)
    ]

    answers = race(calls)

    assert Counter(status for status, _body in answers) == {201: 50}, answers
    rows = list(Enrolment.objects.filter(offering=offering))
    assert len(rows) == 10
    assert Counter(row.status for row in rows) == {"enrolled": 4, "waitlisted": 6}
    by_learner: dict[str, set[int]] = {}
    for _status, body in answers:
        by_learner.setdefault(body["enrolment"]["learner"], set()).add(body["enrolment"]["id"])
    assert all(len(ids) == 1 for ids in by_learner.values())
    assert len(by_learner) == 10
    assert sum(not body["replayed"] for _status, body in answers) == 10


def test_a_learner_racing_into_two_offerings_of_one_unit_gets_one(live_server_url):
    world = build_world()
    lyon_again = make_centre("marseille", "Marseille", "regional")
    first = make_offering(world.units["NFE113"], world.term, world.paris)
    second = make_offering(world.units["NFE113"], world.term, lyon_again)
    clients = learners_with_tokens(world, 25, world.paris)
    url = f"{live_server_url}/api/v1/enrolments"
    calls = [
        partial(post, url, token, {"offering": offering.pk})
        for _learner, token in clients
        for offering in (first, second)
    ]

    answers = race(calls)

    assert Counter(status for status, _body in answers) == {201: 25, 409: 25}, answers
    for status, body in answers:
        if status == 409:
            assert "already enrolled in NFE113" in body["errors"]["offering"][0]
    active = Enrolment.objects.filter(unit=world.units["NFE113"], status__in=["enrolled"])
    assert active.count() == 25
    assert active.values("learner").distinct().count() == 25
