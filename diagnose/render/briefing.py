"""The context of a briefing: plain dicts and lists, computed before any template runs.

Everything a report shows is decided here, in Python: the key judgements and
their decisive facts (which re-run the engine, see `diagnose.decisive`), the
tables, the evidence, the method note and the figures. Templates only lay it
out, so they can be overridden without touching the reasoning.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from .. import __version__
from ..decisive import LeaveOneOut
from ..diagnosis import Diagnosis, MechanismRow, OverlapRow
from ..model import Entry, FactBase, Juncture, Strategy
from ..packs import RuleBase
from .figures import mechanism_styles, network_svg, timeline_svg
from .filters import and_list, mechanism_name, period_label, state_list, status_name, unit_name, upper_first

PAPER = ("Adler, Emanuel and Patricia Greve (2009), “When security community meets balance of power: "
         "overlapping regional mechanisms of security governance”, Review of International Studies 35, pp. 59–84.")
UNIT_RANK = {"region": 0, "subregion": 1, "group": 2, "dyad": 3}
STATUS_PHRASES = {"active": "is active", "formal_only": "exists only formally", "broken_down": "has broken down"}
CHARACTER_PHRASES = {"automatic": "automatic: a by-product of habit that nobody chose",
                     "mixed": "mixed: partly chosen, partly habit"}
DIMENSIONS = ("sector", "agency", "issue")


def _plain(text: str | None) -> str | None:
    """Free text from the file on one line (YAML's folded blocks end in a newline)."""
    return " ".join(text.split()) if text else None


def _unit_rank(unit: str) -> tuple[int, str]:
    return UNIT_RANK.get(unit.partition(":")[0], len(UNIT_RANK)), unit


def _whole_unit(row: MechanismRow) -> bool:
    return row.sector is None and row.agency is None and row.issue is None


def _period_order(facts: FactBase) -> dict[str | None, int]:
    return {p: i for i, p in enumerate(facts.period_ids)}


# --- key judgements -----------------------------------------------------------------------------------------

def _cited(items: Iterable[Strategy | Juncture], ids: Iterable[str]) -> list[Any]:
    """The strategies (or junctures) among a conclusion's fact ids."""
    wanted = set(ids)
    return [item for item in items if item.id in wanted]


def _in_period(facts: FactBase, period: str | None) -> str:
    return f" in the period {period_label(facts, period)}" if period is not None else ""


def _overlap_sentence(facts: FactBase, overlap: OverlapRow) -> str:
    mechanisms = and_list(mechanism_name(m) for m in overlap.mechanisms)
    units = and_list(unit_name(facts, u) for u in overlap.units)
    if overlap.type == "functional" and overlap.on:
        gloss = and_list(f"{mechanism_name(m)} on the {value} {overlap.dimension}" for m, value in
                         sorted(overlap.on.items(), key=lambda item: overlap.mechanisms.index(item[0])
                                if item[0] in overlap.mechanisms else len(overlap.mechanisms)))
    elif overlap.type == "spatial":
        gloss = f"its sub-regions are governed by different mechanisms ({mechanisms})"
    elif overlap.type == "relational":
        gloss = f"a rivalry nested inside a wider community ({mechanisms})"
    elif overlap.type == "temporal":
        gloss = f"{mechanisms} hold together here, while only one holds in an adjacent period"
    else:
        gloss = f"{mechanisms} shape the same states at once"
    if overlap.character == "manual":
        strategies = and_list(f"‘{s.name}’" for s in _cited(facts.strategies, overlap.facts))
        character = f"manual: a deliberate strategy ({strategies}) combines them" if strategies else \
            "manual: a deliberate strategy combines them"
    else:
        character = CHARACTER_PHRASES.get(overlap.character, overlap.character)
    return f"{upper_first(overlap.type)} overlap in {units}{_in_period(facts, overlap.period)}: {gloss}. " \
           f"It is {character}."


def _mechanism_sentence(facts: FactBase, rows: list[MechanismRow]) -> str:
    first = rows[0]
    variant = f" ({first.variant})" if first.variant else ""
    units = and_list(unit_name(facts, r.unit) for r in rows) + (", the same states," if len(rows) > 1 else "")
    phrase = STATUS_PHRASES.get(first.status, f"is {status_name(first.status)}")
    return (f"{upper_first(mechanism_name(first.mechanism))}{variant} {phrase} in "
            f"{units}{_in_period(facts, first.period)}.")


def _effect(before: MechanismRow | OverlapRow, after: MechanismRow | OverlapRow | None) -> str:
    """What leaving a fact out does to a conclusion, in words."""
    if after is None:
        return "it is no longer found"
    if isinstance(after, OverlapRow):
        return f"it becomes {after.character}"
    assert isinstance(before, MechanismRow)
    if after.status == "not_evident":
        return "it is no longer evident"
    variant = f", {after.variant}" if after.variant and after.variant != before.variant else ""
    return f"it becomes {status_name(after.status)}{variant}"


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


def _judgements(facts: FactBase, diagnosis: Diagnosis, counterfactuals: LeaveOneOut,
                overlap_anchors: dict[int, str]) -> list[dict[str, Any]]:
    judgements = []
    for index, overlap in enumerate(diagnosis.overlaps):
        judgements.append({"kind": "overlap", "sentence": _overlap_sentence(facts, overlap),
                           "anchor": overlap_anchors[index], **_what_would_change([overlap], counterfactuals)})
    if not diagnosis.overlaps:
        judgements.append({"kind": "no_overlap", "anchor": "overlaps", "decisive": [], "supporting": [],
                           "sentence": "No overlap: on this evidence no states are shaped by two mechanisms "
                                       "at once."})
    # Rows that say the same of the same states (a sub-region, its group, its dyad) make one judgement.
    same: dict[tuple, list[MechanismRow]] = defaultdict(list)
    units = {u.id: u for u in facts.units()}
    for row in diagnosis.mechanisms:
        if _whole_unit(row) and row.status != "not_evident" and row.unit in units:
            same[(row.period, row.mechanism, row.status, row.variant, units[row.unit].states)].append(row)
    order = _period_order(facts)
    mechanisms = list(dict.fromkeys(r.mechanism for r in diagnosis.mechanisms))
    for rows in same.values():
        rows.sort(key=lambda r: _unit_rank(r.unit))  # the widest kind of unit names the judgement

    def reading_order(rows: list[MechanismRow]) -> tuple:
        return order[rows[0].period], _unit_rank(rows[0].unit), mechanisms.index(rows[0].mechanism)

    for rows in sorted(same.values(), key=reading_order):
        judgements.append({"kind": "mechanism", "sentence": _mechanism_sentence(facts, rows),
                           "anchor": "mechanisms", **_what_would_change(rows, counterfactuals)})
    if not same:
        judgements.append({"kind": "nothing_evident", "anchor": "mechanisms", "decisive": [], "supporting": [],
                           "sentence": "No mechanism is evident: the file holds too little evidence for any unit."})
    return judgements


# --- overlaps, mechanisms, junctures and strategies ---------------------------------------------------------

def _overlaps(facts: FactBase, diagnosis: Diagnosis, anchors: dict[int, str]) -> list[dict[str, Any]]:
    out = []
    for index, overlap in enumerate(diagnosis.overlaps):
        out.append({
            "anchor": anchors[index], "type": overlap.type, "units": list(overlap.units), "period": overlap.period,
            "character": overlap.character, "mechanisms": list(overlap.mechanisms),
            "dimension": overlap.dimension,
            "on": [{"mechanism": m, "value": v} for m, v in sorted((overlap.on or {}).items())],
            "explanation": overlap.explanation, "rules": list(overlap.rules), "facts": list(overlap.facts),
            "strategies": [s.name for s in _cited(facts.strategies, overlap.facts)],
            "junctures": [j.name for j in _cited(facts.junctures, overlap.facts)],
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
        found = [{"unit": r.unit, "period": r.period, "status": r.status, "variant": r.variant} for r in rows]
        out.append({"name": mechanism, "pack": declared_by[mechanism], "colour": colours[mechanism].colour,
                    "found": found})
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
            {"mechanism": m, "status": found[m].status, "variant": found[m].variant,
             "explanation": found[m].explanation} if m in found else
            {"mechanism": m, "status": None, "variant": None, "explanation": ""} for m in mechanisms]})
    return table


