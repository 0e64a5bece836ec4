"""sensitivity: shares checked against brute-force re-runs, the default grid, the command's formats and errors."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from conftest import EXAMPLES
from diagnose import diagnose, load_facts
from diagnose.analysis.sensitivity import default_range, parse_grids, sensitivity, threshold_grid
from diagnose.cli import cli
from diagnose.decisive import conclusion_key, conclusion_verdict
from diagnose.packs import builtin_rulebase

SMALL = """\
    schema: 1
    region: Small region
    states: {AAA: A, BBB: B, CCC: C}
    periods:
      - {id: early, to: 1990}
      - {id: late, from: 1991}
    groups:
      Pair: [AAA, BBB]
    consultation_norms:
      - {id: talks, among: [AAA, BBB, CCC], multilateral: true}
    practices:
      - {id: trade, kind: economic_integration, among: [AAA, BBB, CCC]}
      - {id: drills, kind: confidence_building, among: [AAA, BBB], period: late}
      - {id: watch, kind: capability_monitoring, between: [BBB, CCC], period: early}
      - {id: race, kind: arms_race, between: [BBB, CCC], period: early}
    """


def pairs(result):
    return {(conclusion_key(c), conclusion_verdict(c)) for c in (*result.mechanisms, *result.overlaps)}


def test_shares_match_brute_force_reruns(write_facts):
    facts = load_facts(write_facts(SMALL))
    rules = builtin_rulebase()
    grids = parse_grids(["sc_min_kinds=1:4", "sc_block_share=0:1:0.5"], rules.thresholds)
    found = sensitivity(facts, rules, grids=grids, drop_each=True, jobs=2)
    in_force = {name: spec.default for name, spec in rules.thresholds.items()}
    settings = [{**in_force, "sc_min_kinds": k, "sc_block_share": s} for k in (1, 2, 3, 4) for s in (0, 0.5, 1)]
    by_setting = [pairs(diagnose(facts, rules, thresholds=s)) for s in settings]
    ids = [e.id for e in facts.entries]
    by_drop = [pairs(diagnose(replace(facts, entries=tuple(e for e in facts.entries if e.id != i)), rules))
               for i in ids]
    baseline = pairs(diagnose(facts, rules))
    assert len(found.settings) == len(settings) and found.drops == tuple(ids)
    seen = set().union(baseline, *by_setting)
    assert {(conclusion_key(r.conclusion), conclusion_verdict(r.conclusion)) for r in found.conclusions} == seen
    for row in found.conclusions:
        pair = (conclusion_key(row.conclusion), conclusion_verdict(row.conclusion))
        assert row.baseline == (pair in baseline)
        assert row.threshold_share == sum(pair in s for s in by_setting) / len(settings)
        assert row.drop_share == sum(pair in d for d in by_drop) / len(ids)
        if row.baseline:
            assert row.decisive == tuple(i for i, d in zip(ids, by_drop) if pair not in d)
    assert any(r.fragile for r in found.conclusions) and not all(r.fragile for r in found.conclusions if r.baseline)


def test_jobs_do_not_change_the_result(write_facts):
    facts = load_facts(write_facts(SMALL))
    assert sensitivity(facts, drop_each=True, jobs=1) == sensitivity(facts, drop_each=True, jobs=2)


def test_default_grid_sweeps_each_threshold_over_its_range_the_others_as_in_force():
    specs = builtin_rulebase().thresholds
    in_force = {name: spec.default for name, spec in specs.items()}
    grid = threshold_grid(specs, in_force)
    assert default_range(specs["sc_min_kinds"]) == [1, 2, 3, 4, 5]
    assert default_range(specs["sc_block_share"]) == [0, 0.25, 0.5, 0.75, 1]
    for name, spec in specs.items():
        assert {s[name] for s in grid if all(s[o] == in_force[o] for o in specs if o != name)} == \
            set(default_range(spec))
    assert len(grid) == len({tuple(sorted(s.items())) for s in grid}) == 1 + sum(
        len(default_range(s)) - 1 for s in specs.values())


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_every_format_reports_the_baseline_conclusions(cli_runner, fmt):
    greece = next(e for e in EXAMPLES if e.stem == "greece_turkey")
    result = cli_runner.invoke(cli, ["sensitivity", str(greece), "--drop-each", "--format", fmt, "--jobs", "2"])
    assert result.exit_code == 0, result.output
    baseline = diagnose(load_facts(greece))
    if fmt == "json":
        rows = [r for r in json.loads(result.stdout)["conclusions"] if r["baseline"]]
    elif fmt == "csv":
        rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["baseline"] == "True"]
    else:
        assert "security community of group:NATO in after_return: active (mature, tight)  FRAGILE" in result.stdout
        assert "not without: atlantic_alliance, nato_consultation, nato_consensus, integrated_command" in result.stdout
        return
    assert len(rows) == len(baseline.mechanisms) + len(baseline.overlaps)


def test_bad_grids_are_reported_at_once(cli_runner):
    greece = next(e for e in EXAMPLES if e.stem == "greece_turkey")
    result = cli_runner.invoke(cli, ["sensitivity", str(greece), "--grid", "sc_min_kind=1:3", "--grid",
                                     "sc_block_share=0:2", "--grid", "bop_min_kinds=3", "--grid",
                                     "bop_dyad_share=0:1:inf"])
    assert result.exit_code == 2
    assert "--grid 'sc_min_kind=1:3': unknown threshold 'sc_min_kind' (did you mean 'sc_min_kinds'?)" in result.stderr
    assert "--grid 'sc_block_share=0:2': expected a value between 0 and 1, got 2" in result.stderr
    assert "--grid 'bop_min_kinds=3': expected LO:HI or LO:HI:STEP" in result.stderr
    assert "--grid 'bop_dyad_share=0:1:inf': expected a finite step above 0, got inf" in result.stderr
    assert "Traceback" not in result.output
