"""The typed, immutable model of a fact file, as `load_facts` returns it."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from types import MappingProxyType
from typing import Mapping

Pair = tuple[str, str]


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
    kind: str  # region | subregion | group | dyad
    name: str
    states: frozenset[str]
    declaration: str | None = None  # the fact id of its declaration, e.g. "groups.NATO"

    @property
    def size(self) -> int:
        return len(self.states)


@dataclass(frozen=True)
class Entry:
    """One practice entry of the file, with names expanded and defaults applied."""

    id: str
    section: str
    kinds: tuple[str, ...]
    actors: frozenset[str]
    pairs: tuple[Pair, ...]
    """Dyads the entry names: its two states, or its by x against pairs."""
    directed: bool
    periods: tuple[str | None, ...]
    line: int
    sector: str | None = None
    agency: str | None = None
    issue: str | None = None
    deliberate: bool = False
    rooted: bool = True
    violent: bool = False
    """A `war` or `armed_conflict` (case 1 of the spec: it ends SC, starts BoP)."""
    level: str | None = None
    against: frozenset[str] = frozenset()
    """For alliances: the threat it answers (names no dyad)."""
    source: str | None = None
    note: str | None = None

    def covers(self, unit: Unit) -> bool:
        """Whether the entry's actors include every state of the unit."""
        if self.directed:
            return unit.kind == "dyad" and tuple(sorted(unit.states)) in self.pairs
        return unit.states <= self.actors

    def between_exactly(self, unit: Unit) -> bool:
        """Whether the entry is a dyad's own: its two states exactly, or a directed pair."""
        if self.directed:
            return unit.kind == "dyad" and tuple(sorted(unit.states)) in self.pairs
        return self.actors == unit.states

    def violent_pairs(self) -> tuple[Pair, ...]:
        """Pairs of states the entry sets against each other (for wars)."""
        if self.directed:
            return self.pairs
        return tuple(combinations(sorted(self.actors), 2))

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
    as_of: str | int | None = None
    summary: str | None = None
    schema: int = 1

    @property
    def period_ids(self) -> tuple[str | None, ...]:
        """The periods to diagnose: the file's, or a single unnamed one."""
        return tuple(p.id for p in self.periods) or (None,)

    @property
    def region_unit(self) -> Unit:
        return Unit("region", "region", self.region, frozenset(self.states), "states")

    def units(self) -> tuple[Unit, ...]:
        """Region, sub-regions, groups, then every dyad an entry names."""
        named = {pair for entry in self.entries for pair in entry.pairs}
        dyads = tuple(Unit(dyad_id(*pair), "dyad", "-".join(pair), frozenset(pair)) for pair in sorted(named))
        return (self.region_unit, *self.subregions, *self.groups, *dyads)
