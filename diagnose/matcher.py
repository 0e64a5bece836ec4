"""A hash-join matcher for experta: the same activations as its RETE, fewer steps.

experta's `ReteMatcher` sends every fact through the alpha tests of every rule,
copying a token at each node, and its join memories are plain lists, so each
new fact or partial match is compared with *every* entry on the other side of
each join. On the diagnose rule base that was about 55 token copies per
declared fact, and joins cost the product of both sides.

`HashJoinMatcher` computes the same activations with the usual database
techniques. Install it with ``__matcher__ = HashJoinMatcher`` on a
`KnowledgeEngine` subclass; bench/matcher_check.py times it against experta's.

- **Routing**: a fact is tested only against the patterns of its own class.
  experta's type test is ``type(fact) == pattern_class``, so a pattern on the
  base ``Fact`` class sees only facts of exactly that class, here as there.
- **Alpha tests** run once per fact and distinct pattern (equal patterns in
  several rules share one result): literals, negated literals and variables
  on a plain field inline, with experta's semantics, anything else through
  experta's own `FeatureCheck`.
- **Joins** run left to right. Each join keeps its partial matches and its
  facts in dicts keyed by the tuple of variables it shares with the earlier
  patterns, so a newcomer only meets the entries with the same key.
- **NOT** keeps, per partial match, the count of facts that block it; the
  match goes on to the next element while the count is zero. **TEST** is a
  filter at its place in the rule, called as experta's `WhereCheck` calls it
  (each parameter gets the variable of its name, or None if unbound); the
  TESTs right after a join run before the partial match is even built.
- **Retraction** drops every partial match built on the fact (each partial
  match remembers the matches it was extended into) and unblocks the matches
  the fact was blocking.

Equivalence. An activation has the rule as experta prepares it and the same
facts and context as experta's. The context includes experta's
``__pattern_<id>__`` captures, shared by equal patterns, which experta's joins
compare like any variable (so two equal patterns in one rule only match one
fact twice); ``run`` drops ``__`` keys before calling a rule. ``changes``
processes deletions before additions and reports the net difference since
the previous call, as experta's conflict-set nodes do, so the agenda and
`DepthStrategy` behave the same, except in the order of activations that tie
on salience *and* fact ids, where experta's own order follows set iteration
(hashes) and is not reproducible. One deliberate difference: a fact declared
and retracted between two calls (within one rule firing, or left pending when
``run(steps)`` stops) never matches here; experta fails on it (ValueError or
KeyError) or goes on matching the retracted fact.

Rules this matcher does not compile are handed to a stock `ReteMatcher` built
for those rules only, so they behave exactly as in experta, at its speed:
rules whose conditions, after experta's own rewriting (`prepare_rule`), are not
a flat sequence of patterns, ``NOT(pattern)`` and ``TEST`` that starts with a
pattern (so: ``OR``, including ``|`` between field constraints, ``NOT`` over
more than one pattern, ``EXISTS``, ``FORALL``, a leading ``TEST``), and
patterns whose variable bindings experta treats in an order-dependent or
failing way (a binding under ``|`` or under two negations, one variable
negated twice in a pattern, a negated variable in a rule's first pattern).
`HashJoinMatcher.delegated` names them and says why. experta's MATCH watcher
does not log the tests this matcher runs itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import _experta  # noqa: F401  (installs the shim before experta's submodules load)
from experta.abstract import Matcher
from experta.activation import Activation
from experta.conditionalelement import NOT, TEST
from experta.engine import KnowledgeEngine
from experta.fact import Fact
from experta.fieldconstraint import ANDFC, NOTFC, ORFC, FieldConstraint, L, W
from experta.matchers import ReteMatcher
from experta.matchers.rete.check import FeatureCheck
from experta.matchers.rete.nodes import FeatureTesterNode
from experta.matchers.rete.utils import prepare_rule
from experta.pattern import Bindable
from experta.rule import Rule

__all__ = ["HashJoinMatcher"]

_JOIN, _NOT, _TEST = "join", "not", "test"


def _bindings(constraint: Any, mode: str, found: dict[str, list[str]]) -> None:
    """Collect the variables a field constraint binds, by how experta reports them.

    ``positive`` bindings are always in a match's context; ``negated`` ones
    appear as ``(False, name)`` keys when present; ``uncertain`` ones (under
    ``|`` or under two negations) may or may not appear, so no join can be
    keyed on them.
    """
    if isinstance(constraint, NOTFC):
        inner = {"positive": "negated"}.get(mode, "uncertain")
        for sub in constraint:
            _bindings(sub, inner, found)
    elif isinstance(constraint, ORFC):
        for sub in constraint:
            _bindings(sub, "uncertain", found)
    elif isinstance(constraint, ANDFC):
        for sub in constraint:
            _bindings(sub, mode, found)
    elif isinstance(constraint, Bindable) and constraint.__bind__ is not None:
        found[mode].append(constraint.__bind__)


class _Pattern:
    """A distinct pattern (by experta's equality) with its alpha tests, shared by the rules using it.

    The common field constraints on a plain field name are run inline, with
    experta's semantics (a missing field fails; ``expected == actual``): a
    literal (``equal``), a negated literal (``unequal``) and a variable
    (``fields``: field -> name, or None for a bare ``W()``). The rest go
    through experta's own `FeatureCheck`.
    """

    __slots__ = ("equal", "unequal", "fields", "checks", "capture", "clash", "positive", "negated", "uses")

    def __init__(self, pattern: Fact) -> None:
        self.equal: list[tuple[Any, Any]] = []
        self.unequal: list[tuple[Any, Any]] = []
        self.fields: list[tuple[Any, str | None]] = []
        self.checks: list[FeatureCheck] = []
        found: dict[str, list[str]] = {"positive": [], "negated": [], "uncertain": []}
        for key, value in pattern.items():
            if key == "__bind__":
                continue
            _bindings(value, "positive", found)
            # FeatureCheck reads a str field through "__" paths (and numeric parts as indexes).
            if not (isinstance(key, int) or (isinstance(key, str) and "__" not in key and not key.isnumeric())):
                self.checks.append(FeatureCheck(key, value))
            elif not isinstance(value, FieldConstraint) or (type(value) is L and value.__bind__ is None):
                self.equal.append((key, value[0] if isinstance(value, L) else value))
            elif type(value) is W:
                self.fields.append((key, value.__bind__))
            elif type(value) is NOTFC and type(value[0]) is L and value[0].__bind__ is None:
                self.unequal.append((key, value[0][0]))
            else:
                self.checks.append(FeatureCheck(key, value))
        # As experta's generate_checks: the fact is captured under the AS name,
        # else under a name of the pattern's own (equal patterns share it).
        self.capture = pattern.__bind__ or "__pattern_%s__" % id(pattern)
        self.positive = frozenset((*found["positive"], self.capture))
        self.negated = found["negated"]
        self.clash = self.capture in (*found["positive"], *found["negated"])
        self.uses: list[tuple[_RuleNet, int, _Element]] = []

    def match(self, fact: Fact) -> tuple[dict, dict | None] | None:
        """The bindings of ``fact`` as experta's FeatureTesterNode chain builds them, or None.

        Returns the string-keyed bindings and, if any, the ``(False, name)``
        keys of negated bindings, which only constrain a join.
        """
        for key, expected in self.equal:
            try:
                actual = fact[key]
            except (IndexError, KeyError, TypeError):
                return None
            if not expected == actual:
                return None
        for key, expected in self.unequal:
            try:
                actual = fact[key]
            except (IndexError, KeyError, TypeError):
                return None
            if expected == actual:
                return None
        context: dict = {}
        for key, name in self.fields:
            try:
                actual = fact[key]
            except (IndexError, KeyError, TypeError):
                return None
            if name is not None:
                if name in context and context[name] != actual:
                    return None
                context[name] = actual
        for check in self.checks:
            result = check(fact)
            if not result:
                return None
            if result is not True and isinstance(result, Mapping) and not _merge(context, result):
                return None
        if self.clash:
            if not _merge(context, {self.capture: fact}):
                return None
        else:
            context[self.capture] = fact
        if not self.negated:
            return context, None
        return ({k: v for k, v in context.items() if isinstance(k, str)},
                {k: v for k, v in context.items() if not isinstance(k, str)})


def _merge(context: dict, result: Mapping) -> bool:
    """Add one check's bindings to ``context`` unless they conflict (experta's FeatureTesterNode rules)."""
    for key, value in result.items():
        if isinstance(key, tuple):
            if key[1] in context and context[key[1]] == value:
                return False
        elif context.get(key, value) != value or ((False, key) in context and context[(False, key)] == value):
            return False
    context.update(result)
    return True


def _passes(tests: Iterable[tuple[Callable[..., Any], tuple[str, ...]]], context: dict) -> bool:
    """Run TESTs as experta's WhereCheck does: each parameter gets its variable, or None if unbound."""
    for test, parameters in tests:
        if not test(**{name: context.get(name) for name in parameters}):
            return False
    return True


