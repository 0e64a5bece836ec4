"""Leaving one item out re-runs only the partitions it reaches, with the answer of a whole new run."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from diagnose import load_facts
from diagnose.api import diagnose, diagnose_keeping, diagnose_without
from diagnose.decisive import LeaveOneOut, conclusion_key, conclusion_verdict
from diagnose.packs import rulebase

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))
WORLD = ROOT / "tests" / "facts" / "world-10-states-3-periods.yaml"


def _removable(facts) -> list[str]:
    return [item.id for item in (*facts.entries, *facts.strategies, *facts.junctures)]


def _afresh(facts, fact_id: str, rules, thresholds=None) -> str:
    fewer = replace(facts, entries=tuple(e for e in facts.entries if e.id != fact_id),
                    strategies=tuple(s for s in facts.strategies if s.id != fact_id),
                    junctures=tuple(j for j in facts.junctures if j.id != fact_id))
    return diagnose(fewer, rules, thresholds=thresholds).to_json()


def _check(path: Path, ids: list[str] | None = None, packs: tuple[str, ...] = (), thresholds=None) -> int:
    rules = rulebase(packs)
    facts = load_facts(path, rules)
    _, kept = diagnose_keeping(facts, rules, thresholds=thresholds)
    checked = 0
    for fact_id in ids if ids is not None else _removable(facts):
        incremental = diagnose_without(facts, fact_id, rules, kept, thresholds=thresholds).to_json()
        assert incremental == _afresh(facts, fact_id, rules, thresholds), f"{path.name} without {fact_id}"
        checked += 1
    return checked


def test_items_left_out_of_a_generated_world_give_a_whole_new_run():
    facts = load_facts(WORLD)
    ids = sorted(random.Random(11).sample(_removable(facts), 12))
    assert _check(WORLD, ids) == 12


def test_left_out_with_other_thresholds_and_a_pack():
    assert _check(ROOT / "facts" / "greece_turkey.yaml", packs=(str(ROOT / "examples" / "packs" / "hegemony"),),
                  thresholds={"sc_min_kinds": 2}) >= 5


def test_the_kept_run_is_the_plain_run():
    rules = rulebase(())
    facts = load_facts(WORLD, rules)
    assert diagnose_keeping(facts, rules)[0].to_json() == diagnose(facts, rules).to_json()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_item_left_out_of_every_example_gives_a_whole_new_run(path):
    # `without` re-runs what the item reaches; `outcome` only what decides one conclusion: its unit's
    # rows, or its overlap's partitions
    rules = rulebase(())
    facts = load_facts(path, rules)
    result = diagnose(facts, rules)
    leave = LeaveOneOut(facts, rules)
    compared = changed = 0
    for fact_id in _removable(facts):
        fresh = diagnose(replace(facts, entries=tuple(e for e in facts.entries if e.id != fact_id),
                                 strategies=tuple(s for s in facts.strategies if s.id != fact_id),
                                 junctures=tuple(j for j in facts.junctures if j.id != fact_id)), rules)
        assert leave.without(fact_id).to_json() == fresh.to_json(), f"{path.name} without {fact_id}"
        after = {conclusion_key(c): c for c in (*fresh.mechanisms, *fresh.overlaps)}
        for conclusion in (*result.mechanisms, *result.overlaps):
            if fact_id not in conclusion.facts:
                continue
            expected = after.get(conclusion_key(conclusion))
            outcome = leave.outcome(conclusion, fact_id)
            assert (outcome and conclusion_verdict(outcome)) == (expected and conclusion_verdict(expected)), \
                (fact_id, conclusion_key(conclusion))
            compared += 1
            changed += expected is None or conclusion_verdict(expected) != conclusion_verdict(conclusion)
    assert compared >= 10 and changed >= 1
