"""Proof trees: how the rules reached a conclusion, from the trace of a run down to the file's entries.

A run is traced (`Recorder`): every rule that fired, with the facts it
matched. A derived fact carries the names of the rules behind it
(``rules``), so the tree of a conclusion is: the rules of its provenance
that fired on its row; under each, the facts it matched; under each derived
fact, the rules of its own provenance that fired on its row; and so on down
to the entries (`Evidence`), thresholds, strategies and junctures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model import FactBase

STRUCTURE = frozenset({"Row", "MechanismDecl", "PeriodAfter", "Adjacent", "Includes"})
"""Fact types that only say how the partition is laid out: not shown in a tree."""
MAX_DEPTH = 12


@dataclass(frozen=True)
class ProofNode:
    """One step of a proof: a conclusion, a rule that fired, a derived fact, or a leaf (entry, threshold)."""

    kind: str  # conclusion | rule | fact | entry | threshold | relation | see_above
    text: str
    children: tuple["ProofNode", ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, **self.data,
                **({"children": [c.to_dict() for c in self.children]} if self.children else {})}

    def entries(self) -> list[str]:
        """The ids of the entries at its leaves, each once, in the order they are reached."""
        found = [self.data["id"]] if self.kind == "entry" else []
        for child in self.children:
            found += child.entries()
        return list(dict.fromkeys(found))


class Recorder:
    """A trace callback (`diagnose(..., trace=recorder)`) keeping every firing: the rule and the facts it matched."""

    def __init__(self) -> None:
        self.events: list[tuple[str, list]] = []

    def __call__(self, rule: str, facts: list) -> None:
        self.events.append((rule, facts))

    def matched(self, type_name: str) -> list:
        """Every fact of a type that some rule matched, in firing order."""
        return [f for _, facts in self.events for f in facts if type(f).__name__ == type_name]


def signature(fact: Any) -> tuple:
    """What identifies a fact across its versions (a modified conclusion keeps its key)."""
    name = type(fact).__name__
    if "key" in fact:
        return name, fact["key"]
    return name, tuple(fact.get(k) for k in ("row", "id", "name", "dyad", "unit", "period", "strategy"))


def row_text(row: str) -> str:
    """`group:NATO in after_return [sector military]` for a row key `group:NATO|after_return|sector|military`."""
    unit, period, dim, value = (row.split("|") + ["", "", ""])[:4]
    return unit + (f" in {period}" if period else "") + (f" [{dim} {value}]" if dim else "")


def _concerns(fact: Any) -> list[tuple]:
    found = []
    if isinstance(fact.get("row"), str):
        found.append(("row", fact["row"]))
    if "unit" in fact and "period" in fact:
        found.append(("unit", fact["unit"], fact["period"]))
    return found


def _same_mechanism(fact: Any, rows: set[str], mechanism: str) -> bool:
    """Whether ``fact`` is about ``mechanism`` or none (a count named `M.part` is about `M`, and the other way
    round), where it is a fact of one of ``rows`` or a declared mechanism."""
    if type(fact).__name__ == "MechanismDecl":
        other = fact["name"]
    elif fact.get("row") in rows and isinstance(fact.get("mechanism"), str):
        other = fact["mechanism"]
    else:
        return True
    return other == mechanism or other.startswith(mechanism + ".") or mechanism.startswith(other + ".")


def describe(fact: Any) -> str:
    """A derived fact in words, as a node of the tree."""
    name = type(fact).__name__
    row = row_text(fact["row"]) if isinstance(fact.get("row"), str) else ""
    if name == "Tally":
        kinds = fact["kinds"]
        return f"count '{fact['mechanism']}' of {row}: {len(kinds)} kinds ({', '.join(kinds) or 'none'})"
    if name == "Status":
        return f"{fact['mechanism'].replace('_', ' ')} {fact['status']} for {row}"
    if name == "Violence":
        return f"war or armed conflict between states of {fact['unit']} in {fact['period']}"
    if name == "Balancing":
        return f"{row} balances, facing {fact['facing']}"
    if name == "Rivalries":
        return f"rival dyads inside {row}: {', '.join(fact['dyads'])}"
    if name == "Blocked":
        return f"no community possible for {row}: its states prepare for violence against each other"
    if name == "Shortfall":
        return f"what {row} lacks for {fact['mechanism'].replace('_', ' ')}: {' '.join(fact['because'])}"
    if name == "Overlap":
        return f"{fact['type']} overlap of {' + '.join(fact['units'])} in {fact['period']}"
    if name == "Character":
        return f"character {fact['character']}"
    because = " ".join(fact.get("because", ()))
    return f"{name} {row or fact.get('key', '')}" + (f": {because}" if because else "")


class ProofBuilder:
    """Builds proof trees from one traced run of one fact base."""

    def __init__(self, recorder: Recorder, facts: FactBase, rule_docs: dict[str, tuple[str, str]]):
        self.events = recorder.events
        self.facts = facts
        self.rule_docs = rule_docs
        """Rule name -> (what it concludes, its citation)."""
        self.by_concern: dict[tuple, list[int]] = defaultdict(list)
        for index, (_, matched) in enumerate(self.events):
            for concern in dict.fromkeys(c for fact in matched for c in _concerns(fact)):
                self.by_concern[concern].append(index)
        self.items = {item.id: item for item in (*facts.entries, *facts.strategies, *facts.junctures)}

    def entry(self, fact_id: str) -> ProofNode:
        item = self.items.get(fact_id)
        if item is None:
            return ProofNode("entry", f"{fact_id} (declaration)", data={"id": fact_id})
        kinds = getattr(item, "kinds", ())
        section = getattr(item, "section", "strategies" if hasattr(item, "combines") else "junctures")
        text = f"{fact_id}, line {item.line} ({section}" + (f": {', '.join(kinds)}" if kinds else "") + ")"
        if item.source:
            text += f"; source: {item.source}"
        return ProofNode("entry", text, data={"id": fact_id, "line": item.line, "section": section,
                                              "source": item.source})

    def events_for(self, concerns: Iterable[tuple], rules: Iterable[str],
                   mechanism: str | None = None) -> list[tuple[str, list]]:
        """The firings of ``rules`` on any of ``concerns``, each once (a rule refiring on a new version: the last);
        with ``mechanism``, not those that matched another mechanism's facts of the same row (a rule such as
        `not_evident` fires once per mechanism of a row)."""
        wanted = set(rules)
        concerns = list(concerns)
        rows = {c[1] for c in concerns if c[0] == "row"}
        indices = sorted({i for c in concerns for i in self.by_concern.get(c, ()) if self.events[i][0] in wanted})
        unique: dict[tuple, tuple[str, list]] = {}
        for i in indices:
            rule, matched = self.events[i]
            if mechanism is None or all(_same_mechanism(f, rows, mechanism) for f in matched):
                unique[(rule, tuple(sorted(map(signature, matched), key=str)))] = (rule, matched)
        return list(unique.values())

    def tree(self, concerns: list[tuple], rules: Iterable[str], own: set[tuple], seen: set[tuple],
             depth: int = 0, mechanism: str | None = None) -> list[ProofNode]:
        """The rule nodes that derive a fact (or conclusion) of ``concerns`` whose provenance is ``rules``.

        ``own`` holds the signatures of the fact itself (never its own
        child); rules behind a derived fact matched on the same row are shown
        under that fact, not beside it. ``mechanism``: the fact's, where it has one.
        """
        events = self.events_for(concerns, rules, mechanism)
        rows = {c for c in concerns}
        nested = {r for _, matched in events for f in matched
                  if "rules" in f and signature(f) not in own and set(_concerns(f)) & rows for r in f["rules"]}
        grouped: dict[str, list[list]] = {}
        for rule, matched in events:
            if rule not in nested:
                grouped.setdefault(rule, []).append(matched)
        return [self.rule_node(rule, firings, own, seen, depth) for rule, firings in grouped.items()]

    def rule_node(self, rule: str, firings: list[list], own: set[tuple], seen: set[tuple], depth: int) -> ProofNode:
        """A rule with the facts it matched, over all its ``firings`` (one node: `count_kinds`, once per entry)."""
        concludes, citation = self.rule_docs.get(rule, ("", ""))
        children: list[ProofNode] = []
        shown: set[tuple] = set()
        for fact in (f for matched in firings for f in matched):
            if signature(fact) in shown:
                continue
            shown.add(signature(fact))
            name = type(fact).__name__
            if name in STRUCTURE or signature(fact) in own:
                continue
            if name == "Evidence":
                children.append(self.entry(fact["id"]))
            elif name == "Threshold":
                children.append(ProofNode("threshold", f"threshold {fact['name']} = {fact['value']}",
                                          data={"name": fact["name"], "value": fact["value"]}))
            elif name == "Contains":
                children.append(ProofNode("relation", f"{fact['dyad']} lies inside {fact['unit']}"))
            elif name in ("StrategyAt", "JunctureAt"):
                children.append(self.entry(fact["strategy"] if name == "StrategyAt" else fact["id"]))
            elif "rules" in fact:
                children.append(self.fact_node(fact, seen, depth + 1))
        times = f" (fired {len(firings)} times)" if len(firings) > 1 else ""
        return ProofNode("rule", f"rule {rule}{times}" + (f": {concludes}" if concludes else ""), tuple(children),
                         {"rule": rule, "citation": citation, "firings": len(firings)})

    def fact_node(self, fact: Any, seen: set[tuple], depth: int) -> ProofNode:
        sig = signature(fact)
        text = describe(fact)
        if sig in seen:
            return ProofNode("see_above", text + " (see above)")
        seen.add(sig)
        children: list[ProofNode] = []
        if depth < MAX_DEPTH:
            children = self.tree(_concerns(fact), fact["rules"], {sig}, seen, depth, fact.get("mechanism"))
        reached = {i for child in children for i in child.entries()}
        children += [self.entry(i) for i in fact.get("ids", ()) if i not in reached]
        return ProofNode("fact", text, tuple(children), {"type": type(fact).__name__})
