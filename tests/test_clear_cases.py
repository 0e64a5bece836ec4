"""The clear cases of version 2 of the contract (shared/spec/fact-files.md, section 3, cases 1-13).

Every test uses a small fact file of its own and pairs the clear case with its
near miss, so that it fails both when the rule implementing the case is
missing and when it fires where the case says it must not.

Tests assert on statuses, fields (`facing`, `variant`, `phase`, `coupling`),
fact ids and overlap rows, never on rule names (they may change); on the words
of an explanation only where the contract says what it must say.

With the default thresholds, note that a rival dyad (case 4a) inside a unit of
three states involves two thirds of it, above `sc_block_share` (0.5): it blocks
that unit's community. A lone rival dyad stays a relational overlap only inside
a unit of four states or more.
"""

from __future__ import annotations

import json
import random
import re

import pytest
import yaml

from diagnose import diagnose, load_facts

SC = "security_community"
BOP = "balance_of_power"
BOTH = (BOP, SC)

DEFAULT_THRESHOLDS = {"sc_min_kinds": 3, "bop_min_kinds": 2, "bop_dyad_share": 1.0, "sc_block_share": 0.5,
                      "sc_nascent_min_kinds": 2, "sc_tight_min_kinds": 2}

HEAD = """\
schema: 1
region: R
"""

# Key words of an explanation that names inward balancing ("confidence building among
# states that still prepare for violence against each other").
BALANCING = re.compile(r"balanc|violence|rival|deter", re.I)


def entries(kinds, unit: str, extra: str = "") -> str:
    """One practices entry per kind, among ``unit`` (``extra`` is appended to each entry's mapping)."""
    return "".join("  - {kind: " + kind + ", among: " + unit + extra + "}\n" for kind in kinds)


def sc3(unit: str, extra: str = "") -> str:
    """Three rooted SC kinds among ``unit`` (sc_min_kinds), none of them a tightly coupled kind."""
    return entries(("consultation", "unfortified_border", "self_restraint"), unit, extra)


def sc2(unit: str, extra: str = "") -> str:
    """Two rooted SC kinds among ``unit``: one short of active, enough for nascent."""
    return entries(("consultation", "unfortified_border"), unit, extra)


def mutual_bop(unit: str, extra: str = "") -> str:
    """Two BoP kinds among ``unit`` with `mutual: true`: every pair balances each other (inward)."""
    return entries(("deterrence", "arms_race"), unit, ", mutual: true" + extra)


def collective_bop(unit: str, extra: str = "") -> str:
    """Two BoP kinds among ``unit`` without `mutual`: the states' collective practice (outward)."""
    return entries(("worst_case_planning", "capability_monitoring"), unit, extra)


def periods(*ids: str) -> str:
    return "periods: [" + ", ".join("{id: " + p + "}" for p in ids) + "]\n"


def said(text: str) -> str:
    """An explanation, lower case, with kind names readable either way (`self_restraint`, `self restraint`)."""
    return text.lower().replace("_", " ")


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


def units_of(d, type_):
    """The (units, period) of every overlap of one type, sorted."""
    return sorted((tuple(o.units), o.period) for o in overlaps(d, type_))


@pytest.fixture
def diagnose_with(write_facts):
    """Load and diagnose a YAML string with some thresholds overridden."""

    def run(text: str, **thresholds):
        return diagnose(load_facts(write_facts(text)), thresholds=thresholds)

    return run


# --------------------------------------------------------------------------------------------
# Case 1: SC active
# --------------------------------------------------------------------------------------------

def test_case_1_sc_active_with_three_rooted_kinds(diagnose_yaml):
    """Case 1: three distinct rooted SC kinds covering the unit, no war, no balancing -> SC active."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {id: c1, kind: consultation, among: [A, B, C]}
  - {id: u1, kind: unfortified_border, among: [A, B, C]}
  - {id: s1, kind: self_restraint, among: [A, B, C]}
""")
    r = row(d, SC, "region")
    assert r.status == "active"
    assert r.rules
    assert {"c1", "u1", "s1"} <= set(r.facts)
    assert (r.variant, r.facing) == (None, None)  # BoP fields
    assert r.phase is None  # no previous period
    assert r.coupling == "loose"  # none of the tightly coupled kinds


@pytest.mark.parametrize("kinds, expected", [
    (("consultation", "unfortified_border", "self_restraint"), "active"),
    (("consultation", "unfortified_border"), "nascent"),  # one kind short; case 5
    (("consultation",), "not_evident"),  # below sc_nascent_min_kinds too
])
def test_case_1_one_kind_short_is_not_active(diagnose_yaml, kinds, expected):
    """Case 1 near miss (with cases 5 and 12): one kind short of sc_min_kinds is not active; the row says why."""
    d = diagnose_yaml(HEAD + "states: {A: a, B: b, C: c}\npractices:\n" + entries(kinds, "[A, B, C]"))
    r = row(d, SC, "region")
    assert r.status == expected
    if expected != "active":
        assert "kind" in r.explanation.lower()  # too few kinds: what holds it back, what is missing
        assert r.coupling is None
        assert r.phase == ("nascent" if expected == "nascent" else None)


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
    assert status(d, SC, "region") == "nascent"


def test_case_1_multilateral_consultation_norm_gives_two_kinds(diagnose_yaml):
    """Case 1 with section 2: `multilateral: true` contributes two kinds (3 in all here); one is tight (loose)."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
consultation_norms:
  - {id: cn, among: [A, B, C], multilateral: MULTILATERAL}
unfortified_borders:
  - {id: ub, among: [A, B, C]}
"""
    r = row(diagnose_yaml(base.replace("MULTILATERAL", "true")), SC, "region")
    assert r.status == "active" and {"cn", "ub"} <= set(r.facts)
    assert r.coupling == "loose"  # multilateral_decision_making is one tight kind; two are needed
    # Near miss: consultation without multilateral decision-making: two kinds.
    assert status(diagnose_yaml(base.replace("MULTILATERAL", "false")), SC, "region") == "nascent"


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
    # two rooted kinds: nascent, which comes before formal_only (unrooted) in the precedence of case 6
    assert status(diagnose_yaml(base.replace("ROOTED", "false")), SC, "region") == "nascent"
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
    assert status(d, SC, "region") == "nascent"  # two kinds cover the region
    assert status(d, SC, "dyad:A-B") == "active"  # covered by all three


@pytest.mark.parametrize("level", ["war", "armed_conflict"])
def test_case_1_war_leaves_no_row_of_the_unit_active(diagnose_yaml, level):
    """Case 1 (a): a war counts in every sector, agency and issue row: no row of a unit at war shows SC active."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
practices:
""" + sc3("[A, B, C]", ", sector: political, agency: foreign, issue: terrorism")
    slices = [{}, {"sector": "political"}, {"agency": "foreign"}, {"issue": "terrorism"}]
    peace = diagnose_yaml(base)
    for s in slices:
        assert status(peace, SC, "region", **s) == "active", s
    war = diagnose_yaml(base + "wars:\n  - {id: w, between: [A, B], level: " + level + "}\n")
    rows = rows_of(war, SC, "region")
    assert len(rows) == 4
    assert all(r.status == "formal_only" for r in rows), rows  # SC practices alongside war, no previous period
    assert not any(r.status == "active" for r in rows_of(war, SC, "dyad:A-B"))
    assert overlaps(war, "functional") == []


def test_case_1_war_outside_the_unit_or_period_or_a_crisis_does_not_block_sc(diagnose_yaml):
    """Case 1 (a): only war or armed conflict between two of *its* states *in that period* blocks SC."""
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
    assert status(d, SC, "group:G", "p2") == "broken_down"  # war inside


def test_case_1_rival_dyad_share_above_sc_block_share_blocks_a_larger_community(diagnose_yaml):
    """Case 1 (b): a rival dyad involving more than sc_block_share of a unit's states blocks it (nascent)."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G3: [A, B, C], G4: [A, B, C, D]}
practices:
""" + sc3("[A, B, C, D]") + """\
  - {id: ar, kind: arms_race, between: [A, B]}
  - {id: cm, kind: capability_monitoring, between: [A, B]}
""")
    assert status(d, BOP, "dyad:A-B") == "active"
    # 2 of G3's 3 states are in a rival dyad: more than half: no community, a nascent one
    r = row(d, SC, "group:G3")
    assert r.status == "nascent" and r.phase == "nascent"
    assert BALANCING.search(r.explanation), r.explanation  # what holds it back: inward balancing
    assert status(d, BOP, "group:G3") == "not_evident"  # 2 of 3 states is below bop_dyad_share
    # 2 of G4's 4 states: at most half: the community stands, beside the rivalry (relational overlap)
    assert status(d, SC, "group:G4") == "active"
    assert units_of(d, "relational") == [(("dyad:A-B", "group:G4"), None)]


def test_case_1_lone_rival_dyad_inside_a_community(diagnose_yaml):
    """Case 1 (b) and 7: a lone rival dyad inside a larger community leaves it active: relational overlap."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C, D, E]}
practices:
""" + sc3("G") + """\
  - {id: ar, kind: arms_race, between: [A, B]}
  - {id: cm, kind: capability_monitoring, between: [A, B]}
""")
    assert status(d, BOP, "dyad:A-B") == "active"
    assert status(d, SC, "group:G") == "active"
    assert status(d, SC, "region") == "active"
    assert status(d, BOP, "group:G") == "not_evident"
    assert status(d, BOP, "region") == "not_evident"
    # the dyad itself is never a community while the two balance each other (Greece-Turkey)
    r = row(d, SC, "dyad:A-B")
    assert r.status == "nascent"
    assert BALANCING.search(r.explanation), r.explanation
    rel = overlaps(d, "relational")
    assert units_of(d, "relational") == [(("dyad:A-B", "group:G"), None), (("dyad:A-B", "region"), None)]
    for o in rel:
        assert tuple(o.mechanisms) == BOTH
        assert {"ar", "cm"} <= set(o.facts)


