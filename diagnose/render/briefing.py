"""The context of a briefing: plain dicts and lists, computed before any template runs.

Everything a report shows is decided here, in Python: the key judgements and
their decisive facts (which re-run the engine, see `diagnose.decisive`), the
tables, the evidence, the method note and the figures. Templates only lay it
out, so they can be overridden without touching the reasoning.

A judgement names a status with what qualifies it (variant, facing, phase,
coupling), and reads a temporal overlap by the statuses behind it (both
active, a nascent community taking hold, a decaying one beside returning
balancing). Dyads about which the diagnosis says the same, with the same
decisive facts, make one judgement and one overlap card, so a region of
many pairs still reads as a brief.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from .. import __version__
from ..decisive import LeaveOneOut
from ..diagnosis import Diagnosis, MechanismRow, OverlapRow
from ..model import Entry, FactBase, Juncture, Strategy
from ..packs import RuleBase
from .figures import mechanism_styles, network_svg, ticked_facings, timeline_svg
from .filters import QUALIFIERS, and_list, mechanism_name, period_label, qualifier_names, state_list, status_label, \
    status_name, unit_name, upper_first

PAPER = ("Adler, Emanuel and Patricia Greve (2009), “When security community meets balance of power: "
         "overlapping regional mechanisms of security governance”, Review of International Studies 35, pp. 59–84.")
UNIT_RANK = {"region": 0, "subregion": 1, "group": 2, "dyad": 3}
STATUS_PHRASES = {"active": "is active", "nascent": "is nascent", "decaying": "is decaying",
                  "formal_only": "exists only formally", "broken_down": "has broken down"}
STATUS_GLOSSES = {"nascent": "community-building practices, not yet a community",
                  "decaying": "a community of the previous period fading without war"}
FACING_GLOSSES = {"inward": "the states balance one another", "outward": "the states balance outsiders together",
                  "both": "the states balance one another and outsiders too"}
FACING_WAYS = {"inward": "inward", "outward": "outward", "both": "both inward and outward"}
CHARACTER_PHRASES = {"automatic": "automatic: a by-product of habit that nobody chose",
                     "mixed": "mixed: partly chosen, partly habit"}
DIMENSIONS = ("sector", "agency", "issue")
STATUS_ORDER = ("active", "nascent", "decaying", "formal_only", "broken_down")
LISTED_DYADS = 4
"""Up to this many like dyads, a key judgement names each pair; beyond, it names their states."""
READINGS = {frozenset({"active"}): "coexist", frozenset({"active", "nascent"}): "takes_hold",
            frozenset({"active", "decaying"}): "fades"}
"""How a temporal overlap reads, from the statuses of its two mechanisms in its period (any mechanisms)."""


def _plain(text: str | None) -> str | None:
    """Free text from the file on one line (YAML's folded blocks end in a newline)."""
    return " ".join(text.split()) if text else None


def _unit_rank(unit: str) -> tuple[int, str]:
    return UNIT_RANK.get(unit.partition(":")[0], len(UNIT_RANK)), unit


def _is_dyad(unit: str) -> bool:
    return unit.partition(":")[0] == "dyad"


def _whole_unit(row: MechanismRow) -> bool:
    return row.sector is None and row.agency is None and row.issue is None


def _period_order(facts: FactBase) -> dict[str | None, int]:
    return {p: i for i, p in enumerate(facts.period_ids)}


def _qualifiers(row: MechanismRow | None) -> dict[str, str | None]:
    """A row's status and what qualifies it, as the plain fields a template reads."""
    return {name: getattr(row, name, None) for name in ("status", *QUALIFIERS)}


# --- key judgements -----------------------------------------------------------------------------------------

def _cited(items: Iterable[Strategy | Juncture], ids: Iterable[str]) -> list[Any]:
    """The strategies (or junctures) among a conclusion's fact ids."""
    wanted = set(ids)
    return [item for item in items if item.id in wanted]


def _in_period(facts: FactBase, period: str | None) -> str:
    return f" in the period {period_label(facts, period)}" if period is not None else ""


def _units_phrase(facts: FactBase, units: list[str]) -> str:
    """`NATO (group)`; several dyads as `3 dyads (Greece–Turkey, ...)`, other units by name."""
    dyads = [u for u in units if _is_dyad(u)]
    if len(dyads) < 2:
        return and_list(unit_name(facts, u) for u in units)
    if len(dyads) <= LISTED_DYADS:
        named = f"{len(dyads)} dyads ({and_list(unit_name(facts, u).removesuffix(' (dyad)') for u in dyads)})"
    else:  # a long list of pairs reads badly: name their states (the overlap card and the tables list the pairs)
        states = (code for u in dyads for code in u.partition(":")[2].split("-"))
        named = f"{len(dyads)} dyads among {state_list(facts, states)}"
    others = [unit_name(facts, u) for u in units if not _is_dyad(u)]
    return and_list([*others, named])


class _Rows:
    """The diagnosis's rows that count all of a unit's practices, by unit, period and mechanism."""

    def __init__(self, facts: FactBase, diagnosis: Diagnosis):
        self.facts = facts
        self.rows = {(r.unit, r.period, r.mechanism): r for r in diagnosis.mechanisms if _whole_unit(r)}

    def get(self, unit: str, period: str | None, mechanism: str) -> MechanismRow | None:
        return self.rows.get((unit, period, mechanism))

    def next_period(self, period: str | None) -> str | None:
        ids = list(self.facts.period_ids)
        return ids[ids.index(period) + 1] if period in ids and ids.index(period) + 1 < len(ids) else None

    def reading(self, overlap: OverlapRow) -> str | None:
        """How a temporal overlap reads: `coexist` (both active), `takes_hold` (a nascent community beside an
        active mechanism), `fades` (a decaying community beside one); None for any other overlap."""
        if overlap.type != "temporal" or not overlap.units or len(overlap.mechanisms) != 2:
            return None
        found = [self.get(overlap.units[0], overlap.period, m) for m in overlap.mechanisms]
        if any(row is None for row in found):
            return None
        return READINGS.get(frozenset(row.status for row in found))

    def by_status(self, overlap: OverlapRow, status: str) -> str:
        """The name of the overlap's mechanism that has ``status`` in the overlap's unit and period."""
        return next((mechanism_name(m) for m in overlap.mechanisms
                     if (row := self.get(overlap.units[0], overlap.period, m)) and row.status == status), "")


def _temporal_gloss(facts: FactBase, overlap: OverlapRow, rows: _Rows, reading: str | None) -> str:
    mechanisms = and_list(mechanism_name(m) for m in overlap.mechanisms)
    if reading == "takes_hold":
        following = rows.next_period(overlap.period)
        when = f" in the next period, {period_label(facts, following)}" if following else " in the next period"
        return (f"community-building practices ({rows.by_status(overlap, 'nascent')} nascent) grow beside "
                f"{rows.by_status(overlap, 'active')} among the same states, and the community takes hold{when}")
    if reading == "fades":
        return (f"the community of the previous period fades without war ({rows.by_status(overlap, 'decaying')} "
                f"decaying) while {rows.by_status(overlap, 'active')} holds among the same states")
    return f"{mechanisms} hold together here, while only one of them holds in an adjacent period"


def _overlap_sentence(facts: FactBase, overlaps: list[OverlapRow], rows: _Rows) -> str:
    overlap = overlaps[0]
    mechanisms = and_list(mechanism_name(m) for m in overlap.mechanisms)
    units = _units_phrase(facts, list(dict.fromkeys(u for o in overlaps for u in o.units)))
    if overlap.type == "functional" and overlap.on:
        gloss = and_list(f"{mechanism_name(m)} on the {value} {overlap.dimension}" for m, value in
                         sorted(overlap.on.items(), key=lambda item: overlap.mechanisms.index(item[0])
                                if item[0] in overlap.mechanisms else len(overlap.mechanisms)))
    elif overlap.type == "spatial":
        gloss = f"its sub-regions are governed by different mechanisms ({mechanisms})"
    elif overlap.type == "relational":
        gloss = f"a rivalry nested inside a wider community ({mechanisms})"
    elif overlap.type == "temporal":
        gloss = _temporal_gloss(facts, overlap, rows, rows.reading(overlap))
    else:
        gloss = f"{mechanisms} shape the same states at once"
    if overlap.character == "manual":
        cited = _cited(facts.strategies, (i for o in overlaps for i in o.facts))
        strategies = and_list(f"‘{s.name}’" for s in cited)
        character = f"manual: a deliberate strategy ({strategies}) combines them" if strategies else \
            "manual: a deliberate strategy combines them"
    else:
        character = CHARACTER_PHRASES.get(overlap.character, overlap.character)
    subject = "Each is" if len(overlaps) > 1 else "It is"
    return f"{upper_first(overlap.type)} overlap in {units}{_in_period(facts, overlap.period)}: {gloss}. " \
           f"{subject} {character}."


def _described(row: MechanismRow) -> list[str]:
    """What the key judgement adds to a row's status: a gloss of a new status, the qualifiers, facing explained."""
    words = [STATUS_GLOSSES[row.status]] if row.status in STATUS_GLOSSES else []
    for name in QUALIFIERS:
        for word in qualifier_names({"status": row.status, name: getattr(row, name)}):
            gloss = FACING_GLOSSES.get(row.facing) if name == "facing" else None
            words.append(f"{word} ({gloss})" if gloss else word)
    return words


def _mechanism_sentence(facts: FactBase, rows: list[MechanismRow], same_states: bool) -> str:
    first = rows[0]
    period = _in_period(facts, first.period)
    units = _units_phrase(facts, [r.unit for r in rows]) + \
        ((", the same states," if period else ", the same states") if same_states else "")
    phrase = STATUS_PHRASES.get(first.status, f"is {status_name(first.status)}")
    described = _described(first)
    return (f"{upper_first(mechanism_name(first.mechanism))} {phrase} in {units}{period}"
            + (f": {', '.join(described)}" if described else "") + ".")


def _changes(before: MechanismRow, after: MechanismRow) -> list[str]:
    """Each qualifier that differs between two rows of the same status, as a verb phrase."""
    phrases = []
    for name in QUALIFIERS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if new is None:
            phrases.append(f"is no longer {qualifier_names({name: old})[0]}")
        elif name == "facing":
            phrases.append(f"faces {FACING_WAYS.get(new, new)}")
        else:
            phrases.append(f"becomes {qualifier_names({name: new})[0]}")
    return phrases


def _effect(before: MechanismRow | OverlapRow, after: MechanismRow | OverlapRow | None) -> str:
    """What leaving a fact out does to a conclusion, in words."""
    if after is None:
        return "it is no longer found"
    if isinstance(after, OverlapRow):
        return f"it becomes {after.character}"
    assert isinstance(before, MechanismRow)
    if after.status == "not_evident":
        return "it is no longer evident"
    if after.status != before.status:
        return f"it becomes {status_label(after)}"
    return "it " + and_list(_changes(before, after))


def _what_would_change(conclusions: list, counterfactuals: LeaveOneOut) -> dict[str, Any]:
    """The decisive facts of a judgement (one or several conclusions that say the same), with their effect."""
    decisive: dict[str, str] = {}
    supporting: dict[str, None] = {}
    for conclusion in conclusions:
        supporting.update(dict.fromkeys(counterfactuals.supporting(conclusion)))
        for fact_id in counterfactuals.decisive(conclusion):
            after = counterfactuals.outcome(conclusion, fact_id)
            decisive.setdefault(fact_id, _effect(conclusion, after))
    return {"decisive": [{"id": i, "effect": effect} for i, effect in decisive.items()],
            "supporting": list(supporting)}


def _each(change: dict[str, Any]) -> dict[str, Any]:
    """The decisive facts of several like judgements read together: what happens to each."""
    return {**change, "decisive": [{**item, "effect": "each" + item["effect"].removeprefix("it")}
                                   for item in change["decisive"]]}


def _alike(change: dict[str, Any]) -> tuple:
    return tuple((item["id"], item["effect"]) for item in change["decisive"])


def _overlap_groups(diagnosis: Diagnosis, rows: _Rows, counterfactuals: LeaveOneOut) \
        -> list[tuple[list[int], dict[str, Any]]]:
    """Overlaps that say the same of different dyads (same type, period, reading, character and decisive facts)
    read as one: the indices of each group, in the diagnosis's order, with its decisive facts."""
    groups: dict[tuple, tuple[list[int], list[dict[str, Any]]]] = {}
    for index, overlap in enumerate(diagnosis.overlaps):
        change = _what_would_change([overlap], counterfactuals)
        dyads = [u for u in overlap.units if _is_dyad(u)]
        if len(dyads) != 1:
            key: tuple = ("single", index)
        else:
            key = (overlap.type, tuple("dyad" if _is_dyad(u) else u for u in overlap.units), overlap.period,
                   overlap.character, overlap.mechanisms, overlap.dimension,
                   tuple(sorted((overlap.on or {}).items())), rows.reading(overlap), _alike(change))
        groups.setdefault(key, ([], []))
        groups[key][0].append(index)
        groups[key][1].append(change)
    order = _period_order(rows.facts)

    def reading_order(indices: list[int]) -> tuple:
        overlap = diagnosis.overlaps[indices[0]]
        return order.get(overlap.period, 0), min(_unit_rank(u)[0] for u in overlap.units), indices[0]

    out = []
    for indices, changes in sorted(groups.values(), key=lambda group: reading_order(group[0])):
        supporting = list(dict.fromkeys(i for change in changes for i in change["supporting"]))
        change = {"decisive": changes[0]["decisive"], "supporting": supporting}
        out.append((indices, _each(change) if len(indices) > 1 else change))
    return out


def _judgements(facts: FactBase, diagnosis: Diagnosis, counterfactuals: LeaveOneOut,
                overlap_groups: list[tuple[list[int], dict[str, Any]]], anchors: dict[int, str]) \
        -> list[dict[str, Any]]:
    rows = _Rows(facts, diagnosis)
    judgements = []
    for indices, change in overlap_groups:
        overlaps = [diagnosis.overlaps[i] for i in indices]
        judgements.append({"kind": "overlap", "sentence": _overlap_sentence(facts, overlaps, rows),
                           "anchor": anchors[indices[0]], **change})
    if not diagnosis.overlaps:
        judgements.append({"kind": "no_overlap", "anchor": "overlaps", "decisive": [], "supporting": [],
                           "sentence": "No overlap: on this evidence no states are shaped by two mechanisms "
                                       "at once."})
    # Rows that say the same of the same states (a sub-region, its group, its dyad) make one judgement.
    same: dict[tuple, list[MechanismRow]] = defaultdict(list)
    units = {u.id: u for u in facts.units()}
    for row in diagnosis.mechanisms:
        if _whole_unit(row) and row.status != "not_evident" and row.unit in units:
            same[(row.period, row.mechanism, row.status, *(getattr(row, q) for q in QUALIFIERS),
                  units[row.unit].states)].append(row)
    order = _period_order(facts)
    mechanisms = list(dict.fromkeys(r.mechanism for r in diagnosis.mechanisms))
    for found in same.values():
        found.sort(key=lambda r: _unit_rank(r.unit))  # the widest kind of unit names the judgement
    # Then single dyads that say the same, with the same decisive facts, make one judgement too.
    alike: dict[tuple, list[tuple[list[MechanismRow], dict[str, Any]]]] = {}
    for key, found in same.items():
        change = _what_would_change(found, counterfactuals)
        lone_dyad = len(found) == 1 and _is_dyad(found[0].unit)
        alike.setdefault(key[:-1] + (("like dyads", _alike(change)),) if lone_dyad else key, []).append((found, change))

    def reading_order(group: list[tuple[list[MechanismRow], dict[str, Any]]]) -> tuple:
        first = group[0][0][0]
        return order[first.period], _unit_rank(first.unit), mechanisms.index(first.mechanism)

    for group in sorted(alike.values(), key=reading_order):
        if len(group) == 1:
            found, change = group[0]
            sentence = _mechanism_sentence(facts, found, same_states=len(found) > 1)
        else:
            found = [rows_[0] for rows_, _ in group]
            supporting = list(dict.fromkeys(i for _, change_ in group for i in change_["supporting"]))
            change = _each({"decisive": group[0][1]["decisive"], "supporting": supporting})
            sentence = _mechanism_sentence(facts, found, same_states=False)
        judgements.append({"kind": "mechanism", "sentence": sentence, "anchor": "mechanisms", **change})
    if not same:
        judgements.append({"kind": "nothing_evident", "anchor": "mechanisms", "decisive": [], "supporting": [],
                           "sentence": "No mechanism is evident: the file holds too little evidence for any unit."})
    return judgements


# --- overlaps, mechanisms, junctures and strategies ---------------------------------------------------------

def _overlaps(facts: FactBase, diagnosis: Diagnosis, groups: list[tuple[list[int], dict[str, Any]]],
              anchors: dict[int, str]) -> list[dict[str, Any]]:
    """One card per group of like overlaps (usually one overlap; several dyads that read the same share one)."""
    rows = _Rows(facts, diagnosis)
    out = []
    for indices, _ in groups:
        overlaps = [diagnosis.overlaps[i] for i in indices]
        overlap = overlaps[0]
        facts_used = list(dict.fromkeys(i for o in overlaps for i in o.facts))
        out.append({
            "anchor": anchors[indices[0]], "type": overlap.type, "units": list(overlap.units), "period": overlap.period,
            "title": _units_phrase(facts, list(dict.fromkeys(u for o in overlaps for u in o.units))),
            "also": [and_list(unit_name(facts, u) for u in o.units) for o in overlaps[1:]],
            "reading": rows.reading(overlap),
            "character": overlap.character, "mechanisms": list(overlap.mechanisms),
            "dimension": overlap.dimension,
            "on": [{"mechanism": m, "value": v} for m, v in sorted((overlap.on or {}).items())],
            "explanation": overlap.explanation,
            "rules": list(dict.fromkeys(r for o in overlaps for r in o.rules)), "facts": facts_used,
            "strategies": [s.name for s in _cited(facts.strategies, facts_used)],
            "junctures": [j.name for j in _cited(facts.junctures, facts_used)],
        })
    return out


def _mechanisms(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase) -> list[dict[str, Any]]:
    declared_by = {m: pack.name for pack in rules.packs for m in pack.mechanisms}
    colours = mechanism_styles(rules.mechanisms)
    order = _period_order(facts)
    out = []
    for mechanism in rules.mechanisms:
        rows = sorted((r for r in diagnosis.mechanisms
                       if r.mechanism == mechanism and _whole_unit(r) and r.status != "not_evident"),
                      key=lambda r: (_unit_rank(r.unit), order.get(r.period, 0)))
        found = [{"unit": r.unit, "period": r.period, **_qualifiers(r)} for r in rows]
        # The same, read by period and status: the units that share a status (and its qualifiers) named together.
        where: dict[tuple, list[str]] = defaultdict(list)
        for r in rows:
            rank = STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else len(STATUS_ORDER)
            where[(order.get(r.period, 0), r.period, rank, status_label(r))].append(r.unit)
        # ... and a status that holds for the same units in several periods named once, with its periods.
        periods: dict[tuple, list[str | None]] = {}
        for (_, period, rank, label), units in sorted(where.items()):
            periods.setdefault((rank, label, _units_phrase(facts, units)), []).append(period)
        out.append({"name": mechanism, "pack": declared_by[mechanism], "colour": colours[mechanism].colour,
                    "found": found,
                    "where": [{"periods": [p for p in found_in if p is not None], "status": label, "units": units}
                              for (_, label, units), found_in in periods.items()]})
    return out


def _mechanism_table(facts: FactBase, diagnosis: Diagnosis, mechanisms: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per unit and period, one cell per mechanism (the rows that count all practices)."""
    cells: dict[tuple, dict[str, MechanismRow]] = defaultdict(dict)
    for row in diagnosis.mechanisms:
        if _whole_unit(row):
            cells[(row.unit, row.period)][row.mechanism] = row
    order = _period_order(facts)
    table = []
    for (unit, period), found in sorted(cells.items(), key=lambda item: (_unit_rank(item[0][0]),
                                                                         order.get(item[0][1], 0))):
        table.append({"unit": unit, "period": period, "cells": [
            {"mechanism": m, **_qualifiers(found.get(m)),
             "explanation": found[m].explanation if m in found else ""} for m in mechanisms]})
    return table


def _slice_table(facts: FactBase, diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """Rows that count one sector, agency or issue, where something is more than not evident."""
    order = _period_order(facts)
    rows = [r for r in diagnosis.mechanisms if not _whole_unit(r) and r.status != "not_evident"]
    rows.sort(key=lambda r: (_unit_rank(r.unit), order.get(r.period, 0), r.sector or "", r.agency or "",
                             r.issue or "", r.mechanism))
    return [{"unit": r.unit, "period": r.period, "dimension": dim, "value": getattr(r, dim),
             "mechanism": r.mechanism, **_qualifiers(r)}
            for r in rows for dim in DIMENSIONS if getattr(r, dim) is not None]


def _bearing(diagnosis: Diagnosis, fact_id: str, anchors: dict[int, str]) -> list[str]:
    return list(dict.fromkeys(anchors[i] for i, overlap in enumerate(diagnosis.overlaps) if fact_id in overlap.facts))


def _periods_of(facts: FactBase, item: Entry | Strategy | Juncture) -> dict[str, Any]:
    every = len(facts.periods) > 1 and tuple(item.periods) == facts.period_ids
    return {"periods": [p for p in item.periods if p is not None], "all_periods": every}


def _junctures(facts: FactBase, diagnosis: Diagnosis, anchors: dict[int, str]) -> list[dict[str, Any]]:
    return [{"id": j.id, "name": j.name, **_periods_of(facts, j), "source": _plain(j.source), "note": _plain(j.note),
             "bears_on": _bearing(diagnosis, j.id, anchors)} for j in facts.junctures]


def _strategies(facts: FactBase, diagnosis: Diagnosis, anchors: dict[int, str]) -> list[dict[str, Any]]:
    return [{"id": s.id, "name": s.name, "by": sorted(s.by), "combines": list(s.combines), **_periods_of(facts, s),
             "source": _plain(s.source), "note": _plain(s.note), "bears_on": _bearing(diagnosis, s.id, anchors)}
            for s in facts.strategies]


# --- evidence and method ------------------------------------------------------------------------------------

NAMED_STATES = 4
"""Up to this many states, the evidence names each; more, and they are named by the unit they make up."""


def _actors(facts: FactBase, codes: Iterable[str]) -> str:
    """States as the evidence table names them: `all 7 states of the region`, `NATO (group): 6 states`, or each."""
    codes = set(codes)
    if len(codes) > NAMED_STATES:
        if codes == set(facts.states):
            return f"all {len(codes)} states of the region"
        unit = next((u for u in facts.units() if u.kind != "dyad" and set(u.states) == codes), None)
        if unit is not None:
            return f"{unit_name(facts, unit.id)}: {len(codes)} states"
    return state_list(facts, codes)


def _entry_evidence(facts: FactBase, entry: Entry) -> dict[str, Any]:
    kinds = ", ".join(f"{kind} ({mechanism_name(facts.vocabulary.get(kind, 'unknown'))})" for kind in entry.kinds)
    if entry.level and not entry.kinds:  # a war or armed conflict: no kind of its own, it acts through violence
        kinds = f"{entry.level.replace('_', ' ')} (violence between the sides)"
    if entry.form == "sides":
        actors = " against ".join(_actors(facts, side) for side in entry.ends)
    elif entry.directed:
        actors = f"{_actors(facts, entry.ends[0])}, toward {_actors(facts, entry.ends[1])}"
    else:
        actors = _actors(facts, entry.actors) + (" (each pair against the others)" if entry.mutual else "")
    details = [f"{dim}: {entry.value(dim)}" for dim in DIMENSIONS if entry.value(dim) is not None]
    details += ["deliberate"] * entry.deliberate + ["not rooted (formal only)"] * (not entry.rooted)
    if entry.level and entry.kinds:
        details.append(f"level: {entry.level}")
    return {"what": kinds, "actors": actors, **_periods_of(facts, entry),
            "details": details, "source": _plain(entry.source), "note": _plain(entry.note)}


def _declaration_evidence(facts: FactBase, fact_id: str) -> dict[str, Any] | None:
    units = {u.declaration: u for u in facts.units() if u.declaration}
    if fact_id not in units:
        return None
    unit = units[fact_id]
    return {"what": f"declaration of {unit_name(facts, unit.id)}", "actors": state_list(facts, unit.states),
            "periods": [], "all_periods": False, "details": [], "source": None, "note": None}


def _evidence(facts: FactBase, diagnosis: Diagnosis, judgements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every fact id the diagnosis uses, in the file's order, with what it is and where it comes from."""
    used = {fact_id for conclusion in (*diagnosis.mechanisms, *diagnosis.overlaps) for fact_id in conclusion.facts}
    decisive_for: dict[str, list[int]] = defaultdict(list)
    for number, judgement in enumerate(judgements, 1):
        for item in judgement["decisive"]:
            decisive_for[item["id"]].append(number)
    described: dict[str, dict[str, Any]] = {}
    for entry in facts.entries:
        described[entry.id] = _entry_evidence(facts, entry)
    for strategy in facts.strategies:
        described[strategy.id] = {
            "what": f"strategy ‘{strategy.name}’ combining "
                    f"{and_list(mechanism_name(m) for m in strategy.combines)}",
            "actors": _actors(facts, strategy.by), **_periods_of(facts, strategy),
            "details": [], "source": _plain(strategy.source), "note": _plain(strategy.note)}
    for juncture in facts.junctures:
        described[juncture.id] = {"what": f"critical juncture ‘{juncture.name}’", "actors": "",
                                  **_periods_of(facts, juncture), "details": [],
                                  "source": _plain(juncture.source), "note": _plain(juncture.note)}
    lines = {item.id: item.line for item in (*facts.entries, *facts.strategies, *facts.junctures)}
    order = {fact_id: i for i, fact_id in enumerate(sorted(described, key=lambda i: lines[i]))}
    rows = []
    for fact_id in sorted(used, key=lambda i: (order.get(i, len(order)), i)):
        about = described.get(fact_id) or _declaration_evidence(facts, fact_id) or {
            "what": "named by a rule", "actors": "", "periods": [], "all_periods": False,
            "details": [], "source": None, "note": None}
        rows.append({"id": fact_id, **about, "decisive_for": decisive_for.get(fact_id, [])})
    return rows


def _method(diagnosis: Diagnosis, rules: RuleBase) -> dict[str, Any]:
    fired = {name for c in (*diagnosis.mechanisms, *diagnosis.overlaps) for name in c.rules}
    specs = rules.thresholds
    return {
        "packs": [{"name": p.name, "origin": p.origin, "rules": sum(1 for i in rules.rules() if i.pack == p.name)}
                  for p in rules.packs],
        "rules_fired": [{"name": i.name, "pack": i.pack, "concludes": i.concludes, "citation": i.citation}
                        for i in rules.rules() if i.name in fired],
        "thresholds": [{"name": name, "value": value, "default": specs[name].default if name in specs else None,
                        "doc": specs[name].doc if name in specs else "", "section": specs[name].section
                        if name in specs else ""} for name, value in diagnosis.thresholds.items()],
        "citation": PAPER,
        "generator": f"diagnose {__version__}",
    }


def _figures(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase) -> list[dict[str, str]]:
    figures = [{"name": "network", "title": "Who balances, who forms a community",
                "caption": "States in a circle; lines join pairs the file names, arcs span the region, its "
                           "sub-regions and groups. Colour and line style say which mechanism it is: a thick line "
                           "where it is active, a thin one where a community is nascent, decaying, formal only or "
                           "broken down"
                           + (". Ticks pointing out of an arc mark states that balance outsiders together"
                              if ticked_facings(diagnosis) else "")
                           + ("; one panel per period." if facts.periods else "."),
                "svg": network_svg(facts, diagnosis, rules.mechanisms)}]
    timeline = timeline_svg(facts, diagnosis, rules.mechanisms)
    if timeline is not None:
        figures.append({"name": "timeline", "title": "Mechanisms over time",
                        "caption": "Each unit's mechanisms period by period, with the status and what "
                                   "qualifies it (variant, facing, phase, coupling); each status has its own fill. "
                                   "Overlaps are named where they hold, critical junctures under the period they "
                                   "fall in.",
                        "svg": timeline})
    return figures


def briefing_context(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase,
                     counterfactuals: LeaveOneOut | None = None, *, source: str = "") -> dict[str, Any]:
    """Everything a briefing shows, as plain data: the templates read it and decide nothing.

    ``diagnosis`` is ``diagnose(facts, rules, thresholds=...)``; ``counterfactuals``
    re-runs that engine without each supporting entry to find the decisive
    facts (made here with the diagnosis's thresholds when not given);
    ``source`` names the fact file in the brief.
    """
    counterfactuals = counterfactuals or LeaveOneOut(facts, rules, thresholds=diagnosis.thresholds)
    groups = _overlap_groups(diagnosis, _Rows(facts, diagnosis), counterfactuals)
    anchors = {i: f"overlap-{number}" for number, (indices, _) in enumerate(groups, 1) for i in indices}
    judgements = _judgements(facts, diagnosis, counterfactuals, groups, anchors)
    used = {i for c in (*diagnosis.mechanisms, *diagnosis.overlaps) for i in c.facts}
    return {
        "region": facts.region,
        "as_of": None if facts.as_of is None else str(facts.as_of),
        "summary": _plain(facts.summary),
        "source": source,
        "periods": [{"id": p.id, "start": p.start, "end": p.end} for p in facts.periods],
        "key_judgements": judgements,
        "overlaps": _overlaps(facts, diagnosis, groups, anchors),
        "mechanisms": _mechanisms(facts, diagnosis, rules),
        "mechanism_table": _mechanism_table(facts, diagnosis, rules.mechanisms),
        "slice_table": _slice_table(facts, diagnosis),
        "junctures": _junctures(facts, diagnosis, anchors),
        "strategies": _strategies(facts, diagnosis, anchors),
        "evidence": _evidence(facts, diagnosis, judgements),
        "unused": [i.id for i in (*facts.entries, *facts.strategies, *facts.junctures) if i.id not in used],
        "method": _method(diagnosis, rules),
        "figures": _figures(facts, diagnosis, rules),
    }
