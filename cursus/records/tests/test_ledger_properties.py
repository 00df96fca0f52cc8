"""The ledger is a function of the events: properties over random event sequences."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cursus.records.ledger import PASS_GRADE, Fact, ResultFact, ValidationFact, fact_of, replay

LEARNERS = [1, 2]
UNITS = ["NFA008", "NSY103"]
SOURCES = ["ves", "vae", "dispense", "equivalence", "transfer"]
grades = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=2000).map(lambda n: Decimal(n) / 100),
)
days = st.integers(min_value=0, max_value=4000).map(lambda n: date(2010, 1, 1) + timedelta(n))


@st.composite
def histories(draw: st.DrawFn) -> list[Fact]:
    """Return facts as the actions write them: new results and validations, then changes."""
    facts: list[Fact] = []
    results: dict[int, ResultFact] = {}
    validations: dict[int, ValidationFact] = {}
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        move = draw(st.sampled_from(["result", "result", "validation", "correct", "revoke"]))
        learner, unit = draw(st.sampled_from(LEARNERS)), draw(st.sampled_from(UNITS))
        if move == "result" or (move == "correct" and not results):
            result = ResultFact(len(results) + 1, learner, unit, draw(grades), draw(days), "paris")
            results[result.result_id] = result
            fact: Fact = result
        elif move == "correct":
            old = results[draw(st.sampled_from(sorted(results)))]
            result = ResultFact(
                old.result_id, old.learner_id, old.unit, draw(grades), old.on, old.centre
            )
            results[result.result_id] = result
            fact = result
        elif move == "validation" or not validations:
            fact = ValidationFact(
                len(validations) + 1,
                learner,
                unit,
                draw(st.sampled_from(SOURCES)),
                draw(days),
                "lyon",
                True,
            )
            validations[fact.validation_id] = fact
        else:
            old_v = validations[draw(st.sampled_from(sorted(validations)))]
            fact = ValidationFact(
                old_v.validation_id,
                old_v.learner_id,
                old_v.unit,
                old_v.source,
                old_v.on,
                old_v.centre,
                False,
            )
            validations[fact.validation_id] = fact
        facts.append(fact)
    return facts


def _identity(fact: Fact) -> tuple[str, int]:
    return ("r", fact.result_id) if isinstance(fact, ResultFact) else ("v", fact.validation_id)


@given(histories(), st.randoms())
def test_replay_depends_only_on_each_objects_own_order(facts, random):
    """Interleave the histories of different results and validations anyhow: same ledger."""
    streams: dict[tuple[str, int], list[Fact]] = {}
    for fact in facts:
        streams.setdefault(_identity(fact), []).append(fact)
    shuffled: list[Fact] = []
    queues = [list(stream) for stream in streams.values()]
    while queues:
        queue = random.choice(queues)
        shuffled.append(queue.pop(0))
        queues = [q for q in queues if q]
    assert replay(shuffled) == replay(facts)


@given(histories())
def test_best_passed_attempt_gives_the_grade(facts):
    ledger = replay(facts)
    final: dict[tuple[str, int], Fact] = {_identity(f): f for f in facts}
    for learner in LEARNERS:
        for unit in UNITS:
            passed = [
                f.grade
                for f in final.values()
                if isinstance(f, ResultFact)
                and (f.learner_id, f.unit) == (learner, unit)
                and f.grade is not None
                and f.grade >= PASS_GRADE
            ]
            granted = [
                f
                for f in final.values()
                if isinstance(f, ValidationFact)
                and (f.learner_id, f.unit) == (learner, unit)
                and f.active
            ]
            entry = ledger.get((learner, unit))
            if passed:
                assert entry is not None
                assert entry.grade == max(passed)
                assert entry.source == "exam"
            elif granted:
                assert entry is not None
                assert entry.grade is None
                assert entry.source in SOURCES
            else:
                assert entry is None


@given(histories())
def test_no_event_loses_an_acquisition_unless_it_corrects_or_revokes_its_basis(facts):
    seen: set[tuple[str, int]] = set()
    before = replay([])
    for index, fact in enumerate(facts):
        after = replay(facts[: index + 1])
        for key, entry in before.items():
            if key in after:
                continue
            # Only a change to an object already in the log may take a unit away, and
            # only a change to that very unit's result or validation.
            assert _identity(fact) in seen
            assert (fact.learner_id, fact.unit) == key
            assert entry is not None
        seen.add(_identity(fact))
        before = after


@given(histories())
def test_new_results_and_validations_never_lose_a_unit(facts):
    """A retake, a failure or a new decision adds to the ledger and takes nothing from it."""
    seen: set[tuple[str, int]] = set()
    for index, fact in enumerate(facts):
        if _identity(fact) not in seen:
            before, after = replay(facts[:index]), replay(facts[: index + 1])
            assert set(before) <= set(after)
            for key in before:
                old, new = before[key].grade, after[key].grade
                assert old is None or (new is not None and new >= old)
        seen.add(_identity(fact))


@given(histories(), st.sampled_from(LEARNERS), st.sampled_from(UNITS))
def test_replaying_one_units_events_gives_its_entry(facts, learner, unit):
    """What the actions do: replay a (learner, unit)'s facts alone to refresh its row."""
    own = [f for f in facts if (f.learner_id, f.unit) == (learner, unit)]
    assert replay(own).get((learner, unit)) == replay(facts).get((learner, unit))


@settings(max_examples=50)
@given(histories())
def test_facts_survive_the_round_trip_through_event_data(facts):
    events = []
    for fact in facts:
        if isinstance(fact, ResultFact):
            kind = "records.result_published"
            data = {
                "learner": fact.learner_id,
                "unit": fact.unit,
                "grade": None if fact.grade is None else f"{fact.grade:.2f}",
                "date": fact.on.isoformat(),
                "centre": fact.centre,
            }
            events.append((kind, str(fact.result_id), data))
        else:
            kind = "records.validation_granted" if fact.active else "records.validation_revoked"
            data = {
                "learner": fact.learner_id,
                "unit": fact.unit,
                "source": fact.source,
                "date": fact.on.isoformat(),
                "centre": fact.centre,
            }
            events.append((kind, str(fact.validation_id), data))
    assert [fact_of(*event) for event in events] == facts
    assert fact_of("records.result_recorded", "1", {}) is None
