"""Why not: the conditions of an active mechanism in a row, read from what the rules recorded.

No mechanism is named here: a mechanism is read by the role the pack
interface gives it. One decided among the relations (`RELATIONS_MECHANISMS`:
whether states balance, fight or prepare to) is active through any one of its
counts reaching the threshold the rules compared it with; any other mechanism
needs its count to reach its threshold, no war between the unit's states, and
no active relations mechanism among them (the unit's own, facing inward, or
that of dyads inside it through more than the share a threshold allows).

What is read is recorded by the rules: the counts (`Tally` facts in the
trace of the run, with the thresholds they were matched with), the entries
held back (those a rule matched together with the war or balancing of their
own states), the wars (`Violence` facts), the relations (the rows of the
diagnosis and the dyads' statuses in the trace). Nothing here decides a
status: a change proposed from a condition is checked by diagnosing again
(see `diagnose.analysis.change`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .._experta import Fact
from ..diagnosis import Diagnosis
from ..model import FactBase, Unit
from ..packs import RuleBase
from ..structure import DIMENSIONS, row_key
from .conclusions import slice_of
from .proof import Recorder

BLOCK_SHARE = "sc_block_share"
"""The threshold of the largest share of a unit's states that rival dyads may involve while it can be a community
(read where the rule packs declare it)."""


@dataclass(frozen=True)
class Condition:
    """One condition of an active mechanism in a row, whether it holds, and the entries behind it."""

    text: str
    holds: bool | None
    """None for a remark that is no condition (practices held back, practices not rooted)."""
    entries: tuple[str, ...] = ()
    add: int = 0
    """Kinds of the row's mechanism still missing, where more kinds would make it hold."""
    present: tuple[str, ...] = ()
    """Kinds already counted (a new entry of one of them would add nothing)."""
    drop: tuple[str, ...] = ()
    """Entries whose removal is what would make it hold."""
    alternative: bool = False
    """One of several ways, any of which suffices."""
    count: str = ""
    """The name of the count it reads (a mechanism's, or `mechanism.part`), for a condition on a count."""


def unit_of(facts: FactBase, unit_id: str) -> Unit | None:
    return next((u for u in (*facts.units(), *facts.hidden_units()) if u.id == unit_id), None)


def _removable(facts: FactBase, ids: Iterable[str]) -> tuple[str, ...]:
    known = {item.id for item in (*facts.entries, *facts.strategies, *facts.junctures)}
    return tuple(sorted(i for i in set(ids) if i in known))


def _matched_types(condition: Any) -> set[str]:
    """The names of the fact types a rule's conditions (or one of them) match, at any depth (NOT, AND, ...)."""
    if isinstance(condition, Fact):
        return {type(condition).__name__}
    if isinstance(condition, (list, tuple)):
        return {name for part in condition for name in _matched_types(part)}
    return set()


def reads(rules: RuleBase, mechanism: str) -> set[str]:
    """The fact types the rules of the packs that declare ``mechanism`` match: whether they read war between a
    unit's states (`Violence`) or their preparing for it (`Blocked`) at all."""
    packs = {pack.name for pack in rules.packs if mechanism in pack.mechanisms}
    return {name for info in rules.rules() if info.pack in packs for name in _matched_types(info.rule)}


def conditions(key: tuple, diagnosis: Diagnosis, facts: FactBase, recorder: Recorder,
               rules: RuleBase) -> list[Condition]:
    """The conditions of ``key``'s mechanism being active in its row, read from one traced run with ``rules``."""
    relations = rules.relations_mechanisms
    _, mechanism, unit_id, period, *slice_values = key
    dim, value = next(((d, v) for d, v in zip(DIMENSIONS, slice_values) if v is not None), (None, None))
    unit = unit_of(facts, unit_id)
    if unit is None:
        return []
    row_id = row_key(unit_id, period, dim, value)
    counts = _counts(recorder, row_id, mechanism, facts)
    if mechanism in relations:
        out = [Condition(text, holds, ids, add=add, present=present, alternative=True, count=name)
               for text, holds, ids, add, present, name in counts]
        if unit.kind == "dyad":
            war = _violence(unit, period, facts, recorder)
            out.append(Condition("or a war or armed conflict between its two states", not war.holds, war.entries,
                                 alternative=True))
        return out
    out = [Condition(text, holds, ids, add=add, present=present, count=name)
           for text, holds, ids, add, present, name in counts]
    out += _remarks(recorder, row_id, mechanism, facts)
    read = reads(rules, mechanism)
    if "Violence" in read:
        out.append(_violence(unit, period, facts, recorder))
    if "Blocked" in read:
        out += _relations(unit, period, (dim, value), diagnosis, facts, recorder, set(relations))
    return out


