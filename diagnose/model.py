"""The typed, immutable model of a fact file, as `load_facts` returns it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import combinations
from types import MappingProxyType
from typing import Iterable, Mapping

Pair = tuple[str, str]


def entry_unit_id(states: frozenset[str]) -> str:
    """The unit id of the states of an entry that is no declared unit."""
    return "states:" + "+".join(sorted(states))


def dyad_id(a: str, b: str) -> str:
    """The unit id of the dyad of two states, codes sorted."""
    first, second = sorted((a, b))
    return f"dyad:{first}-{second}"


@dataclass(frozen=True)
class Period:
    """One period of the file; years are inclusive and open where absent."""

    id: str
    start: int | None = None
    end: int | None = None

    def contains(self, year: int) -> bool:
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Unit:
    """A set of states a mechanism is diagnosed for."""

    id: str
    kind: str  # region | subregion | group | dyad | entry (the states of an entry, never reported)
    name: str
    states: frozenset[str]
    declaration: str | None = None  # the fact id of its declaration, e.g. "groups.NATO"
    reported: bool = True
    """False for units diagnosed only for what they tell the others (see `FactBase.hidden_units`)."""

    @property
    def size(self) -> int:
        return len(self.states)


@dataclass(frozen=True)
class Entry:
    """One practice entry of the file, with names expanded and defaults applied.

    Actors are kept as the file gives them: ``form`` says how (``between``,
    ``among``, ``members``, ``directed`` for ``by`` + ``against``, ``sides``),
    ``ends`` holds the two ends of a directed or two-sided entry (``by`` and
    ``against``, or the two sides) and is empty otherwise. What an entry means
    for a unit (inward, outward, violent) is for the rules to say.
    """

    id: str
    section: str
    kinds: tuple[str, ...]
    actors: frozenset[str]
    form: str
    periods: tuple[str | None, ...]
    line: int
    ends: tuple[frozenset[str], ...] = ()
    mutual: bool = False
    sector: str | None = None
    agency: str | None = None
    issue: str | None = None
    deliberate: bool = False
    rooted: bool = True
    level: str | None = None
    """A `wars` entry's level: war, armed_conflict or crisis."""
    basis: str | None = None
    """An `alliances` entry's basis."""
    against: frozenset[str] = frozenset()
    """For alliances: the threat it answers (names no dyad)."""
    source: str | None = None
    note: str | None = None

    @property
    def directed(self) -> bool:
        return bool(self.ends)

    @cached_property
    def pairs(self) -> tuple[Pair, ...]:
        """Dyads the entry names as units: its two states, or the pairs across its two ends."""
        if self.ends:
            first, second = self.ends
            return tuple(sorted({tuple(sorted((a, b))) for a in first for b in second if a != b}))  # type: ignore[misc]
        return (tuple(sorted(self.actors)),) if len(self.actors) == 2 else ()  # type: ignore[return-value]

    @property
    def mutual_pairs(self) -> tuple[Pair, ...]:
        """Every pair of a `mutual: true` entry of three or more states (diagnosed, not reported as units)."""
        return tuple(combinations(sorted(self.actors), 2)) if self.mutual and len(self.actors) > 2 else ()

    @property
    def own_states(self) -> frozenset[str] | None:
        """The states an undirected entry is shared by, taken as a unit; None for directed and two-sided ones."""
        return None if self.ends else self.actors

    def covers(self, unit: Unit) -> bool:
        """Whether the entry's actors include every state of the unit (a directed one: a dyad of its pairs)."""
        if self.ends:
            if unit.kind != "dyad":
                return False
            first, second = self.ends
            a, b = sorted(unit.states)
            return (a in first and b in second) or (a in second and b in first)
        return unit.states <= self.actors

    def value(self, dimension: str) -> str | None:
        return getattr(self, dimension)


