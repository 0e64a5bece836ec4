"""What the coding modules share: the selection they code for, and the entries they produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..packs import builtin_rulebase
from .scheme import Scheme
from .selection import Period, State

SECTION_OF_KIND = {kinds[0]: section for section, clauses in builtin_rulebase().section_kinds.items()
                   for condition, kinds in clauses if not condition and len(kinds) == 1}
"""Kinds that a section carries on every entry are written there (as a hand-written file would), the others
in `practices`."""


@dataclass(frozen=True)
class Evidence:
    """One entry of the fact file: the section it goes in, its id, its period, and its fields in the order
    they are written. `order` sorts entries within a period (dataset, then row id), so re-imports diff well."""

    section: str
    id: str
    period: int
    order: tuple
    fields: dict[str, Any]


@dataclass
class Context:
    """The states and periods being imported, the scheme, and the groups found so far."""

    states: dict[int, State]
    periods: list[Period]
    scheme: Scheme
    groups: dict[str, frozenset[int]] = field(default_factory=dict)
    group_treaty: dict[str, int] = field(default_factory=dict)
    """The ATOP treaty each group was made from (group name -> atopid)."""
    pledged: set[tuple[int, int]] = field(default_factory=set)
    """(atopid, period index) where the treaty is an alliance (it produced an `alliances` entry)."""
    _period_of: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._period_of = {year: i for i, p in enumerate(self.periods) for year in range(p.first, p.last + 1)}

    @property
    def first(self) -> int:
        return self.periods[0].first

    @property
    def last(self) -> int:
        return self.periods[-1].last

    def period_of(self, year: int) -> int | None:
        return self._period_of.get(year)

    def exists(self, ccode: int, first: int, last: int | None = None) -> bool:
        """A selected state, in the system at some time in first..last."""
        state = self.states.get(ccode)
        return state is not None and state.exists(first, first if last is None else last)

    def codes(self, ccodes: Iterable[int]) -> list[str]:
        return sorted(self.states[c].code for c in ccodes)


def placed(kind: str | None = None, level: str | None = None) -> tuple[str, dict[str, Any]]:
    """The section an entry of this kind (or war level) goes in, and the field that says what it is."""
    if level is not None:
        return "wars", {"level": level}
    if kind in SECTION_OF_KIND:
        return SECTION_OF_KIND[kind], {}
    return "practices", {"kind": kind}


def actors_pair_or_sides(context: Context, side_a: Iterable[int], side_b: Iterable[int]) -> dict[str, Any]:
    """`between` for one state against one, else `sides` (a war's two sides)."""
    a, b = context.codes(side_a), context.codes(side_b)
    if len(a) == 1 and len(b) == 1:
        return {"between": sorted(a + b)}
    return {"sides": sorted([a, b])}


def when(context: Context, period: int, year: int | None = None) -> dict[str, Any]:
    """`year` for an event (it names its own period), `period` for a spell that holds through it."""
    return {"year": year} if year is not None else {"period": context.periods[period].id}
