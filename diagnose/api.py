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
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping

from .diagnosis import Diagnosis, MechanismRow, OverlapRow
from .engine import RuleEngine
from .facttypes import Adjacent, Blocked, Character, Includes, JunctureAt, MechanismDecl, Note, Overlap, \
    Row, Status, StrategyAt, Tally, Threshold, Violence
from .model import Entry, FactBase, Unit
from .packs import MECHANISMS, OVERLAPS, RELATIONS, PackError, RuleBase, rulebase as make_rulebase
from .structure import DIMENSIONS, Structure, containment, period_order, placement
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
    with _collector_paused():
        return _diagnose(facts, rules, in_force, trace, 1 if trace else jobs)


def diagnose_keeping(facts: FactBase, rules: RuleBase, *, thresholds: Mapping[str, float] | None = None
                     ) -> tuple[Diagnosis, Stages]:
    """`diagnose`, keeping what every partition concluded, for `diagnose_without` to start from."""
    stages = Stages()
    with _collector_paused():
        return _diagnose(facts, rules, resolve(rules.thresholds, thresholds or {}), None, 1, keep=stages), stages


def diagnose_without(facts: FactBase, fact_id: str, rules: RuleBase, kept: Stages, *,
                     thresholds: Mapping[str, float] | None = None,
                     only: MechanismRow | OverlapRow | None = None,
                     memo: dict[str, dict[str, list]] | None = None) -> Diagnosis:
    """The diagnosis of ``facts`` less one entry, strategy or juncture, the same as diagnosing it afresh.

    Only the partitions whose inputs the item reaches run again: an entry's
    units, the units that read their conclusions, and the overlap partitions
    whose statuses changed; a strategy or juncture, the overlap stage alone.
    ``kept`` comes from `diagnose_keeping` on ``facts`` with the same rules
    and thresholds. With ``only``, a conclusion of the kept run, the result
    holds just what decides that conclusion again: the rows of its unit, or
    for an overlap the partitions of its units and its period (where rules
    conclude an overlap: from the statuses of the units it names). ``memo``,
    one dict per ``fact_id`` kept by the caller, saves the partitions run for
    one conclusion for the next (of the same ``fact_id``, rules, thresholds).
    """
    entry = next((e for e in facts.entries if e.id == fact_id), None)
    fewer = facts.without([fact_id])
    units: frozenset[str] | None = None
    partitions: frozenset[tuple] | None = None
    if isinstance(only, MechanismRow):
        units, partitions = frozenset({only.unit}), frozenset()
    elif isinstance(only, OverlapRow):
        units = frozenset(only.units)
        partitions = frozenset({*(("unit", unit) for unit in only.units), ("period", only.period)})
    overlap_inputs = len(fewer.strategies) + len(fewer.junctures) != len(facts.strategies) + len(facts.junctures)
    change = Change(kept, entry, overlap_inputs, units, partitions, memo)
    with _collector_paused():
        return _diagnose(fewer, rules, resolve(rules.thresholds, thresholds or {}), None, 1, change=change)


@contextmanager
def _collector_paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()  # the run makes many short-lived facts and almost no cycles: collections free next to nothing
    try:
        yield
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


@dataclass
class Stages:
    """What each partition of one run concluded, kept so that a counterfactual re-runs only what it changes.

    ``relations`` and ``mechanisms`` map a unit id to what its partition of
    that stage found (with what it read from other units: ``inner`` dyads,
    ``own`` units); ``overlaps`` maps each overlap partition to the statuses
    it read and what it found.
    """

    relations: dict[str, list] = field(default_factory=dict)
    inner: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mechanisms: dict[str, list] = field(default_factory=dict)
    own: dict[str, tuple[str, ...]] = field(default_factory=dict)
    overlaps: dict[tuple, tuple[list, list]] = field(default_factory=dict)
    reported: tuple[str, ...] = ()
    structure: Structure | None = None


@dataclass(frozen=True)
class Change:
    """What a counterfactual run changes against a kept one: an entry's units, or the overlap stage alone."""

    base: Stages
    entry: Entry | None
    """The entry left out, if an entry: it reaches the partitions of the units it concerns."""
    overlap_inputs: bool
    """Whether the change reaches the facts every overlap partition reads (strategies, junctures)."""
    units: frozenset[str] | None = None
    """The reported units whose rows are wanted (None: all); the others' partitions are not run."""
    partitions: frozenset[tuple] | None = None
    """The overlap partitions wanted: ("unit", id) and ("period", id) (None: all)."""
    memo: dict[str, dict[str, list]] | None = None
    """Partitions of the first two stages already run under this same change, by stage and unit, for reuse."""