def test_case_1_inward_kinds_covering_a_larger_unit_block_it(diagnose_yaml):
    """Case 1 (b) with 4b: bop_min_kinds inward kinds in entries covering a larger unit block its community."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
""" + sc3("G") + """\
  - {kind: great_power_concert, among: G}
"""
    # A concert alone: one inward kind, and it makes no pair rivals: the community stands.
    d = diagnose_yaml(base)
    assert status(d, SC, "group:G") == "active"
    assert status(d, BOP, "group:G") == "not_evident"
    # A concert and a peace conference of its great powers: two inward kinds covering G.
    d = diagnose_yaml(base + "  - {kind: peace_conference, among: G}\n")
    r = row(d, BOP, "group:G")
    assert (r.status, r.facing, r.variant) == ("active", "inward", "associational")
    r = row(d, SC, "group:G")
    assert r.status == "nascent"
    assert BALANCING.search(r.explanation), r.explanation


def test_case_1_unnamed_rival_dyads_block_but_get_no_rows(diagnose_yaml):
    """Case 1 (b) and section 3: a rival dyad counts whether or not an entry names it; it gets no row."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
practices:
""" + sc3("[A, B, C, D]") + """\
  - {kind: deterrence, among: [A, B, C], mutual: true}
  - {kind: arms_race, among: [A, B, C]MUTUAL}
"""
    # A-B, A-C and B-C balance each other: 3 of the region's 4 states
    d = diagnose_yaml(base.replace("MUTUAL", ", mutual: true"))
    assert status(d, SC, "region") == "nascent"
    assert status(d, BOP, "region") == "not_evident"  # 3 of 4 states, below bop_dyad_share; nothing covers it
    assert not [r for r in d.mechanisms if r.unit.startswith("dyad:")]
    assert overlaps(d) == []
    # Near miss: the arms race is collective: each pair shares one kind only: no rival dyad.
    d = diagnose_yaml(base.replace("MUTUAL", ""))
    assert status(d, SC, "region") == "active"


def test_case_1_helsinki_practices_across_balancing_blocs_make_no_community(diagnose_yaml):
    """Case 1: SC practices shared by states that deter each other count toward no unit's `active`.

    Two blocs deter each other and race for arms; Helsinki-process practices
    are shared by all of them: the region is a nascent community, and those
    practices make neither bloc a community, though both share them.
    """
    base = HEAD + """\
states: {A: a, B: b, C: c, X: x, Y: y, Z: z}
groups: {West: [A, B, C], East: [X, Y, Z]}
practices:
  - {id: helsinki_talks, kind: consultation, among: [A, B, C, X, Y, Z]}
  - {id: helsinki_cbm, kind: confidence_building, among: [A, B, C, X, Y, Z]}
  - {id: helsinki_security, kind: cooperative_security, among: [A, B, C, X, Y, Z]}
"""
    balancing = """\
  - {id: west_race, kind: arms_race, by: West, against: East}
  - {id: east_race, kind: arms_race, by: East, against: West}
deterrence:
  - {id: west_deters, by: West, against: East}
  - {id: east_deters, by: East, against: West}
"""
    west_own = """\
alliances:
  - {id: west_alliance, members: West, basis: collective_identity}
consultation_norms:
  - {id: west_council, among: West, multilateral: true}
"""
    # Near miss: without the bloc balance the shared practices make a community of all.
    d = diagnose_yaml(base)
    assert status(d, SC, "region") == "active"
    assert status(d, SC, "group:West") == "active"

    d = diagnose_yaml(base + balancing)
    # every pair across the blocs deters and races: every state of the region is in a rival dyad
    r = row(d, BOP, "dyad:A-X")
    assert (r.status, r.facing) == ("active", "inward")
    r = row(d, BOP, "region")
    assert (r.status, r.facing) == ("active", "inward")
    r = row(d, SC, "region")
    assert (r.status, r.phase) == ("nascent", "nascent")
    assert BALANCING.search(r.explanation), r.explanation
    for bloc in ("group:West", "group:East"):
        assert status(d, SC, bloc) == "nascent", bloc  # shares three rooted kinds, none of them counts
        r = row(d, BOP, bloc)
        assert (r.status, r.facing) == ("active", "outward"), bloc  # the bloc deters the other together
    assert status(d, SC, "dyad:A-X") == "nascent"

    # The West's own practices make it a community; the Helsinki ones still do not count toward it.
    d = diagnose_yaml(base + balancing + west_own)
    r = row(d, SC, "group:West")
    assert r.status == "active"
    assert {"west_alliance", "west_council"} <= set(r.facts)
    # counted kinds: collective_identity_alliance, consultation, multilateral_decision_making: one tight kind;
    # the Helsinki cooperative_security is not counted, so it does not make the coupling tight
    assert r.coupling == "loose"
    assert status(d, SC, "group:East") == "nascent"
    assert status(d, SC, "region") == "nascent"


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
""" + sc3("[A, B, C]") + """\
wars:
  - {id: w, between: [A, B], level: LEVEL, period: p2}
""".replace("LEVEL", level))
    assert status(d, SC, "region", "p1") == "active"
    r = row(d, SC, "region", "p2")
    assert r.status == "broken_down"  # SC practices alongside war would otherwise be formal_only
    assert r.rules and "w" in r.facts
    assert (r.phase, r.coupling) == (None, None)
    assert status(d, SC, "dyad:A-B", "p1") == "active"
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
    """Case 2 near miss: SC active two periods back (decaying in between) -> no breakdown."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}, {id: p3}]
practices:
""" + sc3("[A, B, C]", ", period: p1") + """\
wars:
  - {between: [A, C], level: war, period: p3}
""")
    assert status(d, SC, "region", "p1") == "active"
    assert status(d, SC, "region", "p2") == "decaying"  # case 3: nothing left, no war
    assert status(d, SC, "region", "p3") == "not_evident"  # war, but no SC practice and no active SC before


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
    assert status(d, BOP, "dyad:A-B", "p2") == "not_evident"  # a crisis is one BoP kind


# --------------------------------------------------------------------------------------------
# Case 3: SC decaying
# --------------------------------------------------------------------------------------------

def test_case_3_decaying_when_kinds_are_no_longer_shared(diagnose_yaml):
    """Case 3: active, then fewer kinds without war -> decaying, saying which kinds were lost; only once."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}, {id: p3}]
practices:
  - {id: talks, kind: consultation, among: [A, B, C]}
  - {id: border, kind: unfortified_border, among: [A, B, C]}
  - {id: restraint, kind: self_restraint, among: [A, B, C], period: p1}
""")
    assert status(d, SC, "region", "p1") == "active"
    r = row(d, SC, "region", "p2")
    assert r.status == "decaying"
    assert "self restraint" in said(r.explanation), r.explanation  # what was lost
    assert (r.phase, r.coupling, r.facing, r.variant) == (None, None, None, None)
    assert r.rules and r.facts
    # only in the first period after: then the two kinds left make a nascent community
    assert status(d, SC, "region", "p3") == "nascent"


def test_case_3_decaying_when_inward_balancing_now_blocks_it(diagnose_yaml):
    """Case 3: active, then the states balance each other (no war) -> decaying, naming the balancing."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc3("G") + mutual_bop("G", ", period: p2"))
    assert status(d, SC, "group:G", "p1") == "active"
    r = row(d, SC, "group:G", "p2")
    assert r.status == "decaying"
    assert BALANCING.search(r.explanation), r.explanation
    r = row(d, BOP, "group:G", "p2")
    assert (r.status, r.facing) == ("active", "inward")


def test_case_3_near_miss_no_previous_active_period(diagnose_yaml):
    """Case 3 near miss: the same fading practices without an active community before -> not decaying."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}]
practices:
""" + sc2("[A, B, C]"))
    assert status(d, SC, "region", "p1") == "nascent"
    assert status(d, SC, "region", "p2") == "nascent"
    assert status(diagnose_yaml(HEAD + "states: {A: a, B: b, C: c}\npractices:\n" + sc2("[A, B, C]")),
                  SC, "region") == "nascent"  # no periods: no previous period


# --------------------------------------------------------------------------------------------
# Case 4: BoP active, facing, variant
# --------------------------------------------------------------------------------------------

def test_case_4_bop_dyad_two_distinct_kinds(diagnose_yaml):
    """Case 4a: two distinct BoP kinds between a dyad's states -> active, inward, adversarial."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {id: ar, kind: arms_race, between: [A, B]}
  - {id: cm, kind: capability_monitoring, among: [A, B]}
""")
    r = row(d, BOP, "dyad:A-B")
    assert (r.status, r.facing, r.variant) == ("active", "inward", "adversarial")
    assert (r.phase, r.coupling) == (None, None)
    assert r.rules and {"ar", "cm"} <= set(r.facts)


def test_case_4_bop_dyad_one_kind_or_same_kind_twice_not_evident(diagnose_yaml):
    """Case 4a near miss: one BoP kind (even from two entries) is not a repertoire; the row says what it has."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {kind: arms_race, between: [A, B]}
  - {kind: arms_race, between: [A, B], sector: military}
""")
    r = row(d, BOP, "dyad:A-B")
    assert r.status == "not_evident"
    assert "arms race" in said(r.explanation)
    assert (r.variant, r.facing) == (None, None)


def test_case_4_bop_dyad_directed_entries_name_the_pair(diagnose_yaml):
    """Case 4a: directed entries (by/against) act on each dyad of their by x against pairs."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
deterrence:
  - {by: [A, C], against: B}
practices:
  - {kind: worst_case_planning, by: B, against: A}
""")
    assert status(d, BOP, "dyad:A-B") == "active"
    assert status(d, BOP, "dyad:B-C") == "not_evident"  # deterrence only: one kind
    assert row(d, BOP, "dyad:A-C") is None  # no entry names A-C