def _tallies(recorder: Recorder, row_id: str, mechanism: str) -> dict[tuple, tuple[Any, list]]:
    """The row's counts of the mechanism (named after it, or `mechanism.part`), each last version with the
    thresholds a rule matched it with."""
    found: dict[tuple, tuple[Any, list]] = {}
    for _, matched in recorder.events:
        for fact in matched:
            if type(fact).__name__ == "Tally" and fact["row"] == row_id and \
                    (fact["mechanism"] == mechanism or fact["mechanism"].startswith(mechanism + ".")):
                compared = [f for f in matched if type(f).__name__ == "Threshold"]
                earlier = found.get(fact["key"], (None, []))[1]
                found[fact["key"]] = (fact, [*earlier, *(t for t in compared if t not in earlier)])
    return found


def _held_back(recorder: Recorder, row_id: str) -> set[str]:
    """Entries of the row that a rule matched together with the war or balancing of their own states: the
    practices the rules held back."""
    held: set[str] = set()
    for _, matched in recorder.events:
        names = {type(f).__name__ for f in matched}
        if "Evidence" in names and names & {"Blocked", "Violence"}:
            held.update(f["id"] for f in matched if type(f).__name__ == "Evidence" and f["row"] == row_id)
    return held


def _counts(recorder: Recorder, row_id: str, mechanism: str,
            facts: FactBase) -> list[tuple[str, bool, tuple[str, ...], int, tuple[str, ...], str]]:
    """(text, holds, entries, kinds missing, kinds counted, its name) for each count the rules compared with a
    threshold: distinct rooted kinds of entries not held back, against the largest threshold it was compared with (the
    smaller ones are for weaker statuses, such as a nascent community)."""
    held = _held_back(recorder, row_id)
    found = [(tally["mechanism"], compared, {(k, i) for k, i in tally["rooted_pairs"] if i not in held})
             for tally, compared in _tallies(recorder, row_id, mechanism).values()]
    if not any(_largest(compared) for _, compared, _ in found):
        # no rule compared the row's count (a decaying community is read from what was lost): the entries the
        # counting rules fired on, against the threshold its counts are compared with elsewhere in the run
        pairs = {(k, f["id"]) for _, matched in recorder.events for f in matched
                 if type(f).__name__ == "Evidence" and f["row"] == row_id and f["rooted"] and f["id"] not in held
                 for k, m in zip(f["kinds"], f["mechanisms"]) if m == mechanism}
        elsewhere = [t for _, matched in recorder.events
                     if any(type(f).__name__ == "Tally" and (f["mechanism"] == mechanism or
                                                             f["mechanism"].startswith(mechanism + "."))
                            for f in matched)
                     for t in matched if type(t).__name__ == "Threshold"]
        found = [(mechanism, elsewhere, pairs)]
    out = []
    for name, compared, pairs in found:
        needed = _largest(compared)
        if needed is None:
            continue
        counted = tuple(sorted({kind for kind, _ in pairs}))
        text = (f"at least {needed['value']} distinct rooted kinds of {name.replace('_', ' ')} counted "
                f"({needed['name']} = {needed['value']}): {len(counted)}" +
                (f" ({', '.join(counted)})" if counted else ""))
        ids = _removable(facts, (i for _, i in pairs))
        out.append((text, len(counted) >= needed["value"], ids, max(0, needed["value"] - len(counted)), counted,
                    name))
    return out


