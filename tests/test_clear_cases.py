"""The ten clear cases of the spec (docs: shared/spec/fact-files.md, section 3).

Every test uses a small fact file of its own and pairs the clear case with its
near miss, so that it fails both when the rule implementing the case is
removed and when the rule fires where the case says it must not.
"""

from __future__ import annotations

import random

import pytest
import yaml

SC = "security_community"
BOP = "balance_of_power"
BOTH = (BOP, SC)

HEAD = """\
schema: 1
region: R
"""

# Three distinct SC kinds (the threshold of case 1), among a placeholder unit.
SC3 = """\
  - {{kind: consultation, among: {u}{extra}}}
  - {{kind: unfortified_border, among: {u}{extra}}}
  - {{kind: self_restraint, among: {u}{extra}}}
"""


def sc3(unit: str, extra: str = "") -> str:
    """Three rooted SC practices among ``unit`` (``extra`` is appended to each entry's mapping)."""
    return SC3.format(u=unit, extra=extra)


def row(d, mechanism, unit, period=None, **slice_):
    """The one mechanism row of ``unit``/``period``/slice, or None."""
    want = {"sector": None, "agency": None, "issue": None, **slice_}
    found = [r for r in d.mechanisms if (r.mechanism, r.unit, r.period) == (mechanism, unit, period)
             and all(getattr(r, k) == v for k, v in want.items())]
    assert len(found) <= 1, found
    return found[0] if found else None


def status(d, mechanism, unit, period=None, **slice_):
    r = row(d, mechanism, unit, period, **slice_)
    return None if r is None else r.status


def rows_of(d, mechanism, unit, period=None):
    """Every row (all slices) of a unit's mechanism in a period."""
    return [r for r in d.mechanisms if (r.mechanism, r.unit, r.period) == (mechanism, unit, period)]


def overlaps(d, type_=None):
    return [o for o in d.overlaps if type_ in (None, o.type)]


# --------------------------------------------------------------------------------------------
# Case 1: SC active
# --------------------------------------------------------------------------------------------

def test_case_1_sc_active_with_three_rooted_kinds(diagnose_yaml):
    """Case 1: three distinct SC kinds, rooted, covering the unit, no war -> SC active."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {id: c1, kind: consultation, among: [A, B, C]}
  - {id: u1, kind: unfortified_border, among: [A, B, C]}
  - {id: s1, kind: self_restraint, among: [A, B, C]}
""")
    r = row(d, SC, "region")
    assert r.status == "active"
    assert "sc_active" in r.rules
    assert {"c1", "u1", "s1"} <= set(r.facts)


def test_case_1_sc_two_kinds_not_evident_names_what_is_missing(diagnose_yaml):
    """Case 1 near miss: two SC kinds are not enough; the row says what is missing."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {kind: consultation, among: [A, B, C]}
  - {kind: unfortified_border, among: [A, B, C]}
""")
    r = row(d, SC, "region")
    assert r.status == "not_evident"
    assert "2 of the 3 SC kinds needed: consultation, unfortified_border" in r.explanation
    assert "sc_not_evident" in r.rules


def test_case_1_same_kind_twice_counts_once(diagnose_yaml):
    """Case 1: *distinct* kinds: a second consultation entry is not a third kind."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
consultation_norms:
  - {among: [A, B, C]}
practices:
  - {kind: consultation, among: [A, B, C]}
  - {kind: unfortified_border, among: [A, B, C]}
""")
    assert status(d, SC, "region") == "not_evident"


def test_case_1_multilateral_consultation_norm_gives_two_kinds(diagnose_yaml):
    """Case 1 with the spec's section 2: `multilateral: true` contributes two kinds (3 in all here)."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
consultation_norms:
  - {among: [A, B, C], multilateral: true}
unfortified_borders:
  - {among: [A, B, C]}
""")
    assert status(d, SC, "region") == "active"
    assert "consultation, multilateral_decision_making, unfortified_border" in row(d, SC, "region").explanation


def test_case_1_unrooted_kind_does_not_count(diagnose_yaml):
    """Case 1: each kind must be backed by a rooted entry; an unrooted third kind does not count."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {kind: consultation, among: [A, B, C]}
  - {kind: unfortified_border, among: [A, B, C]}
  - {kind: self_restraint, among: [A, B, C], rooted: ROOTED}
"""
    assert status(diagnose_yaml(base.replace("ROOTED", "true")), SC, "region") == "active"
    assert status(diagnose_yaml(base.replace("ROOTED", "false")), SC, "region") != "active"
    # A kind counts as rooted when one of its entries is.
    both = base.replace("ROOTED", "false") + "  - {kind: self_restraint, among: [A, B, C]}\n"
    assert status(diagnose_yaml(both), SC, "region") == "active"


def test_case_1_practices_must_cover_the_unit(diagnose_yaml):
    """Case 1: only practices whose actors cover the whole unit count (a dyad inside is covered)."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {kind: consultation, among: [A, B, C]}
  - {kind: unfortified_border, among: [A, B, C]}
  - {kind: self_restraint, between: [A, B]}
""")
    assert status(d, SC, "region") == "not_evident"
    assert "2 of the 3 SC kinds needed: consultation, unfortified_border" in row(d, SC, "region").explanation
    assert status(d, SC, "dyad:A-B") == "active"  # covered by all three