def test_case_4_unrooted_bop_entries_count_toward_no_threshold(diagnose_yaml):
    """Case 4 with section 3: an entry with `rooted: false` counts toward no balance-of-power threshold."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
  - {kind: deterrence, between: [A, B]}
  - {kind: arms_race, between: [A, B], rooted: ROOTED}
""" + sc3("G") + """\
  - {kind: deterrence, among: G, mutual: true}
  - {kind: arms_race, among: G, mutual: true, rooted: ROOTED}
"""
    d = diagnose_yaml(base.replace("ROOTED", "true"))
    assert status(d, BOP, "dyad:A-B") == "active"
    assert status(d, BOP, "group:G") == "active"
    assert status(d, SC, "group:G") == "nascent"
    d = diagnose_yaml(base.replace("ROOTED", "false"))
    assert status(d, BOP, "dyad:A-B") == "not_evident"
    assert status(d, BOP, "group:G") == "not_evident"
    assert status(d, SC, "group:G") == "active"  # an unrooted arms race prepares no violence that blocks it


@pytest.mark.parametrize("level", ["war", "armed_conflict"])
@pytest.mark.parametrize("with_periods", [False, True])
def test_case_4_war_between_two_members_blocks_the_groups_sc_but_makes_only_the_dyad_balance(
        diagnose_yaml, level, with_periods):
    """Case 4a/4b with 1, 2 and 6: a war between two members makes their dyad balance, not the group.

    It blocks the group's community: formal_only at war without an active
    community before, broken_down after one.
    """
    text = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C, D]}
""" + (periods("p1", "p2") if with_periods else "") + "practices:\n" + sc3("G") + \
        "wars:\n  - {id: w, between: [A, B], level: " + level + (", period: p2" if with_periods else "") + "}\n"
    d = diagnose_yaml(text)
    at_war = "p2" if with_periods else None
    if with_periods:
        assert status(d, SC, "group:G", "p1") == "active"
    assert status(d, SC, "group:G", at_war) == ("broken_down" if with_periods else "formal_only")
    assert status(d, BOP, "group:G", at_war) == "not_evident"
    assert status(d, BOP, "region", at_war) == "not_evident"
    r = row(d, BOP, "dyad:A-B", at_war)
    assert (r.status, r.facing) == ("active", "inward")
    assert "w" in r.facts


def test_case_4_crisis_alone_is_one_kind(diagnose_yaml):
    """Case 4a near miss: a crisis is one BoP kind, not a war: BoP not active on it alone."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
wars:
  - {between: [A, B], level: crisis}
""")
    assert status(d, BOP, "dyad:A-B") == "not_evident"
    assert status(d, BOP, "region") == "not_evident"


@pytest.mark.parametrize("against", ["", ", against: [C]"], ids=["without-against", "with-against"])
def test_case_4_an_alliance_never_makes_its_two_members_rivals(diagnose_yaml, against):
    """Case 4a with section 3: an alliance faces outward, with or without `against`: its members are no rivals."""
    base = HEAD + """\
states: {A: a, B: b, C: c}
SECOND
practices:
  - {id: ar, kind: arms_race, between: [A, B]}
"""
    d = diagnose_yaml(base.replace("SECOND", "alliances:\n  - {id: al, members: [A, B], basis: expediency"
                                             + against + "}"))
    r = row(d, BOP, "dyad:A-B")
    assert r.status == "not_evident"  # one inward kind: the arms race
    # Near miss: a second kind that does set A and B against each other.
    d = diagnose_yaml(base.replace("SECOND", "deterrence:\n  - {between: [A, B]}"))
    assert status(d, BOP, "dyad:A-B") == "active"


def test_case_4_group_alliance_faces_outward_and_keeps_its_community(diagnose_yaml):
    """Case 4c: an alliance of expediency and collective planning make a group balance outward, SC intact."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
ALLIANCE
practices:
  - {id: wcp, kind: worst_case_planning, among: G}
""" + sc3("G")
    d = diagnose_yaml(base.replace("ALLIANCE", "alliances:\n  - {id: al, members: G, basis: expediency, "
                                               "against: [D]}"))
    r = row(d, BOP, "group:G")
    assert (r.status, r.facing, r.variant) == ("active", "outward", "adversarial")
    assert {"al", "wcp"} <= set(r.facts)
    assert status(d, SC, "group:G") == "active"
    # Near miss: the collective planning alone is one kind.
    d = diagnose_yaml(base.replace("ALLIANCE\n", ""))
    assert status(d, BOP, "group:G") == "not_evident"


@pytest.mark.parametrize("mutual", [True, False], ids=["mutual", "collective"])
def test_case_4_mutual_among_three_states_makes_every_pair_rivals_collective_faces_outward(diagnose_yaml, mutual):
    """Case 4 with section 3: `mutual: true` among three states sets every pair against each other (inward);
    without it the entry is their collective practice, facing outward."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
""" + sc3("G") + entries(("deterrence", "arms_race"), "G", ", mutual: true" if mutual else "") + """\
  - {kind: confidence_building, between: [A, B]}
  - {kind: confidence_building, between: [A, C]}
  - {kind: confidence_building, between: [B, C]}
""")
    group_bop = row(d, BOP, "group:G")
    if mutual:
        for dyad in ("dyad:A-B", "dyad:A-C", "dyad:B-C"):
            r = row(d, BOP, dyad)
            assert (r.status, r.facing) == ("active", "inward"), dyad
        assert (group_bop.status, group_bop.facing) == ("active", "inward")
        assert status(d, SC, "group:G") == "nascent"
    else:
        for dyad in ("dyad:A-B", "dyad:A-C", "dyad:B-C"):
            assert status(d, BOP, dyad) == "not_evident", dyad
        assert (group_bop.status, group_bop.facing) == ("active", "outward")
        assert status(d, SC, "group:G") == "active"


def test_case_4_bop_larger_unit_by_covering_inward_entries(diagnose_yaml):
    """Case 4b: two distinct BoP kinds in inward entries that cover a larger unit -> BoP active, inward."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
  - {kind: worst_case_planning, among: G, mutual: true}
  - {kind: capability_monitoring, among: ACTORS, mutual: true}
"""
    r = row(diagnose_yaml(base.replace("ACTORS", "[A, B, C, D]")), BOP, "group:G")
    assert (r.status, r.facing) == ("active", "inward")
    # Near miss: the second kind does not cover G (C is missing); A-B alone is a rival dyad.
    d = diagnose_yaml(base.replace("ACTORS", "[A, B, D]"))
    assert status(d, BOP, "group:G") == "not_evident"


def test_case_4_bop_larger_unit_by_rival_dyads_involving_every_state(diagnose_yaml):
    """Case 4b: rival dyads that together involve every state of the unit (bop_dyad_share) -> its BoP active."""
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
    assert (r.status, r.facing) == ("active", "inward")
    # Near miss: C-D below the threshold: the rival dyads leave C and D out.
    d = diagnose_yaml(base.replace("  - {kind: capability_monitoring, between: [C, D], rooted: true}\n", ""))
    assert status(d, BOP, "group:G") == "not_evident"


# Each file: the unit to read and the `facing` expected on its BoP row.
FACING = {
    "dyad": ("dyad:A-B", "inward", """\
practices:
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
"""),
    "mutual": ("group:G", "inward", "practices:\n" + mutual_bop("G")),
    "collective": ("group:G", "outward", "practices:\n" + collective_bop("G")),
    "directed-from-the-group": ("group:G", "outward", """\
deterrence:
  - {by: G, against: D}
practices:
  - {kind: arms_race, by: G, against: D}
"""),
    "coalition-war-side": ("group:G", "outward", """\
wars:
  - {sides: [[A, B, C], [D]], level: war}
"""),
    "both": ("group:G", "both", "practices:\n" + mutual_bop("G") + collective_bop("G")),
}


@pytest.mark.parametrize("name", sorted(FACING))
def test_case_4_facing_inward_outward_both_and_null_elsewhere(diagnose_yaml, name):
    """Case 4: `facing` is inward, outward or both on active BoP rows, null on every other row."""
    unit, facing, body = FACING[name]
    d = diagnose_yaml(HEAD + "states: {A: a, B: b, C: c, D: d}\ngroups: {G: [A, B, C]}\n" + body)
    r = row(d, BOP, unit)
    assert (r.status, r.facing) == ("active", facing)
    for other in d.mechanisms:
        if other.mechanism == SC or other.status != "active":
            assert other.facing is None, other
        if other.mechanism == BOP and other.status != "active":
            assert other.variant is None, other


def test_case_4_directed_entries_from_a_group_make_its_members_no_rivals(diagnose_yaml):
    """Case 4c: a group that deters an outsider together faces outward; the pairs across are rivals."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
deterrence:
  - {by: G, against: D}
practices:
  - {kind: arms_race, by: G, against: D}
""" + sc3("G"))
    assert status(d, SC, "group:G") == "active"
    for dyad in ("dyad:A-D", "dyad:B-D", "dyad:C-D"):
        assert row(d, BOP, dyad).facing == "inward", dyad
    assert row(d, BOP, "region").facing == "inward"  # rival dyads involve all four states
    assert status(d, SC, "region") != "active"


@pytest.mark.parametrize("kind", ["great_power_concert", "peace_conference"])
def test_case_4_variant_associational_needs_a_rooted_concert_and_no_war(diagnose_yaml, kind):
    """Case 4: associational when a rooted concert/peace conference covers the unit and no war divides it."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d}
practices:
  - {kind: deterrence, between: [A, B]}
  - {kind: arms_race, between: [A, B]}
  - {id: arch, kind: KIND, among: ACTORS}
