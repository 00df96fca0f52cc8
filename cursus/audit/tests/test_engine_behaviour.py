"""The engine's promises, case by case, through ``evaluate``."""

import textwrap

import pytest

from cursus.audit.engine import (
    MilestoneEntry,
    Record,
    Status,
    UnitEntry,
    compile_diploma,
    evaluate,
    holdings,
    parse_rules,
    remaining,
    unit_codes,
    unknown_units,
)


def rules(text):
    return parse_rules(textwrap.dedent(text), file="test.yaml")


def unit(code, ects=6.0, grade=12.0, source="exam", department=None):
    if source != "exam" and grade == 12.0:
        grade = None
    return UnitEntry(code=code, ects=ects, grade=grade, source=source, department=department)


def record(*units, milestones=()):
    return Record(units=tuple(units), milestones=tuple(milestones))


def test_unit_that_fits_two_places_goes_to_the_one_only_it_can_fill():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: first, any: [{unit: NFA008}, {unit: NFA011}]}
            - {label: second, unit: NFA008}
    """)
    result = evaluate(diploma, record(unit("NFA008"), unit("NFA011", 4)))
    assert result.satisfied
    assert result.assignment == {"NFA008": "second", "NFA011": "requires/all[0]/any[1]"}


def test_unit_counts_in_one_place_only():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: database, unit: NFA008}
            - {label: pool, credits: 6, from: {units: [NFA008, NFA011]}}
    """)
    result = evaluate(diploma, record(unit("NFA008")))
    assert not result.satisfied
    assert result.assignment == {"NFA008": "database"}
    assert [m.node for m in result.missing] == ["pool"]


def test_credits_pool_with_max_units_takes_the_two_six_ects_units():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: systems, unit: NSY103}
            - label: pool
              credits: 12
              max_units: 2
              from: {department: informatique}
    """)
    learner = record(
        unit("NSY103", department="informatique"),
        unit("NFA011", 4, department="informatique"),
        unit("NFA003", 4, department="informatique"),
        unit("NSY107", department="informatique"),
        unit("RSX101", department="informatique"),
    )
    result = evaluate(diploma, learner)
    assert result.satisfied
    assert result.assignment == {"NSY103": "systems", "NSY107": "pool", "RSX101": "pool"}
    assert result.ects == 18


def test_credits_pool_with_max_units_is_not_met_by_many_small_units():
    diploma = rules("""
        code: T
        version: 1
        requires: {label: pool, credits: 12, max_units: 2, from: {prefix: NFA}}
    """)
    result = evaluate(diploma, record(unit("NFA011", 4), unit("NFA003", 4), unit("NFA004", 4)))
    assert not result.satisfied
    assert (
        result.missing[0].text()
        == "4 more ECTS needed from units starting with NFA (at most 2 units); 8 of 12 ECTS so far"
    )


def test_two_pools_that_accept_the_same_unit_share_the_units_out():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: broad, credits: 6, from: {units: [NSY103, NSY107]}}
            - {label: narrow, credits: 6, from: {units: [NSY103]}}
    """)
    result = evaluate(diploma, record(unit("NSY103"), unit("NSY107")))
    assert result.satisfied
    assert result.assignment == {"NSY103": "narrow", "NSY107": "broad"}
    assert not evaluate(diploma, record(unit("NSY103"))).satisfied


def test_validated_units_short_of_the_course_share_leave_the_diploma_unmet():
    diploma = rules("""
        code: T
        version: 1
        min_course_share: 0.2
        requires: {all: [{unit: NSY103}, {unit: NSY107}, {unit: RSX101}, {unit: NFA011}]}
    """)
    learner = record(
        unit("NSY103", source="ves"),
        unit("NSY107", source="ves"),
        unit("RSX101", source="vae"),
        unit("NFA011", 4),
    )
    result = evaluate(diploma, learner)
    assert not result.satisfied
    assert result.tree().status is Status.MET
    assert [m.node for m in result.missing] == ["min_course_share"]
    assert result.missing[0].text() == (
        "At least 20% of the ECTS counted must be earned by examination: 4 of 22 ECTS are (18.18%)"
    )
    assert result.missing[0].text("fr") == (
        "Au moins 20 % des ECTS comptés doivent être obtenus par examen : "
        "4 ECTS sur 22 le sont (18,18 %)"
    )


def test_course_share_prefers_examined_units_where_a_pool_can_choose():
    diploma = rules("""
        code: T
        version: 1
        min_course_share: 0.5
        requires: {label: pool, credits: 12, from: any}
    """)
    learner = record(unit("NSY103", source="ves"), unit("NSY107", source="ves"), unit("RSX101"))
    result = evaluate(diploma, learner)
    assert result.satisfied
    assert "RSX101" in result.assignment
    assert len(result.assignment) == 2
    assert result.course_share == 0.5