class _Element:
    """One condition of a compiled rule: a join on a pattern, a NOT over one, or a TEST.

    ``key`` names the variables shared with earlier patterns (the hash key),
    ``excluded`` the earlier variables this pattern's negated bindings must
    differ from. A join's ``after`` are the TESTs right after it, as (test,
    parameters), and ``resume`` the position past them: a partial match that
    fails them is never built, since a TEST's verdict cannot change.

    ``index`` maps key -> id(fact) -> (fact, bindings, negated bindings);
    ``left`` maps key -> partial match -> None (join) or -> count of blocking
    facts (NOT); ``made`` maps id(fact) -> the partial matches this join built
    with that fact.
    """

    __slots__ = ("kind", "key", "excluded", "test", "parameters", "after", "resume", "index", "left", "made")

    def __init__(self, kind: str, pattern: _Pattern | None = None, bound: frozenset = frozenset(),
                 test: Callable[..., Any] | None = None) -> None:
        self.kind = kind
        self.test = test
        self.parameters = tuple(inspect.signature(test).parameters) if test is not None else ()
        self.after: tuple[tuple[Callable[..., Any], tuple[str, ...]], ...] = ()
        self.resume = 0
        if pattern is not None:
            self.key = tuple(sorted(pattern.positive & bound))
            self.excluded = tuple(sorted(set(pattern.negated) & bound))
        else:
            self.key = self.excluded = ()
        self.clear()

    def clear(self) -> None:
        self.index: dict[tuple, dict[int, tuple]] = {}
        self.left: dict[tuple, dict] = {}
        self.made: dict[int, dict] = {}


