"""Cost bounded by the input: counted without churn, and limits that refuse what would take too long.

No test here times anything (the machines are shared): they count the work
the engine does, or check the refusals that keep it bounded.
"""

from __future__ import annotations

import pytest

from diagnose import diagnose, load_facts
from diagnose import load as load_module
from diagnose.engine import RuleEngine
from diagnose.errors import FactFileError


def _same_entries(n: int) -> str:
    return "schema: 1\nregion: R\nstates: {A: a, B: b}\npractices:\n" + \
        "  - {kind: arms_race, between: [A, B]}\n" * n


def test_identical_entries_are_counted_without_a_modify_each(write_facts, monkeypatch):
    """Counts are gathered and declared once per row: the engine's modifies do not grow with the entries."""
    modifies = []
    original = RuleEngine.modify

    def counting(self, fact, **changes):
        modifies.append(type(fact).__name__)
        return original(self, fact, **changes)

    monkeypatch.setattr(RuleEngine, "modify", counting)
    found = []
    for n in (10, 400):
        modifies.clear()
        diagnose(load_facts(write_facts(_same_entries(n), f"same{n}.yaml")))
        found.append(len(modifies))
    assert found[0] == found[1], found


def test_a_file_naming_too_many_dyads_is_refused_without_listing_them(write_facts):
    codes = [f"S{i:03d}" for i in range(400)]  # by all against all: 79,800 pairs
    text = ("schema: 1\nregion: R\nstates:\n" + "".join(f"  {c}: s\n" for c in codes) +
            f"deterrence:\n  - {{by: [{', '.join(codes)}], against: [{', '.join(codes)}]}}\n")
    with pytest.raises(FactFileError, match=r"more than 50,000 dyads"):
        load_facts(write_facts(text))


def test_the_dyad_limit_counts_distinct_pairs(write_facts, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_DYADS", 3)
    base = "schema: 1\nregion: R\nstates: {A: a, B: b, C: c, D: d}\ndeterrence:\n"
    # the same three pairs named twice: three dyads, within the limit
    load_facts(write_facts(base + "  - {by: A, against: [B, C, D]}\n" * 2, "three.yaml"))
    with pytest.raises(FactFileError, match="more than 3 dyads"):
        load_facts(write_facts(base + "  - {by: A, against: [B, C, D]}\n  - {by: B, against: C}\n", "four.yaml"))


def test_entries_times_periods_are_limited(write_facts, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_ENTRY_PERIODS", 6)
    base = "schema: 1\nregion: R\nstates: {A: a, B: b}\nperiods: [{id: p1}, {id: p2}, {id: p3}]\npractices:\n"
    load_facts(write_facts(base + "  - {kind: arms_race, between: [A, B]}\n" * 2, "six.yaml"))
    with pytest.raises(FactFileError, match="7 entry-periods"):
        load_facts(write_facts(base + "  - {kind: arms_race, between: [A, B]}\n" * 2 +
                               "  - {kind: deterrence, between: [A, B], period: p1}\n", "seven.yaml"))
