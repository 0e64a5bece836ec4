"""The public API: `diagnose` a loaded fact base with the rule packs in force.

The run has two passes, each over small partitions of facts:

1. mechanisms, per unit and period, periods in order (a period sees the
   community status of the one before, for breakdown): dyads first, then the
   larger units, which also see the rival dyads inside them;
2. overlaps and their character: per unit (temporal, functional), per period
   over the sub-regions (spatial) and per rival dyad with the units that
   contain it (relational).

Each partition holds only the facts its overlaps need, so no conclusion can be
drawn twice by two partitions.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import defaultdict
from typing import Callable, Iterable, Mapping

from .diagnosis import Diagnosis, MechanismRow, OverlapRow
from .engine import RuleEngine
from .facttypes import Character, Contains, JunctureAt, MechanismDecl, Note, Overlap, PeriodAfter, RivalDyad, Row, \
    Status, StrategyCover, Threshold
from .model import FactBase, Unit
from .packs import MECHANISMS, OVERLAPS, RuleBase, rulebase as make_rulebase
from .structure import DIMENSIONS, EntryIndex, adjacent_periods, relevant_entries, unit_facts
from .thresholds import resolve

Trace = Callable[[str, list], None]

PARALLEL_FROM = 400
"""Unit-periods below which pass one stays in one process (a fork pool costs more than it saves)."""


def diagnose(facts: FactBase, packs: Iterable[str] | RuleBase | None = None, *,
             thresholds: Mapping[str, float] | None = None, trace: Trace | None = None,
             jobs: int = 1) -> Diagnosis:
    """Diagnose ``facts``: mechanisms per unit and period, overlaps and their character.

    ``packs`` names rule packs to load beside the built-in one (or is a
    `RuleBase`); ``thresholds`` overrides named thresholds; ``trace`` is called
    with each rule as it fires and the facts it matched; ``jobs`` > 1 runs the
    first pass of a large file on that many forked processes (same result).
    """
    rules = packs if isinstance(packs, RuleBase) else make_rulebase(tuple(packs or ()))
    in_force = resolve(rules.thresholds, thresholds or {})
    collecting = gc.isenabled()
    gc.disable()  # the run makes many short-lived facts and almost no cycles: collections free next to nothing
    try:
        return _diagnose(facts, rules, in_force, trace, 1 if trace else jobs)
    finally:
        if collecting:
            gc.enable()


def _diagnose(facts: FactBase, rules: RuleBase, in_force: dict, trace: Trace | None, jobs: int) -> Diagnosis:
    engine, overlap_engine = _engines(rules)
    engine.trace = overlap_engine.trace = trace
    shared = [*(Threshold(name=k, value=v) for k, v in in_force.items()),
              *(MechanismDecl(name=m) for m in rules.mechanisms)]
    statuses, notes = _mechanisms(engine, facts, shared, jobs)
    overlaps, characters, overlap_notes = _overlaps(overlap_engine, facts, statuses, adjacent_periods(facts))
    return _assemble(facts, in_force, statuses, [*notes, *overlap_notes], overlaps, characters)


_ENGINES: dict[tuple[int, ...], tuple[RuleBase, RuleEngine, RuleEngine]] = {}


def _engines(rules: RuleBase) -> tuple[RuleEngine, RuleEngine]:
    """The two engines of a rule base, built once: building one costs far more than a reset.

    Engines are reset before every partition, so reusing them is safe within
    one thread; `diagnose` is not meant to be called from several threads at once.
    """
    key = tuple(id(pack) for pack in rules.packs)
    if key not in _ENGINES:
        if len(_ENGINES) >= 8:
            _ENGINES.clear()
        _ENGINES[key] = (rules, rules.engine_class(MECHANISMS)(), rules.engine_class(OVERLAPS)())
    return _ENGINES[key][1], _ENGINES[key][2]


def _run(engine: RuleEngine, facts: list) -> tuple[list, list]:
    derived = engine.run_partition(facts)
    return [f for f in derived if isinstance(f, Status)], [f for f in derived if isinstance(f, Note)]


def _unit_statuses(engine: RuleEngine, facts: FactBase, shared: list, index: EntryIndex, unit: Unit,
                   rival: Mapping[tuple, list]) -> tuple[list, list]:
    """Statuses and notes of one unit, period after period (a period sees the community status of the last)."""
    relevant = relevant_entries(unit, index)
    statuses: list = []
    notes: list = []
    previous: list = []
    for before, period in zip((None, *facts.period_ids), facts.period_ids):
        prepared = list(unit_facts(facts, unit, period, relevant))
        rivals = [RivalDyad(row=row["row"], dyad=s["unit"], states=s["states"], ids=s["ids"], rules=s["rules"])
                  for row in prepared if isinstance(row, Row) and unit.kind != "dyad"
                  for s in rival.get((period, row["dim"], row["value"]), ()) if set(s["states"]) <= unit.states]
        carried = [s.copy() for s in previous if s["mechanism"] == "security_community" and s["status"] == "active"]
        order = [PeriodAfter(earlier=before, later=period)] if before is not None else []
        found, noted = _run(engine, [*shared, *order, *prepared, *rivals, *carried])
        previous = [s for s in found if s["period"] == period]
        statuses += previous
        notes += noted
    return statuses, notes


_FORKED: tuple | None = None
"""What a forked worker of pass one needs; set just before the fork, inherited, never pickled."""


def _forked_units(chunk: list[int]) -> list[tuple[list, list]]:
    engine, facts, shared, index, units, rival = _FORKED  # type: ignore[misc]
    return [_unit_statuses(engine, facts, shared, index, units[i], rival) for i in chunk]


def _map_units(engine: RuleEngine, facts: FactBase, shared: list, index: EntryIndex, units: list[Unit],
               rival: Mapping[tuple, list], jobs: int) -> list[tuple[list, list]]:
    """`_unit_statuses` for every unit, in order; on ``jobs`` forked processes when the work is large.

    Every unit's run is independent of the others' in the same pass, so the
    result is the same whatever ``jobs``: chunks come back and are put in order.
    """
    work = len(units) * len(facts.period_ids)
    if jobs <= 1 or work < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [_unit_statuses(engine, facts, shared, index, unit, rival) for unit in units]
    global _FORKED
    _FORKED = (engine, facts, shared, index, units, rival)
    try:
        chunks = [list(range(start, len(units), jobs * 4)) for start in range(jobs * 4)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_forked_units, chunks)
    finally:
        _FORKED = None
    results: list = [None] * len(units)
    for chunk, part in zip(chunks, parts):
        for i, result in zip(chunk, part):
            results[i] = result
    return results


def _mechanisms(engine: RuleEngine, facts: FactBase, shared: list, jobs: int) -> tuple[list, list]:
    index = EntryIndex(facts)
    units = facts.units()
    statuses: list = []
    notes: list = []
    dyads = [u for u in units if u.kind == "dyad"]
    rival: dict[tuple, list] = defaultdict(list)  # (period, dim, value) -> BoP-active dyad statuses
    for found, noted in _map_units(engine, facts, shared, index, dyads, {}, jobs):
        statuses += found
        notes += noted
        for s in found:
            if s["mechanism"] == "balance_of_power" and s["status"] == "active":
                rival[(s["period"], s["dim"], s["value"])].append(s)
    larger = [u for u in units if u.kind != "dyad"]
    for found, noted in _map_units(engine, facts, shared, index, larger, rival, jobs):
        statuses += found
        notes += noted
    return statuses, notes


def _strategy_covers(facts: FactBase, units: Iterable[Unit]) -> list:
    out = []
    strategies = sorted(facts.strategies, key=lambda s: s.id)
    for unit in units:
        for strategy in strategies:
            if unit.states <= strategy.by:
                out += [StrategyCover(unit=unit.id, period=p, strategy=strategy.id, name=strategy.name,
                                      combines=strategy.combines) for p in strategy.periods]
    return out


def _overlaps(engine: RuleEngine, facts: FactBase, statuses: list, periods: list) -> tuple[list, list, list]:
    units = {u.id: u for u in facts.units()}
    active = [s.copy() for s in statuses if s["status"] == "active"]
    junctures = [JunctureAt(period=p, id=j.id, name=j.name)
                 for j in sorted(facts.junctures, key=lambda j: j.id) for p in j.periods]
    by_unit: dict[str, list] = defaultdict(list)
    for s in active:
        by_unit[s["unit"]].append(s)
    partitions: list[list] = []
    for unit_id, found in by_unit.items():  # temporal and functional
        partitions.append([*found, *periods, *junctures, *_strategy_covers(facts, [units[unit_id]])])
    subregions = [u for u in units.values() if u.kind == "subregion"]
    for period in facts.period_ids:  # spatial
        found = [s for s in active if s["unit_kind"] == "subregion" and s["period"] == period and s["dim"] is None]
        if len(found) > 1:
            partitions.append([*(s.copy() for s in found), *junctures, *_strategy_covers(facts, subregions)])
    for dyad in (u for u in units.values() if u.kind == "dyad"):  # relational
        rivalry = [s.copy() for s in by_unit.get(dyad.id, [])
                   if s["mechanism"] == "balance_of_power" and s["dim"] is None]
        if not rivalry:
            continue
        containers = [u for u in units.values() if u.kind != "dyad" and u.size > 2 and dyad.states <= u.states]
        community = [s.copy() for u in containers for s in by_unit.get(u.id, [])
                     if s["mechanism"] == "security_community" and s["dim"] is None]
        if community:
            partitions.append([*rivalry, *community, *(Contains(dyad=dyad.id, unit=u.id) for u in containers),
                               *junctures, *_strategy_covers(facts, [dyad])])
    overlaps: list = []
    characters: list = []
    notes: list = []
    for partition in partitions:
        derived = engine.run_partition(partition)
        overlaps += [f for f in derived if isinstance(f, Overlap)]
        characters += [f for f in derived if isinstance(f, Character)]
        notes += [f for f in derived if isinstance(f, Note)]
    return overlaps, characters, notes


def _assemble(facts: FactBase, thresholds: Mapping, statuses: list, notes: list, overlaps: list,
              characters: list) -> Diagnosis:
    order = {p: i for i, p in enumerate(facts.period_ids)}
    notes_by_key: dict[tuple, list] = defaultdict(list)
    for note in notes:
        notes_by_key[note["key"]].append(note)

    def with_notes(because, rules, ids, keys):
        for note in (n for key in keys for n in notes_by_key[key]):
            because, rules, ids = (*because, *note["because"]), (*rules, *note["rules"]), (*ids, *note["ids"])
        return " ".join(dict.fromkeys(because)), tuple(dict.fromkeys(rules)), tuple(sorted(set(ids)))

    rows = []
    for s in statuses:
        text, rules, ids = with_notes(s["because"], s["rules"], s["ids"], [("unit", s["unit"], s["period"])])
        slice_ = {dim: (s["value"] if s["dim"] == dim else None) for dim in DIMENSIONS}
        rows.append(MechanismRow(s["mechanism"], s["unit"], s["period"], **slice_, status=s["status"],
                                 variant=s["variant"], explanation=text, rules=rules, facts=ids))
    rows.sort(key=lambda r: (r.unit, order[r.period], r.mechanism, r.sector or "", r.agency or "", r.issue or ""))
    character = {c["key"]: c for c in characters}
    out = []
    for o in overlaps:
        c = character[o["key"]]
        text, rules, ids = with_notes(
            (*o["because"], *c["because"]), (*o["rules"], *c["rules"]), (*o["ids"], *c["ids"]),
            [("overlap", o["key"]), *(("unit", u, o["period"]) for u in o["units"])])
        out.append(OverlapRow(o["type"], tuple(o["units"]), o["period"], c["character"], tuple(o["mechanisms"]),
                              text, rules, ids, o["dimension"], dict(o["on"]) if o["type"] == "functional" else None))
    out.sort(key=lambda r: (r.units, order[r.period], r.type, r.dimension or "", sorted((r.on or {}).items())))
    return Diagnosis(facts.region, tuple(rows), tuple(out), tuple(p.id for p in facts.periods), dict(thresholds),
                     facts.as_of)
