"""Structure the engine runs on: which entries concern which unit, period and slice.

Python says only *where* an entry stands relative to a unit, as set relations
of states (does it cover the unit, does one of its ends hold all of the
unit's states, is its other end outside), and which rows a unit has. What an
entry means there (inward or outward, violent, counted or blocked) is left to
the rules. Each unit becomes one small partition of facts per stage, so every
engine run stays small.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable, Iterator

from .facttypes import Adjacent, Contains, Evidence, PeriodAfter, Row
from .model import Entry, FactBase, Unit

DIMENSIONS = ("sector", "agency", "issue")


def label(unit: Unit, facts: FactBase) -> str:
    """How explanations name a unit."""
    if unit.kind == "region":
        return facts.region or "the region"
    if unit.kind == "dyad":
        return "–".join(facts.states.get(code, code) for code in sorted(unit.states))
    if unit.kind == "entry":
        return ", ".join(facts.states.get(code, code) for code in sorted(unit.states))
    return unit.name


def row_key(unit: str, period: str | None, dim: str | None, value: str | None) -> str:
    return f"{unit}|{period or ''}|{dim or ''}|{value or ''}"


def placement(entry: Entry, unit: Unit) -> tuple[bool, bool, bool] | None:
    """(covers, acting_covers, target_outside) of the entry for the unit, or None when it concerns it not.

    An undirected entry's states act together; of a directed one the `by`
    end acts, of a two-sided one either side.
    """
    states = unit.states
    if not entry.ends:
        covers = states <= entry.actors
        return (covers, covers, True) if covers else None
    first, second = entry.ends
    covers = entry.covers(unit)
    acting = [end for end in (entry.ends if entry.form == "sides" else (first,)) if states <= end]
    acting_covers = bool(acting)
    target_outside = acting_covers and not (states & (second if acting[0] is first else first))
    if not (covers or acting_covers):
        return None
    return covers, acting_covers, target_outside


class Structure:
    """Units, their rows and the entries that concern them, for every stage of a run."""

    def __init__(self, facts: FactBase) -> None:
        self.facts = facts
        self.reported = facts.units()
        self.hidden = facts.hidden_units()
        self.dyads = [u for u in (*self.reported, *self.hidden) if u.kind == "dyad"]
        self.larger = [u for u in (*self.reported, *self.hidden) if u.kind != "dyad"]
        self.unit_of = facts.unit_of_states()
        self.by_state: dict[str, list[Entry]] = defaultdict(list)
        for entry in sorted(facts.entries, key=lambda e: e.id):  # id order: file order changes no firing order
            for state in entry.actors:
                self.by_state[state].append(entry)
        self._concerning: dict[str, list[tuple[Entry, tuple[bool, bool, bool]]]] = {}
        self.units = {u.id: u for u in (*self.reported, *self.hidden)}

    def concerning(self, unit: Unit) -> list[tuple[Entry, tuple[bool, bool, bool]]]:
        """Entries that cover the unit or act from it, with their placement, in id order."""
        if unit.id not in self._concerning:
            first = min(unit.states, key=lambda s: len(self.by_state[s]))
            found = []
            for entry in self.by_state[first]:
                where = placement(entry, unit)
                if where is not None:
                    found.append((entry, where))
            self._concerning[unit.id] = found
        return self._concerning[unit.id]

    def periods_of(self, unit: Unit) -> tuple[str | None, ...]:
        """Every period for the region and declared units; for the others, those with entries and the next."""
        every = self.facts.period_ids
        if unit.declaration is not None:
            return every
        used = {p for entry, _ in self.concerning(unit) for p in entry.periods}
        return tuple(p for i, p in enumerate(every) if p in used or (i > 0 and every[i - 1] in used))

    def _read(self, entry: Entry, reads: Callable[[tuple[str, ...]], bool]) -> tuple[str, ...] | None:
        """The mechanisms of the entry's kinds, or None when the stage does not read it (kindless entries: all do)."""
        mechanisms = tuple(self.facts.vocabulary.get(k, "") for k in entry.kinds)
        return mechanisms if not mechanisms or reads(mechanisms) else None

    def reads(self, entry: Entry, reads: Callable[[tuple[str, ...]], bool]) -> bool:
        """Whether a stage reads the entry (``reads`` says which mechanisms it reads)."""
        return self._read(entry, reads) is not None

    def slices(self, unit: Unit) -> list[tuple[str | None, str | None]]:
        """The all-practices slice, then every sector, agency and issue an entry concerning the unit names.

        Every stage has the same rows, whichever entries it reads: a larger
        unit's slice may matter to one stage only through the dyads inside it.
        """
        found = {(dim, entry.value(dim)) for entry, _ in self.concerning(unit) for dim in DIMENSIONS
                 if entry.value(dim) is not None}
        return [(None, None), *sorted(found)]

    def unit_facts(self, unit: Unit, reads: Callable[[tuple[str, ...]], bool] = lambda mechanisms: True) -> Iterator:
        """Rows and evidence of one unit in every period it is diagnosed for, as one stage reads them.

        ``reads`` says, from the mechanisms of an entry's kinds, whether the
        stage reads the entry; entries without kinds (wars) go to every stage.
        """
        facts = self.facts
        name = label(unit, facts)
        states = tuple(sorted(unit.states))
        slices = self.slices(unit)
        read = [(e, where, mechanisms) for e, where in self.concerning(unit)
                if (mechanisms := self._read(e, reads)) is not None]
        for period in self.periods_of(unit):
            in_period = [item for item in read if period in item[0].periods]
            for dim, value in slices:
                key = row_key(unit.id, period, dim, value)
                yield Row(row=key, unit=unit.id, unit_kind=unit.kind, label=name, period=period, dim=dim,
                          value=value, states=states, declared=unit.declaration, size=unit.size,
                          reported=unit.reported)
                for entry, (covers, acting_covers, target_outside), mechanisms in in_period:
                    if dim is None or entry.value(dim) == value:
                        yield Evidence(
                            row=key, id=entry.id, section=entry.section, kinds=entry.kinds,
                            mechanisms=mechanisms, form=entry.form, size=len(entry.actors), mutual=entry.mutual,
                            level=entry.level, rooted=entry.rooted, deliberate=entry.deliberate, covers=covers,
                            acting_covers=acting_covers, target_outside=target_outside,
                            own_unit=self.unit_of.get(entry.own_states) if entry.own_states else None)

    def own_units(self, unit: Unit) -> set[str]:
        """The units formed by the states of the undirected entries that concern ``unit``."""
        return {self.unit_of[e.own_states] for e, _ in self.concerning(unit)
                if e.own_states and e.own_states in self.unit_of}



def containment(dyads: Iterable[Unit], unit: Unit) -> list[Contains]:
    return [Contains(dyad=d.id, unit=unit.id) for d in dyads if d.states <= unit.states and d.id != unit.id]


def period_order(facts: FactBase) -> list:
    """Which period immediately follows which, both ways."""
    ids = [p.id for p in facts.periods]
    out: list = [PeriodAfter(earlier=a, later=b) for a, b in zip(ids, ids[1:])]
    for earlier, later in zip(ids, ids[1:]):
        out += [Adjacent(period=earlier, other=later, relation="following"),
                Adjacent(period=later, other=earlier, relation="preceding")]
    return out
