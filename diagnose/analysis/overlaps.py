"""Why not, for an overlap: the conditions of each overlap rule in force, read from the rows of the diagnosis, and
the smallest change found with which the rules conclude the overlap, checked by diagnosing again.

The conditions are those of the built-in overlap rules (`rules/temporal.py`, `functional.py`, `spatial.py`,
`relational.py`), each named by its rule: which statuses of which rows it matches. Whether a condition holds is
read from the rows of the run (the statuses the overlap rules are given); nothing here concludes an overlap. A
rule of these names that another pack replaces, or that is not loaded (`--no-builtin-rules`), has no condition
known here, and the output says so rather than guessing. tests/test_analysis_overlap_conditions.py checks that
the conditions written here hold exactly where those rules conclude an overlap (every example, a generated world).

The change: for the rule nearest to firing (fewest conditions failing), each row it needs active is made active
as `change.smallest_change` does (entries of the kinds missing added, what holds the row back left out), and
each row it needs not active (a `NOT` of the rule) has the entries behind it left out. The file is diagnosed
again, the conditions read again, and so on, until the rules conclude the overlap; then each part is taken back
wherever the overlap stays without it. Every step is a real run of the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..decisive import conclusion_key
from ..diagnosis import Diagnosis, MechanismRow, OverlapRow
from ..errors import DiagnoseError
from ..model import FactBase, Unit
from ..packs import RuleBase, builtin_pack
from ..rules.vocabulary import BALANCE_OF_POWER as BOP
from ..rules.vocabulary import SECURITY_COMMUNITY as SC
from ..schema import SECTORS
from ..structure import DIMENSIONS
from .change import MAX_STEPS, ProposedChange, Unreachable, _Trial, extension, minimal
from .conclusions import slice_of, verdict_text
from .whynot import _removable, conditions, unit_of

RULES = {
    "temporal": ("temporal_overlap_sc_alone_next_door", "temporal_overlap_bop_alone_next_door",
                 "temporal_overlap_community_takes_hold", "temporal_overlap_balancing_returns"),
    "functional": ("functional_overlap",),
    "spatial": ("spatial_overlap",),
    "relational": ("relational_overlap",),
}
"""The built-in rules that conclude each type of overlap, whose conditions this module reads."""
MAX_PLANS = 2
"""Rules (or pairs of slices) tried, nearest to firing first, before saying that no change is found."""
INWARD = ("inward", "both")


@dataclass(frozen=True)
class Slot:
    """An overlap the rules could conclude: its type, units and period."""

    type: str
    units: tuple[str, ...]
    period: str | None

    @property
    def label(self) -> str:
        return f"{self.type} overlap of {' + '.join(self.units)}" + (f" in {self.period}" if self.period else "")


@dataclass(frozen=True)
class Requirement:
    """One condition of an overlap rule, whether it holds, and the entries behind the row it reads."""

    text: str
    holds: bool
    entries: tuple[str, ...] = ()
    row: tuple | None = None
    """The conclusion key of the mechanism row it reads (None for how the units are laid out)."""
    want: str = ""
    """`active` (the row must be), `inactive` (a NOT of the rule) or '' (a status or a layout no change here
    reaches, such as a decaying community)."""
    facing: tuple[str, ...] | None = None
    """The facings the rule matches, where it names any."""


@dataclass(frozen=True)
class Reading:
    """The conditions of one overlap rule for one overlap."""

    rule: str
    concludes: str
    requirements: tuple[Requirement, ...]
    scope: str = ""
    """Which of the rule's matches: `following period after_return`, `by sector`."""

    @property
    def holds(self) -> bool:
        return all(r.holds for r in self.requirements)

    @property
    def failing(self) -> int:
        return sum(not r.holds for r in self.requirements)

    def to_dict(self, lines: Mapping[str, int]) -> dict[str, Any]:
        return {"rule": self.rule, "concludes": self.concludes, "scope": self.scope or None, "holds": self.holds,
                "conditions": [{"condition": r.text, "holds": r.holds,
                                "entries": [{"id": i, "line": lines.get(i)} for i in r.entries]}
                               for r in self.requirements]}