class _RuleNet:
    """A rule compiled into a sequence of elements; the first is always a join with no left side."""

    __slots__ = ("number", "rule", "elements")

    def __init__(self, number: int, rule: Rule, patterns: dict[Fact, _Pattern]) -> None:
        self.number = number
        self.rule = rule
        self.elements: list[_Element] = []
        bound: frozenset = frozenset()
        for position, condition in enumerate(rule):
            if isinstance(condition, TEST):
                self.elements.append(_Element(_TEST, test=condition[0]))
                continue
            negative = isinstance(condition, NOT)
            pattern = patterns[condition[0] if negative else condition]
            element = _Element(_NOT if negative else _JOIN, pattern, bound)
            pattern.uses.append((self, position, element))
            self.elements.append(element)
            if not negative:
                bound |= pattern.positive
        for position, element in enumerate(self.elements):
            if element.kind is _JOIN:
                end = position + 1
                while end < len(self.elements) and self.elements[end].kind is _TEST:
                    end += 1
                element.after = tuple((e.test, e.parameters) for e in self.elements[position + 1:end])
                element.resume = end


class _Token:
    """A partial match: the facts of the positive patterns so far and their bindings.

    ``start`` is the element after the join that built it; ``reach`` the last
    element it was fed to (it passed every element before ``reach``, and
    ``reach == len(elements)`` means it is an activation). ``children`` are the
    partial matches the next join extended it into.
    """

    __slots__ = ("net", "facts", "context", "start", "reach", "parent", "children")

    def __init__(self, net: _RuleNet, facts: tuple, context: dict, start: int, parent: _Token | None) -> None:
        self.net = net
        self.facts = facts
        self.context = context
        self.start = start
        self.reach = start
        self.parent = parent
        self.children: dict[_Token, None] = {}


