"""Explain a conclusion: how the rules reached it (its proof tree) and, for a row that is not active, why not and
the smallest change that would make it active."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..api import diagnose
from ..controls import visible
from ..decisive import Conclusion, conclusion_key
from ..diagnosis import Diagnosis, MechanismRow, OverlapRow
from ..errors import DiagnoseError
from ..model import FactBase
from ..names import did_you_mean
from ..packs import RuleBase, rulebase
from ..structure import DIMENSIONS, row_key
from ..thresholds import resolve
from .change import ProposedChange, Unreachable, smallest_change
from .conclusions import identity, label, verdict, verdict_text
from .overlaps import AbsentOverlap, absent_overlaps
from .proof import ProofBuilder, ProofNode, Recorder, signature
from .whynot import Condition, conditions


@dataclass(frozen=True)
class Explanation:
    """One conclusion with its proof tree; a row that is not active also with why not and a change."""

    conclusion: Conclusion
    proof: ProofNode
    conditions: tuple[Condition, ...] = ()
    change: ProposedChange | Unreachable | None = None

    def to_dict(self, lines: Mapping[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = {"conclusion": {**identity(self.conclusion), **verdict(self.conclusion),
                                              "explanation": self.conclusion.explanation},
                               "proof": self.proof.to_dict()}
        if self.conditions:
            out["why_not"] = [{"condition": c.text, "holds": c.holds, "alternative": c.alternative,
                               "entries": [{"id": i, "line": lines.get(i)} for i in c.entries]}
                              for c in self.conditions]
        if isinstance(self.change, ProposedChange):
            out["change"] = {"add": list(self.change.add), "drop": list(self.change.drop),
                             "fragment": self.change.fragment, "checked": True,
                             "result": verdict(self.change.result)}
        elif isinstance(self.change, Unreachable):
            out["change"] = {"none": self.change.reason}
        return out


def _units(facts: FactBase) -> dict[str, str]:
    """Every name a unit answers to (its id, its name, a dyad's codes either way) -> its id."""
    names: dict[str, str] = {}
    for unit in facts.units():
        names[unit.id] = unit.id
        if unit.kind == "dyad":
            a, b = sorted(unit.states)
            names.setdefault(f"{a}-{b}", unit.id)
            names.setdefault(f"{b}-{a}", unit.id)
        else:
            names.setdefault(unit.name, unit.id)
    return names


def _closest_unit(unit: str, facts: FactBase) -> str:
    """`` (did you mean 'X'?)`` with X as the unit list writes it (an id, or a group's name), whatever the case."""
    written = {}
    for known in facts.units():
        written[known.id.casefold()] = known.id
        if known.kind != "dyad":
            written.setdefault(known.name.casefold(), known.name)
    match = difflib.get_close_matches(unit.casefold(), list(written), n=1, cutoff=0.6)
    return f" (did you mean '{written[match[0]]}'?)" if match else ""


def select(diagnosis: Diagnosis, facts: FactBase, unit: str, *, mechanism: str | None = None,
           period: str | None = None, overlap: str | None = None,
           slice_: tuple[str, str] | None = None) -> list[Conclusion]:
    """The conclusions about ``unit`` (an id such as `group:NATO`, a name, or a dyad's codes `GRC-TUR`).

    Mechanism rows of all practices unless ``slice_`` names one (`("sector", "military")`); with ``overlap``
    (a type), the overlaps of that type involving the unit instead. Every unknown name is reported at once.
    """
    names = _units(facts)
    problems = []
    folded = {name.casefold(): unit_id for name, unit_id in names.items()}
    unit_id = names.get(unit) or folded.get(unit.casefold())  # `nato` is NATO: names are typed by hand
    if unit_id is None:
        problems.append(f"unknown unit '{unit}'{_closest_unit(unit, facts)}; units: "
                        f"{', '.join(u.id for u in facts.units())}")
    mechanisms = sorted({r.mechanism for r in diagnosis.mechanisms})
    if mechanism is not None and mechanism not in mechanisms:
        problems.append(f"unknown mechanism '{mechanism}'{did_you_mean(mechanism, mechanisms)}")
    periods = [p for p in facts.period_ids if p is not None]
    if period is not None and period not in periods:
        problems.append(f"unknown period '{period}'" + (did_you_mean(period, periods) if periods
                                                        else " (the file declares no periods)"))
    if problems:
        raise DiagnoseError("\n".join(f"{facts.path}: {p}" for p in problems))
    if overlap is not None:  # a spatial overlap joins two sub-regions within the region: the region's too
        return [o for o in diagnosis.overlaps if (unit_id in o.units or (o.type == "spatial" and unit_id == "region"))
                and o.type == overlap and period in (None, o.period)]
    dim, value = slice_ or (None, None)
    return [r for r in diagnosis.mechanisms if r.unit == unit_id and mechanism in (None, r.mechanism)
            and period in (None, r.period) and all(getattr(r, d) == (value if d == dim else None)
                                                   for d in DIMENSIONS)]


def explain(facts: FactBase, packs: Iterable[str] | RuleBase | None = None, *,
            thresholds: Mapping[str, Any] | None = None, unit: str, mechanism: str | None = None,
            period: str | None = None, overlap: str | None = None, slice_: tuple[str, str] | None = None,
            propose: bool = True) -> list[Explanation | AbsentOverlap]:
    """Explain the conclusions `select` picks; for a mechanism row that is not active, why not and (with
    ``propose``) the smallest change found that makes it active, checked by diagnosing again.

    With ``overlap`` (a type), the overlaps of that type about the unit that the rules concluded, then each one
    they could conclude but did not (`AbsentOverlap`): the conditions of the rules that would, read from the
    rows, and the smallest change found with which they conclude it (see `diagnose.analysis.overlaps`). A
    `DiagnoseError` where the rules can conclude no overlap of that type about the unit (a spatial overlap of a
    group), saying why."""
    rules = packs if isinstance(packs, RuleBase) else rulebase(tuple(packs or ()))
    in_force = resolve(rules.thresholds, thresholds or {})
    recorder = Recorder()
    diagnosis = diagnose(facts, rules, thresholds=in_force, trace=recorder)
    chosen = select(diagnosis, facts, unit, mechanism=mechanism, period=period, overlap=overlap, slice_=slice_)
    docs = {info.name: (info.concludes, info.citation) for info in rules.rules()}
    builder = ProofBuilder(recorder, facts, docs)
    out: list[Explanation | AbsentOverlap] = []
    for conclusion in chosen:
        proof = proof_tree(builder, conclusion)
        if isinstance(conclusion, MechanismRow) and conclusion.status != "active":
            found = tuple(conditions(conclusion_key(conclusion), diagnosis, facts, recorder, rules))
            change = smallest_change(facts, rules, in_force, conclusion) if propose else None
            out.append(Explanation(conclusion, proof, found, change))
        else:
            out.append(Explanation(conclusion, proof))
    if overlap is not None:
        unit_id = _units(facts)[unit]
        absent, why = absent_overlaps(diagnosis, facts, rules, in_force,
                                      next(u for u in facts.units() if u.id == unit_id), overlap, period,
                                      propose=propose)
        if why and not out:
            raise DiagnoseError(visible(f"{facts.path}: no {overlap} overlap of {unit_id} can be concluded: {why}"))
        out += absent
    return out


def proof_tree(builder: ProofBuilder, conclusion: Conclusion) -> ProofNode:
    """The tree of one conclusion of the traced run."""
    text = f"{label(conclusion)}: {verdict_text(conclusion)}"
    if isinstance(conclusion, MechanismRow):
        dim = next((d for d in DIMENSIONS if getattr(conclusion, d) is not None), None)
        row = row_key(conclusion.unit, conclusion.period, dim, getattr(conclusion, dim) if dim else None)
        own = {("Status", (row, conclusion.mechanism))}
        children = builder.tree([("row", row)], conclusion.rules, own, set(own), mechanism=conclusion.mechanism)
    else:
        children = _overlap_tree(builder, conclusion)
    reached = {i for child in children for i in child.entries()}
    others = [builder.entry(i) for i in conclusion.facts if i not in reached]
    if others:  # merged in by rules that did not fire on this row: what holds it back, notes, a declaration
        children.append(ProofNode("fact", "also recorded as its evidence", tuple(others)))
    return ProofNode("conclusion", text, tuple(children), {"explanation": conclusion.explanation})


def _overlap_tree(builder: ProofBuilder, overlap: OverlapRow) -> list[ProofNode]:
    """The firings that concluded the overlap and its character: those that matched the overlap itself, or the
    statuses of all its units in its period."""
    wanted = set(overlap.rules)
    own: set[tuple] = set()
    events = []
    for rule, matched in builder.events:
        if rule not in wanted:
            continue
        mine = [f for f in matched if type(f).__name__ == "Overlap" and f["type"] == overlap.type
                and tuple(f["units"]) == overlap.units and f["period"] == overlap.period]
        statuses = [f for f in matched if type(f).__name__ == "Status"]
        units = {f["unit"] for f in statuses}
        if mine or (statuses and set(overlap.units) <= units and overlap.period in {f["period"] for f in statuses}):
            own.update(signature(f) for f in mine)
            events.append((rule, matched))
    unique = {(rule, tuple(sorted(map(signature, matched), key=str))): (rule, matched) for rule, matched in events}
    grouped: dict[str, list[list]] = {}
    for rule, matched in unique.values():
        grouped.setdefault(rule, []).append(matched)
    seen = set(own)
    return [builder.rule_node(rule, firings, own, seen, 0) for rule, firings in grouped.items()]


def to_json(explanations: list[Explanation | AbsentOverlap], facts: FactBase) -> str:
    lines = {item.id: item.line for item in (*facts.entries, *facts.strategies, *facts.junctures)}
    return json.dumps({"explanations": [e.to_dict(lines) for e in explanations]}, indent=2,
                      ensure_ascii=False) + "\n"