@pytest.mark.parametrize("level", ["war", "armed_conflict"])
def test_case_1_war_leaves_no_row_of_the_unit_active(diagnose_yaml, level):
    """Case 1: a war counts in every sector, agency and issue row: no row of a unit at war shows SC active."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
practices:
""" + sc3("[A, B, C]", ", sector: political, agency: foreign, issue: terrorism")
    slices = [{}, {"sector": "political"}, {"agency": "foreign"}, {"issue": "terrorism"}]
    peace = diagnose_yaml(base)
    for s in slices:
        assert status(peace, SC, "region", **s) == "active", s
    war = diagnose_yaml(base + f"wars:\n  - {{id: w, between: [A, B], level: {level}}}\n")
    rows = rows_of(war, SC, "region")
    assert len(rows) == 4
    assert all(r.status != "active" for r in rows)
    assert not any(r.status == "active" for r in war.mechanisms if r.mechanism == SC and r.unit == "dyad:A-B")
    assert overlaps(war, "functional") == []


def test_case_1_war_outside_the_unit_or_period_or_a_crisis_does_not_block_sc(diagnose_yaml):
    """Case 1: only war or armed conflict between two of *its* states *in that period* blocks SC."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc3("G") + """\
wars:
  - {between: [C, D], level: war, period: p1}
  - {between: [A, B], level: war, period: p2}
  - {between: [A, C], level: crisis, period: p1}
""")
    assert status(d, SC, "group:G", "p1") == "active"  # war with an outsider, a crisis inside
    assert status(d, SC, "group:G", "p2") != "active"  # war inside


# --------------------------------------------------------------------------------------------
# Case 2: SC broken down
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["war", "armed_conflict"])
def test_case_2_sc_broken_down_takes_precedence_over_formal_only(diagnose_yaml, level):
    """Case 2: SC active in the previous period, war now -> broken_down (not formal_only, never active)."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc3("[A, B, C]") + f"""\
wars:
  - {{id: w, between: [A, B], level: {level}, period: p2}}
""")
    assert status(d, SC, "region", "p1") == "active"
    r = row(d, SC, "region", "p2")
    assert r.status == "broken_down"  # SC practices alongside war would otherwise be formal_only
    assert "sc_broken_down" in r.rules
    assert "w" in r.facts
    assert "p1" in r.explanation
    assert status(d, SC, "dyad:A-B", "p2") == "broken_down"


def test_case_2_breakdown_without_current_sc_practices(diagnose_yaml):
    """Case 2: it is the previous period's SC that breaks down; the current period needs no SC practice."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc3("[A, B, C]", ", period: p1") + """\
wars:
  - {between: [A, C], level: war, period: p2}
""")
    assert status(d, SC, "region", "p1") == "active"
    assert status(d, SC, "region", "p2") == "broken_down"


def test_case_2_near_miss_previous_period_must_be_the_immediate_one(diagnose_yaml):
    """Case 2 near miss: SC active two periods back, nothing in between -> no breakdown."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}, {id: p3}]
practices:
""" + sc3("[A, B, C]", ", period: p1") + """\
wars:
  - {between: [A, C], level: war, period: p3}
""")
    assert status(d, SC, "region", "p1") == "active"
    assert status(d, SC, "region", "p2") == "not_evident"
    assert status(d, SC, "region", "p3") == "not_evident"


def test_case_2_near_miss_crisis_is_no_breakdown(diagnose_yaml):
    """Case 2 near miss: a `crisis` is not war or armed conflict: SC stays active."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc3("[A, B, C]") + """\
wars:
  - {between: [A, B], level: crisis, period: p2}
""")
    assert status(d, SC, "region", "p2") == "active"


# --------------------------------------------------------------------------------------------
# Case 3: SC formal only
# --------------------------------------------------------------------------------------------

def test_case_3_formal_only_unrooted_practices(diagnose_yaml):
    """Case 3: SC practices that are not rooted -> formal_only (rooted ones would make it active)."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
practices:
""" + sc3("[A, B, C]", ", rooted: ROOTED")
    assert status(diagnose_yaml(base.replace("ROOTED", "true")), SC, "region") == "active"
    r = row(diagnose_yaml(base.replace("ROOTED", "false")), SC, "region")
    assert r.status == "formal_only"
    assert "sc_formal_only_unrooted" in r.rules
    assert "consultation, self_restraint, unfortified_border" in r.explanation


def test_case_3_formal_only_alongside_war_without_previous_sc(diagnose_yaml):
    """Case 3: SC practices alongside a war between its states, SC not active before -> formal_only."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc3("[A, B, C]", ", period: p2") + """\
wars:
  - {id: w, between: [A, B], level: war, period: p2}
""")
    r = row(d, SC, "region", "p2")
    assert r.status == "formal_only"
    assert "sc_formal_only_at_war" in r.rules
    assert "w" in r.facts and "w" in r.explanation


def test_case_3_formal_only_alongside_war_without_periods(diagnose_yaml):
    """Case 3: a file without periods has no previous period: SC practices + war -> formal_only."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
""" + sc3("[A, B, C]") + """\
wars:
  - {between: [B, C], level: armed_conflict}
""")
    assert status(d, SC, "region") == "formal_only"


def test_case_3_near_miss_war_without_sc_practices_is_not_formal_only(diagnose_yaml):
    """Case 3 near miss: war and no SC practice at all -> not_evident, not formal_only."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
wars:
  - {between: [B, C], level: war}
