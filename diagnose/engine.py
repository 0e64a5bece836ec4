"""The experta engine that rule packs extend.

Rules are methods of mixin classes (see ``rules/``); this module gives them a
base class with one helper, `RuleEngine.conclude`, that keys every derived
fact and merges the provenance (rules, fact ids, sentences) of every rule that
reaches the same conclusion. experta silently drops a fact identical to one
already present and never withdraws a conclusion, so conclusions are keyed and
merged with ``modify``, and the rule base runs in strata of salience.

Whatever a rule pack does, a run ends with a result or with one line naming
the pack and the rule at fault (a `RuleError`): a rule (or a condition) that
raises, a partition whose rules fire more than `firing_limit` times (a rule
that declares a new fact every time it fires never ends), and a `Status`,
`Overlap` or `Character` outside the output's contract (see `Contract`).
"""

from __future__ import annotations

import inspect
import sys
import traceback
from typing import Any, Callable, Iterable, Mapping

from ._experta import Agenda, DepthStrategy, Fact, FactList, KnowledgeEngine
from .errors import DiagnoseError
from .facttypes import Character, DiagnoseFact, Overlap, Row, Status
from .matcher import HashJoinMatcher

FIRINGS_PER_FACT = 50
"""Rule firings allowed per fact declared into a partition (see `firing_limit`)."""
FIRINGS_FLOOR = 100_000
"""Rule firings any partition may make, however few its facts."""


def firing_limit(facts: int) -> int:
    """The most rule firings a partition given ``facts`` facts may make before the run stops with a `RuleError`.

    Generous: the built-in rules fire at most about twice per fact given (the
    example files, a 200-state generated world, 2,000 identical entries; a
    partition's most is under a thousand firings), so only a rule that keeps
    declaring new facts reaches it, after a few seconds; a pack whose rules
    join pairs of facts has room for about 300 of them in one partition.
    tests/test_broken_packs.py holds the built-in rules far below it.
    """
    return FIRINGS_FLOOR + FIRINGS_PER_FACT * facts


class PackError(DiagnoseError):
    """A rule pack was refused (it failed to load, or breaks a rule of packs)."""


class RuleError(PackError):
    """A rule failed while the rules ran: it raised, fired without end, or concluded outside the contract."""


class Contract:
    """What rules may conclude: the values the diagnosis's JSON Schema allows, checked as each fact is declared.

    A `Status` has a status of `STATUSES` and qualifiers (`variant`, `facing`,
    `phase`, `coupling`) that are None or one of the schema's values, and only
    the qualifiers its pack's ``QUALIFIERS`` give its mechanism (a mechanism
    not named there may carry any); an `Overlap` has one of the schema's
    types; a `Character` is automatic, manual or mixed. With ``mechanisms``
    (those of every pack in force), a status's mechanism and an overlap's
    mechanisms must be among them.
    """

    def __init__(self, mechanisms: Iterable[str] | None = None,
                 qualifiers: Mapping[str, tuple[str, ...]] | None = None) -> None:
        from .jsonschema import QUALIFIERS, diagnosis_schema

        schema = diagnosis_schema(tuple(mechanisms or ()), dict(qualifiers or {}))["$defs"]
        row, overlap = schema["mechanism"]["properties"], schema["overlap"]["properties"]
        self.statuses = tuple(row["status"]["enum"])
        self.values = {q: tuple(v for v in row[q]["enum"] if v is not None) for q in QUALIFIERS}
        self.overlap_types = tuple(overlap["type"]["enum"])
        self.characters = tuple(overlap["character"]["enum"])
        self.mechanisms = None if mechanisms is None else frozenset(mechanisms)
        self.qualifiers = dict(qualifiers or {})

    @staticmethod
    def _one_of(values: Iterable[str]) -> str:
        return "one of " + ", ".join(values)

    def problem(self, fact: Fact) -> str | None:
        """What is wrong with ``fact`` (a Status, Overlap or Character), or None."""
        kind = type(fact)
        if kind is Status:
            mechanism, what = fact.get("mechanism"), f"{fact.get('unit')}, {fact.get('period')}"
            if self.mechanisms is not None and mechanism not in self.mechanisms:
                return (f"a status of mechanism {mechanism!r} ({what}), which no pack in force declares in "
                        f"MECHANISMS")
            if fact.get("status") not in self.statuses:
                return (f"status {fact.get('status')!r} for {mechanism} ({what}); expected "
                        f"{self._one_of(self.statuses)}")
            allowed = self.qualifiers.get(mechanism)
            for name, values in self.values.items():
                value = fact.get(name)
                if value is None:
                    continue
                if value not in values:
                    return f"{name} {value!r} for {mechanism} ({what}); expected None or {self._one_of(values)}"
                if allowed is not None and name not in allowed:
                    return (f"{name} {value!r} for {mechanism} ({what}), but its pack's QUALIFIERS give "
                            f"{mechanism} {', '.join(allowed) or 'none'}")
        elif kind is Overlap:
            what = f"{', '.join(map(str, fact.get('units') or ()))}, {fact.get('period')}"
            if fact.get("type") not in self.overlap_types:
                return f"an overlap of type {fact.get('type')!r} ({what}); expected {self._one_of(self.overlap_types)}"
            unknown = [m for m in fact.get("mechanisms") or () if self.mechanisms is not None
                       and m not in self.mechanisms]
            if unknown:
                return (f"a {fact['type']} overlap of mechanism {unknown[0]!r} ({what}), which no pack in force "
                        f"declares in MECHANISMS")
        elif kind is Character:
            if fact.get("character") not in self.characters:
                return (f"character {fact.get('character')!r} for the overlap {fact.get('key')}; expected "
                        f"{self._one_of(self.characters)}")
        return None