""".replace("KIND", kind)
    r = row(diagnose_yaml(base.replace("ACTORS", "[A, B, C, D]")), BOP, "dyad:A-B")
    assert (r.status, r.variant) == ("active", "associational")
    # Near misses: the arch does not cover the dyad; it never took root; a war divides the dyad.
    assert row(diagnose_yaml(base.replace("ACTORS", "[B, C, D]")), BOP, "dyad:A-B").variant == "adversarial"
    assert row(diagnose_yaml(base.replace("ACTORS", "[A, B, C, D], rooted: false")),
               BOP, "dyad:A-B").variant == "adversarial"
    d = diagnose_yaml(base.replace("ACTORS", "[A, B, C, D]") + "wars:\n  - {between: [A, B], level: armed_conflict}\n")
    assert (status(d, BOP, "dyad:A-B"), row(d, BOP, "dyad:A-B").variant) == ("active", "adversarial")


def test_case_4_concert_alone_makes_no_rivals(diagnose_yaml):
    """Case 4a: a dyad needs at least one kind other than great_power_concert and peace_conference."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
practices:
  - {kind: great_power_concert, between: [A, B]}
  - {kind: peace_conference, between: [A, B]}
  - {kind: great_power_concert, between: [B, C]}
  - {kind: deterrence, between: [B, C]}
""")
    assert status(d, BOP, "dyad:A-B") == "not_evident"
    r = row(d, BOP, "dyad:B-C")
    assert (r.status, r.variant) == ("active", "associational")


# --------------------------------------------------------------------------------------------
# A coalition war with sides
# --------------------------------------------------------------------------------------------

COALITION = HEAD + """\
states: {USA: u, GBR: g, AUS: a, FRA: f, DEU: d, IRQ: i}
groups: {NATO: [USA, GBR, FRA, DEU], Coalition: [USA, GBR, AUS]}
practices:
""" + sc3("NATO") + """\
wars:
  - {id: gulf, sides: SIDES, level: war}
"""


def test_coalition_war_allies_on_one_side_stay_a_community(diagnose_yaml):
    """Cases 1, 4a, 4c with section 2: a war with `sides` sets only the pairs across the sides at war."""
    d = diagnose_yaml(COALITION.replace("SIDES", "[[USA, GBR, AUS], [IRQ]]"))
    assert status(d, SC, "group:NATO") == "active"  # the US and the UK fight together
    assert status(d, BOP, "group:NATO") == "not_evident"
    for dyad in ("dyad:IRQ-USA", "dyad:GBR-IRQ", "dyad:AUS-IRQ"):
        r = row(d, BOP, dyad)
        assert (r.status, r.facing) == ("active", "inward"), dyad
        assert "gulf" in r.facts
    assert row(d, BOP, "dyad:GBR-USA") is None  # the war names no pair within a side
    r = row(d, BOP, "group:Coalition")  # all its states on one side, none on the other
    assert (r.status, r.facing) == ("active", "outward")
    # Near miss: the UK on the other side: a war between two NATO members.
    d = diagnose_yaml(COALITION.replace("SIDES", "[[USA, AUS], [GBR, IRQ]]"))
    assert status(d, SC, "group:NATO") == "formal_only"
    assert status(d, BOP, "dyad:GBR-USA") == "active"
    assert row(d, BOP, "group:Coalition").facing != "outward"  # its states are on both sides


# --------------------------------------------------------------------------------------------
# Case 5: SC nascent
# --------------------------------------------------------------------------------------------

def test_case_5_nascent_needs_rooted_kinds(diagnose_yaml):
    """Case 5: nascent counts rooted kinds only: two unrooted kinds are formal_only (case 6)."""
    base = HEAD + "states: {A: a, B: b, C: c}\npractices:\n"
    r = row(diagnose_yaml(base + sc2("[A, B, C]")), SC, "region")
    assert (r.status, r.phase, r.coupling) == ("nascent", "nascent", None)
    assert status(diagnose_yaml(base + sc2("[A, B, C]", ", rooted: false")), SC, "region") == "formal_only"


@pytest.mark.parametrize("level, expected", [("war", "formal_only"), ("armed_conflict", "formal_only"),
                                             ("crisis", "nascent")])
def test_case_5_no_nascent_community_while_a_war_divides_the_unit(diagnose_yaml, level, expected):
    """Case 5 near miss: two rooted kinds alongside war between the unit's states -> formal_only, not nascent."""
    d = diagnose_yaml(HEAD + "states: {A: a, B: b, C: c}\npractices:\n" + sc2("[A, B, C]") +
                      "wars:\n  - {between: [A, B], level: " + level + "}\n")
    assert status(d, SC, "region") == expected


# --------------------------------------------------------------------------------------------
# Case 6: SC formal only, and the precedence of statuses
# --------------------------------------------------------------------------------------------

def test_case_6_formal_only_unrooted_practices(diagnose_yaml):
    """Case 6: SC practices that are not rooted -> formal_only (rooted ones would make it active)."""
    base = HEAD + "states: {A: a, B: b, C: c}\npractices:\n" + sc3("[A, B, C]", ", rooted: ROOTED")
    assert status(diagnose_yaml(base.replace("ROOTED", "true")), SC, "region") == "active"
    r = row(diagnose_yaml(base.replace("ROOTED", "false")), SC, "region")
    assert (r.status, r.phase, r.coupling) == ("formal_only", None, None)
    assert r.rules and r.facts


def test_case_6_formal_only_alongside_war_without_previous_sc(diagnose_yaml):
    """Case 6: SC practices alongside a war between its states, SC not active before -> formal_only."""
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
    assert "w" in r.facts


def test_case_6_near_miss_war_without_sc_practices_is_not_formal_only(diagnose_yaml):
    """Case 6 near miss: war and no SC practice at all -> not_evident, not formal_only."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
wars:
  - {between: [B, C], level: war}
""")
    assert status(d, SC, "region") == "not_evident"


# p1 holds three rooted SC kinds (active) or nothing; p2 what the case names.
PRECEDENCE = [
    # (id, SC active in p1, p2 kinds (kind, rooted), war in p2, expected p2 status)
    ("active-over-nascent-and-unrooted", False, [("consultation", True), ("unfortified_border", True),
                                                ("self_restraint", True), ("cooperative_security", False)],
     False, "active"),
    ("broken-down-over-formal-only-at-war", True, [("consultation", True), ("unfortified_border", True),
                                                  ("self_restraint", True)], True, "broken_down"),
    ("broken-down-over-decaying", True, [("consultation", True)], True, "broken_down"),
    ("decaying-over-nascent", True, [("consultation", True), ("unfortified_border", True)], False, "decaying"),
    ("decaying-over-formal-only-unrooted", True, [("consultation", False), ("unfortified_border", False),
                                                 ("self_restraint", False)], False, "decaying"),
    ("formal-only-at-war-over-nascent", False, [("consultation", True), ("unfortified_border", True)], True,
     "formal_only"),
    ("nascent-over-formal-only-unrooted", False, [("consultation", True), ("unfortified_border", True),
                                                 ("self_restraint", False)], False, "nascent"),
    ("formal-only-unrooted-over-not-evident", False, [("consultation", True), ("self_restraint", False)],
     False, "formal_only"),
    ("not-evident", False, [("consultation", True)], False, "not_evident"),
]


@pytest.mark.parametrize("sc_before, kinds, war, expected", [p[1:] for p in PRECEDENCE],
                         ids=[p[0] for p in PRECEDENCE])
def test_case_6_precedence_of_statuses(diagnose_yaml, sc_before, kinds, war, expected):
    """Case 6: precedence: active, broken_down, decaying, formal_only at war, nascent, formal_only unrooted,
    not_evident."""
    text = HEAD + "states: {A: a, B: b, C: c}\n" + periods("p1", "p2") + "practices:\n"
    if sc_before:
        text += sc3("[A, B, C]", ", period: p1")
    for kind, rooted in kinds:
        text += "  - {kind: " + kind + ", among: [A, B, C], period: p2, rooted: " + str(rooted).lower() + "}\n"
    if war:
        text += "wars:\n  - {between: [A, B], level: war, period: p2}\n"
    d = diagnose_yaml(text)
    assert status(d, SC, "region", "p1") == ("active" if sc_before else "not_evident")
    assert status(d, SC, "region", "p2") == expected


# --------------------------------------------------------------------------------------------
# Case 1: phase and coupling of an active community
# --------------------------------------------------------------------------------------------

def test_case_1_phase_ascendant_mature_and_null(diagnose_yaml):
    """Case 1: phase nascent, then ascendant when newly active, mature when active before; null first."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c}
periods: [{id: p1}, {id: p2}, {id: p3}, {id: p4}, {id: p5}]
practices:
  - {kind: consultation, among: [A, B, C]}
  - {kind: unfortified_border, among: [A, B, C]}
  - {kind: self_restraint, among: [A, B, C], period: p2}
  - {kind: self_restraint, among: [A, B, C], period: p3}
  - {kind: self_restraint, among: [A, B, C], period: p5}
""")
    got = [(r.status, r.phase) for r in (row(d, SC, "region", p) for p in ("p1", "p2", "p3", "p4", "p5"))]
    assert got == [("nascent", "nascent"), ("active", "ascendant"), ("active", "mature"), ("decaying", None),
                   ("active", "ascendant")]
    # active from the first period: no previous period, then mature
    d = diagnose_yaml(HEAD + "states: {A: a, B: b, C: c}\n" + periods("p1", "p2") + "practices:\n" + sc3("[A, B, C]"))
    assert [row(d, SC, "region", p).phase for p in ("p1", "p2")] == [None, "mature"]


@pytest.mark.parametrize("kinds, coupling", [
    (("consultation", "unfortified_border", "self_restraint"), "loose"),
    (("consultation", "cooperative_security", "unfortified_border"), "loose"),  # one tight kind
    (("consultation", "cooperative_security", "policy_coordination"), "tight"),
    (("military_integration", "multilateral_decision_making", "self_restraint"), "tight"),
])
def test_case_1_coupling_tight_with_two_tightly_coupled_kinds(diagnose_yaml, kinds, coupling):
    """Case 1: coupling tight when sc_tight_min_kinds of the counted kinds are tightly coupled, else loose."""
    d = diagnose_yaml(HEAD + "states: {A: a, B: b, C: c}\npractices:\n" + entries(kinds, "[A, B, C]"))
    r = row(d, SC, "region")
    assert (r.status, r.coupling) == ("active", coupling)