def _diagnose(facts: FactBase, rules: RuleBase, in_force: dict, trace: Trace | None, jobs: int,
              keep: Stages | None = None, change: Change | None = None) -> Diagnosis:
    """The three stages; with ``keep``, record every partition's result there; with ``change``, re-run only
    the partitions whose inputs differ from ``change.base`` and take the others' results from it."""
    engines = _engines(rules)
    for engine in engines.values():
        engine.trace = trace
    structure = Structure(facts)
    order = period_order(facts)
    related = rules.relations_mechanisms
    shared = [*(Threshold(name=k, value=v) for k, v in in_force.items()),
              *(MechanismDecl(name=m, stage=RELATIONS if m in related else MECHANISMS) for m in rules.mechanisms),
              *(f for f in order if not isinstance(f, Adjacent))]
    base = change.base if change is not None else None
    memo = change.memo if change is not None else None
    stages = keep if keep is not None else Stages()

    def in_relations(mechanisms: tuple[str, ...]) -> bool:
        return any(m in related for m in mechanisms)

    def in_mechanisms(mechanisms: tuple[str, ...]) -> bool:
        return any(m not in related for m in mechanisms)

    def touched(unit: Unit, stage_reads: Callable[[tuple[str, ...]], bool]) -> bool:
        """Whether the entry left out was in the unit's partition for a stage: read there, or giving the unit
        a row (a slice or period) no other entry gives, or its name (an entry's states, named after it)."""
        entry = change.entry  # type: ignore[union-attr]
        if entry is None or placement(entry, unit) is None:
            return False
        if structure.reads(entry, stage_reads):
            return True
        before = base.structure  # type: ignore[union-attr]
        return (before.units.get(unit.id) != unit or before.slices(unit) != structure.slices(unit)
                or before.periods_of(unit) != structure.periods_of(unit))

    def fresh(unit: Unit, table: dict[str, list], stage_reads: Callable[[tuple[str, ...]], bool],
              *reads: tuple[dict, tuple[str, ...], set[str]]) -> bool:
        """Whether ``unit``'s partition must run: no kept result, the change concerns it, or what it reads
        from other units (which units, and whether their results changed) differs."""
        if base is None or unit.id not in table or touched(unit, stage_reads):
            return True
        return any(kept_ids.get(unit.id) != ids or not changed.isdisjoint(ids) for kept_ids, ids, changed in reads)

    def run_stage(stage: str, units: list[Unit], work: Callable[[Unit], list], table: dict[str, list],
                  found_here: dict, stage_reads: Callable[[tuple[str, ...]], bool],
                  *reads: Callable[[Unit], tuple[dict, tuple[str, ...], set[str]]]) -> set[str]:
        """Run (or take from the kept run) each unit's partition; the ids whose result differs from it."""
        to_run = [u for u in units if fresh(u, table, stage_reads, *(read(u) for read in reads))]
        done = memo.get(stage, {}) if memo is not None else {}  # found before under the same change
        new = [u for u in to_run if u.id not in done]
        results = {u.id: done[u.id] for u in to_run if u.id in done}
        results.update(zip((u.id for u in new), _map(work, new, periods, jobs)))
        if memo is not None:
            memo.setdefault(stage, {}).update(results)
        changed = {u.id for u in to_run if base is None or table.get(u.id) != results[u.id]}
        for unit in units:
            found_here[unit.id] = results[unit.id] if unit.id in results else table[unit.id]
        return changed

    periods = len(facts.period_ids)
    relations: dict[str, list] = {}

    def relate_dyad(unit: Unit) -> list:
        return _kept(_derived(engines[RELATIONS], [*shared, *structure.unit_facts(unit, in_relations)]))

    reported = list(structure.reported)
    wanted = _wanted_units(change)
    if wanted is not None:  # the wanted units, the units they read, and the dyads inside those
        reported = [u for u in reported if u.id in wanted]
    own = {u.id: tuple(sorted(structure.own_units(u) - {u.id})) for u in reported}
    larger = structure.larger
    dyads = structure.dyads
    if wanted is not None:
        read = {u.id for u in reported} | {o for u in reported for o in own[u.id]}
        larger = [u for u in larger if u.id in read]
        read |= {d.id for u in larger for d in dyads if d.states <= u.states}
        dyads = [d for d in dyads if d.id in read]
    dyads_changed = run_stage(RELATIONS, dyads, relate_dyad, base.relations if base else {}, relations, in_relations)
    inner = {u.id: tuple(d.id for d in dyads if d.states <= u.states) for u in larger}

    def relate_larger(unit: Unit) -> list:
        inside = [d for d in dyads if d.states <= unit.states]
        passed = [f for d in inside for f in relations[d.id] if isinstance(f, (Status, Violence))]
        return _kept(_derived(engines[RELATIONS], [*shared, *structure.unit_facts(unit, in_relations),
                                                   *containment(inside, unit), *_copies(passed)]))

    larger_changed = run_stage(RELATIONS, larger, relate_larger, base.relations if base else {}, relations,
                               in_relations, lambda u: (base.inner if base else {}, inner[u.id], dyads_changed))
    gone = set(base.relations) - {u.id for u in (*structure.dyads, *structure.larger)} if base else set()
    relations_changed = dyads_changed | larger_changed | gone

    def mechanisms(unit: Unit) -> list:
        mine = relations[unit.id]
        prepared = list(structure.unit_facts(unit, in_mechanisms))
        periods_here = {f["period"] for f in prepared if isinstance(f, Row)}
        others = [f for other in own[unit.id] for f in relations.get(other, ())
                  if isinstance(f, (Blocked, Violence)) and f["period"] in periods_here]
        found = [*mine, *_derived(engines[MECHANISMS], [*shared, *prepared, *_copies((*mine, *others))])]
        return [f for f in found if isinstance(f, (Status, Note))]  # all that later stages and the rows read

    by_unit: dict[str, list] = {}
    run_stage(MECHANISMS, reported, mechanisms, base.mechanisms if base else {}, by_unit, in_mechanisms,
              lambda u: ({u.id: (u.id,)}, (u.id,), relations_changed),
              lambda u: (base.own if base else {}, own[u.id], relations_changed))
    if keep is not None:
        stages.relations, stages.inner, stages.mechanisms, stages.own = relations, inner, by_unit, own
        stages.reported, stages.structure = tuple(u.id for u in reported), structure
    relations = {}  # the largest of the intermediate results, let go: the overlaps stage reads statuses alone
    derived = [f for unit in reported for f in by_unit[unit.id]]
    statuses = list(_last_of_each(f for f in derived if isinstance(f, Status)).values())
    notes = [f for f in derived if isinstance(f, Note)]
    del derived
    same_units = base is not None and base.reported == tuple(u.id for u in structure.reported)
    reuse = base.overlaps if base is not None and not change.overlap_inputs else {}  # type: ignore[union-attr]
    overlaps, characters, overlap_notes = _overlaps(engines[OVERLAPS], facts, structure, statuses, order,
                                                    reuse, same_units, stages.overlaps if keep is not None else None,
                                                    change.partitions if change is not None else None, wanted)
    return _assemble(facts, in_force, statuses, [*notes, *overlap_notes], overlaps, characters)


