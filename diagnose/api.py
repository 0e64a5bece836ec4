"""The public API: `diagnose` a loaded fact base with the rule packs in force.

A run has three stages (see `diagnose.packs.STAGES`), each over small
partitions of facts, and Python only decides which facts go together:

1. relations, per unit over all its periods: dyads first (named ones and the
   pairs of mutual entries), then the larger units, each with the
   conclusions of the dyads inside it; this is where states are found to
   balance, fight or prepare for violence against each other;
2. mechanisms, per reported unit over all its periods, with the unit's
   relations and the relations of the units its entries' own states form
   (so an entry shared by states that balance each other can be told apart);
3. overlaps and their character, from every status of every row: per unit
   (temporal, functional) and per period (spatial, relational). A conclusion
   drawn in two partitions is merged, never reported twice.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import defaultdict
from typing import Callable, Iterable, Mapping

from .diagnosis import Diagnosis, MechanismRow, OverlapRow
from .engine import RuleEngine
from .facttypes import Adjacent, Blocked, Character, Includes, JunctureAt, MechanismDecl, Note, Overlap, \
    Row, Status, StrategyAt, Tally, Threshold, Violence
from .model import FactBase, Unit
from .packs import MECHANISMS, OVERLAPS, RELATIONS, PackError, RuleBase, rulebase as make_rulebase
from .structure import DIMENSIONS, Structure, containment, period_order
from .thresholds import resolve

Trace = Callable[[str, list], None]

PARALLEL_FROM = 400
"""Unit-periods below which a stage stays in one process (a fork pool costs more than it saves)."""


def diagnose(facts: FactBase, packs: Iterable[str] | RuleBase | None = None, *,
             thresholds: Mapping[str, float] | None = None, trace: Trace | None = None,
             jobs: int = 1) -> Diagnosis:
    """Diagnose ``facts``: mechanisms per unit and period, overlaps and their character.

    ``packs`` names rule packs to load beside the built-in one (or is a
    `RuleBase`); ``thresholds`` overrides named thresholds; ``trace`` is called
    with each rule as it fires and the facts it matched; ``jobs`` > 1 runs the
    stages of a large file on that many forked processes (same result).
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


_ENGINES: dict[tuple[int, ...], tuple[RuleBase, dict[str, RuleEngine]]] = {}


def _engines(rules: RuleBase) -> dict[str, RuleEngine]:
    """The engines of a rule base, one per stage, built once: building one costs far more than a reset.

    Engines are reset before every partition, so reusing them is safe within
    one thread; `diagnose` is not meant to be called from several threads at once.
    """
    key = tuple(id(pack) for pack in rules.packs)
    if key not in _ENGINES:
        if len(_ENGINES) >= 8:
            _ENGINES.clear()
        _ENGINES[key] = (rules, {stage: rules.engine_class(stage)() for stage in (RELATIONS, MECHANISMS, OVERLAPS)})
    return _ENGINES[key][1]


def _derived(engine: RuleEngine, facts: list) -> list:
    """Run one partition; the facts its rules asserted (the last version of each)."""
    given = {id(f) for f in facts}
    return [f for f in engine.run_partition(facts) if id(f) not in given]


_FORKED: tuple | None = None
"""What a forked worker needs (a function and its units); set just before the fork, inherited, never pickled."""


def _forked(chunk: list[int]) -> list:
    work, units = _FORKED  # type: ignore[misc]
    return [work(units[i]) for i in chunk]


def _map(work: Callable[[Unit], list], units: list[Unit], periods: int, jobs: int) -> list[list]:
    """``work`` on every unit, in order; on ``jobs`` forked processes when there is much of it.

    Units of one stage are independent of each other, so the result is the
    same whatever ``jobs``: chunks come back and are put in order.
    """
    if jobs <= 1 or len(units) * periods < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return [work(unit) for unit in units]
    global _FORKED
    _FORKED = (work, units)
    try:
        chunks = [list(range(start, len(units), jobs * 4)) for start in range(jobs * 4)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_forked, chunks)
    finally:
        _FORKED = None
    results: list = [None] * len(units)
    for chunk, part in zip(chunks, parts):
        for i, result in zip(chunk, part):
            results[i] = result
    return results


