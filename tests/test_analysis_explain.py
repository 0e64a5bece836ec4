"""explain: proof trees down to the file's lines, why not, and changes that work when pasted into a copy."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import EXAMPLES
from diagnose import diagnose, load_facts
from diagnose.analysis.change import ProposedChange, Unreachable, smallest_change
from diagnose.analysis.explain import explain
from diagnose.cli import cli
from diagnose.decisive import conclusion_key
from diagnose.load import LIST_SECTIONS
from diagnose.packs import builtin_rulebase
from diagnose.yamlread import read_yaml

GREECE_TURKEY = next(e for e in EXAMPLES if e.stem == "greece_turkey")
DECLARED = ("region", "subregion", "group")
UNREACHABLE: dict[tuple[str, tuple], str] = {}
"""(example, row key) -> why no change makes the row active. Every not-active row of a declared unit in the
examples has a change today; a row that loses it must be listed here with its reason."""


def paste(example, target, change: ProposedChange, tmp_path) -> None:
    """Edit a copy of ``example`` as a user would: the fragment's entries pasted at the end of their sections (read
    from the fragment's text), the entries to leave out deleted."""
    fragment_file = tmp_path / "fix.yaml"
    fragment_file.write_text(change.fragment or "{}\n", encoding="utf-8")
    data = read_yaml(example).data
    added = read_yaml(fragment_file).data if change.add else {}
    gone = set(change.drop)
    for section in LIST_SECTIONS:
        entries = [*(data.get(section) or []), *(added.get(section) or [])]
        kept = [e for i, e in enumerate(entries) if e.get("id", f"{section}[{i}]") not in gone]
        if kept:
            data[section] = kept
        else:
            data.pop(section, None)
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def invoke(cli_runner, *args):
    return cli_runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_change_proposed_for_a_declared_unit_makes_its_row_active_in_a_pasted_copy(example, tmp_path):
    rules = builtin_rulebase()
    facts = load_facts(example)
    result = diagnose(facts)
    rows = [r for r in result.mechanisms if r.unit.split(":")[0] in DECLARED and r.status != "active"]
    assert rows, "every example has rows of declared units that are not active"
    unreachable = {}
    for number, row in enumerate(rows):
        change = smallest_change(facts, rules, result.thresholds, row)
        if isinstance(change, Unreachable):
            unreachable[(example.stem, conclusion_key(row))] = change.reason
            continue
        copy = tmp_path / f"copy{number}.yaml"
        paste(example, copy, change, tmp_path)
        after = {conclusion_key(r): r for r in diagnose(load_facts(copy)).mechanisms}
        assert after[conclusion_key(row)].status == "active", (row, change)
    assert unreachable == {k: v for k, v in UNREACHABLE.items() if k[0] == example.stem}


def test_nato_community_is_explained_down_to_the_lines_of_its_entries(cli_runner):
    out = invoke(cli_runner, "explain", GREECE_TURKEY, "--unit", "NATO", "--mechanism", "security_community",
                 "--period", "after_return").stdout
    assert "security community of group:NATO in after_return: active (mature, tight)" in out
    assert "rule sc_active" in out and "rule sc_mature" in out
    facts = load_facts(GREECE_TURKEY)
    for entry_id in ("atlantic_alliance", "nato_consultation", "nato_consensus", "integrated_command"):
        line = next(e.line for e in facts.entries if e.id == entry_id)
        assert f"{entry_id}, line {line}" in out
    assert "Why not" not in out


def test_greece_turkey_community_says_why_not_and_its_change_works(cli_runner, tmp_path):
    out = invoke(cli_runner, "explain", GREECE_TURKEY, "--unit", "GRC-TUR", "--mechanism", "security_community",
                 "--period", "after_return").stdout
    assert "[fails] its two states do not prepare for violence against each other: balance of power active" in out
    assert "[holds] no war or armed conflict between its states" in out
    assert "Smallest change that makes it active" in out
    [explained] = explain(load_facts(GREECE_TURKEY), unit="dyad:GRC-TUR", mechanism="security_community",
                          period="after_return")
    assert isinstance(explained.change, ProposedChange)
    copy = tmp_path / "copy.yaml"
    paste(GREECE_TURKEY, copy, explained.change, tmp_path)
    assert diagnose(load_facts(copy)).status("security_community", "dyad:GRC-TUR", "after_return") == "active"