@dataclass(frozen=True)
class Strategy:
    """A deliberate strategy of some states that combines mechanisms."""

    id: str
    name: str
    by: frozenset[str]
    combines: tuple[str, ...]
    periods: tuple[str | None, ...]
    line: int
    overlaps: tuple[str, ...] = ()
    """The overlap types it shapes; empty = every type."""
    dimension: str | None = None
    """`sector`, `agency` or `issue` when it shapes only functional overlaps on one value."""
    value: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Juncture:
    """A critical juncture (a major war or shock) in some periods."""

    id: str
    name: str
    periods: tuple[str | None, ...]
    line: int
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class FactBase:
    """Everything a fact file says, validated; the engine's only input."""

    path: str
    region: str
    states: Mapping[str, str]
    periods: tuple[Period, ...]
    subregions: tuple[Unit, ...]
    groups: tuple[Unit, ...]
    entries: tuple[Entry, ...]
    strategies: tuple[Strategy, ...] = ()
    junctures: tuple[Juncture, ...] = ()
    vocabulary: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Kind -> mechanism (or "indicator") for every kind in force."""
    mutual_mechanisms: frozenset[str] = frozenset()
    """Mechanisms whose entries `among` states may be `mutual` (from the rule packs)."""
    always_mutual_kinds: frozenset[str] = frozenset()
    """Kinds whose entries always act among their participants (from the rule packs)."""
    as_of: str | int | None = None
    summary: str | None = None
    schema: int = 1
    warnings: tuple[str, ...] = ()
    """`file:line: key: message` for entries that are valid but probably not what was meant."""

    @property
    def period_ids(self) -> tuple[str | None, ...]:
        """The periods to diagnose: the file's, or a single unnamed one."""
        return tuple(p.id for p in self.periods) or (None,)

    @property
    def region_unit(self) -> Unit:
        return Unit("region", "region", self.region, frozenset(self.states), "states")

    def without(self, ids: Iterable[str]) -> FactBase:
        """This fact base less the entries, strategies and junctures of these ids (the others' ids unchanged)."""
        gone = set(ids)
        return replace(self, entries=tuple(e for e in self.entries if e.id not in gone),
                       strategies=tuple(s for s in self.strategies if s.id not in gone),
                       junctures=tuple(j for j in self.junctures if j.id not in gone))

    def units(self) -> tuple[Unit, ...]:
        """Region, sub-regions, groups, then every dyad an entry names."""
        return self._units

    @cached_property
    def _units(self) -> tuple[Unit, ...]:  # the fact base never changes: worked out once, asked for often
        named = {pair for entry in self.entries for pair in entry.pairs}
        dyads = tuple(Unit(dyad_id(*pair), "dyad", "-".join(pair), frozenset(pair)) for pair in sorted(named))
        return (self.region_unit, *self.subregions, *self.groups, *dyads)

    def hidden_units(self) -> tuple[Unit, ...]:
        """Units diagnosed only for what they tell the others, never reported.

        The pairs of `mutual: true` entries (rival dyads need no entry that
        names them) and the states of each undirected entry taken as a unit
        (an entry shared by states that balance each other is blocked).
        """
        units = self.units()
        known_dyads = {u.states for u in units if u.kind == "dyad"}
        known = {u.states for u in units}
        hidden: dict[frozenset[str], Unit] = {}
        for entry in self.entries:
            for pair in entry.mutual_pairs:
                states = frozenset(pair)
                if states not in known_dyads and states not in hidden:
                    hidden[states] = Unit(dyad_id(*pair), "dyad", "-".join(pair), states, reported=False)
        for entry in self.entries:
            states = entry.own_states
            if states is not None and states not in known and states not in hidden and len(states) > 2:
                hidden[states] = Unit(entry_unit_id(states), "entry", "the states of " + entry.id, states,
                                      reported=False)
        return tuple(sorted(hidden.values(), key=lambda u: (u.kind != "dyad", u.id)))

    def unit_of_states(self) -> dict[frozenset[str], str]:
        """The id of the unit every set of states forms, where some unit does (a pair: its dyad)."""
        out: dict[frozenset[str], str] = {}
        for unit in (*self.hidden_units(), *self.units()):
            out[unit.states] = unit.id
        return out