_CHECKED = frozenset({Status, Overlap, Character})


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


class KeyedDepthStrategy(DepthStrategy):
    """experta's depth strategy (salience, then the most recent facts), its key computed directly.

    experta caches the key with `functools.lru_cache`, which hashes the whole
    activation (its rule, facts and bindings) on every call for a cache of
    128 entries; an activation's key is computed once when it is added and
    once when it is removed, so the cache saves nothing.
    """

    def get_key(self, activation):
        return activation.rule.salience, sorted((f["__factid__"] for f in activation.facts), reverse=True)


class KeyedFactList(FactList):
    """experta's fact list; a project fact's identity (for dropping duplicates) skips experta's per-key test.

    A `plain` fact's keys are its fields, never special (experta leaves those
    out of the identity), so the identity is the same set experta builds,
    computed without a test per key.
    """

    @staticmethod
    def _get_fact_id(fact):
        if plain(fact):
            return frozenset((fact.__class__, *fact.items()))
        return FactList._get_fact_id(fact)


def plain(fact: Fact) -> bool:
    """A project fact of plain values whose keys are all its fields: no pattern element, no special key (experta's
    identity leaves those out), no double underscore (which experta refuses), so nothing needs a test per key."""
    return isinstance(fact, DiagnoseFact) and fact.plain_values and fact.keys() <= type(fact).__fields__.keys()