@dataclass(frozen=True)
class AbsentOverlap:
    """An overlap the rules did not conclude: each rule that would, with its conditions, and a change."""

    slot: Slot
    readings: tuple[Reading, ...]
    note: str = ""
    """Why no condition is known, or which other rules may conclude it."""
    change: ProposedChange | Unreachable | None = None

    @property
    def text(self) -> str:
        return f"{self.slot.label}: not concluded"

    def to_dict(self, lines: Mapping[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = {"conclusion": {"kind": "overlap", "type": self.slot.type, "units": list(self.slot.units),
                                              "period": self.slot.period, "found": False},
                               "why_not": [r.to_dict(lines) for r in self.readings]}
        if self.note:
            out["note"] = self.note
        if isinstance(self.change, ProposedChange):
            result = self.change.result
            out["change"] = {"add": list(self.change.add), "drop": list(self.change.drop),
                             "fragment": self.change.fragment, "checked": True,
                             "result": {"type": result.type, "units": list(result.units), "period": result.period,
                                        "dimension": result.dimension, "on": result.on,
                                        "character": result.character}}
        elif isinstance(self.change, Unreachable):
            out["change"] = {"none": self.change.reason}
        return out


@dataclass(frozen=True)
class _Plan:
    """One way to the overlap: a rule's conditions, read again on every run, and the overlap it concludes."""

    read: Callable[[dict, FactBase], Reading]
    goal: Callable[[Diagnosis], OverlapRow | None]


def _key(mechanism: str, unit: str, period: str | None, dim: str | None = None, value: str | None = None) -> tuple:
    return ("mechanism", mechanism, unit, period, *(value if d == dim else None for d in DIMENSIONS))


def _rows(diagnosis: Diagnosis) -> dict[tuple, MechanismRow]:
    return {conclusion_key(r): r for r in diagnosis.mechanisms}


def _where(unit: str, period: str | None, dim: str | None = None, value: str | None = None) -> str:
    return unit + (f" in {period}" if period else "") + (f" [{dim} {value}]" if dim else "")


def _status(rows: dict, facts: FactBase, mechanism: str, unit: str, period: str | None, *, dim: str | None = None,
            value: str | None = None, statuses: tuple[str, ...] = ("active",), facing: tuple[str, ...] | None = None,
            negated: bool = False) -> Requirement:
    """Whether ``unit``'s row (in ``period``, of all practices unless a slice is named) has ``mechanism`` in one
    of ``statuses`` (and ``facing``), as an overlap rule matches it; ``negated`` for a NOT of the rule."""
    key = _key(mechanism, unit, period, dim, value)
    row = rows.get(key)
    name = mechanism.replace("_", " ")
    matches = row is not None and row.status in statuses and (facing is None or row.facing in facing)
    if negated:
        text = f"no {name} " + " or ".join(statuses) + f" for {_where(unit, period, dim, value)}"
    else:
        text = f"{name} " + " or ".join(statuses) + (f", facing {' or '.join(facing)}," if facing else "") + \
            f" for {_where(unit, period, dim, value)}"
    text += ": " + (verdict_text(row) if row is not None else "no row (not evident)")
    want = "inactive" if negated else ("active" if statuses == ("active",) else "")
    return Requirement(text, not matches if negated else matches,
                       _removable(facts, row.facts) if row is not None else (), key, want, facing)


def _layout(text: str, holds: bool) -> Requirement:
    return Requirement(text, holds)


def _overlap(diagnosis: Diagnosis, slot: Slot, dimension: str | None = None,
             on: dict[str, str] | None = None) -> OverlapRow | None:
    return next((o for o in diagnosis.overlaps if o.type == slot.type and tuple(o.units) == slot.units
                 and o.period == slot.period and (dimension is None or (o.dimension == dimension and o.on == on))),
                None)


# --- the conditions of each rule -----------------------------------------------------------------------------


def _neighbours(facts: FactBase, period: str | None) -> list[tuple[str, str]]:
    """(period, relation) of the periods next to ``period`` (the `Adjacent` facts the temporal rules match)."""
    ids = [p.id for p in facts.periods]
    if period not in ids:
        return []
    i = ids.index(period)
    return ([(ids[i - 1], "preceding")] if i > 0 else []) + ([(ids[i + 1], "following")] if i + 1 < len(ids) else [])


def _temporal(slot: Slot, facts: FactBase, docs: dict[str, str], in_force: set[str]) -> list[_Plan]:
    unit, period = slot.units[0], slot.period
    goal = lambda d: _overlap(d, slot)  # noqa: E731
    plans = []
    near = _neighbours(facts, period)
    none_near = _layout(f"a period next to {period} (Adjacent): " +
                        ("the file declares no periods" if period is None else "it has none"), False)
    for rule, alone, other in (("temporal_overlap_sc_alone_next_door", SC, BOP),
                               ("temporal_overlap_bop_alone_next_door", BOP, SC)):
        if rule not in in_force:
            continue
        for neighbour, relation in near or [(None, "")]:
            def read(rows, facts_, neighbour=neighbour, rule=rule, alone=alone, other=other, relation=relation):
                both = (_status(rows, facts_, SC, unit, period), _status(rows, facts_, BOP, unit, period))
                if neighbour is None:
                    return Reading(rule, docs[rule], (*both, none_near))
                return Reading(rule, docs[rule], (*both, _status(rows, facts_, alone, unit, neighbour),
                                                  _status(rows, facts_, other, unit, neighbour, negated=True)),
                               f"{relation} period {neighbour}")
            plans.append(_Plan(read, goal))
    rule = "temporal_overlap_community_takes_hold"
    if rule in in_force:
        following = next((p for p, relation in near if relation == "following"), None)

        def read_hold(rows, facts_, rule=rule, following=following):
            return Reading(rule, docs[rule], (
                _status(rows, facts_, SC, unit, period, statuses=("nascent",)),
                _status(rows, facts_, BOP, unit, period, facing=INWARD),
                _status(rows, facts_, SC, unit, following) if following is not None else
                _layout(f"a period following {period} (Adjacent): it has none", False)),
                f"following period {following}" if following else "")
        plans.append(_Plan(read_hold, goal))
    rule = "temporal_overlap_balancing_returns"
    if rule in in_force:
        plans.append(_Plan(lambda rows, facts_: Reading(
            "temporal_overlap_balancing_returns", docs["temporal_overlap_balancing_returns"],
            (_status(rows, facts_, SC, unit, period, statuses=("decaying",)),
             _status(rows, facts_, BOP, unit, period))), goal))
    return plans


def _values(facts: FactBase, dim: str) -> list[str]:
    """The values of ``dim`` the file's entries name, in order; for sectors, then the other sectors allowed."""
    named = list(dict.fromkeys(v for e in facts.entries if (v := e.value(dim)) is not None))
    return named + [s for s in SECTORS if s not in named] if dim == "sector" else named


def _functional_readings(slot: Slot, rows: dict, facts: FactBase, docs: dict[str, str]) -> list[Reading]:
    """By dimension: some slice with the community active, another with the balance of power active."""
    unit, period = slot.units[0], slot.period
    rule = "functional_overlap"
    out = []
    for dim in DIMENSIONS:
        if dim != "sector" and not _values(facts, dim):
            continue
        mine = [r for r in rows.values() if r.unit == unit and r.period == period and (slice_of(r) or ("",))[0] == dim]
        sc = [r for r in mine if r.mechanism == SC and r.status == "active"]
        bop = [r for r in mine if r.mechanism == BOP and r.status == "active"]

        def shown(found: list[MechanismRow], mechanism: str) -> str:
            rows_ = [r for r in mine if r.mechanism == mechanism]
            if found:
                return "on " + ", ".join(getattr(r, dim) for r in found)
            return "on none" + (" (" + ", ".join(f"{getattr(r, dim)}: {verdict_text(r)}" for r in rows_) + ")"
                                if rows_ else f" (no {dim} row of it)")

        other = bool(bop) and (not sc or any(getattr(b, dim) != getattr(s, dim) for b in bop for s in sc))
        out.append(Reading(rule, docs[rule], (
            Requirement(f"security community active in a {dim} row of {_where(unit, period)}: {shown(sc, SC)}",
                        bool(sc), _removable(facts, (i for r in sc for i in r.facts))),
            Requirement(f"balance of power active in another {dim} row of {_where(unit, period)}: "
                        f"{shown(bop, BOP)}", other, _removable(facts, (i for r in bop for i in r.facts)))),
            f"by {dim}"))
    return out


def _functional(slot: Slot, rows: dict, facts: FactBase, docs: dict[str, str], in_force: set[str]) -> list[_Plan]:
    """One plan per pair of values of a dimension (community on one, balance of power on the other)."""
    unit, period = slot.units[0], slot.period
    rule = "functional_overlap"
    if rule not in in_force:
        return []
    plans = []
    for dim in DIMENSIONS:
        values = _values(facts, dim)
        for sc_value in values:
            for bop_value in values:
                if sc_value == bop_value:
                    continue

                def read(rows_, facts_, dim=dim, sc_value=sc_value, bop_value=bop_value):
                    return Reading(rule, docs[rule], (
                        _status(rows_, facts_, SC, unit, period, dim=dim, value=sc_value),
                        _status(rows_, facts_, BOP, unit, period, dim=dim, value=bop_value)),
                        f"community on the {dim} {sc_value}, balance of power on the {dim} {bop_value}")
                plans.append(_Plan(read, lambda d, dim=dim, a=sc_value, b=bop_value: _overlap(
                    d, slot, dim, {BOP: b, SC: a})))
    return plans


def _spatial(slot: Slot, docs: dict[str, str], in_force: set[str]) -> list[_Plan]:
    community, balance = slot.units
    rule = "spatial_overlap"
    if rule not in in_force:
        return []
    return [_Plan(lambda rows, facts_: Reading(rule, docs[rule], (
        _status(rows, facts_, SC, community, slot.period),
        _status(rows, facts_, BOP, balance, slot.period, facing=INWARD),
        _status(rows, facts_, SC, balance, slot.period, negated=True))), lambda d: _overlap(d, slot))]


def _relational(slot: Slot, docs: dict[str, str], in_force: set[str]) -> list[_Plan]:
    dyad, container = slot.units
    rule = "relational_overlap"
    if rule not in in_force:
        return []
    return [_Plan(lambda rows, facts_: Reading(rule, docs[rule], (
        _status(rows, facts_, BOP, dyad, slot.period),
        _layout(f"{dyad} lies inside {container} (Contains: both its states belong to it)", True),
        _status(rows, facts_, SC, container, slot.period))), lambda d: _overlap(d, slot))]


# --- which overlaps a unit could be part of -----------------------------------------------------------------


def _containers(facts: FactBase) -> list[Unit]:
    """The units a dyad can lie inside for the relational rule: every unit but a dyad with more than two states
    (as the diagnosis lays out its `Contains` facts)."""
    return [u for u in facts.units() if u.kind != "dyad" and u.size > 2]


def _slots(facts: FactBase, unit: Unit, type_: str, periods: list) -> tuple[list[Slot], str]:
    """The overlaps of ``type_`` the rules could conclude about ``unit`` in ``periods``, or why there are none."""
    if type_ in ("temporal", "functional"):
        return [Slot(type_, (unit.id,), p) for p in periods], ""
    if type_ == "spatial":
        subregions = [u.id for u in facts.subregions]
        if unit.kind == "region":
            pairs = [(a, b) for a in subregions for b in subregions if a != b]
        elif unit.kind == "subregion":
            pairs = [(a, b) for a in subregions for b in subregions if a != b and unit.id in (a, b)]
        else:
            return [], f"spatial_overlap joins two sub-regions of the region; {unit.id} is a {unit.kind}"
        if not pairs:
            return [], "spatial_overlap joins two sub-regions of the region; the file declares fewer than two"
        return [Slot(type_, pair, p) for p in periods for pair in pairs], ""
    dyads = [u for u in facts.units() if u.kind == "dyad"]
    if unit.kind == "dyad":
        pairs = [(unit.id, c.id) for c in _containers(facts) if unit.states <= c.states]
        why = f"relational_overlap joins a dyad to a unit of more than two states that holds both; none holds {unit.id}"
    elif unit.size > 2:
        pairs = [(d.id, unit.id) for d in dyads if d.states <= unit.states]
        why = (f"relational_overlap joins a dyad (a pair of states that an entry names) to a unit that holds both; "
               f"no entry names a pair of states of {unit.id}")
    else:
        return [], f"relational_overlap joins a dyad to a unit of more than two states; {unit.id} has {unit.size}"
    return [Slot(type_, pair, p) for p in periods for pair in pairs], ("" if pairs else why)


def _rule_docs(rules: RuleBase) -> tuple[dict[str, str], set[str], list[str]]:
    """(rule name -> what it concludes, the built-in overlap rules in force, the other overlap rules in force)."""
    builtin = builtin_pack().name
    infos = rules.rules()
    docs = {info.name: info.concludes for info in infos}
    ours = {name for names in RULES.values() for name in names}
    in_force = {info.name for info in infos if info.pack == builtin and info.name in ours}
    others = [f"{info.name} ({info.pack})" for info in infos if info.stage == "overlaps" and info.pack != builtin]
    return docs, in_force, others


def absent_overlaps(diagnosis: Diagnosis, facts: FactBase, rules: RuleBase, thresholds: Mapping[str, Any],
                    unit: Unit, type_: str, period: str | None = None, *,
                    propose: bool = True) -> tuple[list[AbsentOverlap], str]:
    """The overlaps of ``type_`` about ``unit`` (in ``period``, or every period) the rules did not conclude, each
    with the conditions of the rules that would and (with ``propose``) the smallest change found that makes the
    rules conclude it; or, where the rules can conclude none about this unit, why (and an empty list)."""
    periods = [period] if period is not None else list(facts.period_ids)
    slots, why = _slots(facts, unit, type_, periods)
    docs, in_force, others = _rule_docs(rules)
    names = RULES[type_]
    mine = [n for n in names if n in in_force]
    note = ""
    if not mine:
        note = (f"No condition is known: the built-in rules that conclude {type_} overlaps ({', '.join(names)}) are "
                f"not in force (the built-in rules are left out, or a pack replaces them).")
    elif len(mine) < len(names):
        note = f"Not in force, so not read: {', '.join(n for n in names if n not in in_force)}."
    if others:
        note += (" " if note else "") + (f"Rules of other packs in force may conclude overlaps too, their conditions "
                                         f"not read here: {', '.join(others)}.")
    rows = _rows(diagnosis)
    out = []
    for slot in slots:
        if (_overlap(diagnosis, slot) is not None or
                (type_ == "functional" and any(o.type == "functional" and o.units == slot.units
                                               and o.period == slot.period for o in diagnosis.overlaps))):
            continue
        if type_ == "functional":
            readings = _functional_readings(slot, rows, facts, docs) if mine else []
        else:
            readings = [plan.read(rows, facts) for plan in _plans(slot, rows, facts, docs, set(mine))]
        change = slot_change(facts, rules, thresholds, diagnosis, slot) if propose else None
        out.append(AbsentOverlap(slot, tuple(readings), note.strip(), change))
    return out, (why if not slots else "")


def slot_change(facts: FactBase, rules: RuleBase, thresholds: Mapping[str, Any], diagnosis: Diagnosis,
                slot: Slot) -> ProposedChange | Unreachable:
    """The smallest change found with which the rules in force conclude the overlap ``slot`` that ``diagnosis``
    (of ``facts`` with ``rules`` and ``thresholds``) lacks, or why none is found."""
    docs, in_force, _ = _rule_docs(rules)
    if not in_force & set(RULES[slot.type]):
        return Unreachable("no condition of an overlap rule in force is known, so no change is searched for.")
    rows = _rows(diagnosis)
    return overlap_change(facts, rules, thresholds, _plans(slot, rows, facts, docs, in_force), rows)


def _plans(slot: Slot, rows: dict, facts: FactBase, docs: dict[str, str], in_force: set[str]) -> list[_Plan]:
    if slot.type == "temporal":
        return _temporal(slot, facts, docs, in_force)
    if slot.type == "functional":
        return _functional(slot, rows, facts, docs, in_force)
    if slot.type == "spatial":
        return _spatial(slot, docs, in_force)
    return _relational(slot, docs, in_force)


# --- the smallest change ----------------------------------------------------------------------------------


def overlap_change(facts: FactBase, rules: RuleBase, thresholds: Mapping[str, Any], plans: list[_Plan],
                   rows: dict) -> ProposedChange | Unreachable:
    """The smallest change found with which the rules conclude the overlap of ``plans``, or why none is found:
    the plans whose failing conditions a change can meet, fewest failing first, at most `MAX_PLANS` of them."""
    readings = [(plan, plan.read(rows, facts)) for plan in plans]
    reachable = [(plan, reading) for plan, reading in readings
                 if all(r.holds or (r.want and r.row is not None) for r in reading.requirements)]
    if not reachable:
        stuck = list(dict.fromkeys(r.text for _, reading in readings for r in reading.requirements
                                   if not r.holds and not (r.want and r.row is not None)))
        return Unreachable("each rule needs a condition that no entry added or left out is searched for here: " +
                           "; ".join(stuck) if stuck else "no rule in force concludes it.")
    reachable.sort(key=lambda pr: pr[1].failing)  # stable: in the order the rules are read
    trial = _Trial(facts, rules, thresholds)
    reasons = []
    for plan, reading in reachable[:MAX_PLANS]:
        found = _search(trial, facts, rules, plan)
        if isinstance(found, ProposedChange):
            return found
        reasons.append(f"by {reading.rule}" + (f" ({reading.scope})" if reading.scope else "") + f": {found.reason}")
    return Unreachable("; ".join(reasons))


def _search(trial: _Trial, facts: FactBase, rules: RuleBase, plan: _Plan) -> ProposedChange | Unreachable:
    taken = {item.id for item in (*facts.entries, *facts.strategies, *facts.junctures)}
    add: list[dict[str, Any]] = []
    drop: list[str] = []
    tried: dict[tuple, set[str]] = {}
    read: dict[tuple, list] = {}
    failing: list[Requirement] = []
    for _ in range(MAX_STEPS):
        try:
            changed, diagnosis, recorder = trial.run(add, drop)
        except DiagnoseError as error:
            return Unreachable(f"the entries proposed are refused: {error}")
        found = plan.goal(diagnosis)
        if found is not None:
            return minimal(lambda a, d: _concluded(trial, plan, a, d), add, drop, found)
        reading = plan.read(_rows(diagnosis), changed)
        failing = [r for r in reading.requirements if not r.holds]
        if not failing:
            return Unreachable(f"every condition of {reading.rule} holds, yet the overlap is not concluded.")
        for requirement in reading.requirements:  # what holds the rows back now, for when they leave the file
            if requirement.holds and requirement.want == "active" and requirement.row not in read:
                read[requirement.row] = [c for c in conditions(requirement.row, diagnosis, changed, recorder, rules)
                                         if c.holds is False]
        proposed = {entry["id"] for entry in add}
        more_add: list[dict[str, Any]] = []
        more_drop: list[str] = []
        for requirement in failing:
            if not requirement.want or requirement.row is None:
                return Unreachable(f"no entry added or left out is searched for to meet: {requirement.text}")
            if requirement.want == "inactive":
                more_drop += [i for i in requirement.entries if i not in drop and i not in more_drop
                              and i not in proposed]
                continue
            row_failing = [c for c in conditions(requirement.row, diagnosis, changed, recorder, rules)
                           if c.holds is False]
            if requirement.facing:  # the counts named after a facing the rule matches (`M.inward`)
                row_failing = [c for c in row_failing if c.count.rsplit(".", 1)[-1] in requirement.facing] or \
                    row_failing
            # none read (the unit left the file with what was left out, or a slice's count that no rule compared
            # with a threshold): those read last, the kinds already tried not proposed again
            row_failing = row_failing or read.get(requirement.row, [])
            read[requirement.row] = row_failing
            more, less = extension(requirement.row, row_failing, facts, taken, tried.setdefault(requirement.row, set()),
                                   [*drop, *more_drop])
            unit = unit_of(facts, requirement.row[2])
            if requirement.facing and unit is not None and unit.size > 2:
                # shared by more than two states, a balancing practice faces inward only when declared mutual
                more = [{**{k: v for k, v in entry.items() if k != "source"}, "mutual": True, "source": entry["source"]}
                        if "among" in entry else entry for entry in more]
            more_add += more
            more_drop += [i for i in less if i not in proposed]
        if not more_add and not more_drop:
            return Unreachable("no entry can be added or left out to meet: " + "; ".join(r.text for r in failing))
        add += more_add
        drop += more_drop
    return Unreachable(f"no change found in {MAX_STEPS} rounds of adding the kinds missing and leaving out what "
                       f"holds the rows back; still failing: " + "; ".join(r.text for r in failing))


def _concluded(trial: _Trial, plan: _Plan, add: list[dict[str, Any]], drop: list[str]) -> OverlapRow | None:
    try:
        _, diagnosis, _ = trial.run(add, drop)
    except DiagnoseError:
        return None
    return plan.goal(diagnosis)