def _copies(facts: Iterable) -> list:
    return [f.copy() for f in facts]


def _diagnose(facts: FactBase, rules: RuleBase, in_force: dict, trace: Trace | None, jobs: int) -> Diagnosis:
    engines = _engines(rules)
    for engine in engines.values():
        engine.trace = trace
    structure = Structure(facts)
    order = period_order(facts)
    related = rules.relations_mechanisms
    shared = [*(Threshold(name=k, value=v) for k, v in in_force.items()),
              *(MechanismDecl(name=m, stage=RELATIONS if m in related else MECHANISMS) for m in rules.mechanisms),
              *(f for f in order if not isinstance(f, Adjacent))]

    def in_relations(mechanisms: tuple[str, ...]) -> bool:
        return any(m in related for m in mechanisms)

    def in_mechanisms(mechanisms: tuple[str, ...]) -> bool:
        return any(m not in related for m in mechanisms)

    periods = len(facts.period_ids)
    relations: dict[str, list] = {}

    def relate_dyad(unit: Unit) -> list:
        return _derived(engines[RELATIONS], [*shared, *structure.unit_facts(unit, in_relations)])

    def kept(found: list) -> list:  # counts are each stage's own business
        return [f for f in found if not isinstance(f, Tally)]

    for unit, found in zip(structure.dyads, _map(relate_dyad, structure.dyads, periods, jobs)):
        relations[unit.id] = kept(found)

    def relate_larger(unit: Unit) -> list:
        inner = [d for d in structure.dyads if d.states <= unit.states]
        passed = [f for d in inner for f in relations[d.id] if isinstance(f, (Status, Violence))]
        return _derived(engines[RELATIONS], [*shared, *structure.unit_facts(unit, in_relations), *containment(inner, unit),
                                             *_copies(passed)])

    for unit, found in zip(structure.larger, _map(relate_larger, structure.larger, periods, jobs)):
        relations[unit.id] = kept(found)

    reported = list(structure.reported)

    def mechanisms(unit: Unit) -> list:
        own = relations[unit.id]
        prepared = list(structure.unit_facts(unit, in_mechanisms))
        periods_here = {f["period"] for f in prepared if isinstance(f, Row)}
        others = [f for other in sorted(structure.own_units(unit) - {unit.id}) for f in relations.get(other, ())
                  if isinstance(f, (Blocked, Violence)) and f["period"] in periods_here]
        found = [*own, *_derived(engines[MECHANISMS], [*shared, *prepared, *_copies((*own, *others))])]
        return [f for f in found if isinstance(f, (Status, Note))]  # all that later stages and the rows read

    derived = [f for found in _map(mechanisms, reported, periods, jobs) for f in found]
    del relations  # the largest of the intermediate results: the overlaps stage reads statuses alone
    statuses = list(_last_of_each(f for f in derived if isinstance(f, Status)).values())
    notes = [f for f in derived if isinstance(f, Note)]
    del derived
    overlaps, characters, overlap_notes = _overlaps(engines[OVERLAPS], facts, structure, statuses, order)
    return _assemble(facts, in_force, statuses, [*notes, *overlap_notes], overlaps, characters)


def _last_of_each(facts: Iterable) -> dict:
    """Keyed facts by key, the last version of each."""
    out: dict = {}
    for fact in facts:
        out[fact["key"]] = fact
    return out


def _strategies_at(facts: FactBase) -> list:
    """Each strategy as the file gives it, once per period it holds in."""
    return [StrategyAt(strategy=s.id, name=s.name, period=p, combines=s.combines, overlaps=s.overlaps,
                       dim=s.dimension, value=s.value)
            for s in sorted(facts.strategies, key=lambda s: s.id) for p in s.periods]