class _DelegatedRete(ReteMatcher):
    """experta's own RETE network, for the rules `HashJoinMatcher` does not compile.

    Its alpha part is built from *all* the engine's rules, as experta builds
    it, and then pruned to the branches the delegated rules use: experta
    orders a pattern's tests by how often the whole rule base uses them, and
    for some patterns (one variable negated twice) that order decides the
    match.
    """

    def __init__(self, engine: KnowledgeEngine, rules: Iterable[Rule]) -> None:
        self._rules = set(rules)
        super().__init__(engine)

    def build_network(self) -> None:
        alpha_terminals = self.build_alpha_part(self.prepare_ruleset(self.engine), self.root_node)
        self.build_beta_part(self._rules, alpha_terminals)
        _prune(self.root_node)


def _prune(node: Any) -> bool:
    """Drop the alpha branches below ``node`` that lead to no rule; True if any branch is left."""
    node.children[:] = [child for child in node.children
                        if not isinstance(child.node, FeatureTesterNode) or _prune(child.node)]
    return bool(node.children)


def _unsupported(rule: Rule) -> str | None:
    """Why `HashJoinMatcher` hands ``rule`` (as prepared by experta) to a stock RETE, or None."""
    for position, condition in enumerate(rule):
        if isinstance(condition, TEST):
            if position == 0:
                return "starts with TEST"
            continue
        if isinstance(condition, NOT):
            if len(condition) != 1 or not isinstance(condition[0], Fact):
                return "NOT over something other than one pattern"
            condition = condition[0]
        elif not isinstance(condition, Fact):
            return f"uses {type(condition).__name__}"
        found: dict[str, list[str]] = {"positive": [], "negated": [], "uncertain": []}
        for value in condition.values():
            _bindings(value, "positive", found)
        if found["uncertain"]:
            return "binds a variable under | or under two negations"
        if len(set(found["negated"])) != len(found["negated"]):
            return "negates one variable twice in a pattern"
        if position == 0 and found["negated"]:
            return "negates a variable in its first pattern"
    return None