def test_a_missing_kind_is_proposed_as_a_fragment_that_whatif_adds(cli_runner, tmp_path):
    western = next(e for e in EXAMPLES if e.stem == "western_hemisphere")
    [explained] = explain(load_facts(western), unit="MERCOSUR", mechanism="security_community",
                          period="post_cold_war", slice_=("sector", "military"))
    assert explained.change.add and not explained.change.drop
    fix = tmp_path / "fix.yaml"
    fix.write_text(explained.change.fragment, encoding="utf-8")
    out = invoke(cli_runner, "whatif", western, "--add", fix, "--format", "json").stdout
    changed = {(c["conclusion"].get("unit"), c["conclusion"].get("sector"), c["conclusion"].get("mechanism")):
               c["after"] for c in json.loads(out)["changes"]}
    assert changed[("group:MERCOSUR", "military", "security_community")]["status"] == "active"


def test_conditions_of_a_community_held_back_name_the_practices_held_back():
    southeast = next(e for e in EXAMPLES if e.stem == "southeast_asia")
    [explained] = explain(load_facts(southeast), unit="ASEAN", mechanism="security_community", propose=False)
    count, held = explained.conditions[:2]
    assert count.holds is False and "(sc_min_kinds = 3): 2 (economic_integration, policy_coordination)" in count.text
    assert held.holds is None and set(held.entries) == {"apec", "arf_dialogue", "asem"}


def test_an_overlap_is_explained_from_the_rows_it_joins(cli_runner):
    out = invoke(cli_runner, "explain", GREECE_TURKEY, "--unit", "NATO", "--overlap", "relational", "--format",
                 "json").stdout
    explanations = json.loads(out)["explanations"]
    assert [e["conclusion"]["period"] for e in explanations] == ["greek_withdrawal", "after_return"]
    rules = json.dumps(explanations[0]["proof"])
    assert "relational_overlap" in rules and "character_mixed" in rules and "greek_internal_balancing" in rules


def test_dot_output_quotes_fact_text(cli_runner, write_facts):
    path = write_facts("""\
        schema: 1
        region: Quote " and back\\\\slash
        states: {AAA: A, BBB: B}
        practices:
          - {kind: deterrence, between: [AAA, BBB], source: "say \\"hi\\" \\u001b[31m"}
          - {kind: arms_race, between: [AAA, BBB]}
        """)
    out = invoke(cli_runner, "explain", path, "--unit", "AAA-BBB", "--format", "dot").stdout
    assert out.startswith("digraph explain {") and out.rstrip().endswith("}")
    assert "\x1b" not in out
    assert '\\"hi\\" \\\\x1b[31m"' in out


def test_unknown_unit_mechanism_and_period_are_reported_at_once(cli_runner):
    result = cli_runner.invoke(cli, ["explain", str(GREECE_TURKEY), "--unit", "NAT0", "--mechanism",
                                     "security_comunity", "--period", "after"])
    assert result.exit_code == 2
    assert "unknown unit 'NAT0' (did you mean 'NATO'?)" in result.stderr
    assert "unknown mechanism 'security_comunity' (did you mean 'security_community'?)" in result.stderr
    assert "unknown period 'after'" in result.stderr
    assert "Traceback" not in result.output


def test_a_unit_is_found_whatever_the_case_and_suggested_as_the_unit_list_writes_it(cli_runner):
    found = cli_runner.invoke(cli, ["explain", str(GREECE_TURKEY), "--unit", "nato", "--period", "after_return"])
    assert found.exit_code == 0 and "of group:NATO in after_return" in found.stdout
    for typed, suggested in (("Natoo", "NATO"), ("dyad:grc-trk", "dyad:GRC-TUR")):
        result = cli_runner.invoke(cli, ["explain", str(GREECE_TURKEY), "--unit", typed])
        assert result.exit_code == 2
        assert f"unknown unit '{typed}' (did you mean '{suggested}'?)" in result.stderr
    reversed_pair = cli_runner.invoke(cli, ["explain", str(GREECE_TURKEY), "--unit", "GRC"])
    assert "TUR-GRC" not in reversed_pair.stderr  # never a spelling the unit list does not show
