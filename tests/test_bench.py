"""Smoke test of the benchmark, bench/run.py: what its numbers rest on, never a time.

- bench/generate.py is deterministic from its seed and writes files that
  `diagnose validate` accepts;
- the CLIPS anchor (bench/clips_rules.clp) reaches the same mechanism rows and
  relational overlaps as the experta rule base, on a tiny generated world (through
  the same worker functions the benchmark runs in its child processes), on a file
  written to reach every clear case the anchor encodes, and on every example;
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

# Every clear case the anchor encodes, in two periods: G = {A, B, C} is a
# community in p1 that breaks down in p2 (war B-C), formal only on its economic
# sector at war; the dyad A-B balances by kinds with a concert (associational)
# inside G (relational overlap); H = {C, D, E} has only unrooted community
# practices (formal only) and rival dyads C-D and D-E through all its states
# (BoP by rival dyads); the region has no community (not evident).
EVERY_CASE = """\
schema: 1
region: Every case
states: {A: a, B: b, C: c, D: d, E: e}
periods: [{id: p1}, {id: p2}]
groups: {G: [A, B, C], H: [C, D, E]}
practices:
  - {kind: great_power_concert, between: [A, B]}
  - {kind: arms_race, between: [A, B]}
  - {kind: self_restraint, among: G}
  - {kind: common_enterprise, among: G}
  - {kind: policy_coordination, among: G, sector: economic}
  - {kind: socialization, among: H, rooted: false}
  - {kind: arms_race, between: [C, D]}
  - {kind: worst_case_planning, between: [D, E]}
deterrence:
  - {by: C, against: D}
  - {by: E, against: D}
wars:
  - {between: [B, C], level: war, period: p2}
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
    reached = Counter((mechanism, status, variant) for *_, mechanism, status, variant in conclusions.mechanisms)
    for case in [("security_community", "active", None), ("security_community", "broken_down", None),
                 ("security_community", "formal_only", None), ("security_community", "not_evident", None),
                 ("balance_of_power", "active", "associational"), ("balance_of_power", "active", "adversarial"),
                 ("balance_of_power", "not_evident", None)]:
        assert reached[case], f"the file no longer reaches {case}"
    assert conclusions.relational == {("dyad:A-B", "group:G", "p1")}
    assert_anchor_agrees(path)


@needs_clips
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_anchor_agrees_on_the_examples(path):
    assert_anchor_agrees(path)


def test_a_child_over_budget_is_skipped():
    with pytest.raises(bench_run.Skipped, match="budget"):
        bench_run.run_child([sys.executable, "-c", "import time; time.sleep(30)"], budget=0.5)
