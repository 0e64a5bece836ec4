"""Structure the engine runs on: which entries count for which row.

Python decides only *where* an entry applies (which unit it covers, in which
period and slice); what the entries add up to is left to the rules. Each unit
and period becomes one small partition of facts, so experta's unindexed joins
stay small.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from .facttypes import Adjacent, Evidence, Row, Violence
from .model import Entry, FactBase, Unit

DIMENSIONS = ("sector", "agency", "issue")


def label(unit: Unit, facts: FactBase) -> str:
    """How explanations name a unit."""
    if unit.kind == "region":
        return facts.region or "the region"
    if unit.kind == "dyad":
        return "–".join(facts.states.get(code, code) for code in sorted(unit.states))
    return unit.name


def row_key(unit: str, period: str | None, dim: str | None, value: str | None) -> str:
    return f"{unit}|{period or ''}|{dim or ''}|{value or ''}"


@dataclass
class EntryIndex:
    """Entries indexed by the states they name, for quick lookup per unit."""

    facts: FactBase

    def __post_init__(self) -> None:
        self.by_state: dict[str, list[Entry]] = defaultdict(list)
        self.by_pair: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in self.facts.entries:
            for state in entry.actors:
                self.by_state[state].append(entry)
            for pair in entry.pairs:
                self.by_pair[pair].append(entry)

    def candidates(self, unit: Unit) -> list[Entry]:
        """Entries that might concern the unit (a superset; filtered by the caller)."""
        if unit.kind == "dyad":
            first = min(unit.states)
            return self.by_state.get(first, [])
        return list(self.facts.entries)


def counted(entry: Entry, unit: Unit, mechanism: str) -> bool:
    """Whether the entry's kinds of ``mechanism`` count for the unit.

    Every mechanism counts entries that cover the unit, except a dyad's
    balance of power: only the dyad's own entries (its two states exactly, or
    a directed pair), so a group's outward balancing makes no rivals inside it;
    for the same reason an alliance that names the threat it answers
    (`against`) faces outward and makes no rivals of its two members.
    """
    if mechanism == "balance_of_power" and unit.kind == "dyad":
        return entry.between_exactly(unit) and not entry.against
    return entry.covers(unit)


def relevant_entries(unit: Unit, index: EntryIndex) -> list[Entry]:
    """Entries that cover the unit, or that may set two of its states at war."""
    return [e for e in index.candidates(unit) if e.covers(unit) or e.violent]


def unit_facts(facts: FactBase, unit: Unit, period: str | None, relevant: list[Entry]) -> Iterator:
    """Rows, evidence and violence of one unit in one period."""
    vocabulary = facts.vocabulary
    # Declared in id order, so that the order of entries in the file changes no firing order.
    in_period = sorted((e for e in relevant if period in e.periods), key=lambda e: e.id)
    war_ids = tuple(sorted({e.id for e in in_period if e.violent and _fights_inside(e, unit)}))
    if war_ids:
        yield Violence(unit=unit.id, period=period, ids=war_ids)
    evidence = [(e, kind, vocabulary[kind]) for e in in_period for kind in e.kinds
                if counted(e, unit, vocabulary[kind])]
    slices: set[tuple[str | None, str | None]] = {(None, None)}
    for entry, _, _ in evidence:
        slices |= {(dim, entry.value(dim)) for dim in DIMENSIONS if entry.value(dim) is not None}
    for dim, value in sorted(slices, key=lambda s: (s[0] or "", s[1] or "")):
        key = row_key(unit.id, period, dim, value)
        yield Row(row=key, unit=unit.id, unit_kind=unit.kind, label=label(unit, facts), period=period,
                  dim=dim, value=value, states=tuple(sorted(unit.states)), declared=unit.declaration,
                  size=unit.size)
        for entry, kind, mechanism in evidence:
            if dim is None or entry.value(dim) == value:
                yield Evidence(row=key, mechanism=mechanism, kind=kind, id=entry.id, rooted=entry.rooted,
                               deliberate=entry.deliberate)


def _fights_inside(entry: Entry, unit: Unit) -> bool:
    return any(set(pair) <= unit.states for pair in entry.violent_pairs())


def adjacent_periods(facts: FactBase) -> list:
    """Which period lies right before or after which."""
    ids = [p.id for p in facts.periods]
    out: list = []
    for earlier, later in zip(ids, ids[1:]):
        out += [Adjacent(period=earlier, other=later, relation="following"),
                Adjacent(period=later, other=earlier, relation="preceding")]
    return out