def _largest(thresholds: list) -> Any:
    """The integer threshold of largest value among ``thresholds``, or None."""
    numbers = [t for t in thresholds if isinstance(t["value"], int) and not isinstance(t["value"], bool)]
    return max(numbers, key=lambda t: t["value"]) if numbers else None


def _remarks(recorder: Recorder, row_id: str, mechanism: str, facts: FactBase) -> list[Condition]:
    """Entries held back, kinds not rooted: why some practices count toward no active mechanism."""
    out = []
    held = _held_back(recorder, row_id)
    for tally, _ in _tallies(recorder, row_id, mechanism).values():
        kinds = sorted({kind for kind, i in tally["rooted_pairs"] if i in held})
        if kinds:
            out.append(Condition(f"held back: {', '.join(kinds)} of entries shared with states that prepare for "
                                 f"violence against each other (or fight) count toward no active mechanism", None,
                                 tuple(sorted(held & set(tally["ids"])))))
        if tally["unrooted_kinds"]:
            out.append(Condition(f"not rooted (count toward no active mechanism): {', '.join(tally['unrooted_kinds'])}",
                                 None, _removable(facts, tally["ids"])))
    return out


def _violence(unit: Unit, period: Any, facts: FactBase, recorder: Recorder) -> Condition:
    wars = [f for f in recorder.matched("Violence") if f["unit"] == unit.id and f["period"] == period]
    ids = _removable(facts, (i for f in wars for i in f["ids"]))
    return Condition("no war or armed conflict between its states", not wars, ids, drop=ids)


def _relations(unit: Unit, period: Any, slice_: tuple, diagnosis: Diagnosis, facts: FactBase, recorder: Recorder,
               relations: set[str]) -> list[Condition]:
    """The relations that hold a mechanism back: an active relations mechanism of the unit (facing inward) or of
    the dyads inside it, in the same period and slice."""
    active = [r for r in diagnosis.mechanisms if r.mechanism in relations and r.status == "active"
              and r.period == period and slice_of(r) == (None if slice_[0] is None else slice_)]
    own = [r for r in active if r.unit == unit.id and r.facing in (None, "inward", "both")]
    ids = _removable(facts, (i for r in own for i in r.facts))
    names = ", ".join(sorted({r.mechanism.replace("_", " ") for r in own}))
    if unit.kind == "dyad":
        return [Condition("its two states do not prepare for violence against each other" +
                          (f": {names} active between them" if own else ""), not own, ids, drop=ids)]
    out = [Condition("its states do not prepare for violence against each other as a whole" +
                     (f": {names} active among them, facing inward" if own else ""), not own, ids, drop=ids)]
    share = diagnosis.thresholds.get(BLOCK_SHARE)
    if share is None:
        return out
    rivals: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
    for row in active:
        dyad = unit_of(facts, row.unit)
        if dyad is not None and dyad.kind == "dyad" and dyad.states <= unit.states:
            rivals[row.unit] = (dyad.states, row.facts)
    for fact in recorder.matched("Status"):  # dyads no entry names (pairs of mutual entries) are no rows
        if fact["mechanism"] in relations and fact["status"] == "active" and fact["unit_kind"] == "dyad" \
                and fact["period"] == period and (fact["dim"], fact["value"]) == slice_ \
                and set(fact["states"]) <= unit.states:
            rivals.setdefault(fact["unit"], (frozenset(fact["states"]), fact["ids"]))
    involved = set().union(*(states for states, _ in rivals.values()))
    ids = _removable(facts, (i for _, found in rivals.values() for i in found))
    out.append(Condition(
        f"rival dyads involve at most a share of {share:g} of its {unit.size} states ({BLOCK_SHARE}): they involve "
        f"{len(involved)}" + (f" ({', '.join(sorted(rivals))})" if rivals else ""),
        len(involved) <= share * unit.size, ids, drop=ids))
    return out