def test_course_share_may_count_an_examined_unit_of_an_option_not_needed():
    # Every unit the rules accept may be counted: the examined NFE106 lifts the share.
    diploma = rules("""
        code: T
        version: 1
        min_course_share: 0.5
        requires: {any: [{unit: NFE113}, {unit: NFE106}], label: design}
    """)
    learner = record(unit("NFE113", source="ves"), unit("NFE106"))
    result = evaluate(diploma, learner)
    assert result.satisfied
    assert result.assignment["NFE106"] == "requires/any[1]"
    assert result.course_share is not None
    assert result.course_share >= 0.5


def test_equivalent_unit_counts_for_the_unit_it_replaces():
    diploma = rules("""
        code: T
        version: 1
        equivalences:
          NFP107: [NFE113]
        requires: {all: [{label: databases, unit: NFP107}, {label: design, unit: NFE106}]}
    """)
    result = evaluate(diploma, record(unit("NFE113"), unit("NFE106")))
    assert result.satisfied
    assert result.assignment == {"NFE106": "design", "NFE113": "databases"}


def test_equivalent_unit_counts_in_a_pool_that_names_the_unit_it_replaces():
    diploma = rules("""
        code: T
        version: 1
        equivalences: {NFP107: NFE113}
        requires: {label: pool, credits: 6, from: {units: [NFP107]}}
    """)
    assert evaluate(diploma, record(unit("NFE113"))).satisfied


def test_missing_unit_names_its_equivalents():
    diploma = rules("""
        code: T
        version: 1
        equivalences: {NFP107: [NFE113]}
        requires: {label: databases, unit: NFP107}
    """)
    result = evaluate(diploma, record())
    assert result.missing[0].text() == "NFP107 (or NFE113) is still needed"
    assert result.missing[0].text("fr") == "Il manque encore NFP107 (ou NFE113)"


def test_min_grade_refuses_a_unit_validated_without_grade():
    diploma = rules("""
        code: T
        version: 1
        requires: {label: databases, unit: NFA008, min_grade: 12}
    """)
    result = evaluate(diploma, record(unit("NFA008", source="ves")))
    assert not result.satisfied
    assert result.missing[0].text() == (
        "NFA008 needs a grade of at least 12; it was validated without a grade"
    )


def test_min_grade_is_read_on_the_best_attempt():
    diploma = rules("""
        code: T
        version: 1
        requires: {label: databases, unit: NFA008, min_grade: 12}
    """)
    assert evaluate(diploma, record(unit("NFA008", grade=11), unit("NFA008", grade=13))).satisfied
    low = evaluate(diploma, record(unit("NFA008", grade=11), unit("NFA008", grade=10.5)))
    assert not low.satisfied
    assert (
        low.missing[0].text("fr")
        == "NFA008 doit être obtenue avec au moins 12 ; meilleure note : 11"
    )


def test_failed_attempts_acquire_nothing():
    diploma = rules("""
        code: T
        version: 1
        requires: {label: databases, unit: NFA008}
    """)
    result = evaluate(diploma, record(unit("NFA008", grade=8), unit("NFA008", grade=9.5)))
    assert not result.satisfied
    assert result.assignment == {}
    assert result.missing[0].text() == "NFA008 is still needed"
    assert result.missing[0].text("fr") == "Il manque encore NFA008"


def test_best_grade_wins_among_attempts():
    held = holdings(
        record(unit("NFA008", grade=8), unit("NFA008", grade=14), unit("NFA008", grade=11))
    )
    (acquisition,) = held.acquisitions
    assert acquisition.grade == 14
    assert acquisition.assessed


def test_shared_subtree_counts_units_counted_elsewhere():
    text = """
        code: T
        version: 1
        requires:
          all:
            - {label: systems, unit: NSY103}
            - {label: cloud, unit: NSY107}
            - {label: informatics, credits: 12, from: {department: informatique}%s}
    """
    learner = record(
        unit("NSY103", department="informatique"), unit("NSY107", department="informatique")
    )
    shared = evaluate(rules(text % ", shared: true"), learner)
    assert shared.satisfied
    assert shared.assignment == {"NSY103": "systems", "NSY107": "cloud"}
    assert shared.tree().children[2].units == ("NSY103", "NSY107")
    assert not evaluate(rules(text % ""), learner).satisfied