def test_case_1_coupling_counts_only_counted_kinds(diagnose_yaml):
    """Case 1: unrooted tightly coupled kinds are not counted kinds: they make no coupling tight."""
    base = HEAD + "states: {A: a, B: b, C: c}\npractices:\n" + sc3("[A, B, C]") + \
        entries(("cooperative_security", "policy_coordination"), "[A, B, C]", ", rooted: ROOTED")
    assert row(diagnose_yaml(base.replace("ROOTED", "true")), SC, "region").coupling == "tight"
    assert row(diagnose_yaml(base.replace("ROOTED", "false")), SC, "region").coupling == "loose"


# --------------------------------------------------------------------------------------------
# Case 9 (with 1): a war without a sector in slice rows
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("war_sector", [None, "military"])
def test_case_9_war_blocks_sc_in_every_slice_but_makes_bop_active_only_where_it_counts(diagnose_yaml, war_sector):
    """Case 9: a war without a sector blocks SC in every slice row, and makes BoP active only on the row of all
    practices (and on the slice the war names)."""
    text = HEAD + "states: {A: a, B: b, C: c}\npractices:\n" + sc3("[A, B, C]", ", sector: economic") + \
        "wars:\n  - {id: w, between: [A, B], level: war" + (", sector: " + war_sector if war_sector else "") + "}\n"
    d = diagnose_yaml(text)
    for unit in ("region", "dyad:A-B"):
        assert status(d, SC, unit) == "formal_only", unit
        assert status(d, SC, unit, sector="economic") == "formal_only", unit
    assert status(d, BOP, "dyad:A-B") == "active"
    assert status(d, BOP, "dyad:A-B", sector="economic") != "active"
    if war_sector:
        assert status(d, BOP, "dyad:A-B", sector=war_sector) == "active"
    assert not any(r.status == "active" for r in d.mechanisms if r.mechanism == BOP and r.unit == "region")
    assert overlaps(d, "functional") == []


# --------------------------------------------------------------------------------------------
# Case 9: functional overlap
# --------------------------------------------------------------------------------------------

FUNCTIONAL = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
  - {id: f1, kind: consultation, among: G, sector: economic, agency: foreign, issue: trade}
  - {id: f2, kind: economic_integration, among: G, sector: economic, agency: foreign, issue: trade}
  - {id: f3, kind: policy_coordination, among: G, THIRD}
  - {id: f4, kind: deterrence, among: G, mutual: true, sector: military, agency: defence, issue: terrorism}
  - {id: f5, kind: arms_race, among: G, mutual: true, sector: military, agency: defence, issue: terrorism}
"""


def test_case_9_functional_overlap_by_sector_agency_and_issue(diagnose_yaml):
    """Case 9: SC active on one sector/agency/issue's practices, BoP on another's -> functional overlap.

    Blocking is read per row: the economic community stands beside the
    military rivalry, though the row of all practices is only nascent.
    """
    d = diagnose_yaml(FUNCTIONAL.replace("THIRD", "sector: economic, agency: foreign, issue: trade"))
    assert status(d, SC, "group:G") == "nascent"  # all practices: the members balance each other
    assert status(d, SC, "group:G", sector="economic") == "active"
    assert status(d, SC, "group:G", agency="foreign") == "active"
    assert status(d, SC, "group:G", issue="trade") == "active"
    r = row(d, BOP, "group:G", sector="military")
    assert (r.status, r.facing) == ("active", "inward")
    fn = overlaps(d, "functional")
    assert sorted((tuple(o.units), o.dimension) for o in fn) == [
        (("group:G",), "agency"), (("group:G",), "issue"), (("group:G",), "sector")]
    on = {o.dimension: o.on for o in fn}
    assert on["sector"] == {SC: "economic", BOP: "military"}
    assert on["agency"] == {SC: "foreign", BOP: "defence"}
    assert on["issue"] == {SC: "trade", BOP: "terrorism"}
    for o in fn:
        assert tuple(o.mechanisms) == BOTH and o.rules
        assert o.period is None
    item = [o for o in d.to_dict()["overlaps"] if o["type"] == "functional"][0]
    assert item["dimension"] in ("sector", "agency", "issue") and set(item["on"]) == set(BOTH)


def test_case_9_near_miss_sc_not_active_on_any_one_slice(diagnose_yaml):
    """Case 9 near miss: SC active on no single sector/agency/issue -> no functional row."""
    d = diagnose_yaml(FUNCTIONAL.replace(", THIRD", ""))
    assert status(d, SC, "group:G", sector="economic") == "nascent"  # two kinds on the economic sector
    assert status(d, BOP, "group:G", sector="military") == "active"
    assert overlaps(d, "functional") == []


# --------------------------------------------------------------------------------------------
# Case 7: relational overlap
# --------------------------------------------------------------------------------------------

RELATIONAL = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
periods: [{id: p1}, {id: p2}]
subregions: {S: [A, B, C, D]}
groups: {G: [A, B, C, D]}
practices:
""" + sc3("[A, B, C, D]", ", period: SC_PERIOD") + """\
  - {id: ab1, kind: arms_race, between: [A, B], period: p2}
  - {id: ab2, kind: capability_monitoring, between: [A, B], period: p2}
  - {kind: arms_race, between: [C, E], period: p2}
  - {kind: capability_monitoring, between: [C, E], period: p2}
"""


def test_case_7_relational_one_row_per_containing_unit(diagnose_yaml):
    """Case 7: a rival dyad inside wider units with SC active: one row each, units = [dyad, unit]."""
    d = diagnose_yaml(RELATIONAL.replace("SC_PERIOD", "p2"))
    assert status(d, SC, "group:G", "p2") == "active" and status(d, SC, "subregion:S", "p2") == "active"
    assert status(d, SC, "region", "p2") == "not_evident"  # E shares no practice
    rel = overlaps(d, "relational")
    assert units_of(d, "relational") == [(("dyad:A-B", "group:G"), "p2"), (("dyad:A-B", "subregion:S"), "p2")]
    for o in rel:
        assert tuple(o.mechanisms) == BOTH
        assert o.rules and {"ab1", "ab2"} <= set(o.facts)
    # C-E is a rival dyad too, but E belongs to no community with C.
    assert not any("dyad:C-E" in o.units for o in overlaps(d))


def test_case_7_near_miss_sc_and_bop_in_different_periods(diagnose_yaml):
    """Case 7 near miss: the community and the rivalry must be active in the same period."""
    d = diagnose_yaml(RELATIONAL.replace("SC_PERIOD", "p1"))
    assert status(d, SC, "group:G", "p1") == "active" and status(d, BOP, "dyad:A-B", "p2") == "active"
    assert overlaps(d, "relational") == []


def test_case_7_near_miss_container_without_active_sc(diagnose_yaml):
    """Case 7 near miss: a rival dyad in a group whose SC is only nascent gives no relational overlap."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C, D]}
practices:
""" + sc2("G") + """\
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
""")
    assert status(d, BOP, "dyad:A-B") == "active"
    assert status(d, SC, "group:G") == "nascent"
    assert overlaps(d) == []


def test_case_7_only_for_dyads_that_some_entry_names(diagnose_yaml):
    """Case 7: a rival pair that no entry names blocks nothing here and gets no row; once named, it overlaps."""
    base = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e, F: f}
groups: {G: [A, B, C, D, E]}
practices:
""" + sc3("G") + """\
  - {kind: deterrence, among: [A, B, C], mutual: true}
  - {kind: arms_race, among: [A, B, D], mutual: true}
"""
    d = diagnose_yaml(base)  # only A-B shares two kinds: 2 of G's 5 states
    assert status(d, SC, "group:G") == "active"
    assert row(d, BOP, "dyad:A-B") is None
    assert overlaps(d, "relational") == []
    d = diagnose_yaml(base + "  - {kind: confidence_building, between: [A, B]}\n")
    assert status(d, BOP, "dyad:A-B") == "active"
    assert units_of(d, "relational") == [(("dyad:A-B", "group:G"), None)]


# --------------------------------------------------------------------------------------------
# Case 8: spatial overlap
# --------------------------------------------------------------------------------------------

SPATIAL = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e, F: f}
SECTIONS: {N: [A, B, C], S: [D, E, F]}
practices:
""" + sc3("N") + "BALANCE"


def spatial_file(sections: str = "subregions", balance: str = mutual_bop("S")) -> str:
    return SPATIAL.replace("SECTIONS", sections).replace("BALANCE", balance)


def test_case_8_spatial_overlap(diagnose_yaml):
    """Case 8: one sub-region has SC active, another BoP active inward and SC not active -> spatial overlap."""
    d = diagnose_yaml(spatial_file())
    assert status(d, SC, "subregion:N") == "active"
    assert (status(d, BOP, "subregion:S"), row(d, BOP, "subregion:S").facing) == ("active", "inward")
    sp = overlaps(d, "spatial")
    assert len(sp) == 1
    assert sorted(sp[0].units) == ["subregion:N", "subregion:S"]
    assert tuple(sp[0].mechanisms) == BOTH and sp[0].rules


def test_case_8_near_miss_groups_are_not_subregions(diagnose_yaml):
    """Case 8 near miss: the same pattern between groups (not sub-regions) is no spatial overlap."""
    d = diagnose_yaml(spatial_file("groups"))
    assert status(d, SC, "group:N") == "active" and status(d, BOP, "group:S") == "active"
    assert overlaps(d, "spatial") == []


def test_case_8_near_miss_balancing_outward_only(diagnose_yaml):
    """Case 8 near miss: a sub-region that balances only outward (a collective practice) gives no spatial overlap."""
    d = diagnose_yaml(spatial_file(balance=collective_bop("S")))
    assert (status(d, BOP, "subregion:S"), row(d, BOP, "subregion:S").facing) == ("active", "outward")
    assert overlaps(d, "spatial") == []


