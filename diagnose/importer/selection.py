"""Which states and periods an import covers: the COW state system, COW regions, period lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import DiagnoseError
from ..names import did_you_mean
from .tables import DATASETS, Table

REGIONS: dict[str, tuple[int, int]] = {
    # COW's regions by state-code range (the codebook's convention; North Africa falls in the Middle East)
    "Americas": (1, 199),
    "Europe": (200, 399),
    "Africa": (400, 599),
    "Middle East": (600, 699),
    "Asia": (700, 999),
}
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_SPAN = re.compile(r"\s*([0-9]{1,4})\s*-\s*([0-9]{1,4})\s*")


@dataclass(frozen=True)
class State:
    ccode: int
    code: str
    name: str
    spells: tuple[tuple[int, int], ...]
    """Years in the state system (first, last), as COW dates them."""

    def exists(self, first: int, last: int) -> bool:
        """In the system at some time in the years first..last."""
        return any(start <= last and end >= first for start, end in self.spells)


@dataclass(frozen=True)
class Period:
    id: str
    first: int
    last: int


def read_system(path: Path) -> dict[int, State]:
    """The COW state system, one `State` per code; the file code is COW's abbreviation (made unique with
    the number where two states share one)."""
    table = Table(path, DATASETS["states"])
    spells: dict[int, list[tuple[int, int]]] = {}
    names: dict[int, tuple[str, str]] = {}
    for line, (ccode, abb, name, start, end) in table.rows():
        number = table.integer(ccode, line, "ccode")
        first, last = table.year_of(start, line, "start"), table.year_of(end, line, "end")
        if number is None or first is None or last is None:
            continue
        spells.setdefault(number, []).append((first, last))
        names.setdefault(number, (abb.strip(), name.strip()))
    taken: dict[str, int] = {}
    for number, (abb, _) in sorted(names.items()):
        taken[abb] = taken.get(abb, 0) + 1
    states = {}
    for number, (abb, name) in names.items():
        code = abb if _CODE.fullmatch(abb) and taken[abb] == 1 else f"S{number}"
        states[number] = State(number, code, name or code, tuple(sorted(spells[number])))
    return states


def select(system: dict[int, State], first: int, last: int, *, states: str | None = None,
           region: str | None = None) -> dict[int, State]:
    """The region's states and the states named (COW numbers or abbreviations) that exist in first..last."""
    chosen: dict[int, State] = {}
    if region is not None:
        if region not in REGIONS:
            by_lower = {r.lower(): r for r in REGIONS}
            if region.lower() not in by_lower:
                raise DiagnoseError(f"--region '{region}': unknown COW region{did_you_mean(region, REGIONS)}; "
                                    f"expected one of {', '.join(REGIONS)}")
            region = by_lower[region.lower()]
        low, high = REGIONS[region]
        chosen = {n: s for n, s in system.items() if low <= n <= high and s.exists(first, last)}
    by_code = {s.code.upper(): s for s in system.values()}
    problems = []
    for word in (w.strip() for w in (states or "").split(",")):
        if not word:
            continue
        state = system.get(int(word)) if word.isdigit() else by_code.get(word.upper())
        if state is None:
            known = [s.code for s in system.values()]
            problems.append(f"--states: unknown state '{word}'{did_you_mean(word.upper(), known)}: expected a "
                            f"COW state number or abbreviation (e.g. 200 or UKG)")
        elif not state.exists(first, last):
            problems.append(f"--states: {state.code} ({state.name}) is not in the state system in {first}-{last}")
        else:
            chosen[state.ccode] = state
    if problems:
        raise DiagnoseError("\n".join(problems))
    if len(chosen) < 2:
        raise DiagnoseError(f"the selection has {len(chosen)} state{'s' if len(chosen) != 1 else ''} in "
                            f"{first}-{last}; a region needs at least two")
    return chosen


def _span(text: str, option: str) -> tuple[int, int]:
    match = _SPAN.fullmatch(text)
    if not match:
        raise DiagnoseError(f"{option} '{text}': expected FIRST-LAST years, e.g. 1946-2014")
    first, last = int(match.group(1)), int(match.group(2))
    if last < first:
        raise DiagnoseError(f"{option} '{text}': the period ends before it starts")
    return first, last


def periods_from_list(text: str) -> list[Period]:
    """`1947-1974,1975-1989`: each span a period, oldest first, not overlapping."""
    spans = [_span(part, "--periods") for part in text.split(",") if part.strip()]
    if not spans:
        raise DiagnoseError("--periods: expected FIRST-LAST spans separated by commas, e.g. 1947-1974,1975-1989")
    for (_, before), (after, _) in zip(spans, spans[1:]):
        if after <= before:
            raise DiagnoseError(f"--periods '{text}': periods must be oldest first and must not overlap")
    return [Period(f"p{a}_{b}", a, b) for a, b in spans]


def periods_every(years: str, every: int) -> list[Period]:
    """`--years 1946-2014 --every 10`: consecutive periods of `every` years, the last one shorter."""
    first, last = _span(years, "--years")
    if every < 1:
        raise DiagnoseError(f"--every {every}: expected a number of years, 1 or more")
    return [Period(f"p{a}_{min(a + every - 1, last)}", a, min(a + every - 1, last))
            for a in range(first, last + 1, every)]