def _wanted_units(change: Change | None) -> frozenset[str] | None:
    """The reported units whose rows a run needs (None: all)."""
    if change is None or change.units is None:
        return None
    return change.units | {unit for kind, unit in change.partitions or () if kind == "unit"}


def _kept(found: list) -> list:
    """A relations partition's findings without its counts (each stage counts for itself)."""
    return [f for f in found if not isinstance(f, Tally)]


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


def _overlaps(engine: RuleEngine, facts: FactBase, structure: Structure, statuses: list, order: list,
              reuse: Mapping[tuple, tuple[list, list]], same_units: bool,
              keep: dict[tuple, tuple[list, list]] | None, only: frozenset[tuple] | None = None,
              focus: frozenset[str] | None = None) -> tuple[list, list, list]:
    """Overlaps, characters and notes of every overlap partition, merged in partition order.

    A partition found in ``reuse`` with the same statuses is not run again
    (a partition over every unit of a period also needs ``same_units``: it
    reads which units contain which); ``keep`` records each partition;
    ``only`` names the partitions to run, when not all of them, and
    ``focus`` the units whose statuses a partition over a period is given
    (an overlap's rules read the statuses of the units it names).
    """
    units = {u.id: u for u in structure.reported}
    junctures = [JunctureAt(period=p, id=j.id, name=j.name)
                 for j in sorted(facts.junctures, key=lambda j: j.id) for p in j.periods]
    by_unit: dict[str, list] = defaultdict(list)
    for s in statuses:
        by_unit[s["unit"]].append(s)
    strategies = _strategies_at(facts)

    def partitions() -> Iterable[tuple[tuple, list, Callable[[], list]]]:
        """(key, statuses read, the partition's facts), one at a time: all at once would double the peak."""
        for unit_id, found in by_unit.items():  # temporal, functional: a unit's every row
            yield ("unit", unit_id), found, lambda found=found, unit_id=unit_id: [
                *_copies(found), *order, *junctures, *strategies, *_includes(facts, [units[unit_id]])]
        among = [u for u in units.values() if focus is None or u.id in focus]
        dyads = [u for u in among if u.kind == "dyad"]
        everywhere: list = []
        for period in facts.period_ids:  # spatial, relational: every unit's row of all practices in one period
            found = [s for s in statuses if s["period"] == period and s["dim"] is None
                     and (focus is None or s["unit"] in focus)]
            if found:
                if not everywhere:
                    contained = [c for u in among if u.kind != "dyad" and u.size > 2 for c in containment(dyads, u)]
                    everywhere = [*contained, *junctures, *strategies, *_includes(facts, among)]
                yield ("period", period), found, lambda found=found: [*_copies(found), *everywhere]

    overlaps: dict = {}
    characters: dict = {}
    notes: list = []
    for key, found, partition in partitions():
        if only is not None and key not in only:
            continue
        kept = reuse.get(key)
        if kept is not None and kept[0] == found and (key[0] == "unit" or same_units):
            derived = kept[1]
        else:
            derived = [f for f in engine.run_partition(partition()) if isinstance(f, (Overlap, Character, Note))]
        if keep is not None:
            keep[key] = (found, derived)
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