class HashJoinMatcher(Matcher):
    """Drop-in replacement for experta's `ReteMatcher` with class routing and hash-indexed joins."""

    def __init__(self, engine: KnowledgeEngine) -> None:
        super().__init__(engine)
        prepared: dict[Rule, None] = dict.fromkeys(prepare_rule(rule) for rule in engine.get_rules())
        patterns: dict[Fact, _Pattern] = {}
        self._by_class: dict[type, list[_Pattern]] = {}
        self._nets: list[_RuleNet] = []
        self.delegated: dict[str, str] = {}
        """Rules run by the stock RETE instead: rule name -> why."""
        delegated: list[Rule] = []
        for rule in prepared:
            reason = _unsupported(rule)
            if reason is not None:
                self.delegated[rule.__name__] = reason
                delegated.append(rule)
                continue
            for condition in rule:
                pattern = condition[0] if isinstance(condition, NOT) else condition
                if isinstance(pattern, Fact) and pattern not in patterns:
                    patterns[pattern] = compiled = _Pattern(pattern)
                    self._by_class.setdefault(type(pattern), []).append(compiled)
            self._nets.append(_RuleNet(len(self._nets), rule, patterns))
        self._stock = _DelegatedRete(engine, delegated) if delegated else None
        self.reset()

    def reset(self) -> None:
        """Forget every fact and partial match (the engine's ``reset``)."""
        for net in self._nets:
            for element in net.elements:
                # Partial matches point at their parents and children: cut the cycles here, or the
                # collector (paused during a run) keeps every partition's matches until the end.
                for tokens in element.made.values():
                    for token in tokens:
                        token.parent = None
                        token.children = {}
                element.clear()
        self._matches: dict[int, tuple[Fact, list[tuple[_Pattern, dict, dict | None]]]] = {}
        self._added: dict[tuple, _Token] = {}
        self._removed: dict[tuple, _Token] = {}
        if self._stock is not None:
            self._stock.reset()

    def changes(self, adding: Iterable[Fact] | None = None,
                deleting: Iterable[Fact] | None = None) -> tuple[list[Activation], list[Activation]]:
        """Apply fact changes and return (added, removed) activations since the last call.

        Deletions go first, as in experta. A fact declared and retracted
        between two calls (by one rule firing, or left pending when
        ``run(steps)`` stops) never existed for the rules, so it is dropped
        from both lists; experta instead fails (ValueError or KeyError) or
        keeps matching the retracted fact.
        """
        adding, deleting = list(adding or ()), list(deleting or ())
        unseen = {id(fact) for fact in deleting if not self._retract(fact)}
        if unseen:
            adding = [fact for fact in adding if id(fact) not in unseen]
            deleting = [fact for fact in deleting if id(fact) not in unseen]
        for fact in adding:
            self._declare(fact)
        added = [self._activation(token) for token in self._added.values()]
        removed = [self._activation(token) for token in self._removed.values()]
        self._added, self._removed = {}, {}
        if self._stock is not None:
            stock_added, stock_removed = self._stock.changes(adding, deleting)
            added.extend(stock_added)
            removed.extend(stock_removed)
        return added, removed

    @staticmethod
    def _activation(token: _Token) -> Activation:
        return Activation(token.net.rule, token.facts, dict(token.context))

    # Facts in and out. They are known by identity (``id``), not by fact id: a
    # Fact object retracted and declared again gets a new fact id, but what it
    # matched before holds the same object. Every entry keeps its fact alive.

    def _declare(self, fact: Fact) -> None:
        matches = []
        for pattern in self._by_class.get(type(fact), ()):
            found = pattern.match(fact)
            if found is not None:
                matches.append((pattern, *found))
        fid = id(fact)
        self._matches[fid] = fact, matches
        # Each use stores the fact, then meets what is already there: every
        # combination is built exactly once, when the last of its uses runs.
        for pattern, context, negated in matches:
            for net, position, element in pattern.uses:
                if position == 0:
                    if element.after and not _passes(element.after, context):
                        continue
                    token = _Token(net, (fact,), context, 1, None)
                    element.made.setdefault(fid, {})[token] = None
                    self._feed(token, element.resume)
                    continue
                key = tuple(context[name] for name in element.key)
                element.index.setdefault(key, {})[fid] = (fact, context, negated)
                tokens = element.left.get(key)
                if not tokens:
                    continue
                if element.kind is _NOT:
                    self._block(element, position, tokens, negated)
                    continue
                for token in tokens:
                    if not element.excluded or self._allowed(element, token, negated):
                        self._extend(token, position, fact, fid, {**context, **token.context})

    def _retract(self, fact: Fact) -> bool:
        """Withdraw ``fact``; False if it was not declared (to this matcher)."""
        fid = id(fact)
        entry = self._matches.pop(fid, None)
        if entry is None:
            return False
        matches = entry[1]
        uses = [(position, element, context, negated)
                for pattern, context, negated in matches for _, position, element in pattern.uses]
        # Out of every index first, so nothing below meets the fact again.
        for position, element, context, negated in uses:
            if position:
                key = tuple(context[name] for name in element.key)
                bucket = element.index[key]
                del bucket[fid]
                if not bucket:
                    del element.index[key]
        for position, element, context, negated in uses:
            if element.kind is _JOIN:
                for token in element.made.pop(fid, {}):
                    self._drop(token, detach=True, made=False)
        for position, element, context, negated in uses:
            if element.kind is _NOT:
                tokens = element.left.get(tuple(context[name] for name in element.key))
                if tokens:
                    self._unblock(element, position, tokens, negated)
        return True

    # Partial matches

    def _extend(self, token: _Token, position: int, fact: Fact, fid: int, context: dict) -> None:
        """Extend ``token`` with ``fact`` at the join ``position`` and feed the result onwards.

        ``context`` is already merged: experta keeps the stored side's value of
        a shared variable, which only shows for equal values of unequal types.
        """
        element = token.net.elements[position]
        if element.after and not _passes(element.after, context):
            return
        child = _Token(token.net, (*token.facts, fact), context, position + 1, token)
        token.children[child] = None
        element.made.setdefault(fid, {})[child] = None
        self._feed(child, element.resume)

    @staticmethod
    def _allowed(element: _Element, token: _Token, negated: dict | None) -> bool:
        """experta's SameContextCheck beyond the shared key: negated bindings must differ."""
        if negated:
            for name in element.excluded:
                if (False, name) in negated and negated[(False, name)] == token.context[name]:
                    return False
        return True

    def _feed(self, token: _Token, position: int) -> None:
        """Pass ``token``, which has passed every element before ``position``, on as far as it goes."""
        elements = token.net.elements
        while position < len(elements):
            token.reach = position
            element = elements[position]
            if element.kind is _TEST:
                if not _passes(((element.test, element.parameters),), token.context):
                    return
            else:
                key = tuple(token.context[name] for name in element.key)
                facts = element.index.get(key, {})
                if element.kind is _JOIN:
                    element.left.setdefault(key, {})[token] = None
                    for fid, (fact, context, negated) in facts.items():
                        if not element.excluded or self._allowed(element, token, negated):
                            self._extend(token, position, fact, fid, {**token.context, **context})
                    return
                if element.excluded:
                    count = sum(1 for _, _, negated in facts.values() if self._allowed(element, token, negated))
                else:
                    count = len(facts)
                element.left.setdefault(key, {})[token] = count
                if count:
                    return
            position += 1
        token.reach = position
        key = (token.net.number, *map(id, token.facts))
        if self._removed.pop(key, None) is None:
            self._added[key] = token

    def _unwind(self, token: _Token, start: int) -> None:
        """Undo what feeding ``token`` did at elements ``start`` to ``token.reach``."""
        elements = token.net.elements
        for position in range(start, min(token.reach, len(elements) - 1) + 1):
            element = elements[position]
            if element.kind is _TEST:
                continue
            key = tuple(token.context[name] for name in element.key)
            bucket = element.left[key]
            del bucket[token]
            if not bucket:
                del element.left[key]
            if element.kind is _JOIN:
                children, token.children = token.children, {}
                for child in children:
                    self._drop(child, detach=False, made=True)
        if token.reach == len(elements):
            key = (token.net.number, *map(id, token.facts))
            if self._added.pop(key, None) is None:
                self._removed[key] = token

    def _drop(self, token: _Token, detach: bool, made: bool) -> None:
        """Remove ``token`` and everything built on it (``made``: also from its join's record)."""
        self._unwind(token, token.start)
        if made:
            record = token.net.elements[token.start - 1].made
            fid = id(token.facts[-1])
            del record[fid][token]
            if not record[fid]:
                del record[fid]
        if detach and token.parent is not None:
            del token.parent.children[token]

    def _block(self, element: _Element, position: int, tokens: dict, negated: dict | None) -> None:
        """A new fact matches the NOT at ``position``: block the partial matches it is the first to block."""
        for token, count in tokens.items():
            if not element.excluded or self._allowed(element, token, negated):
                tokens[token] = count + 1
                if count == 0:
                    self._unwind(token, position + 1)
                    token.reach = position

    def _unblock(self, element: _Element, position: int, tokens: dict, negated: dict | None) -> None:
        """A blocking fact is gone: feed on the partial matches it was the last to block."""
        for token, count in tokens.items():
            if not element.excluded or self._allowed(element, token, negated):
                tokens[token] = count - 1
                if count == 1:
                    self._feed(token, position + 1)