""")
    assert status(d, SC, "region") == "not_evident"


# --------------------------------------------------------------------------------------------
# Case 4: BoP active
# --------------------------------------------------------------------------------------------

def test_case_4_bop_dyad_two_distinct_kinds(diagnose_yaml):
    """Case 4: for a dyad, two distinct BoP kinds between its two states -> BoP active, adversarial."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {id: ar, kind: arms_race, between: [A, B]}
  - {id: cm, kind: capability_monitoring, among: [A, B]}
""")
    r = row(d, BOP, "dyad:A-B")
    assert (r.status, r.variant) == ("active", "adversarial")
    assert "bop_active" in r.rules
    assert {"ar", "cm"} <= set(r.facts)


def test_case_4_bop_dyad_one_kind_or_same_kind_twice_not_evident(diagnose_yaml):
    """Case 4 near miss: one BoP kind (even from two entries) is not a repertoire; the row says so."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {kind: arms_race, between: [A, B]}
  - {kind: arms_race, between: [A, B], sector: military}
""")
    r = row(d, BOP, "dyad:A-B")
    assert r.status == "not_evident"
    assert "1 of the 2 BoP kinds needed: arms_race" in r.explanation
    assert r.variant is None


def test_case_4_bop_dyad_directed_entries_name_the_pair(diagnose_yaml):
    """Case 4: directed entries (by/against) count for each dyad of their by x against pairs."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
deterrence:
  - {by: [A, C], against: B}
practices:
  - {kind: worst_case_planning, by: B, against: A}
""")
    assert status(d, BOP, "dyad:A-B") == "active"
    assert status(d, BOP, "dyad:B-C") == "not_evident"  # deterrence only: one kind
    assert status(d, BOP, "dyad:A-C") is None  # no entry names A-C


@pytest.mark.parametrize("level", ["war", "armed_conflict"])
def test_case_4_bop_dyad_war_alone(diagnose_yaml, level):
    """Case 4: a war or armed conflict between the dyad's states alone makes BoP active."""
    d = diagnose_yaml(HEAD + f"""\
states: {{A: a, B: b, C: c}}
wars:
  - {{id: w, between: [A, B], level: {level}}}
""")
    r = row(d, BOP, "dyad:A-B")
    assert r.status == "active"
    assert "bop_active_by_war" in r.rules and "w" in r.facts
    assert status(d, BOP, "region") == "active"  # a war between two of the region's states


def test_case_4_near_miss_crisis_alone_is_one_kind(diagnose_yaml):
    """Case 4 near miss: a crisis is one BoP kind, not a war: BoP not active on it alone."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
wars:
  - {between: [A, B], level: crisis}
""")
    assert status(d, BOP, "dyad:A-B") == "not_evident"
    assert status(d, BOP, "region") == "not_evident"


def test_case_4_group_outward_practices_do_not_make_members_rivals(diagnose_yaml):
    """Case 4: a group's outward-facing BoP practices count for the group, not for the dyads inside it."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
alliances:
  - {members: G, basis: expediency, against: [D]}
practices:
  - {kind: worst_case_planning, among: G}
  - {kind: confidence_building, between: [A, B]}
""")
    assert status(d, BOP, "group:G") == "active"
    assert status(d, BOP, "dyad:A-B") != "active"
    assert overlaps(d) == []


def test_case_4_alliance_against_an_outsider_makes_no_rivals_of_its_two_members(diagnose_yaml):
    """Case 4: an alliance against outsiders faces outward, even with two members; without `against` it counts."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
alliances:
  - {members: [A, B], basis: expediency AGAINST}
practices:
  - {kind: arms_race, between: [A, B]}
"""
    d = diagnose_yaml(base.replace("AGAINST", ", against: [C]"))
    assert status(d, BOP, "dyad:A-B") == "not_evident"
    assert "1 of the 2 BoP kinds needed: arms_race" in row(d, BOP, "dyad:A-B").explanation
    assert status(diagnose_yaml(base.replace("AGAINST", "")), BOP, "dyad:A-B") == "active"


def test_case_4_bop_larger_unit_by_covering_practices(diagnose_yaml):
    """Case 4: for a larger unit, two distinct BoP kinds in practices that cover the unit."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
  - {kind: worst_case_planning, among: G}
  - {kind: capability_monitoring, among: ACTORS}
"""
    assert status(diagnose_yaml(base.replace("ACTORS", "[A, B, C, D]")), BOP, "group:G") == "active"
    # Near miss: the second kind does not cover G (C is missing).
    d = diagnose_yaml(base.replace("ACTORS", "[A, B, D]"))
    assert status(d, BOP, "group:G") == "not_evident"
    assert "1 of the 2 BoP kinds needed: worst_case_planning" in row(d, BOP, "group:G").explanation


def test_case_4_bop_larger_unit_by_war_between_two_of_its_states(diagnose_yaml):
    """Case 4: a war between two of a larger unit's states makes its BoP active (not one with an outsider)."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C, D], H: [C, D, E]}
wars:
  - {between: [A, B], level: war}
""")
    assert status(d, BOP, "group:G") == "active"
    assert "bop_active_by_war" in row(d, BOP, "group:G").rules
    assert status(d, BOP, "group:H") == "not_evident"


def test_case_4_bop_larger_unit_by_rival_dyads_involving_every_state(diagnose_yaml):
    """Case 4: rival dyads (BoP active) that together involve every state of the unit -> its BoP active."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C, D]}
deterrence:
  - {by: A, against: B}
practices:
  - {kind: worst_case_planning, by: B, against: A}
  - {kind: arms_race, between: [C, D]}
  - {kind: capability_monitoring, between: [C, D], rooted: true}
"""
    d = diagnose_yaml(base)
    assert status(d, BOP, "dyad:A-B") == "active" and status(d, BOP, "dyad:C-D") == "active"
    r = row(d, BOP, "group:G")
    assert r.status == "active"
    assert "bop_active_by_rival_dyads" in r.rules
    # Near miss: C-D below the threshold: the rival dyads leave C and D out.
    d = diagnose_yaml(base.replace("  - {kind: capability_monitoring, between: [C, D], rooted: true}\n", ""))
    assert status(d, BOP, "group:G") == "not_evident"


