"""Where the format leaves a choice to the project: the decisions documented in the README, pinned down."""

from __future__ import annotations

from diagnose.testing import assert_concludes, assert_not_concludes

SC = "security_community"
BOP = "balance_of_power"

THREE = """
schema: 1
region: Trio
states: {A: Alpha, B: Beta, C: Gamma}
"""

FIVE = """
schema: 1
region: Five
states: {A: a, B: b, C: c, D: d, E: e}
"""


def test_breakdown_is_read_per_slice(diagnose_yaml):
    result = diagnose_yaml(THREE + """
periods: [{id: before}, {id: after}]
practices:
  - {kind: economic_integration, among: [A, B, C], sector: economic}
  - {kind: policy_coordination, among: [A, B, C], sector: economic}
  - {kind: common_enterprise, among: [A, B, C], sector: economic}
wars:
  - {id: clash, between: [A, B], level: armed_conflict, period: after}
""")
    assert_concludes(result, mechanism=SC, unit="region", period="before", sector="economic", status="active")
    assert_concludes(result, mechanism=SC, unit="region", period="after", sector="economic", status="broken_down")
    assert_not_concludes(result, mechanism=SC, period="after", status="active")


def test_an_entry_is_blocked_on_the_same_slice_of_its_own_states(diagnose_yaml):
    """Economic practices of states that balance each other militarily still count on the economic row."""
    result = diagnose_yaml(THREE + """
practices:
  - {id: e1, kind: economic_integration, among: [A, B, C], sector: economic}
  - {id: e2, kind: policy_coordination, among: [A, B, C], sector: economic}
  - {id: e3, kind: common_enterprise, among: [A, B, C], sector: economic}
  - {id: m1, kind: arms_race, among: [A, B, C], mutual: true, sector: military}
  - {id: m2, kind: worst_case_planning, among: [A, B, C], mutual: true, sector: military}
""")
    assert_concludes(result, mechanism=SC, unit="region", sector="economic", status="active")
    assert_concludes(result, mechanism=BOP, unit="region", sector="military", status="active", facing="inward")
    assert_concludes(result, type="functional", units=("region",))
    # the row of all practices counts every entry: the military rivalry blocks it
    assert_not_concludes(result, mechanism=SC, unit="region", sector=None, status="active")


def test_the_pairs_of_a_mutual_entry_are_rival_dyads_without_rows_of_their_own(diagnose_yaml):
    result = diagnose_yaml(THREE + """
practices:
  - {id: race, kind: arms_race, among: [A, B, C], mutual: true}
  - {id: plans, kind: worst_case_planning, among: [A, B, C], mutual: true}
""")
    row = assert_concludes(result, mechanism=BOP, unit="region", status="active", facing="inward")
    assert "rival dyads" in row.explanation
    assert not [r for r in result.mechanisms if r.unit.startswith("dyad:")]


def test_a_dyad_is_diagnosed_in_the_period_after_its_last_entry(diagnose_yaml):
    """A community that its file stops mentioning decays: the dyad keeps a row in the next period."""
    result = diagnose_yaml(THREE + """
periods: [{id: one}, {id: two}, {id: three}]
practices:
  - {kind: consultation, between: [A, B], period: one}
  - {kind: self_restraint, between: [A, B], period: one}
  - {kind: unfortified_border, between: [A, B], period: one}
""")
    assert_concludes(result, mechanism=SC, unit="dyad:A-B", period="one", status="active")
    row = assert_concludes(result, mechanism=SC, unit="dyad:A-B", period="two", status="decaying")
    assert "consultation" in row.explanation
    assert_not_concludes(result, unit="dyad:A-B", period="three")


def test_a_rival_share_at_the_block_share_leaves_the_community_active(diagnose_yaml):
    """sc_block_share is a ceiling: rivalries involving exactly half of the states do not block."""
    result = diagnose_yaml("""
schema: 1
region: Four
states: {A: a, B: b, C: c, D: d}
practices:
  - {kind: consultation, among: [A, B, C, D]}
  - {kind: self_restraint, among: [A, B, C, D]}
  - {kind: unfortified_border, among: [A, B, C, D]}
  - {kind: arms_race, between: [A, B]}
  - {kind: deterrence, between: [A, B]}
""")
    assert_concludes(result, mechanism=SC, unit="region", status="active")
    assert_concludes(result, type="relational", units=("dyad:A-B", "region"))


def test_a_larger_unit_at_war_only_between_two_states_does_not_balance_as_a_whole(diagnose_yaml):
    result = diagnose_yaml(FIVE + """
groups: {G: [A, B, C, D, E]}
wars:
  - {id: clash, between: [A, B], level: war}
""")
    assert_concludes(result, mechanism=BOP, unit="dyad:A-B", status="active", facing="inward")
    assert_concludes(result, mechanism=BOP, unit="group:G", status="not_evident")


def test_a_strategy_scoped_to_a_sector_covers_only_functional_overlaps_on_it(diagnose_yaml):
    result = diagnose_yaml(FIVE + """
periods: [{id: one}, {id: two}]
practices:
  - {kind: economic_integration, among: [A, B, C, D, E], sector: economic}
  - {kind: policy_coordination, among: [A, B, C, D, E], sector: economic}
  - {kind: common_enterprise, among: [A, B, C, D, E], sector: economic}
  - {kind: arms_race, between: [A, B], sector: military}
  - {kind: deterrence, between: [A, B], sector: military}
strategies:
  - {id: hedge, name: hedging, by: [A, B], combines: [balance_of_power, security_community], sector: military}
""")
    functional = assert_concludes(result, type="functional", units=("dyad:A-B",))
    assert functional.character == "manual"
    relational = assert_concludes(result, type="relational", units=("dyad:A-B", "region"))
    assert relational.character == "automatic"


def test_an_alliance_written_as_a_practice_makes_no_rivals_either(diagnose_yaml):
    result = diagnose_yaml("""
schema: 1
region: Four
states: {A: a, B: b, C: c, D: d}
practices:
  - {id: pact, kind: alliance_of_expediency, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
  - {kind: self_restraint, among: [A, B]}
  - {kind: common_enterprise, among: [A, B]}
  - {kind: consultation, among: [A, B]}
""")
    assert_concludes(result, mechanism=BOP, unit="dyad:A-B", status="not_evident")
    assert_concludes(result, mechanism=SC, unit="dyad:A-B", status="active")


def test_the_pairs_of_a_mutual_entry_are_rivals_even_where_a_group_has_the_same_two_states(diagnose_yaml):
    """A two-state group is no dyad: the pair of a mutual entry is still diagnosed as one."""
    text = """
schema: 1
region: R
states: {A: a, B: b, C: c, X: x}
groups: {PAIR G: [A, B, C]}
practices:
  - {kind: arms_race, among: [A, B, C], mutual: true}
  - {kind: capability_monitoring, among: [A, B, X], mutual: true}
  - {kind: consultation, among: G}
  - {kind: self_restraint, among: G}
  - {kind: unfortified_border, among: G}
"""
    with_pair = diagnose_yaml(text.replace("PAIR", "Pair: [A, B],"))
    without = diagnose_yaml(text.replace("PAIR", ""))
    for result in (with_pair, without):
        assert_concludes(result, mechanism=SC, unit="group:G", status="nascent")
