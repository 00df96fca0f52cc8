"""The queries of the enrolment API's lists are pinned, and stay the same when the rows double."""

from datetime import time

import pytest

from cursus.enrolment import actions
from cursus.enrolment.tests.fixtures import build_world, make_learner, make_offering

pytestmark = pytest.mark.django_db

API = "/api/v1"


def add_rows(world, batch: int) -> None:
    """Add learners, enrolments in several offerings (some waiting), agreements and contracts."""
    units = list(world.units.values())
    offerings = [
        make_offering(
            units[n + 1],
            world.term,
            world.lyon if n % 2 else world.paris,
            capacity=1,
            section=f"b{batch}-{n}",
            slots=((n % 5, time(18), time(21)),),
        )
        for n in range(3)
    ]
    for offering in offerings:
        offering.teachers.add(world.teacher)
    # Bob takes more units: the learner lists grow with each batch.
    extra = make_offering(
        units[batch + 1],
        world.term,
        world.paris,
        section=f"bob-{batch}",
        slots=((5, time(9), time(12)),),
    )
    actions.enrol(actor=world.registrar, learner=world.bob, offering=extra)
    for n in range(3):
        learner = make_learner(f"A-{batch}{n:06d}", world.paris)
        world.register(learner)
        for offering in [world.evening, *offerings[: n + 1]]:
            actions.enrol(actor=world.registrar, learner=learner, offering=offering)
        world.signed_agreement(learner, offerings[0])
        contract = actions.create_contract(
            actor=world.registrar,
            learner=learner,
            offerings=[offerings[0]],
            title="T",
            objective="O",
            content="C",
            assessment="A",
            hours=10,
        )
        actions.sign_contract(actor=world.registrar, contract=contract)


@pytest.mark.parametrize(
    ("who", "path", "queries"),
    [
        ("registrar", "/registrations", 7),
        ("bob", "/me/enrolments", 7),
        ("registrar", "/learners/A-0000002/enrolments", 7),
        ("bob", "/me/timetable?term=2025-S1", 9),
        ("registrar", "/agreements", 8),
        ("contact", "/agreements", 8),
        ("registrar", "/contracts", 7),
        ("teacher", "/offerings/{roster}/roster", 7),
        ("registrar", "/fee-statements?year=2025&payer=employer&employer=73282932000074", 8),
        ("registrar", "/tariffs?year=2025", 2),
    ],
)
def test_list_endpoints_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, who, path, queries
):
    world = build_world()
    user = world.bob.user if who == "bob" else getattr(world, who)
    client.force_login(user)
    sizes = []
    for batch in (1, 2):
        add_rows(world, batch)
        address = path.format(roster=world.evening.pk)
        with django_assert_num_queries(queries):
            answer = client.get(f"{API}{address}")
        assert answer.status_code == 200, answer.json()
        sizes.append(_size(answer.json()))

    if "tariffs" not in path:
        assert sizes[1] > sizes[0]


def _size(body):
    """Return how many rows an answer lists, whatever its shape."""
    if isinstance(body, list):
        return len(body)
    for key in ("items", "lines", "entries", "enrolled"):
        if key in body:
            return len(body[key]) + len(body.get("waitlist", []))
    raise AssertionError(body)
