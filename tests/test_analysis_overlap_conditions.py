"""The conditions `explain --overlap` states for the built-in overlap rules agree with what those rules conclude.

diagnose/analysis/overlaps.py writes the overlap rules' conditions out for its why-not; should a rule change
and the text not, this fails: on every example and a generated world, every overlap the rules conclude has a
rule whose stated conditions all hold, and no overlap they leave out has one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diagnose import diagnose, load_facts
from diagnose.analysis.overlaps import RULES, _functional_readings, _overlap, _plans, _rows, _rule_docs, _slots
from diagnose.packs import rulebase

ROOT = Path(__file__).resolve().parent.parent
FILES = [*sorted((ROOT / "facts").glob("*.yaml")), ROOT / "tests" / "facts" / "world-10-states-3-periods.yaml"]


def _readings(slot, rows, facts, docs, in_force):
    if slot.type == "functional":
        return _functional_readings(slot, rows, facts, docs)
    return [plan.read(rows, facts) for plan in _plans(slot, rows, facts, docs, in_force)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_stated_conditions_hold_exactly_where_the_rules_conclude(path):
    rules = rulebase(())
    facts = load_facts(path, rules)
    result = diagnose(facts, rules)
    rows = _rows(result)
    docs, in_force, _ = _rule_docs(rules)
    assert in_force == {name for names in RULES.values() for name in names}
    checked = {"concluded": 0, "absent": 0}
    for unit in facts.units():
        for type_ in RULES:
            slots, _ = _slots(facts, unit, type_, list(facts.period_ids))
            for slot in slots:
                if type_ == "functional":
                    found = any(o.type == "functional" and o.units == slot.units and o.period == slot.period
                                for o in result.overlaps)
                else:
                    found = _overlap(result, slot) is not None
                holding = [r.rule for r in _readings(slot, rows, facts, docs, in_force) if r.holds]
                assert bool(holding) == found, (slot, holding)
                checked["concluded" if found else "absent"] += 1
    if result.overlaps:
        assert checked["concluded"] > 0
    assert checked["absent"] > 0