def test_case_4_lone_rival_dyad_inside_large_community_is_not_bop_of_the_community(diagnose_yaml):
    """Case 4: a lone rival dyad, short of war, inside a large community is relational overlap, not BoP."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C, D, E]}
practices:
""" + sc3("G") + """\
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
""")
    assert status(d, BOP, "dyad:A-B") == "active"
    assert status(d, SC, "group:G") == "active"
    assert status(d, BOP, "group:G") == "not_evident"
    assert status(d, BOP, "region") == "not_evident"
    assert [o.units for o in overlaps(d, "relational")] == [("dyad:A-B", "group:G"), ("dyad:A-B", "region")]


@pytest.mark.parametrize("kind", ["great_power_concert", "peace_conference"])
def test_case_4_variant_associational(diagnose_yaml, kind):
    """Case 4: associational when concert or peace-conference practices are among the unit's practices."""
    d = diagnose_yaml(HEAD + f"""\
states: {{A: a, B: b, C: c, D: d}}
groups: {{G: [A, B, C]}}
practices:
  - {{kind: {kind}, among: G}}
  - {{kind: capability_monitoring, among: G}}
  - {{kind: {kind}, between: [C, D]}}
wars:
  - {{between: [C, D], level: war}}
  - {{between: [A, D], level: war}}
""")
    r = row(d, BOP, "group:G")
    assert (r.status, r.variant) == ("active", "associational")
    assert "bop_associational" in r.rules
    assert row(d, BOP, "dyad:C-D").variant == "associational"  # active by war, with a peace conference
    assert row(d, BOP, "dyad:A-D").variant == "adversarial"  # active by war, no concert practice


def test_case_4_variant_adversarial_otherwise(diagnose_yaml):
    """Case 4: without concert or peace-conference practices an active BoP is adversarial."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
groups: {G: [A, B, C]}
practices:
  - {kind: worst_case_planning, among: G}
  - {kind: capability_monitoring, among: G}
  - {kind: peace_conference, between: [A, B]}
""")
    r = row(d, BOP, "group:G")
    assert (r.status, r.variant) == ("active", "adversarial")  # the dyad's conference is not G's practice
    assert "bop_adversarial" in r.rules


# --------------------------------------------------------------------------------------------
# Case 5: relational overlap
# --------------------------------------------------------------------------------------------

RELATIONAL = HEAD + """\
states: {A: a, B: b, C: c, D: d}
periods: [{id: p1}, {id: p2}]
subregions: {S: [A, B, C]}
groups: {G: [A, B, C], P: [A, B]}
practices:
""" + sc3("[A, B, C]", ", period: SC_PERIOD") + """\
  - {kind: arms_race, between: [A, B], period: p2}
  - {kind: capability_monitoring, between: [A, B], period: p2}
  - {kind: arms_race, between: [C, D], period: p2}
  - {kind: capability_monitoring, between: [C, D], period: p2}
"""


def test_case_5_relational_one_row_per_containing_unit(diagnose_yaml):
    """Case 5: rival dyad inside wider SC units (more states than the dyad): one row each, units = [dyad, unit]."""
    d = diagnose_yaml(RELATIONAL.replace("SC_PERIOD", "p2"))
    assert status(d, SC, "group:P", "p2") == "active"  # two states only: not a wider unit
    assert status(d, SC, "region", "p2") == "not_evident"  # D shares no practice
    rel = overlaps(d, "relational")
    assert [o.units for o in rel] == [("dyad:A-B", "group:G"), ("dyad:A-B", "subregion:S")]
    for o in rel:
        assert o.period == "p2"
        assert tuple(o.mechanisms) == BOTH
        assert "relational_overlap" in o.rules
    # C-D is a rival dyad too, but D belongs to no community with C.
    assert not any("dyad:C-D" in o.units for o in overlaps(d))


def test_case_5_near_miss_sc_and_bop_in_different_periods(diagnose_yaml):
    """Case 5 near miss: the community and the rivalry must be active in the same period."""
    d = diagnose_yaml(RELATIONAL.replace("SC_PERIOD", "p1"))
    assert status(d, SC, "group:G", "p1") == "active" and status(d, BOP, "dyad:A-B", "p2") == "active"
    assert overlaps(d, "relational") == []


def test_case_5_near_miss_container_without_active_sc(diagnose_yaml):
    """Case 5 near miss: a rival dyad in a group whose SC is not active gives no relational overlap."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
groups: {G: [A, B, C]}
practices:
  - {kind: consultation, among: G}
  - {kind: unfortified_border, among: G}
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
""")
    assert status(d, BOP, "dyad:A-B") == "active"
    assert overlaps(d) == []


# --------------------------------------------------------------------------------------------
# Case 6: spatial overlap
# --------------------------------------------------------------------------------------------

SPATIAL = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
SECTIONS: {N: [A, B], S: [C, D, E]}
practices:
""" + sc3("N") + """\
  - {kind: arms_race, among: S}
  - {kind: capability_monitoring, among: S}
