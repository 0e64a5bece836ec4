"""Smoke test of the benchmark, bench/run.py: what its numbers rest on, never a time.

- bench/generate.py is deterministic from its seed, writes files that
  `diagnose validate` accepts, and exercises version 2 of the format (mutual
  entries, a coalition war with sides, alliances, directed bloc deterrence);
- the CLIPS anchor (bench/clips_rules.clp) reaches the same mechanism rows
  (status, variant, facing, phase, coupling) and relational overlaps as the
  experta rule base, on a tiny generated world (through the same worker
  functions the benchmark runs in its child processes), on a file written to
  reach every clear case the anchor encodes, and on every example;
- a child process over the time budget is reported as skipped, not waited for.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from conftest import EXAMPLES, ROOT
from diagnose import diagnose, load_facts
from diagnose.cli import cli

BENCH = ROOT / "bench"


def load_bench_run() -> ModuleType:
    """bench/run.py as a module (bench/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench_run = load_bench_run()

needs_clips = pytest.mark.skipif(bench_run.clips is None,
                                 reason="the CLIPS anchor needs clipspy, which is not installed (pip install clipspy)")

# Every clear case the anchor encodes (version 2), in three periods:
# - G = {A, B, C, D}: a tightly coupled community (cooperative security and policy
#   coordination) in p1 (no phase: no previous period) and p2 (mature), broken down in p3
#   (war B-C); inside it the rival dyad A-B (arms race, with a concert in p1: associational,
#   then adversarial), 2 of 4 states, which blocks nothing (relational overlap in p1, p2) and
#   whose own community is only nascent;
# - H = {D, E, F}: loosely coupled community in p1, decaying in p2 (common enterprise lost,
#   no war), nascent in p3;
# - K = {P, Q, R}: formal only in p1 (armed conflict P-Q beside its practices), ascendant in
#   p2, mature in p3; U: practices not rooted only (formal only);
# - Bloc = {A, B, X, Y}: balances outward in p1 (alliance, collective worst-case planning),
#   both ways in p2 (mutual arms race and internal balancing; deterrence directed at E), too
#   little in p3 (not evident);
# - Helsinki = {M, N, O, V}: West = {M, N} deters and out-arms {O, V} (outward for West, rival
#   dyads through all of Helsinki: inward), so Helsinki's community practices only build
#   (nascent), and West, with one practice of its own, is nascent too;
# - the region: nothing covers it (not evident).
EVERY_CASE = """\
schema: 1
region: Every case
states: {A: a, B: b, C: c, D: d, E: e, F: f, P: p, Q: q, R: r, S: s, T: t, X: x, Y: y, M: m, N: n, O: o, V: v}
periods: [{id: p1}, {id: p2}, {id: p3}]
groups:
  G: [A, B, C, D]
  H: [D, E, F]
  K: [P, Q, R]
  U: [R, S, T]
  Bloc: [A, B, X, Y]
  Helsinki: [M, N, O, V]
  West: [M, N]
alliances:
  - {members: Bloc, basis: expediency, period: p1}
deterrence:
  - {by: Bloc, against: E, period: p2}
  - {by: West, against: [O, V]}
wars:
  - {between: [B, C], level: war, period: p3}
  - {between: [P, Q], level: armed_conflict, period: p1}
practices:
  - {kind: self_restraint, among: G}
  - {kind: common_enterprise, among: G}
  - {kind: cooperative_security, among: G}
  - {kind: policy_coordination, among: G}
  - {kind: great_power_concert, between: [A, B], period: p1}
  - {kind: arms_race, between: [A, B]}
  - {kind: consultation, among: H}
  - {kind: self_restraint, among: H}
  - {kind: common_enterprise, among: H, period: p1}
  - {kind: confidence_building, among: K}
  - {kind: common_enterprise, among: K}
  - {kind: self_restraint, among: K}
  - {kind: socialization, among: U, rooted: false}
  - {kind: worst_case_planning, among: Bloc}
  - {kind: arms_race, among: Bloc, mutual: true, period: p2}
  - {kind: internal_balancing, among: Bloc, mutual: true, period: p2}
  - {kind: arms_race, by: West, against: [O, V]}
  - {kind: confidence_building, among: Helsinki}
  - {kind: consultation, among: Helsinki}
  - {kind: self_restraint, among: Helsinki}
  - {kind: policy_coordination, among: West}
"""

SC, BOP = "security_community", "balance_of_power"

# (mechanism, status, variant, facing, phase, coupling) that EVERY_CASE must reach.
EVERY_STATUS = [
    (SC, "active", None, None, None, "tight"), (SC, "active", None, None, "mature", "tight"),
    (SC, "active", None, None, None, "loose"), (SC, "active", None, None, "ascendant", "loose"),
    (SC, "active", None, None, "mature", "loose"), (SC, "nascent", None, None, "nascent", None),
    (SC, "decaying", None, None, None, None), (SC, "broken_down", None, None, None, None),
    (SC, "formal_only", None, None, None, None), (SC, "not_evident", None, None, None, None),
    (BOP, "active", "associational", "inward", None, None), (BOP, "active", "adversarial", "inward", None, None),
    (BOP, "active", "adversarial", "outward", None, None), (BOP, "active", "adversarial", "both", None, None),
    (BOP, "not_evident", None, None, None, None),
]

# An alliance of expediency written as a practice instead of in `alliances`. The contract
# (section 2: the same kind either way; section 3: "an alliance never sets its members
# against each other") makes A-B no rival dyad here, so their three community kinds make a
# community; the rule base counts the practice inward (rules/balance_of_power.py,
# inward_pair_practice keys on the section `alliances`, not on the kind).
ALLIANCE_AS_PRACTICE = """\
schema: 1
region: Alliance as a practice
states: {A: a, B: b, C: c, D: d}
groups: {G: [A, B, C, D]}
practices:
  - {kind: alliance_of_expediency, between: [A, B]}
  - {kind: capability_monitoring, between: [A, B]}
  - {kind: self_restraint, among: [A, B]}
  - {kind: common_enterprise, among: [A, B]}
  - {kind: consultation, among: [A, B]}
"""


def generate(folder: Path, states: int = 10, periods: int = 2, seed: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"world_{states}x{periods}_seed{seed}.yaml"
    with path.open("w", encoding="utf-8") as out:
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--states", str(states), "--periods",
                        str(periods), "--seed", str(seed)], stdout=out, check=True)
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("bench"))


