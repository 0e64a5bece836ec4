"""Where the contract is silent: the decisions documented in the README, pinned down."""

from __future__ import annotations

from diagnose.testing import assert_concludes, assert_not_concludes

THREE = """
schema: 1
region: Trio
states: {A: Alpha, B: Beta, C: Gamma}
"""


def test_a_two_member_alliance_against_a_threat_makes_no_rivals_of_its_members(diagnose_yaml):
    result = diagnose_yaml(THREE + """
alliances:
  - {id: pact, members: [A, B], basis: expediency, against: [C]}
practices:
  - {id: planning, kind: worst_case_planning, between: [A, B]}
""")
    row = assert_concludes(result, mechanism="balance_of_power", unit="dyad:A-B", status="not_evident")
    assert "pact" not in row.facts


def test_an_alliance_of_expediency_without_a_threat_counts_for_its_dyad(diagnose_yaml):
    result = diagnose_yaml(THREE + """
alliances:
  - {id: pact, members: [A, B], basis: expediency}
practices:
  - {id: planning, kind: worst_case_planning, between: [A, B]}
""")
    assert_concludes(result, mechanism="balance_of_power", unit="dyad:A-B", status="active")


def test_a_war_among_three_states_is_violence_inside_every_pair_s_larger_unit(diagnose_yaml):
    result = diagnose_yaml(THREE + """
groups: {AB: [A, B]}
wars:
  - {id: big_war, among: [A, B, C], level: war}
""")
    row = assert_concludes(result, mechanism="balance_of_power", unit="group:AB", status="active")
    assert row.facts == ("big_war",)


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
    assert_concludes(result, mechanism="security_community", unit="region", period="before", sector="economic",
                     status="active")
    assert_concludes(result, mechanism="security_community", unit="region", period="after", sector="economic",
                     status="broken_down")
    assert_not_concludes(result, mechanism="security_community", period="after", status="active")