"""


def test_case_6_spatial_overlap(diagnose_yaml):
    """Case 6: one sub-region has SC active and another BoP active without SC -> spatial overlap."""
    d = diagnose_yaml(SPATIAL.replace("SECTIONS", "subregions"))
    assert status(d, SC, "subregion:N") == "active"
    assert status(d, BOP, "subregion:S") == "active"
    sp = overlaps(d, "spatial")
    assert len(sp) == 1
    assert sp[0].units == ("subregion:N", "subregion:S")
    assert tuple(sp[0].mechanisms) == BOTH
    assert "spatial_overlap" in sp[0].rules


def test_case_6_near_miss_groups_are_not_subregions(diagnose_yaml):
    """Case 6 near miss: the same pattern between groups (not sub-regions) is no spatial overlap."""
    d = diagnose_yaml(SPATIAL.replace("SECTIONS", "groups"))
    assert status(d, SC, "group:N") == "active" and status(d, BOP, "group:S") == "active"
    assert overlaps(d, "spatial") == []


def test_case_6_near_miss_balancing_subregion_is_also_a_community(diagnose_yaml):
    """Case 6 near miss: the balancing sub-region must have BoP *without* SC."""
    d = diagnose_yaml(SPATIAL.replace("SECTIONS", "subregions") + sc3("S"))
    assert status(d, SC, "subregion:S") == "active" and status(d, BOP, "subregion:S") == "active"
    assert overlaps(d, "spatial") == []


def test_case_6_near_miss_different_periods(diagnose_yaml):
    """Case 6 near miss: the community and the balance must hold in one period."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d}
periods: [{id: p1}, {id: p2}]
subregions: {N: [A, B], S: [C, D]}
practices:
""" + sc3("N", ", period: p1") + """\
  - {kind: arms_race, among: S, period: p2}
  - {kind: capability_monitoring, among: S, period: p2}
""")
    assert overlaps(d, "spatial") == []


# --------------------------------------------------------------------------------------------
# Case 7: functional overlap
# --------------------------------------------------------------------------------------------

FUNCTIONAL = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
  - {kind: consultation, among: G, sector: economic, agency: foreign, issue: trade}
  - {kind: economic_integration, among: G, sector: economic, agency: foreign, issue: trade}
  - {kind: policy_coordination, among: G, THIRD}
  - {kind: worst_case_planning, among: G, sector: military, agency: defence, issue: terrorism}
  - {kind: capability_monitoring, among: G, sector: military, agency: defence, issue: terrorism}
"""


def test_case_7_functional_overlap_by_sector_agency_and_issue(diagnose_yaml):
    """Case 7: SC active on one sector/agency/issue's practices, BoP on another's -> functional overlap."""
    d = diagnose_yaml(FUNCTIONAL.replace("THIRD", "sector: economic, agency: foreign, issue: trade"))
    fn = overlaps(d, "functional")
    assert {(o.units, o.dimension) for o in fn} == {(("group:G",), "sector"), (("group:G",), "agency"),
                                                   (("group:G",), "issue")}
    on = {o.dimension: o.on for o in fn}
    assert on["sector"] == {SC: "economic", BOP: "military"}
    assert on["agency"] == {SC: "foreign", BOP: "defence"}
    assert on["issue"] == {SC: "trade", BOP: "terrorism"}
    for o in fn:
        assert tuple(o.mechanisms) == BOTH and "functional_overlap" in o.rules
    assert status(d, SC, "group:G", sector="economic") == "active"
    assert status(d, BOP, "group:G", sector="military") == "active"
    assert d.to_dict()["overlaps"][0]["dimension"] in ("sector", "agency", "issue")


def test_case_7_near_miss_sc_not_active_on_any_one_slice(diagnose_yaml):
    """Case 7 near miss: SC active on all practices but on no single sector/agency/issue -> no functional row."""
    d = diagnose_yaml(FUNCTIONAL.replace(", THIRD", ""))
    assert status(d, SC, "group:G") == "active"  # three kinds in all
    assert status(d, SC, "group:G", sector="economic") != "active"  # two kinds on the economic sector
    assert overlaps(d, "functional") == []


# --------------------------------------------------------------------------------------------
# Case 8: temporal overlap
# --------------------------------------------------------------------------------------------

BOP2 = """\
  - {{kind: worst_case_planning, among: [A, B, C], period: {p}}}
  - {{kind: capability_monitoring, among: [A, B, C], period: {p}}}
"""


def temporal_file(sc_periods, bop_periods, periods=("p1", "p2")) -> str:
    text = HEAD + "states: {A: a, B: b, C: c}\nperiods: [" + ", ".join(f"{{id: {p}}}" for p in periods) + "]\n"
    text += "practices:\n"
    for p in sc_periods:
        text += sc3("[A, B, C]", f", period: {p}")
    for p in bop_periods:
        text += BOP2.format(p=p)
    return text


@pytest.mark.parametrize("sc_periods, bop_periods, both, other, rule", [
    # the old balance persists while the community takes hold
    (["p2"], ["p1", "p2"], "p2", "p1", "temporal_overlap_bop_alone_next_door"),
    # the community outlives the balance
    (["p1", "p2"], ["p1"], "p1", "p2", "temporal_overlap_sc_alone_next_door"),
    # the community came first; a balance is layered over it
    (["p1", "p2"], ["p2"], "p2", "p1", "temporal_overlap_sc_alone_next_door"),
    # the balance outlives the community
    (["p1"], ["p1", "p2"], "p1", "p2", "temporal_overlap_bop_alone_next_door"),
])
def test_case_8_temporal_overlap_both_directions(diagnose_yaml, sc_periods, bop_periods, both, other, rule):
    """Case 8: both active in one period, exactly one in an adjacent period -> one row, `period` = both's."""
    d = diagnose_yaml(temporal_file(sc_periods, bop_periods))
    tm = overlaps(d, "temporal")
    assert [(o.units, o.period) for o in tm] == [(("region",), both)]
    assert tuple(tm[0].mechanisms) == BOTH
    assert rule in tm[0].rules
    assert other in tm[0].explanation