def assert_anchor_agrees(path: Path) -> None:
    facts = load_facts(path)
    agreement = bench_run.compare(bench_run.experta_conclusions(diagnose(facts)),
                                  bench_run.run_clips_anchor(facts).conclusions)
    assert agreement.agree, (f"only experta: {agreement.only_experta[:5]}\n"
                             f"only CLIPS: {agreement.only_clips[:5]}")


def test_generator_is_deterministic_from_its_seed(tmp_path):
    first, second, other = generate(tmp_path / "a"), generate(tmp_path / "b"), generate(tmp_path / "c", seed=2)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_generated_world_is_valid(cli_runner, world):
    result = cli_runner.invoke(cli, ["validate", str(world)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_generated_world_exercises_version_2(tmp_path):
    facts = load_facts(generate(tmp_path, states=50, periods=3))
    entries = facts.entries
    assert any(e.mutual and len(e.actors) > 2 for e in entries), "no `mutual: true` entry"
    assert any(e.form == "sides" and max(map(len, e.ends)) > 1 for e in entries), "no coalition war with sides"
    assert any(e.section == "alliances" for e in entries), "no alliance"
    assert any(e.section == "deterrence" and e.form == "directed" and len(e.ends[0]) > 2 for e in entries), \
        "no deterrence directed from a bloc"
    assert any(not e.rooted and e.section == "deterrence" for e in entries), "no calm sub-region"
    assert any(e.kinds == ("great_power_concert",) for e in entries), "no concert"


@needs_clips
def test_workers_agree_on_a_generated_world(world):
    experta, clips = bench_run.measure_experta(world), bench_run.measure_clips(world)
    agreement = bench_run.compare(bench_run.Conclusions.from_json(experta["conclusions"]),
                                  bench_run.Conclusions.from_json(clips["conclusions"]))
    assert agreement.agree, (agreement.only_experta[:5], agreement.only_clips[:5])
    assert experta["partitions"] > 0 and experta["declared"] > 0 and experta["derived"] > 0
    assert clips["asserted"] > 0 and clips["derived"] > 0


@needs_clips
def test_anchor_agrees_on_every_clear_case(write_facts):
    path = write_facts(EVERY_CASE)
    conclusions = bench_run.experta_conclusions(diagnose(load_facts(path)))
    reached = Counter(tuple(key[5:]) for key in conclusions.mechanisms)
    for case in EVERY_STATUS:
        assert reached[case], f"the file no longer reaches {case}"
    # (unit, period, mechanism) -> (status, variant, facing, phase, coupling), rows of all practices
    rows = {(key[0], key[1], key[5]): key[6:] for key in conclusions.mechanisms if key[2:5] == (None, None, None)}
    assert rows["group:West", "p1", SC][0] == "nascent"  # Helsinki's practices held back, 1 kind of its own
    assert rows["group:Helsinki", "p1", SC][0] == "nascent" and rows["group:Helsinki", "p1", BOP][2] == "inward"
    assert rows["group:West", "p1", BOP][2] == "outward"
    assert rows["group:Bloc", "p2", BOP][:3] == ("active", "adversarial", "both")
    assert rows["group:H", "p2", SC][0] == "decaying"
    assert conclusions.relational == {("dyad:A-B", "group:G", "p1"), ("dyad:A-B", "group:G", "p2")}
    assert_anchor_agrees(path)


@needs_clips
def test_anchor_agrees_on_an_alliance_written_as_a_practice(write_facts):
    assert_anchor_agrees(write_facts(ALLIANCE_AS_PRACTICE))


@needs_clips
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_anchor_agrees_on_the_examples(path):
    assert_anchor_agrees(path)


def test_a_child_over_budget_is_skipped():
    with pytest.raises(bench_run.Skipped, match="budget"):
        bench_run.run_child([sys.executable, "-c", "import time; time.sleep(30)"], budget=0.5)