def test_units_counted_only_in_a_shared_subtree_appear_in_the_assignment():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: systems, unit: NSY103}
            - {label: breadth, shared: true, credits: 6, from: {prefix: RSX}}
    """)
    result = evaluate(diploma, record(unit("NSY103"), unit("RSX101")))
    assert result.satisfied
    assert result.assignment == {"NSY103": "systems", "RSX101": "breadth"}
    assert result.ects == 12


def test_choose_over_nested_groups_finds_the_groups_that_can_be_met_together():
    diploma = rules("""
        code: T
        version: 1
        requires:
          label: themes
          choose: 2
          from:
            - {label: data, all: [{unit: NFA008}, {unit: NFE113}]}
            - {label: systems, any: [{unit: NSY103}, {unit: NFE113}]}
            - {label: pool, credits: 6, from: {units: [NFA008, RSX101]}}
    """)
    # Data takes NFA008 and NFE113; systems must then use NSY103, not NFE113.
    result = evaluate(diploma, record(unit("NFA008"), unit("NFE113"), unit("NSY103")))
    assert result.satisfied
    assert result.assignment == {
        "NFA008": "requires/choose[0]/all[0]",
        "NFE113": "requires/choose[0]/all[1]",
        "NSY103": "requires/choose[1]/any[0]",
    }
    assert [c.status for c in result.tree().children] == [Status.MET, Status.MET, Status.NOT_MET]
    # Without NSY103, NFE113 can serve systems and RSX101 the pool.
    assert evaluate(diploma, record(unit("NFE113"), unit("RSX101"))).satisfied
    # One unit cannot meet two groups.
    assert not evaluate(diploma, record(unit("NFE113"))).satisfied


def test_experience_milestone_sums_the_entries():
    diploma = rules("""
        code: T
        version: 1
        requires: {label: experience, milestone: experience, years: 3, in_field_years: 2}
    """)
    two = [
        MilestoneEntry(kind="experience", years=2, in_field_years=1),
        MilestoneEntry(kind="experience", years=1.5, in_field_years=1),
    ]
    assert evaluate(diploma, record(milestones=two)).satisfied
    short = evaluate(diploma, record(milestones=two[:1]))
    assert not short.satisfied
    assert short.missing[0].text() == (
        "Still needed: 3 years of professional experience, 2 of them in the field "
        "(recorded: 2 years, 1 in the field)"
    )
    assert short.missing[0].text("fr") == (
        "Il faut encore 3 ans d'expérience professionnelle, dont 2 ans dans le domaine "
        "(déclarée : 2 ans, dont 1 dans le domaine)"
    )


def test_language_milestone_accepts_a_higher_level_only():
    diploma = rules("""
        code: T
        version: 1
        requires: {label: english, milestone: language, language: en, level: B2}
    """)
    c1 = MilestoneEntry(kind="language", language="en", level="C1")
    b1 = MilestoneEntry(kind="language", language="en", level="B1")
    de = MilestoneEntry(kind="language", language="de", level="C2")
    assert evaluate(diploma, record(milestones=[c1])).satisfied
    result = evaluate(diploma, record(milestones=[b1, de]))
    assert not result.satisfied
    assert result.missing[0].text() == "Still needed: English at level B2 or higher (recorded: B1)"
    assert result.missing[0].text("fr") == (
        "Il faut encore un niveau B2 ou plus en anglais (niveau déclaré : B1)"
    )


def test_other_milestones_need_an_entry_of_their_kind():
    diploma = rules("""
        code: T
        version: 1
        requires: {all: [{label: thesis, milestone: thesis}, {label: jury, milestone: admission}]}
    """)
    result = evaluate(diploma, record(milestones=[MilestoneEntry(kind="thesis")]))
    assert not result.satisfied
    assert [(m.node, m.text()) for m in result.missing] == [
        ("jury", "Still needed: the admission decision")
    ]


def test_unmet_diploma_shows_the_assignment_that_makes_most_progress():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: databases, unit: NFA008}
            - {label: pool, credits: 12, from: {units: [NFA008, NFA011, NFE106]}}
            - {label: cloud, unit: NSY107}
    """)
    result = evaluate(diploma, record(unit("NFA008"), unit("NFE106")))
    assert not result.satisfied
    assert result.assignment == {"NFA008": "databases", "NFE106": "pool"}
    assert [(m.node, m.text()) for m in result.missing] == [
        ("pool", "6 more ECTS needed from NFA008, NFA011 or NFE106; 6 of 12 ECTS so far"),
        ("cloud", "NSY107 is still needed"),
    ]
    assert result.missing[0].text("fr") == (
        "Encore 6 ECTS à obtenir parmi NFA008, NFA011 ou NFE106 ; 6 ECTS sur 12 pour l'instant"
    )