class RuleEngine(KnowledgeEngine):
    """Base of the composed engine: runs one partition of facts at a time.

    Joins go through `HashJoinMatcher` (hash-indexed on shared variables,
    checked against experta's own matcher in tests/test_matcher.py): experta's
    stock join memories are unindexed lists.
    """

    __matcher__ = HashJoinMatcher
    __strategy__ = KeyedDepthStrategy

    trace: Callable[[str, list], None] | None = None
    """Called with each rule's name and the facts it matched, as it fires."""

    rule_packs: Mapping[str, str] = {}
    """Rule name -> the name of its pack (`RuleBase.engine_class` sets it); errors name the pack."""

    contract: Contract | None = None
    """What rules may conclude (`RuleBase.engine_class` sets it; without it, the schema's values alone)."""

    def __init__(self) -> None:
        super().__init__()
        self._conclusions: dict[tuple, Fact] = {}
        self._firing: str | None = None
        if type(self).contract is None:
            type(self).contract = Contract()
        self._gathered: dict[tuple, dict] = {}
        self._gathered_by_row: dict[str, list[tuple]] = {}

    def run_partition(self, facts: Iterable[Fact]) -> list[Fact]:
        """Reset, declare ``facts``, forward-chain, and return every fact present."""
        try:  # matching the declared facts runs conditions: a pack's may raise here
            self.reset()
            self._conclusions = {}
            self._gathered = {}
            self._gathered_by_row = {}
            self._declare_partition(facts)
        except DiagnoseError:
            raise
        except Exception as error:
            raise self._condition_error(error) from error
        self.run()
        return list(self.facts.values())

    def reset(self, **kwargs: Any) -> None:
        """experta's `reset`, with the deffacts of the class found once (experta inspects every member per call)."""
        self.agenda = Agenda()
        self.facts = KeyedFactList()
        self.matcher.reset()
        deffacts = type(self).__dict__.get("_deffacts_found")
        if deffacts is None:
            deffacts = []
            for deffact in self.get_deffacts():
                parameters = inspect.signature(deffact).parameters.values()
                takes_any = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in parameters)
                deffacts.append((deffact.__name__, None if takes_any else frozenset(p.name for p in parameters)))
            type(self)._deffacts_found = deffacts
        initial = []
        for name, accepted in deffacts:
            deffact = getattr(self, name)  # bound to this engine, as experta's own lookup gives it
            initial.extend(deffact(**{k: v for k, v in kwargs.items() if accepted is None or k in accepted}))
        self._declare_partition(initial)
        self.running = False

    def _declare_partition(self, facts: Iterable[Fact]) -> None:
        """Declare every fact, then match them in one pass (experta matches after each one, at the same result).

        The agenda is the same: activations are ordered by salience and fact
        ids, and one that a later fact of the batch blocks is dropped from the
        batch instead of being added and removed.
        """
        for fact in facts:
            if type(fact) in _CHECKED:
                problem = self.contract.problem(fact)  # type: ignore[union-attr]
                if problem is not None:
                    raise self._contract_error(problem)
            if not plain(fact):  # experta's checks, which a plain fact cannot fail
                if fact.has_field_constraints():
                    raise TypeError("Declared facts cannot contain conditional elements")
                if fact.has_nested_accessor():
                    raise KeyError("Cannot declare facts containing double underscores as keys.")
            declared = self.facts.declare(fact)
            if "key" in fact and declared is not None:  # a conclusion of an earlier stage: rules merge into it
                self._conclusions[(type(fact), fact["key"])] = declared
        added, removed = self.get_activations()
        self.strategy.update_agenda(self.agenda, added, removed)

    def _calling_rule(self) -> str:
        """The name of the rule being fired, else of the rule method on the call stack (helpers may sit between)."""
        if self._firing is not None:
            return self._firing
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
        """Fire activations by salience until none is left (experta's loop, with a trace hook).

        A rule or a condition that raises, more than `firing_limit` firings
        for the facts present when the run starts, and a conclusion outside
        the `Contract` end the run with a `RuleError` naming the pack and rule.
        """
        self.running = True
        limit = firing_limit(len(self.facts))
        fired: dict[str, int] = {}
        total = 0
        try:
            while steps > 0 and self.running:
                try:
                    added, removed = self.get_activations()
                except DiagnoseError:
                    raise
                except Exception as error:  # a pack's TEST, say: one line, not a traceback
                    raise self._condition_error(error) from error
                self.strategy.update_agenda(self.agenda, added, removed)
                activation = self.agenda.get_next()
                if activation is None:
                    break
                steps -= 1
                rule = activation.rule
                name = rule.__name__
                fired[name] = fired.get(name, 0) + 1
                total += 1
                if total > limit:
                    raise self._runaway(fired, limit)
                if self.trace is not None:
                    self.trace(name, sorted(activation.facts, key=_declared_order))  # a set: ordered, or per hash
                self._firing = name
                try:
                    rule(self, **{k: v for k, v in activation.context.items() if not k.startswith("__")})
                except DiagnoseError:
                    raise
                except Exception as error:  # a pack's bug: one line naming it, the cause kept for Python callers
                    raise self._rule_error(rule, error) from error
                self._firing = None
        finally:
            self._firing = None
            self.running = False

    def declare(self, *facts: Fact) -> Fact:
        """experta's `declare`, refusing a `Status`, `Overlap` or `Character` outside the `Contract`."""
        for fact in facts:
            if type(fact) in _CHECKED:
                problem = self.contract.problem(fact)  # type: ignore[union-attr]
                if problem is not None:
                    raise self._contract_error(problem)
        if self.running and all(plain(fact) for fact in facts):
            declared = None  # experta's declare within a run, less its tests of every key and value
            for fact in facts:
                declared = self.facts.declare(fact)
            return declared
        return super().declare(*facts)

    def _pack_of(self, name: str, rule: Any = None) -> str:
        pack = self.rule_packs.get(name)
        if pack is None and rule is not None:
            pack = getattr(getattr(rule, "_wrapped", None), "__module__", None)
        return pack or "unknown"

    def _where(self, name: str) -> str:
        """`file:line` of the rule ``name`` (its first decorator), or ''."""
        rule = inspect.getattr_static(type(self), name, None)  # a Rule is a descriptor: do not bind it
        code = getattr(getattr(rule, "_wrapped", None), "__code__", None)
        return f"{code.co_filename}:{code.co_firstlineno}" if code is not None else ""

    def _contract_error(self, problem: str) -> RuleError:
        if self._firing is None:
            return RuleError(f"a fact outside the contract of a diagnosis was declared outside any rule: {problem}")
        where = self._where(self._firing)
        return RuleError(f"{where + ': ' if where else ''}rule '{self._firing}' of pack "
                         f"'{self._pack_of(self._firing)}' concluded {problem}")

    def _rule_error(self, rule: Any, error: Exception) -> RuleError:
        """`file:line: rule 'R' of pack 'P' raised KeyError: ...`, at the innermost line of the rule's own file."""
        name = rule.__name__
        code = getattr(getattr(rule, "_wrapped", None), "__code__", None)
        where = self._where(name)
        if code is not None:
            frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == code.co_filename]
            if frames:
                where = f"{frames[-1].filename}:{frames[-1].lineno}"
        return RuleError(f"{where + ': ' if where else ''}rule '{name}' of pack '{self._pack_of(name, rule)}' "
                         f"raised {_one_line(error)}")

    def _condition_error(self, error: Exception) -> RuleError:
        """A condition (a TEST, a field's predicate) raised: the rule is the last one that starts above its line."""
        starts: dict[str, list[tuple[int, str]]] = {}
        for rule in self.get_rules():
            code = getattr(getattr(rule, "_wrapped", None), "__code__", None)
            if code is not None:
                starts.setdefault(code.co_filename, []).append((code.co_firstlineno, rule.__name__))
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            above = [(line, name) for line, name in starts.get(frame.filename, ()) if line <= (frame.lineno or 0)]
            if above:
                name = max(above)[1]
                return RuleError(f"{frame.filename}:{frame.lineno}: a condition of rule '{name}' of pack "
                                 f"'{self._pack_of(name)}' raised {_one_line(error)}")
        return RuleError(f"the rules failed while matching facts: {_one_line(error)}")

    def _runaway(self, fired: dict[str, int], limit: int) -> RuleError:
        """The rule that fired most (on a tie, the one of the pack loaded last) ends a run that would not."""
        order = {pack: i for i, pack in enumerate(dict.fromkeys(self.rule_packs.values()))}
        ranked = sorted(fired, key=lambda n: (fired[n], order.get(self.rule_packs.get(n, ""), len(order))),
                        reverse=True)
        top = ranked[0]
        unit = next((f["unit"] for f in self.facts.values() if type(f) is Row), None)
        where = self._where(top)
        after = (f"; then rule '{ranked[1]}' of pack '{self._pack_of(ranked[1])}' ({fired[ranked[1]]:,} times)"
                 if len(ranked) > 1 and 2 * fired[ranked[1]] >= fired[top] else "")
        return RuleError(f"{where + ': ' if where else ''}rule '{top}' of pack '{self._pack_of(top)}' fired "
                         f"{fired[top]:,} times{f' on {unit}' if unit else ''} and the rules did not stop: "
                         f"{sum(fired.values()):,} firings in one partition, over the limit of {limit:,} "
                         f"({FIRINGS_FLOOR:,} + {FIRINGS_PER_FACT} per fact given); a rule that declares a new "
                         f"fact every time it fires never ends{after}")

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


def _declared_order(fact: Fact) -> int:
    return fact["__factid__"]


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