def test_case_8_near_miss_balancing_subregion_is_also_a_community(diagnose_with):
    """Case 8 near miss: the balancing sub-region must have BoP *without* SC (thresholds let both stand)."""
    text = spatial_file(balance=sc3("S") + """\
  - {kind: arms_race, between: [D, E]}
  - {kind: capability_monitoring, between: [D, E]}
""")
    # D-E: 2 of S's 3 states: S balances (bop_dyad_share 0.5) and its community is blocked (above 0.5)
    d = diagnose_with(text, bop_dyad_share=0.5)
    assert status(d, BOP, "subregion:S") == "active" and status(d, SC, "subregion:S") == "nascent"
    assert len(overlaps(d, "spatial")) == 1
    # ... unless blocking needs more than two thirds: then S is a community too: no spatial overlap
    d = diagnose_with(text, bop_dyad_share=0.5, sc_block_share=0.9)
    assert status(d, BOP, "subregion:S") == "active" and status(d, SC, "subregion:S") == "active"
    assert overlaps(d, "spatial") == []


def test_case_8_near_miss_different_periods(diagnose_yaml):
    """Case 8 near miss: the community and the balance must hold in one period."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e, F: f}
periods: [{id: p1}, {id: p2}]
subregions: {N: [A, B, C], S: [D, E, F]}
practices:
""" + sc3("N", ", period: p1") + mutual_bop("S", ", period: p2"))
    assert status(d, SC, "subregion:N", "p1") == "active" and status(d, BOP, "subregion:S", "p2") == "active"
    assert overlaps(d, "spatial") == []


# --------------------------------------------------------------------------------------------
# Case 10: temporal overlap
# --------------------------------------------------------------------------------------------

def temporal_file(sc_periods, bop_periods, period_ids=("p1", "p2")) -> str:
    """Group G = [A, B, C] (and D outside): a community, and a balance facing outward, in the periods given."""
    text = HEAD + "states: {A: a, B: b, C: c, D: d}\ngroups: {G: [A, B, C]}\n" + periods(*period_ids)
    text += "practices:\n"
    for p in sc_periods:
        text += sc3("G", ", period: " + p)
    for p in bop_periods:
        text += collective_bop("G", ", period: " + p)
    return text


@pytest.mark.parametrize("sc_periods, bop_periods, expected", [
    # the old balance persists while the community takes hold
    (["p2"], ["p1", "p2"], ["p2"]),
    # the community outlives the balance
    (["p1", "p2"], ["p1"], ["p1"]),
    # the community came first; a balance is layered over it
    (["p1", "p2"], ["p2"], ["p2"]),
    # the balance outlives the community: (a) in p1, and (c) in p2, where the community decays beside it
    (["p1"], ["p1", "p2"], ["p1", "p2"]),
])
def test_case_10a_temporal_overlap_both_directions(diagnose_yaml, sc_periods, bop_periods, expected):
    """Case 10a: both active in one period, exactly one in an adjacent period -> one row, `period` = both's."""
    d = diagnose_yaml(temporal_file(sc_periods, bop_periods))
    for p in sc_periods:
        assert status(d, SC, "group:G", p) == "active"
    for p in bop_periods:
        assert (status(d, BOP, "group:G", p), row(d, BOP, "group:G", p).facing) == ("active", "outward")
    assert units_of(d, "temporal") == [(("group:G",), p) for p in expected]
    for o in overlaps(d, "temporal"):
        assert tuple(o.mechanisms) == BOTH and o.rules


def test_case_10a_one_row_per_period_even_with_two_adjacent_periods(diagnose_yaml):
    """Case 10a: BoP alone before, SC alone after the period where both are active -> one row for it."""
    d = diagnose_yaml(temporal_file(["p2", "p3"], ["p1", "p2"], period_ids=("p1", "p2", "p3")))
    assert units_of(d, "temporal") == [(("group:G",), "p2")]


@pytest.mark.parametrize("sc_periods, bop_periods, period_ids", [
    (["p1", "p2"], ["p1", "p2"], ("p1", "p2")),  # statuses do not change
    (["p1"], ["p1"], ("p1", "p2")),  # the adjacent period has neither active
    (["p1"], ["p1"], ("p1",)),  # no adjacent period
    (["p1", "p3"], ["p3"], ("p1", "p2", "p3")),  # SC alone only two periods away
])
def test_case_10_near_miss_no_temporal_row(diagnose_yaml, sc_periods, bop_periods, period_ids):
    """Case 10 near miss: no row when the adjacent period has both mechanisms or neither, or nothing changes."""
    d = diagnose_yaml(temporal_file(sc_periods, bop_periods, period_ids))
    assert status(d, SC, "group:G", sc_periods[-1]) == "active"
    assert status(d, BOP, "group:G", bop_periods[-1]) == "active"
    assert overlaps(d, "temporal") == []


NASCENT_THEN_ACTIVE = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
periods: [{id: p1}, {id: p2}]
practices:
"""


def test_case_10b_nascent_community_takes_hold_after_inward_balancing(diagnose_yaml):
    """Case 10b: BoP active inward and SC nascent in p1, SC active in p2 -> one temporal row, period p1."""
    d = diagnose_yaml(NASCENT_THEN_ACTIVE + sc3("G") + mutual_bop("G", ", period: p1"))
    assert (status(d, SC, "group:G", "p1"), row(d, BOP, "group:G", "p1").facing) == ("nascent", "inward")
    r = row(d, SC, "group:G", "p2")
    assert (r.status, r.phase) == ("active", "ascendant")
    assert status(d, BOP, "group:G", "p2") == "not_evident"
    assert units_of(d, "temporal") == [(("group:G",), "p1")]
    assert tuple(overlaps(d, "temporal")[0].mechanisms) == BOTH


@pytest.mark.parametrize("practices", [
    sc3("G") + mutual_bop("G"),  # the balance persists: the community stays nascent
    sc2("G") + "  - {kind: self_restraint, among: G, period: p2}\n" + collective_bop("G", ", period: p1"),
    sc2("G") + "  - {kind: self_restraint, among: G, period: p2}\n",  # no balance at all
], ids=["still-balancing", "outward-balance-only", "no-balance"])
def test_case_10b_near_miss(diagnose_yaml, practices):
    """Case 10b near miss: no temporal row unless the nascent period balances inward and the next is active."""
    d = diagnose_yaml(NASCENT_THEN_ACTIVE + practices)
    assert status(d, SC, "group:G", "p1") == "nascent"
    assert overlaps(d, "temporal") == []


def test_case_10c_decaying_community_beside_returning_balance(diagnose_yaml):
    """Case 10c: SC decaying while BoP is active -> one temporal row in the decaying period."""
    d = diagnose_yaml(NASCENT_THEN_ACTIVE + sc3("G") + mutual_bop("G", ", period: p2"))
    assert status(d, SC, "group:G", "p1") == "active"
    assert (status(d, SC, "group:G", "p2"), status(d, BOP, "group:G", "p2")) == ("decaying", "active")
    assert units_of(d, "temporal") == [(("group:G",), "p2")]


@pytest.mark.parametrize("p2", [
    "wars:\n  - {between: [A, B], level: war, period: p2}\n",  # broken down, not decaying
    "",  # decaying, without balancing
], ids=["broken-down", "decaying-alone"])
def test_case_10c_near_miss(diagnose_yaml, p2):
    """Case 10c near miss: a community that breaks down, or decays with no balance beside it: no temporal row."""
    d = diagnose_yaml(NASCENT_THEN_ACTIVE + sc3("G", ", period: p1") + p2)
    assert status(d, SC, "group:G", "p2") in ("broken_down", "decaying")
    assert overlaps(d, "temporal") == []


# --------------------------------------------------------------------------------------------
# Case 11: character
# --------------------------------------------------------------------------------------------

# One functional overlap of group G = [A, B, C] in p2: SC on the economic sector, BoP (facing
# outward) on the military sector. D is outside G, so G's is the only overlap.
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

BOTH_MECHANISMS = "combines: [balance_of_power, security_community]"


def character_file(strategy: str = "", deliberate: bool = False, extra: str = "") -> str:
    text = CHARACTER.replace("DELIBERATE", "true" if deliberate else "false")
    if strategy:
        text += "strategies:\n  - {id: st, name: omni-enmeshment, " + strategy + "}\n"
    return text + extra


def the_overlap(d):
    ov = overlaps(d)
    assert [(o.type, tuple(o.units), o.period) for o in ov] == [("functional", ("group:G",), "p2")]
    assert ov[0].on == {SC: "economic", BOP: "military"}
    return ov[0]


def test_case_11_character_automatic(diagnose_yaml):
    """Case 11: no deliberate contributing practice and no covering strategy -> automatic."""
    o = the_overlap(diagnose_yaml(character_file()))
    assert o.character == "automatic"
    assert o.rules and {"k1", "k4"} <= set(o.facts)


@pytest.mark.parametrize("by", ["G", "[A, B, C]", "[A, B, C, D]"])
def test_case_11_character_manual(diagnose_yaml, by):
    """Case 11: a strategy whose `by` includes the overlap's states and combines both mechanisms -> manual."""
    o = the_overlap(diagnose_yaml(character_file("by: " + by + ", " + BOTH_MECHANISMS)))
    assert o.character == "manual"
    assert "st" in o.facts


def test_case_11_manual_wins_over_deliberate_practices(diagnose_yaml):
    """Case 11: a covering strategy that combines both makes the overlap manual even with deliberate practices."""
    o = the_overlap(diagnose_yaml(character_file(
        "by: G, combines: [security_community, balance_of_power]", deliberate=True)))
    assert o.character == "manual"


def test_case_11_character_mixed_deliberate_practice(diagnose_yaml):
    """Case 11: a deliberate contributing practice and no covering strategy -> mixed."""
    o = the_overlap(diagnose_yaml(character_file(deliberate=True)))
    assert o.character == "mixed"
    assert "k4" in o.facts


def test_case_11_character_mixed_strategy_combining_one_mechanism(diagnose_yaml):
    """Case 11: a strategy that covers the overlap but combines only one mechanism -> mixed."""
    o = the_overlap(diagnose_yaml(character_file("by: G, combines: [security_community]")))
    assert o.character == "mixed"