def _slice_table(facts: FactBase, diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """Rows that count one sector, agency or issue, where something is more than not evident."""
    order = _period_order(facts)
    rows = [r for r in diagnosis.mechanisms if not _whole_unit(r) and r.status != "not_evident"]
    rows.sort(key=lambda r: (_unit_rank(r.unit), order.get(r.period, 0), r.sector or "", r.agency or "",
                             r.issue or "", r.mechanism))
    return [{"unit": r.unit, "period": r.period, "dimension": dim, "value": getattr(r, dim),
             "mechanism": r.mechanism, "status": r.status, "variant": r.variant}
            for r in rows for dim in DIMENSIONS if getattr(r, dim) is not None]


def _bearing(diagnosis: Diagnosis, fact_id: str, anchors: dict[int, str]) -> list[str]:
    return [anchors[i] for i, overlap in enumerate(diagnosis.overlaps) if fact_id in overlap.facts]


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

def _entry_evidence(facts: FactBase, entry: Entry) -> dict[str, Any]:
    kinds = ", ".join(f"{kind} ({mechanism_name(facts.vocabulary.get(kind, 'unknown'))})" for kind in entry.kinds)
    if entry.level and not entry.kinds:  # a war or armed conflict: no kind of its own, it acts through violence
        kinds = f"{entry.level.replace('_', ' ')} (violence between the sides)"
    if entry.form == "sides":
        actors = " against ".join(state_list(facts, side) for side in entry.ends)
    elif entry.directed:
        actors = f"{state_list(facts, entry.ends[0])}, toward {state_list(facts, entry.ends[1])}"
    else:
        actors = state_list(facts, entry.actors) + (" (each pair against the others)" if entry.mutual else "")
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
            "actors": state_list(facts, strategy.by), **_periods_of(facts, strategy),
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
                           "sub-regions and groups. Colour and line style say which mechanism holds"
                           + (", one panel per period." if facts.periods else "."),
                "svg": network_svg(facts, diagnosis, rules.mechanisms)}]
    timeline = timeline_svg(facts, diagnosis, rules.mechanisms)
    if timeline is not None:
        figures.append({"name": "timeline", "title": "Mechanisms over time",
                        "caption": "Each unit's mechanisms period by period; overlaps are named where they "
                                   "hold, critical junctures under the period they fall in.",
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
    anchors = {i: f"overlap-{i + 1}" for i in range(len(diagnosis.overlaps))}
    judgements = _judgements(facts, diagnosis, counterfactuals, anchors)
    used = {i for c in (*diagnosis.mechanisms, *diagnosis.overlaps) for i in c.facts}
    return {
        "region": facts.region,
        "as_of": None if facts.as_of is None else str(facts.as_of),
        "summary": _plain(facts.summary),
        "source": source,
        "periods": [{"id": p.id, "start": p.start, "end": p.end} for p in facts.periods],
        "key_judgements": judgements,
        "overlaps": _overlaps(facts, diagnosis, anchors),
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
