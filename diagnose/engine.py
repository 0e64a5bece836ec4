"""The experta engine that rule packs extend.

Rules are methods of mixin classes (see ``rules/``); this module gives them a
base class with one helper, `RuleEngine.conclude`, that keys every derived
fact and merges the provenance (rules, fact ids, sentences) of every rule that
reaches the same conclusion. experta silently drops a fact identical to one
already present and never withdraws a conclusion, so conclusions are keyed and
merged with ``modify``, and the rule base runs in strata of salience.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Iterable

from ._experta import Fact, KnowledgeEngine
from .matcher import HashJoinMatcher


class Stratum:
    """Saliences: a stratum's rules fire only when no higher stratum can.

    Relations (per unit, all periods): structure, kinds, balancing, status,
    blocked, variant, shortfall. Mechanisms (per unit, all periods, with the
    relations): structure, kinds, status, breakdown, decay, formal only at war,
    nascent, formal only, phase and coupling, shortfall, not evident, notes.
    Overlaps: overlaps, coverage, character, notes.
    """

    STRUCTURE = 100
    KINDS = 90
    GATHERED = 88
    BALANCING = 85
    STATUS = 80
    BLOCKED = 75
    BREAKDOWN = 70
    DECAY = 65
    FORMAL = 60
    NASCENT = 57
    FORMAL_UNROOTED = 55
    VARIANT = 50
    VARIANT_DEFAULT = 45
    SHORTFALL = 42
    NOT_EVIDENT = 40
    NOTES = 30

    OVERLAPS = 80
    COVERAGE = 70
    CHARACTER = 60
    CHARACTER_DEFAULT = 50
    CHARACTER_LAST = 40


def merged(old: Iterable[Any], new: Iterable[Any], sort: bool = False) -> tuple:
    """Union of two sequences keeping first-seen order (or sorted)."""
    out = tuple(dict.fromkeys((*old, *new)))
    return tuple(sorted(out, key=str)) if sort else out


class RuleEngine(KnowledgeEngine):
    """Base of the composed engine: runs one partition of facts at a time.

    Joins go through `HashJoinMatcher` (hash-indexed on shared variables,
    checked against experta's own matcher in tests/test_matcher.py): experta's
    stock join memories are unindexed lists.
    """

    __matcher__ = HashJoinMatcher

    trace: Callable[[str, list], None] | None = None
    """Called with each rule's name and the facts it matched, as it fires."""

    def __init__(self) -> None:
        super().__init__()
        self._conclusions: dict[tuple, Fact] = {}
        self._gathered: dict[tuple, dict] = {}
        self._gathered_by_row: dict[str, list[tuple]] = {}

    def run_partition(self, facts: Iterable[Fact]) -> list[Fact]:
        """Reset, declare ``facts``, forward-chain, and return every fact present."""
        self.reset()
        self._conclusions = {}
        self._gathered = {}
        self._gathered_by_row = {}
        for fact in facts:
            declared = self.declare(fact)
            if "key" in fact:  # a conclusion of an earlier stage: later rules merge into it
                self._conclusions[(type(fact), fact["key"])] = declared
        self.run()
        return list(self.facts.values())

    def _calling_rule(self) -> str:
        """The name of the rule method on the call stack (helpers may sit between)."""
        names = type(self).__dict__.get("_rule_names")
        if names is None:
            names = frozenset(rule.__name__ for rule in self.get_rules())
            type(self)._rule_names = names
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_name in names:
                return frame.f_code.co_name
            frame = frame.f_back
        raise RuntimeError("conclude() was called outside a rule")

    def run(self, steps: float = float("inf")) -> None:
        """Fire activations by salience until none is left (experta's loop, with a trace hook)."""
        self.running = True
        while steps > 0 and self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            if self.trace is not None:
                self.trace(activation.rule.__name__, list(activation.facts))
            activation.rule(self, **{k: v for k, v in activation.context.items() if not k.startswith("__")})
        self.running = False

    def conclude(self, fact_type: type[Fact], key: tuple, *, ids: Iterable[str] = (),
                 because: Iterable[str] = (), rules: Iterable[str] = (), deliberate: Iterable[str] = (),
                 rule: str | None = None, union: tuple[str, ...] = (), **fields: Any) -> Fact:
        """Assert the conclusion keyed ``key``, or merge into the one present.

        ``rule`` defaults to the name of the rule being fired; ``rules`` are
        the rules behind the facts it was derived from. Fact ids are kept
        sorted, rules and sentences in the order they were added. Fields named
        in ``union`` (tuples) are merged too, sorted, instead of replaced.
        """
        rule = rule or self._calling_rule()
        provenance = {
            "ids": tuple(ids),
            "rules": merged(rules, (rule,)),
            "because": tuple(because),
        }
        if "deliberate" in fact_type.__fields__:
            provenance["deliberate"] = tuple(deliberate)
        existing = self._conclusions.get((fact_type, key))
        if existing is None or existing.__factid__ not in self.facts:
            fields = {name: (tuple(sorted(dict.fromkeys(value), key=str)) if name in union else value)
                      for name, value in fields.items()}
            fact = fact_type(key=key, **fields, **{k: (tuple(sorted(v)) if k in ("ids", "deliberate") else v)
                                                   for k, v in provenance.items()})
            declared = self.declare(fact)
            self._conclusions[(fact_type, key)] = declared
            return declared
        unions = set(union)
        changes = {name: value for name, value in fields.items() if name not in unions and existing[name] != value}
        for name in unions:
            combined = merged(existing[name], fields[name], sort=True)
            if combined != existing[name]:
                changes[name] = combined
        for name, value in provenance.items():
            combined = merged(existing[name], value, sort=name in ("ids", "deliberate"))
            if combined != existing[name]:
                changes[name] = combined
        if not changes:
            return existing
        modified = self.modify(existing, **changes)
        self._conclusions[(fact_type, key)] = modified
        return modified

    def gather(self, fact_type: type[Fact], key: tuple, *, union: tuple[str, ...], ids: Iterable[str] = (),
               because: Iterable[str] = (), rules: Iterable[str] = (), deliberate: Iterable[str] = (),
               rule: str | None = None, **fields: Any) -> None:
        """Collect a conclusion made of many pieces (a count), to be declared once by `release`.

        Like `conclude`, but nothing is declared yet: the fields in ``union``
        and the provenance are merged here, in Python, so a row with many
        pieces of evidence costs one declaration instead of one ``modify``
        each (every ``modify`` re-joins all that matched the old fact).
        ``fields`` must hold ``row``: `release(row)` declares what was gathered
        for that row.
        """
        pending = self._gathered.get((fact_type, key))
        if pending is None:
            pending = self._gathered[(fact_type, key)] = {
                "fields": dict(fields), "sets": {name: set() for name in union}, "ids": set(), "deliberate": set(),
                "rules": {}, "because": {}}
            self._gathered_by_row.setdefault(fields["row"], []).append((fact_type, key))
        for name in union:
            pending["sets"][name].update(fields[name])
        pending["ids"].update(ids)
        pending["deliberate"].update(deliberate)
        pending["rules"].update(dict.fromkeys((*rules, rule or self._calling_rule())))
        pending["because"].update(dict.fromkeys(because))

    def release(self, row: str) -> None:
        """Declare every conclusion gathered for ``row``, each once, merged into any already present."""
        for fact_type, key in self._gathered_by_row.pop(row, ()):
            pending = self._gathered.pop((fact_type, key))
            fields = {**pending["fields"], **{name: tuple(sorted(values, key=str))
                                               for name, values in pending["sets"].items()}}
            provenance = {"ids": pending["ids"], "because": tuple(pending["because"]),
                          "rules": tuple(pending["rules"])}
            if "deliberate" in fact_type.__fields__:
                provenance["deliberate"] = pending["deliberate"]
            self.conclude(fact_type, key, union=tuple(pending["sets"]), rule=provenance["rules"][-1],
                          **fields, **provenance)