@pytest.mark.parametrize("strategy", [
    "by: [A, B], " + BOTH_MECHANISMS,  # C is missing from `by`
    "by: [A, B, D], " + BOTH_MECHANISMS,
    "by: G, period: p1, " + BOTH_MECHANISMS,  # not the overlap's period
    "by: [A, B], combines: [security_community]",
])
def test_case_11_near_miss_strategy_that_does_not_cover(diagnose_yaml, strategy):
    """Case 11 near miss: a strategy whose `by` lacks a state of the overlap, or of another period, covers nothing."""
    o = the_overlap(diagnose_yaml(character_file(strategy)))
    assert o.character == "automatic"
    assert "st" not in o.facts


@pytest.mark.parametrize("scope, character", [
    ("overlaps: [functional]", "manual"),
    ("overlaps: [temporal, functional]", "manual"),
    ("overlaps: [relational, spatial]", "automatic"),  # not this overlap's type
    ("sector: military", "manual"),  # the BoP side's value
    ("sector: economic", "manual"),  # the SC side's value
    ("sector: political", "automatic"),  # neither of the overlap's two values
    ("agency: defence", "automatic"),  # the overlap is on the sector dimension
    ("issue: terrorism", "automatic"),
    ("overlaps: [functional], sector: military", "manual"),
    ("overlaps: [temporal], sector: military", "automatic"),
])
def test_case_11_scoped_strategy_on_a_functional_overlap(diagnose_yaml, scope, character):
    """Case 11: a strategy scoped by `overlaps` or by a sector/agency/issue covers only what its scope names."""
    o = the_overlap(diagnose_yaml(character_file("by: G, " + BOTH_MECHANISMS + ", " + scope)))
    assert o.character == character
    assert ("st" in o.facts) == (character == "manual")


def test_case_11_juncture_in_the_overlaps_period_is_named(diagnose_yaml):
    """Case 11: a juncture in the overlap's period is named in the explanation and its id is in `facts`."""
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


def test_case_11_juncture_without_period_applies_to_every_period(diagnose_yaml):
    """Case 11 with section 2: a juncture without `period` is in every period, so in the overlap's."""
    o = the_overlap(diagnose_yaml(character_file(extra="junctures:\n  - {id: jj, name: the shock}\n")))
    assert "the shock" in o.explanation and "jj" in o.facts


RELATIONAL_CHARACTER = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C, D]}
practices:
""" + sc3("G") + """\
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
strategies:
  - {id: st, name: hedging, by: BY, combines: [balance_of_power, security_community]SCOPE}
"""


@pytest.mark.parametrize("by, scope, character", [
    ("[A, B]", "", "manual"),
    ("G", "", "manual"),
    ("[A, C]", "", "automatic"),  # lacks B, one of the dyad's states
    ("[A, B]", ", overlaps: [relational]", "manual"),
    ("[A, B]", ", overlaps: [functional]", "automatic"),
    ("[A, B]", ", sector: military", "automatic"),  # scoped by sector: covers no other type
    ("[A, B]", ", agency: defence", "automatic"),
])
def test_case_11_relational_overlap_is_covered_by_the_dyads_states(diagnose_yaml, by, scope, character):
    """Case 11: for a relational overlap a strategy covers it when its `by` includes the dyad's two states."""
    d = diagnose_yaml(RELATIONAL_CHARACTER.replace("BY", by).replace("SCOPE", scope))
    rel = overlaps(d, "relational")
    assert units_of(d, "relational") == [(("dyad:A-B", "group:G"), None)]
    assert rel[0].character == character


def test_case_11_spatial_overlap_needs_the_states_of_both_subregions(diagnose_yaml):
    """Case 11: for a spatial overlap the strategy's `by` must include every state of both sub-regions."""
    base = spatial_file() + """\
strategies:
  - {id: st, name: zones of peace, by: BY, combines: [balance_of_power, security_community]}
"""
    assert overlaps(diagnose_yaml(base.replace("BY", "[A, B, C, D, E, F]")), "spatial")[0].character == "manual"
    assert overlaps(diagnose_yaml(base.replace("BY", "[A, B, C, D, E]")), "spatial")[0].character == "automatic"


# --------------------------------------------------------------------------------------------
# Case 12: nothing invented
# --------------------------------------------------------------------------------------------

def test_case_12_one_mechanism_alone_gives_no_overlap(diagnose_yaml):
    """Case 12: SC alone, or BoP alone, gives no overlap."""
    sc_only = diagnose_yaml(HEAD + "states: {A: a, B: b, C: c}\n" + periods("p1", "p2") + "practices:\n" +
                            sc3("[A, B, C]", ", sector: political"))
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


@pytest.mark.parametrize("period_ids", [None, ["p1", "p2"]])
def test_case_12_near_empty_file_says_not_evident_for_each_declared_unit(diagnose_yaml, period_ids):
    """Case 12: too little evidence -> `not_evident` rows for the region and each group and sub-region,
    each naming the unit's declaration in `facts`."""
    text = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {NATO: [A, B, C]}
subregions: {North: [A, B], South: [C, D]}
practices:
  - {kind: consultation, among: NATO}
"""
    if period_ids:
        text += periods(*period_ids)
    d = diagnose_yaml(text)
    declarations = {"region": "states", "group:NATO": "groups.NATO", "subregion:North": "subregions.North",
                    "subregion:South": "subregions.South"}
    for period in period_ids or [None]:
        for unit, declared in declarations.items():
            for mechanism in BOTH:
                r = row(d, mechanism, unit, period)
                assert r is not None, (mechanism, unit, period)
                assert r.status == "not_evident"
                assert declared in r.facts
                assert r.explanation and r.rules
                assert (r.variant, r.facing, r.phase, r.coupling) == (None, None, None, None)
    assert d.active() == []
    assert overlaps(d) == []


# --------------------------------------------------------------------------------------------
# soft_balancing: an indicator, named, counting toward no threshold
# --------------------------------------------------------------------------------------------

def test_soft_balancing_is_named_but_counts_toward_no_threshold(diagnose_yaml):
    """Cases 1 and 4 with section 2's vocabulary: soft_balancing is named on its rows, counts toward no threshold."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C], H: [D, E]}
practices:
  - {kind: consultation, among: G}
  - {kind: unfortified_border, among: G}
  - {kind: worst_case_planning, among: G, mutual: true}
  - {id: soft, kind: soft_balancing, among: G}
  - {kind: consultation, among: H}
""")
    sc_row, bop_row = row(d, SC, "group:G"), row(d, BOP, "group:G")
    assert sc_row.status == "nascent"  # two kinds; soft balancing is not a third, nor a second BoP kind
    assert bop_row.status == "not_evident"
    for r in (sc_row, bop_row):
        assert "soft balancing" in said(r.explanation) and "soft" in r.facts
    for r in rows_of(d, SC, "group:H") + rows_of(d, BOP, "group:H"):
        assert "soft balancing" not in said(r.explanation) and "soft" not in r.facts


def test_soft_balancing_is_named_in_the_overlap_rows_of_its_unit(diagnose_yaml):
    """Case 11 with section 2's vocabulary: soft_balancing is named in the explanation of an overlap row of its unit."""
    # `extra` continues the practices list when there is no strategy.
    d = diagnose_yaml(character_file(extra="  - {id: soft, kind: soft_balancing, among: G, period: p2}\n"))
    o = the_overlap(d)
    assert "soft balancing" in said(o.explanation) and "soft" in o.facts
    assert o.character == "automatic"  # an indicator is not a deliberate practice


# --------------------------------------------------------------------------------------------
# Thresholds, and the output's schema
# --------------------------------------------------------------------------------------------

def test_thresholds_are_listed_in_the_output_with_their_defaults(diagnose_yaml):
    """Cases 1, 4 and 5 (section 3's thresholds): every threshold is listed under `thresholds`, the new ones too."""
    d = diagnose_yaml(HEAD + "states: {A: a, B: b}\n")
    for name, value in DEFAULT_THRESHOLDS.items():
        assert d.thresholds[name] == value, name
    assert json.loads(d.to_json())["thresholds"] == d.thresholds


def test_threshold_sc_block_share_is_changeable(diagnose_with):
    """Case 1 (b): sc_block_share decides how many states in rival dyads block a community; listed as in force."""
    text = HEAD + """\
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C]}
practices:
""" + sc3("G") + """\
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
"""
    d = diagnose_with(text)
    assert status(d, SC, "group:G") == "nascent"  # 2 of 3 states > 0.5
    assert overlaps(d, "relational") == []
    d = diagnose_with(text, sc_block_share=0.7)
    assert status(d, SC, "group:G") == "active"
    assert units_of(d, "relational") == [(("dyad:A-B", "group:G"), None)]
    assert d.thresholds["sc_block_share"] == 0.7
    assert json.loads(d.to_json())["thresholds"]["sc_block_share"] == 0.7


@pytest.mark.parametrize("value, two_kinds, one_kind", [(None, "nascent", "not_evident"),
                                                        (3, "not_evident", "not_evident"),
                                                        (1, "nascent", "nascent")])
def test_threshold_sc_nascent_min_kinds_is_changeable(diagnose_with, value, two_kinds, one_kind):
    """Case 5: sc_nascent_min_kinds rooted kinds make a nascent community."""
    extra = {} if value is None else {"sc_nascent_min_kinds": value}
    base = HEAD + "states: {A: a, B: b, C: c}\npractices:\n"
    d = diagnose_with(base + sc2("[A, B, C]"), **extra)
    assert status(d, SC, "region") == two_kinds
    assert d.thresholds["sc_nascent_min_kinds"] == (value or 2)
    assert status(diagnose_with(base + "  - {kind: consultation, among: [A, B, C]}\n", **extra),
                  SC, "region") == one_kind


@pytest.mark.parametrize("value, one_tight, two_tight", [(None, "loose", "tight"), (1, "tight", "tight"),
                                                         (3, "loose", "loose")])