def test_unit_held_but_counted_elsewhere_is_explained():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: design, any: [{unit: NFE113}, {unit: NFE106}]}
            - {label: administration, unit: NFE113}
    """)
    result = evaluate(diploma, record(unit("NFE113")))
    assert not result.satisfied
    assert result.assignment == {"NFE113": "requires/all[0]/any[0]"}
    assert [(m.node, m.text()) for m in result.missing] == [
        (
            "administration",
            (
                "NFE113 is still needed here: the NFE113 held already counts for "
                "“requires/all[0]/any[0]”"
            ),
        )
    ]
    assert result.missing[0].text("fr") == (
        "Il manque encore NFE113 ici : NFE113 détenue compte déjà pour « requires/all[0]/any[0] »"
    )


def test_choice_lists_the_options_still_open():
    diploma = rules("""
        code: T
        version: 1
        requires:
          label: themes
          choose: 2
          from:
            - {unit: NSY103, title: {fr: Systèmes, en: Systems}}
            - {unit: RSX101, title: {fr: Réseaux, en: Networks}}
            - {unit: NFP121}
    """)
    result = evaluate(diploma, record(unit("RSX101")))
    assert [(m.node, m.text()) for m in result.missing] == [
        ("themes", "1 more of these is needed: Systems; NFP121")
    ]
    assert result.missing[0].text("fr") == "Il faut encore 1 élément parmi : Systèmes ; NFP121"


def test_progress_reads_in_both_languages():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: pool, credits: 18, from: {prefix: NS}}
            - {label: themes, choose: 2, from: [{unit: RSX101}, {unit: NFP121}, {unit: SEC101}]}
    """)
    tree = evaluate(diploma, record(unit("NSY103"), unit("NSY107"), unit("RSX101"))).tree()
    pool, themes = tree.children
    assert pool.status is Status.PARTLY_MET
    assert pool.progress() == "12 of 18 ECTS"
    assert pool.progress("fr") == "12 ECTS sur 18"
    assert themes.progress() == "1 of 2 groups met"
    assert tree.progress() == "0 of 2 parts met"
    assert tree.status is Status.PARTLY_MET
    assert pool.units == ("NSY103", "NSY107")


def test_unlabelled_nodes_are_named_by_their_path():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {unit: NFA008}
            - any:
                - {unit: NFE113}
                - choose: 1
                  from: [{unit: NFE106}, {credits: 6, from: {prefix: NSY}}]
    """)
    result = evaluate(diploma, record(unit("NFA008"), unit("NSY103")))
    assert result.satisfied
    assert result.assignment == {
        "NFA008": "requires/all[0]",
        "NSY103": "requires/all[1]/any[1]/choose[1]",
    }


def test_remaining_ranks_the_closer_diploma_first():
    near = rules("""
        code: NEAR
        version: 1
        requires: {all: [{unit: NFA008}, {unit: NSY103}]}
    """)
    far = rules("""
        code: FAR
        version: 1
        requires: {all: [{unit: NFA008}, {credits: 30, from: {prefix: RSX}}, {milestone: thesis}]}
    """)
    learner = record(unit("NFA008"))
    assert remaining(near, learner) < remaining(far, learner)
    assert remaining(near, learner, {"NSY103": 6}).ects == 6
    assert remaining(far, learner).units == 5
    assert remaining(far, learner).milestones == 1
    assert remaining(near, record(unit("NFA008"), unit("NSY103"))).ects == 0


def test_unit_codes_and_unknown_units_read_every_code_named():
    diploma = rules("""
        code: T
        version: 1
        equivalences: {NFP107: [NFE113]}
        requires:
          all:
            - {unit: NFA008}
            - {credits: 6, from: {units: [NSY103, NSY107], exclude: [RSX101]}}
    """)
    assert unit_codes(diploma) == {"NFP107", "NFE113", "NFA008", "NSY103", "NSY107", "RSX101"}
    missing = unknown_units(diploma, {"NFA008", "NSY103", "NFP107", "RSX101"})
    assert [(ref.code, ref.line) for ref in missing] == [("NFE113", 4), ("NSY107", 8)]


def test_compiled_diploma_says_whether_a_unit_could_count():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {unit: NFA008}
            - {credits: 6, from: {department: mathematiques}}
    """)
    compiled = compile_diploma(diploma)
    assert compiled.accepts("NFA008")
    assert compiled.accepts("STA001", "mathematiques")
    assert not compiled.accepts("STA001", "informatique")


def test_same_audit_twice_shows_the_same_assignment():
    diploma = rules("""
        code: T
        version: 1
        requires:
          all:
            - {label: a, credits: 6, from: {prefix: NS}}
            - {label: b, credits: 6, from: {prefix: NS}}
    """)
    learner = record(unit("NSY103"), unit("NSY107"), unit("NSY115"))
    first = evaluate(diploma, learner)
    assert first.satisfied
    assert all(evaluate(diploma, learner).assignment == first.assignment for _ in range(5))


@pytest.mark.parametrize("lang", ["de", "FR", ""])
def test_texts_refuse_other_languages(lang):
    diploma = rules("""
        code: T
        version: 1
        requires: {unit: NFA008}
    """)
    with pytest.raises(ValueError, match="language"):
        evaluate(diploma, record()).missing[0].text(lang)