def test_case_8_one_row_per_period_even_with_two_adjacent_periods(diagnose_yaml):
    """Case 8: BoP alone before, SC alone after the period where both are active -> one row for it."""
    d = diagnose_yaml(temporal_file(["p2", "p3"], ["p1", "p2"], periods=("p1", "p2", "p3")))
    assert [(o.units, o.period) for o in overlaps(d, "temporal")] == [(("region",), "p2")]


@pytest.mark.parametrize("sc_periods, bop_periods, periods", [
    (["p1", "p2"], ["p1", "p2"], ("p1", "p2")),  # adjacent period has both
    (["p1"], ["p1"], ("p1", "p2")),  # adjacent period has neither
    (["p1"], ["p1"], ("p1",)),  # no adjacent period
    (["p1", "p3"], ["p3"], ("p1", "p2", "p3")),  # SC alone only two periods away
])
def test_case_8_near_miss_no_temporal_row(diagnose_yaml, sc_periods, bop_periods, periods):
    """Case 8 near miss: no row when the adjacent period has both mechanisms or neither."""
    d = diagnose_yaml(temporal_file(sc_periods, bop_periods, periods))
    assert status(d, SC, "region", sc_periods[-1]) == "active"
    assert status(d, BOP, "region", bop_periods[-1]) == "active"
    assert overlaps(d, "temporal") == []


# --------------------------------------------------------------------------------------------
# Case 9: character
# --------------------------------------------------------------------------------------------

# One functional overlap of group G = [A, B, C] in p2 (region has D too, so G's is the only one).
CHARACTER = HEAD + """\
states: {A: a, B: b, C: c, D: d}
periods: [{id: p1}, {id: p2}]
groups: {G: [A, B, C]}
practices:
  - {id: k1, kind: consultation, among: G, sector: economic, period: p2}
  - {id: k2, kind: economic_integration, among: G, sector: economic, period: p2}
  - {id: k3, kind: policy_coordination, among: G, sector: economic, period: p2}
  - {id: k4, kind: worst_case_planning, among: G, sector: military, period: p2, deliberate: DELIBERATE}
  - {id: k5, kind: capability_monitoring, among: G, sector: military, period: p2}
"""


def character_file(strategy: str = "", deliberate: bool = False, extra: str = "") -> str:
    text = CHARACTER.replace("DELIBERATE", "true" if deliberate else "false")
    if strategy:
        text += "strategies:\n  - {id: st, name: omni-enmeshment, " + strategy + "}\n"
    return text + extra


def the_overlap(d):
    ov = overlaps(d)
    assert [(o.type, o.units, o.period) for o in ov] == [("functional", ("group:G",), "p2")]
    return ov[0]


def test_case_9_character_automatic(diagnose_yaml):
    """Case 9: no deliberate contributing practice and no covering strategy -> automatic."""
    o = the_overlap(diagnose_yaml(character_file()))
    assert o.character == "automatic"
    assert "character_automatic" in o.rules


@pytest.mark.parametrize("by", ["G", "[A, B, C]", "[A, B, C, D]"])
def test_case_9_character_manual(diagnose_yaml, by):
    """Case 9: a strategy whose `by` includes the overlap's states and combines both mechanisms -> manual."""
    o = the_overlap(diagnose_yaml(character_file(f"by: {by}, combines: [balance_of_power, security_community]")))
    assert o.character == "manual"
    assert "character_manual" in o.rules
    assert "st" in o.facts
    assert "omni-enmeshment" in o.explanation


def test_case_9_manual_wins_over_deliberate_practices(diagnose_yaml):
    """Case 9: a covering strategy that combines both makes the overlap manual even with deliberate practices."""
    o = the_overlap(diagnose_yaml(character_file(
        "by: G, combines: [security_community, balance_of_power]", deliberate=True)))
    assert o.character == "manual"


def test_case_9_character_mixed_deliberate_practice(diagnose_yaml):
    """Case 9: a deliberate contributing practice and no covering strategy -> mixed."""
    o = the_overlap(diagnose_yaml(character_file(deliberate=True)))
    assert o.character == "mixed"
    assert "character_mixed" in o.rules
    assert "k4" in o.explanation


def test_case_9_character_mixed_strategy_combining_one_mechanism(diagnose_yaml):
    """Case 9: a strategy that covers the overlap but combines only one mechanism -> mixed."""
    o = the_overlap(diagnose_yaml(character_file("by: G, combines: [security_community]")))
    assert o.character == "mixed"
    assert "character_mixed" in o.rules


@pytest.mark.parametrize("strategy", [
    "by: [A, B], combines: [balance_of_power, security_community]",  # C is missing from `by`
    "by: [A, B, D], combines: [balance_of_power, security_community]",
    "by: G, period: p1, combines: [balance_of_power, security_community]",  # not the overlap's period
    "by: [A, B], combines: [security_community]",
])
def test_case_9_near_miss_strategy_that_does_not_cover(diagnose_yaml, strategy):
    """Case 9 near miss: a strategy whose `by` lacks a state of the overlap, or of another period, covers nothing."""
    o = the_overlap(diagnose_yaml(character_file(strategy)))
    assert o.character == "automatic"
    assert "st" not in o.facts