def test_threshold_sc_tight_min_kinds_is_changeable(diagnose_with, value, one_tight, two_tight):
    """Case 1: sc_tight_min_kinds counted tightly coupled kinds make the coupling tight."""
    extra = {} if value is None else {"sc_tight_min_kinds": value}
    base = HEAD + "states: {A: a, B: b, C: c}\npractices:\n"
    one = base + entries(("consultation", "unfortified_border", "cooperative_security"), "[A, B, C]")
    two = base + entries(("consultation", "policy_coordination", "cooperative_security"), "[A, B, C]")
    assert row(diagnose_with(one, **extra), SC, "region").coupling == one_tight
    assert row(diagnose_with(two, **extra), SC, "region").coupling == two_tight


def test_output_schema_2_with_the_new_fields(diagnose_yaml):
    """Cases 1 and 4 (section 4): `schema` is 2; every mechanism row has facing, phase and coupling."""
    d = diagnose_yaml(HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e}
groups: {G: [A, B, C, D, E]}
practices:
""" + sc3("G") + """\
  - {kind: arms_race, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
""")
    document = json.loads(d.to_json())
    assert document["schema"] == 2
    fields = {"mechanism", "unit", "period", "sector", "agency", "issue", "status", "variant", "facing", "phase",
              "coupling", "explanation", "rules", "facts"}
    assert document["mechanisms"]
    for item in document["mechanisms"]:
        assert fields <= set(item), item
    assert document["overlaps"]
    for item in document["overlaps"]:
        assert {"type", "units", "period", "character", "mechanisms", "explanation", "rules", "facts"} <= set(item)
    sc_row = [m for m in document["mechanisms"] if (m["mechanism"], m["unit"]) == (SC, "group:G")][0]
    assert (sc_row["status"], sc_row["facing"], sc_row["coupling"]) == ("active", None, "loose")
    bop_row = [m for m in document["mechanisms"] if (m["mechanism"], m["unit"]) == (BOP, "dyad:A-B")][0]
    assert (bop_row["status"], bop_row["facing"], bop_row["phase"]) == ("active", "inward", None)


# --------------------------------------------------------------------------------------------
# Determinism (section 4) and case 13: every conclusion with its rules and facts
# --------------------------------------------------------------------------------------------

RICH = HEAD + """\
states: {A: a, B: b, C: c, D: d, E: e, F: f, G: g}
periods: [{id: p1, from: 1980, to: 1989}, {id: p2, from: 1990}]
subregions: {N: [A, B, C, D], S: [E, F, G]}
groups: {W: [A, B, C], U: [D, E]}
alliances:
  - {id: al1, members: N, basis: expediency, period: p2, sector: military}
deterrence:
  - {id: de1, among: S, mutual: true, period: p1}
consultation_norms:
  - {id: cn1, among: N, multilateral: true, sector: political, agency: foreign}
unfortified_borders:
  - {id: ub1, among: N}
wars:
  - {id: wa1, sides: [[C, D], [G]], level: armed_conflict, year: 1995}
  - {id: wa2, between: [E, F], level: crisis, year: 1985}
practices:
  - {id: pr1, kind: self_restraint, among: N, sector: political, agency: foreign}
  - {id: pr2, kind: arms_race, between: [A, B], period: p2, sector: military, agency: defence}
  - {id: pr3, kind: capability_monitoring, between: [A, B], sector: military, agency: defence, deliberate: true}
  - {id: pr4, kind: soft_balancing, among: W}
  - {id: pr5, kind: common_enterprise, among: U, rooted: false}
  - {id: pr6, kind: worst_case_planning, among: S, mutual: true, period: p1}
  - {id: pr7, kind: worst_case_planning, among: N, sector: military, period: p2}
  - {id: pr8, kind: great_power_concert, among: [D, E]}
  - {id: pr9, kind: consultation, among: S}
  - {id: pr10, kind: confidence_building, among: S}
  - {id: pr11, kind: self_restraint, among: S, period: p2}
  - {id: pr12, kind: policy_coordination, among: N, sector: political, period: p2}
strategies:
  - {id: st1, name: hedging, by: [A, B], combines: [balance_of_power, security_community], period: p2}
  - {id: st2, name: dual track, by: N, combines: [balance_of_power, security_community], overlaps: [functional],
     sector: military}
  - {id: st3, name: concert, by: [D, E], combines: [balance_of_power]}
junctures:
  - {id: ju1, name: end of the Cold War, period: p2}
"""


def test_rich_file_reads_as_derived_by_hand(diagnose_yaml):
    """Cases 1, 3, 5, 7-11 at once in the file the determinism tests reorder (so their comparison is not vacuous)."""
    d = diagnose_yaml(RICH)
    # N: a community throughout (A-B, rivals in p2, are 2 of its 4 states), balancing outward in p2
    assert [(r.status, r.phase, r.coupling) for r in (row(d, SC, "subregion:N", p) for p in ("p1", "p2"))] == \
        [("active", None, "loose"), ("active", "mature", "tight")]
    r = row(d, BOP, "subregion:N", "p2")
    assert (r.status, r.facing) == ("active", "outward")
    # W: A-B are 2 of its 3 states: its community decays in p2
    assert status(d, SC, "group:W", "p2") == "decaying"
    # S: balancing inward in p1 beside a nascent community that takes hold in p2
    assert (status(d, SC, "subregion:S", "p1"), row(d, BOP, "subregion:S", "p1").facing) == ("nascent", "inward")
    assert (status(d, SC, "subregion:S", "p2"), row(d, SC, "subregion:S", "p2").phase) == ("active", "ascendant")
    assert status(d, SC, "group:U", "p1") == "formal_only"
    assert status(d, BOP, "dyad:C-G", "p2") == "active" and row(d, BOP, "dyad:C-D", "p2") is None
    by_type = {(o.type, tuple(o.units), o.period): o for o in d.overlaps}
    assert by_type[("relational", ("dyad:A-B", "subregion:N"), "p2")].character == "manual"  # st1
    assert by_type[("functional", ("subregion:N",), "p2")].character == "manual"  # st2, scoped to it
    assert ("temporal", ("subregion:N",), "p2") in by_type  # 10a
    assert ("temporal", ("subregion:S",), "p1") in by_type  # 10b
    spatial = [o for o in d.overlaps if o.type == "spatial"]
    assert [(sorted(o.units), o.period, o.character) for o in spatial] == [
        (["subregion:N", "subregion:S"], "p1", "automatic")]
    assert "end of the Cold War" in by_type[("functional", ("subregion:N",), "p2")].explanation


def test_case_13_every_conclusion_has_its_rules_and_facts(diagnose_yaml):
    """Case 13 with section 4: every row, whatever its status, names the rules that fired and the facts they matched."""
    d = diagnose_yaml(RICH)
    for item in (*d.mechanisms, *d.overlaps):
        assert item.rules, item
        assert item.facts, item
        assert item.explanation, item


def _reordered(text: str, rng: random.Random | None, inside: bool = False) -> str:
    """The file with its sections, entries and group members in another order (``inside``: also the
    lists inside entries: actors, sides, combines)."""
    data = yaml.safe_load(text)

    def shuffle(items: list) -> list:
        items = list(items)
        if rng is None:
            items.reverse()
        else:
            rng.shuffle(items)
        return items

    def entry(item):
        if not (inside and isinstance(item, dict)):
            return item
        out = {}
        for key in shuffle(list(item)):
            value = item[key]
            if key == "sides":
                value = shuffle([shuffle(side) for side in value])
            elif isinstance(value, list):
                value = shuffle(value)
            out[key] = value
        return out

    out = {}
    for key in shuffle([k for k in data]):
        value = data[key]
        if key == "periods":
            out[key] = value  # periods are ordered by contract
        elif isinstance(value, list):
            out[key] = [entry(item) for item in shuffle(value)]
        elif isinstance(value, dict):
            out[key] = {k: (shuffle(v) if isinstance(v, list) else v) for k, v in
                        ((k, value[k]) for k in shuffle(list(value)))}
        else:
            out[key] = value
    return yaml.safe_dump(out, sort_keys=False)


def _conclusions(d, wording: bool = True) -> dict:
    """The diagnosis without the order of its lists of evidence (and without the wording, unless asked)."""
    data = d.to_dict()
    for item in data["mechanisms"] + data["overlaps"]:
        item["rules"] = sorted(item["rules"])
        item["facts"] = sorted(item["facts"])
        if wording:
            item["explanation"] = sorted(item["explanation"].split(". "))
        else:
            del item["explanation"]
    return data


def test_determinism_reordering_entries_changes_no_conclusion(diagnose_yaml):
    """Case 13 and section 4: reordering entries changes no conclusion (explicit ids, so even `facts` agree)."""
    reference = diagnose_yaml(RICH)
    assert {o.type for o in reference.overlaps} == {"relational", "functional", "spatial", "temporal"}
    assert {o.character for o in reference.overlaps} >= {"manual", "automatic"}
    assert {r.status for r in reference.mechanisms} >= {"active", "nascent", "decaying", "formal_only",
                                                        "not_evident"}
    expected = _conclusions(reference)
    for rng in (None, random.Random(1), random.Random(2), random.Random(3)):
        assert _conclusions(diagnose_yaml(_reordered(RICH, rng))) == expected


def test_determinism_reordering_inside_entries_changes_no_conclusion(diagnose_yaml):
    """Case 13 and section 4: the order of actors, of a war's sides and of the states on a side changes nothing."""
    expected = _conclusions(diagnose_yaml(RICH), wording=False)
    for rng in (None, random.Random(4), random.Random(5)):
        assert _conclusions(diagnose_yaml(_reordered(RICH, rng, inside=True)), wording=False) == expected


def test_determinism_same_file_same_bytes(diagnose_yaml):
    """Case 13 and section 4: rows are sorted so that the same file gives the same bytes."""
    assert diagnose_yaml(RICH).to_json() == diagnose_yaml(RICH).to_json()