def _includes(facts: FactBase, units: Iterable[Unit]) -> list:
    """Which strategy's `by` includes every state of which unit."""
    strategies = sorted(facts.strategies, key=lambda s: s.id)
    return [Includes(strategy=s.id, unit=unit.id) for unit in units for s in strategies if unit.states <= s.by]


def _overlaps(engine: RuleEngine, facts: FactBase, structure: Structure, statuses: list,
              order: list) -> tuple[list, list, list]:
    units = {u.id: u for u in structure.reported}
    junctures = [JunctureAt(period=p, id=j.id, name=j.name)
                 for j in sorted(facts.junctures, key=lambda j: j.id) for p in j.periods]
    by_unit: dict[str, list] = defaultdict(list)
    for s in statuses:
        by_unit[s["unit"]].append(s)
    strategies = _strategies_at(facts)

    def partitions() -> Iterable[list]:  # one at a time: copies of every status at once would double the peak
        for unit_id, found in by_unit.items():  # temporal, functional: a unit's every row
            yield [*_copies(found), *order, *junctures, *strategies, *_includes(facts, [units[unit_id]])]
        dyads = [u for u in units.values() if u.kind == "dyad"]
        contained = [c for u in units.values() if u.kind != "dyad" and u.size > 2 for c in containment(dyads, u)]
        everywhere = [*contained, *junctures, *strategies, *_includes(facts, units.values())]
        for period in facts.period_ids:  # spatial, relational: every unit's row of all practices in one period
            found = [s for s in statuses if s["period"] == period and s["dim"] is None]
            if found:
                yield [*_copies(found), *everywhere]

    overlaps: dict = {}
    characters: dict = {}
    notes: list = []
    for partition in partitions():
        derived = engine.run_partition(partition)
        for fact in derived:
            if isinstance(fact, Overlap):
                overlaps[fact["key"]] = _merge(overlaps.get(fact["key"]), fact)
            elif isinstance(fact, Character):
                characters[fact["key"]] = _merge(characters.get(fact["key"]), fact)
            elif isinstance(fact, Note):
                notes.append(fact)
    return list(overlaps.values()), list(characters.values()), notes


def _merge(earlier, later):
    """One conclusion drawn in two partitions: the later one's fields, both provenances."""
    if earlier is None:
        return later
    merged = dict(later)
    for name in ("ids", "deliberate"):
        if name in merged:
            merged[name] = tuple(sorted(set(earlier[name]) | set(later[name])))
    for name in ("rules", "because"):
        merged[name] = tuple(dict.fromkeys((*earlier[name], *later[name])))
    return merged


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
                                 variant=s["variant"], facing=s["facing"], phase=s["phase"], coupling=s["coupling"],
                                 explanation=text, rules=rules, facts=ids))
    rows.sort(key=lambda r: (r.unit, order[r.period], r.mechanism, r.sector or "", r.agency or "", r.issue or ""))
    character = {c["key"]: c for c in characters}
    out = []
    for o in overlaps:
        c = character.get(o["key"])
        if c is None:
            raise PackError(f"the {o['type']} overlap of {', '.join(o['units'])} has no character: the rule base "
                            f"concludes overlaps ({', '.join(o['rules'])}) but no rule says whether this one is "
                            f"automatic, manual or mixed; a pack that concludes overlaps without the built-in rules "
                            f"must conclude their `Character` too")
        text, rules, ids = with_notes(
            (*o["because"], *c["because"]), (*o["rules"], *c["rules"]), (*o["ids"], *c["ids"]),
            [("overlap", o["key"]), *(("unit", u, o["period"]) for u in o["units"])])
        out.append(OverlapRow(o["type"], tuple(o["units"]), o["period"], c["character"], tuple(o["mechanisms"]),
                              text, rules, ids, o["dimension"], dict(o["on"]) if o["type"] == "functional" else None))
    out.sort(key=lambda r: (r.units, order[r.period], r.type, r.dimension or "", sorted((r.on or {}).items())))
    return Diagnosis(facts.region, tuple(rows), tuple(out), tuple(p.id for p in facts.periods), dict(thresholds),
                     facts.as_of)
