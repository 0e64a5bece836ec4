"""explain --overlap for an overlap the rules did not conclude: the conditions of the overlap rules read from the
rows, and changes that make the rules conclude it when pasted into a copy of the file."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES
from diagnose import diagnose, load_facts
from diagnose.analysis.change import ProposedChange, Unreachable
from diagnose.analysis.explain import explain
from diagnose.analysis.overlaps import AbsentOverlap, Slot, slot_change
from diagnose.analysis.whatif import what_if
from diagnose.cli import cli
from diagnose.errors import DiagnoseError
from diagnose.packs import builtin_rulebase
from test_analysis_explain import paste

GREECE_TURKEY = next(e for e in EXAMPLES if e.stem == "greece_turkey")
WESTERN = next(e for e in EXAMPLES if e.stem == "western_hemisphere")
HEGEMONY = GREECE_TURKEY.parent.parent / "examples" / "packs" / "hegemony"
TYPES = ("temporal", "functional", "spatial", "relational")
UNREACHABLE = {
    ("greece_turkey", Slot("temporal", ("dyad:GRC-TUR",), "greek_withdrawal")),
    ("greece_turkey", Slot("temporal", ("dyad:GRC-TUR",), "after_return")),
}
"""Absent overlaps with no change: a dyad is never a community while its two states balance each other, and the
rivalry's entries hold in both periods, so no entry added or left out gives the dyad both mechanisms in one period
or a community next to its balancing."""


def invoke(cli_runner, *args):
    return cli_runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def absent(path, **options) -> list[AbsentOverlap]:
    return [e for e in explain(load_facts(path), **options) if isinstance(e, AbsentOverlap)]


def concluded(path, slot: Slot):
    return next((o for o in diagnose(load_facts(path)).overlaps if (o.type, tuple(o.units), o.period) ==
                 (slot.type, slot.units, slot.period)), None)


def conditions(found: AbsentOverlap, rule: str, scope: str = "") -> dict[str, bool]:
    reading = next(r for r in found.readings if r.rule == rule and scope in r.scope)
    return {r.text: r.holds for r in reading.requirements}


@pytest.mark.parametrize("example", [GREECE_TURKEY, WESTERN], ids=lambda p: p.stem)
def test_each_change_proposed_for_an_absent_overlap_makes_the_rules_conclude_it_in_a_pasted_copy(example, tmp_path):
    """Every overlap of every type the rules could conclude about a unit of the example (region, sub-regions,
    groups, dyads) and did not: its change, pasted into a copy, makes the rules conclude it."""
    facts = load_facts(example)
    result = diagnose(facts)
    slots = set()
    for unit in facts.units():
        for type_ in TYPES:
            try:
                slots.update(a.slot for a in absent(example, unit=unit.id, overlap=type_, propose=False))
            except DiagnoseError as error:  # a spatial overlap of a group: said why
                assert "can be concluded" in error.message
    assert {s.type for s in slots} == set(TYPES) - ({"spatial"} if not facts.subregions else set())
    unreachable = set()
    for number, slot in enumerate(sorted(slots, key=str)):
        change = slot_change(facts, builtin_rulebase(), result.thresholds, result, slot)
        if isinstance(change, Unreachable):
            unreachable.add((example.stem, slot))
            continue
        assert (change.result.type, tuple(change.result.units), change.result.period) == \
            (slot.type, slot.units, slot.period)
        copy = tmp_path / f"copy{number}.yaml"
        paste(example, copy, change, tmp_path)
        assert concluded(copy, slot) is not None, (slot, change)
    assert unreachable == {u for u in UNREACHABLE if u[0] == example.stem}


def test_relational_overlap_of_a_dyad_with_the_region_reads_the_rows_it_joins(tmp_path):
    [found] = absent(GREECE_TURKEY, unit="GRC-TUR", overlap="relational", period="after_return")
    assert found.slot == Slot("relational", ("dyad:GRC-TUR", "region"), "after_return")
    assert conditions(found, "relational_overlap") == {
        "balance of power active for dyad:GRC-TUR in after_return: active (adversarial, inward)": True,
        "dyad:GRC-TUR lies inside region (Contains: both its states belong to it)": True,
        "security community active for region in after_return: not_evident": False,
    }
    reading = found.readings[0]
    assert set(reading.requirements[0].entries) == {"aegean_arms_race", "greek_internal_balancing",
                                                   "watching_the_balance"}
    assert isinstance(found.change, ProposedChange) and found.change.add and not found.change.drop
    fix = tmp_path / "fix.yaml"
    fix.write_text(found.change.fragment, encoding="utf-8")
    changed = what_if(load_facts(GREECE_TURKEY), add=[str(fix)]).changed
    assert any(o.type == "relational" and o.units == ("dyad:GRC-TUR", "region") and o.period == "after_return"
               for o in changed.overlaps)


def test_spatial_overlap_of_two_subregions_needs_a_community_in_one_and_inward_balancing_in_the_other(tmp_path):
    found = {a.slot.units: a for a in absent(WESTERN, unit="Andes", overlap="spatial", period="cold_war")}
    andes_sc = found[("subregion:Andes", "subregion:Southern Cone")]
    assert conditions(andes_sc, "spatial_overlap") == {
        "security community active for subregion:Andes in cold_war: not_evident": False,
        "balance of power active, facing inward or both, for subregion:Southern Cone in cold_war: active "
        "(adversarial, inward)": True,
        "no security community active for subregion:Southern Cone in cold_war: not_evident": True,
    }
    assert isinstance(andes_sc.change, ProposedChange)
    copy = tmp_path / "copy.yaml"
    paste(WESTERN, copy, andes_sc.change, tmp_path)
    assert concluded(copy, andes_sc.slot).character == "automatic"
    # North America balancing inward needs practices all its three states declare mutual
    na = found[("subregion:Andes", "subregion:North America")]
    assert isinstance(na.change, ProposedChange)
    assert all(e.get("mutual") for e in na.change.add if e["among"] == "North America")


def test_the_region_answers_for_the_spatial_overlaps_between_its_subregions():
    explained = explain(load_facts(WESTERN), unit="region", overlap="spatial", period="post_cold_war",
                        propose=False)
    found = [e.conclusion.units for e in explained if not isinstance(e, AbsentOverlap)]
    assert found == [("subregion:North America", "subregion:Andes"), ("subregion:Southern Cone", "subregion:Andes")]
    assert len([e for e in explained if isinstance(e, AbsentOverlap)]) == 3 * 2 - 2


def test_temporal_overlap_names_each_rule_and_the_adjacent_period_it_reads(tmp_path):
    [found] = absent(GREECE_TURKEY, unit="NATO", overlap="temporal", period="greek_withdrawal")
    assert [r.rule for r in found.readings] == [
        "temporal_overlap_sc_alone_next_door", "temporal_overlap_bop_alone_next_door",
        "temporal_overlap_community_takes_hold", "temporal_overlap_balancing_returns"]
    held = conditions(found, "temporal_overlap_sc_alone_next_door", "following period after_return")
    assert held["security community active for group:NATO in greek_withdrawal: active (loose)"] is True
    assert held["balance of power active for group:NATO in greek_withdrawal: not_evident"] is False
    assert held["no balance of power active for group:NATO in after_return: not_evident"] is True
    copy = tmp_path / "copy.yaml"
    paste(GREECE_TURKEY, copy, found.change, tmp_path)
    assert concluded(copy, found.slot) is not None


def test_functional_overlap_reads_the_slices_of_one_unit(tmp_path):
    [found] = absent(WESTERN, unit="MERCOSUR", overlap="functional", period="post_cold_war")
    by_sector = conditions(found, "functional_overlap", "by sector")
    assert by_sector == {
        "security community active in a sector row of group:MERCOSUR in post_cold_war: on none (military: "
        "nascent)": False,
        "balance of power active in another sector row of group:MERCOSUR in post_cold_war: on none (no sector "
        "row of it)": False,
    }
    copy = tmp_path / "copy.yaml"
    paste(WESTERN, copy, found.change, tmp_path)
    overlap = concluded(copy, found.slot)
    assert overlap is not None and overlap.dimension == "sector"


def test_absent_overlaps_in_text_json_and_dot(cli_runner):
    args = ("explain", GREECE_TURKEY, "--unit", "GRC-TUR", "--overlap", "relational", "--period", "after_return")
    text = invoke(cli_runner, *args).stdout
    assert "relational overlap of dyad:GRC-TUR + region in after_return: not concluded" in text
    assert "rule relational_overlap: Two states balance each other" in text
    assert "[fails] security community active for region in after_return: not_evident" in text
    assert "Smallest change that makes the rules conclude it (checked" in text
    assert "with it: relational overlap of dyad:GRC-TUR + region in after_return:" in text
    explanations = json.loads(invoke(cli_runner, *args, "--format", "json").stdout)["explanations"]
    assert [e["conclusion"].get("found", True) for e in explanations] == [True, False]
    missing = explanations[1]
    assert missing["conclusion"]["units"] == ["dyad:GRC-TUR", "region"]
    assert missing["why_not"][0]["rule"] == "relational_overlap"
    assert [c["holds"] for c in missing["why_not"][0]["conditions"]] == [True, True, False]
    assert missing["change"]["checked"] and missing["change"]["result"]["type"] == "relational"
    dot = invoke(cli_runner, *args, "--format", "dot").stdout
    assert 'label="relational overlap of dyad:GRC-TUR + region in after_return:\\nnot concluded"' in dot
    assert "fails: security community active for region in after_return:" in dot


def test_unit_names_in_absent_overlaps_are_escaped(cli_runner, write_facts):
    path = write_facts("""\
        schema: 1
        region: Names
        states: {AAA: A, BBB: B, CCC: C, DDD: D}
        subregions:
          'Quote " and back\\slash': [AAA, BBB]
          Other: [CCC, DDD]
        practices:
          - {kind: deterrence, between: [CCC, DDD]}
          - {kind: arms_race, between: [CCC, DDD]}
        """)
    dot = invoke(cli_runner, "explain", path, "--unit", "Other", "--overlap", "spatial", "--format", "dot").stdout
    assert 'subregion:Quote \\" and back\\\\slash' in dot
    out = json.loads(invoke(cli_runner, "explain", path, "--unit", "Other", "--overlap", "spatial", "--format",
                            "json").stdout)
    assert ['subregion:Quote " and back\\slash', "subregion:Other"] in [e["conclusion"]["units"]
                                                                       for e in out["explanations"]]


def test_no_condition_is_known_without_the_builtin_rules(cli_runner, write_facts):
    path = write_facts("""\
        schema: 1
        region: Caribbean
        states: {USA: United States, HTI: Haiti, PAN: Panama}
        practices:
          - {kind: informal_empire, among: [USA, HTI, PAN]}
        """)
    result = invoke(cli_runner, "explain", path, "--unit", "region", "--overlap", "temporal", "--rules", HEGEMONY,
                    "--no-builtin-rules", "--format", "json")
    assert result.exit_code == 0, result.output
    [missing] = json.loads(result.stdout)["explanations"]
    assert missing["why_not"] == [] and missing["note"].startswith("No condition is known")
    assert "no change is searched for" in missing["change"]["none"]


def test_an_overlap_type_no_rule_concludes_about_the_unit_is_refused(cli_runner):
    result = cli_runner.invoke(cli, ["explain", str(GREECE_TURKEY), "--unit", "NATO", "--overlap", "spatial"])
    assert result.exit_code == 2
    assert "spatial_overlap joins two sub-regions of the region; group:NATO is a group" in result.stderr