def test_case_9_juncture_in_the_overlaps_period_is_named(diagnose_yaml):
    """Case 9: a juncture in the overlap's period is named in the explanation and its id is in `facts`."""
    junctures = """\
junctures:
  - {id: j2, name: end of the Cold War, period: p2}
  - {id: j1, name: oil shock, period: p1}
"""
    o = the_overlap(diagnose_yaml(character_file(extra=junctures)))
    assert "end of the Cold War" in o.explanation
    assert "j2" in o.facts
    assert "oil shock" not in o.explanation and "j1" not in o.facts
    assert o.character == "automatic"  # it favours manual; it does not decide


def test_case_9_juncture_without_period_applies_to_every_period(diagnose_yaml):
    """Case 9 with section 2: a juncture without `period` is in every period, so in the overlap's."""
    o = the_overlap(diagnose_yaml(character_file(extra="junctures:\n  - {id: jj, name: the shock}\n")))
    assert "the shock" in o.explanation and "jj" in o.facts


def test_case_9_relational_overlap_is_covered_by_the_dyads_states(diagnose_yaml):
    """Case 9: for a relational overlap a strategy covers it when its `by` includes the dyad's two states."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
groups: {G: [A, B, C]}
practices:
""" + sc3("G") + """\
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
strategies:
  - {id: st, name: hedging, by: BY, combines: [balance_of_power, security_community]}
"""
    d = diagnose_yaml(base.replace("BY", "[A, B]"))
    rel = overlaps(d, "relational")
    assert {o.units for o in rel} == {("dyad:A-B", "group:G"), ("dyad:A-B", "region")}
    assert all(o.character == "manual" for o in rel)
    d = diagnose_yaml(base.replace("BY", "[A, C]"))
    assert all(o.character == "automatic" for o in overlaps(d, "relational"))


def test_case_9_spatial_overlap_needs_the_states_of_both_subregions(diagnose_yaml):
    """Case 9: for a spatial overlap the strategy's `by` must include every state of both sub-regions."""
    base = SPATIAL.replace("SECTIONS", "subregions") + """\
strategies:
  - {id: st, name: zones of peace, by: BY, combines: [balance_of_power, security_community]}
"""
    assert overlaps(diagnose_yaml(base.replace("BY", "[A, B, C, D, E]")), "spatial")[0].character == "manual"
    assert overlaps(diagnose_yaml(base.replace("BY", "[A, B, C, D]")), "spatial")[0].character == "automatic"


# --------------------------------------------------------------------------------------------
# Case 10: nothing invented
# --------------------------------------------------------------------------------------------

def test_case_10_one_mechanism_alone_gives_no_overlap(diagnose_yaml):
    """Case 10: SC alone, or BoP alone, gives no overlap."""
    sc_only = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc3("[A, B, C]", ", sector: political"))
    assert status(sc_only, SC, "region", "p1") == "active"
    assert overlaps(sc_only) == []
    bop_only = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
subregions: {N: [A, B], S: [B, C]}
practices:
  - {kind: arms_race, between: [A, B], sector: military}
  - {kind: capability_monitoring, between: [A, B], sector: military}
wars:
  - {between: [B, C], level: war}
""")
    assert status(bop_only, BOP, "dyad:A-B") == "active"
    assert overlaps(bop_only) == []


@pytest.mark.parametrize("periods", [None, ["p1", "p2"]])
def test_case_10_near_empty_file_says_not_evident_for_each_declared_unit(diagnose_yaml, periods):
    """Case 10: too little evidence -> `not_evident` rows for the region and each group and sub-region."""
    text = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {NATO: [A, B, C]}
subregions: {North: [A, B], South: [C, D]}
practices:
  - {kind: consultation, among: NATO}
"""
    if periods:
        text += "periods: [" + ", ".join(f"{{id: {p}}}" for p in periods) + "]\n"
    d = diagnose_yaml(text)
    declarations = {"region": "states", "group:NATO": "groups.NATO", "subregion:North": "subregions.North",
                    "subregion:South": "subregions.South"}
    for period in periods or [None]:
        for unit, declared in declarations.items():
            for mechanism in BOTH:
                r = row(d, mechanism, unit, period)
                assert r is not None, (mechanism, unit, period)
                assert r.status == "not_evident"
                assert declared in r.facts
                assert "needed" in r.explanation
    assert "1 of the 3 SC kinds needed: consultation" in row(d, SC, "group:NATO", (periods or [None])[0]).explanation
    assert d.active() == []
    assert overlaps(d) == []


# --------------------------------------------------------------------------------------------
# soft_balancing: an indicator, named, counting toward no threshold
# --------------------------------------------------------------------------------------------

def test_soft_balancing_is_named_but_counts_toward_no_threshold(diagnose_yaml):
    """Section 2 vocabulary: soft_balancing is named on its unit's rows and counts toward no threshold."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C], H: [D, E]}
practices:
  - {kind: consultation, among: G}
  - {kind: unfortified_border, among: G}
  - {kind: worst_case_planning, among: G}
  - {id: soft, kind: soft_balancing, among: G}
  - {kind: consultation, among: H}
""")
    sc_row, bop_row = row(d, SC, "group:G"), row(d, BOP, "group:G")
    assert sc_row.status == "not_evident" and bop_row.status == "not_evident"
    assert "2 of the 3 SC kinds needed: consultation, unfortified_border." in sc_row.explanation
    assert "1 of the 2 BoP kinds needed: worst_case_planning," in bop_row.explanation
    for r in (sc_row, bop_row):
        assert "soft balancing" in r.explanation and "soft" in r.facts
        assert "note_indicator" in r.rules
    for r in rows_of(d, SC, "group:H") + rows_of(d, BOP, "group:H"):
        assert "soft balancing" not in r.explanation and "soft" not in r.facts


def test_soft_balancing_is_named_in_the_overlap_rows_of_its_unit(diagnose_yaml):
    """Section 2 vocabulary: soft_balancing is named in the explanation of an overlap row of its unit."""
    # `extra` continues the practices list when there is no strategy.
    d = diagnose_yaml(character_file(extra="  - {id: soft, kind: soft_balancing, among: G, period: p2}\n"))
    o = the_overlap(d)
    assert "soft balancing" in o.explanation and "soft" in o.facts
    assert o.character == "automatic"  # an indicator is not a deliberate practice


# --------------------------------------------------------------------------------------------
# Determinism: reordering entries changes no conclusion
# --------------------------------------------------------------------------------------------

RICH = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e, F: f}
periods: [{id: p1, from: 1980, to: 1989}, {id: p2, from: 1990}]
subregions: {N: [A, B, C], S: [D, E]}
groups: {G: [A, B, C], T: [E, F]}
alliances:
  - {id: al1, members: [D, E], basis: expediency, against: [F], period: p2}
  - {id: al2, members: G, basis: collective_identity, period: p2, sector: military}
deterrence:
  - {id: de1, by: D, against: E}
  - {id: de2, by: [A, B], against: F, sector: military}
consultation_norms:
  - {id: cn1, among: N, multilateral: true, period: p2, sector: political, agency: foreign}
unfortified_borders:
  - {id: ub1, between: [A, B]}
wars:
  - {id: wa1, between: [E, F], level: war, year: 1985}
  - {id: wa2, between: [D, E], level: crisis, year: 1995}
practices:
  - {id: pr1, kind: self_restraint, among: N, sector: political, agency: foreign}
  - {id: pr2, kind: arms_race, between: [A, B], period: p2, sector: military, agency: defence}
  - {id: pr3, kind: capability_monitoring, between: [A, B], sector: military, agency: defence, deliberate: true}
  - {id: pr4, kind: soft_balancing, among: G}
  - {id: pr5, kind: economic_integration, among: G, sector: economic, rooted: false}
  - {id: pr6, kind: worst_case_planning, among: N, period: p1}
  - {id: pr7, kind: capability_monitoring, among: [A, B, C, D], period: p1}
  - {id: pr8, kind: great_power_concert, among: [D, E]}
  - {id: pr9, kind: consultation, among: T}
  - {id: pr10, kind: policy_coordination, among: N, sector: political, period: p2}
  - {id: pr11, kind: worst_case_planning, among: G, sector: military, period: p2}
  - {id: pr12, kind: internal_balancing, among: G, sector: military, period: p2}
strategies:
  - {id: st1, name: hedging, by: [A, B], combines: [balance_of_power, security_community], period: p2}
  - {id: st2, name: concert, by: [D, E], combines: [balance_of_power]}
junctures:
  - {id: ju1, name: end of the Cold War, period: p2}
"""


def _reordered(text: str, rng: random.Random | None) -> str:
    data = yaml.safe_load(text)

    def shuffle(items: list) -> list:
        items = list(items)
        if rng is None:
            items.reverse()
        else:
            rng.shuffle(items)
        return items

    out = {}
    for key in shuffle([k for k in data]):
        value = data[key]
        if key == "periods":
            out[key] = value  # periods are ordered by contract
        elif isinstance(value, list):
            out[key] = shuffle(value)
        elif isinstance(value, dict):
            out[key] = {k: (shuffle(v) if isinstance(v, list) else v) for k, v in
                        ((k, value[k]) for k in shuffle(list(value)))}
        else:
            out[key] = value
    return yaml.safe_dump(out, sort_keys=False)


def _conclusions(d) -> dict:
    """The diagnosis without the wording: statuses, variants, overlaps, characters, rules and facts."""
    data = d.to_dict()
    for item in data["mechanisms"] + data["overlaps"]:
        item["rules"] = sorted(item["rules"])
        item["explanation"] = sorted(item["explanation"].split(". "))
    return data


def test_determinism_reordering_entries_changes_no_conclusion(diagnose_yaml):
    """Section 4: reordering entries changes no conclusion (explicit ids, so even `facts` must agree)."""
    reference = diagnose_yaml(RICH)
    # The file exercises several clear cases at once, so the comparison is not vacuous.
    assert {o.type for o in reference.overlaps} == {"relational", "functional", "spatial", "temporal"}
    assert {o.character for o in reference.overlaps} >= {"manual", "automatic"}
    assert {r.status for r in reference.mechanisms} >= {"active", "formal_only", "not_evident"}
    expected = _conclusions(reference)
    for rng in (None, random.Random(1), random.Random(2), random.Random(3)):
        assert _conclusions(diagnose_yaml(_reordered(RICH, rng))) == expected


def test_determinism_same_file_same_bytes(diagnose_yaml):
    """Section 4: rows are sorted so that the same file gives the same bytes."""
    assert diagnose_yaml(RICH).to_json() == diagnose_yaml(RICH).to_json()
