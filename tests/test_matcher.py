"""`HashJoinMatcher` gives exactly experta's activations, agenda and results.

Everything is checked against experta's stock `ReteMatcher`:

1. A small engine whose rules use every construct the matcher compiles
   (joins, literals, negated literals and variables, TEST before, between and
   after joins, NOT, AS, salience, field defaults, equal patterns, a pattern
   on the base `Fact` class, the forms experta builds for a leading NOT or an
   empty rule) and some it hands to a stock RETE (OR, ``|``, EXISTS, FORALL,
   NOT over two patterns, odd negated variables). Seeded random sequences of
   declare / retract / modify / reset / run must leave the same activations
   on the agenda after every step and fire the same rules on the same facts
   in the same order; batches of changes made while the engine runs must
   report the same added and removed activations.
2. ``diagnose`` gives byte-identical JSON, and fires the same rules on the
   same facts in the same order, with either matcher on every example fact
   file, on generated worlds, and with the example rule pack.

Every rule of the small engine has its own salience and none can match one
set of facts in two ways (hence the TEST in `open_path`), so no two
activations tie for `DepthStrategy`: experta's order within a tie follows set
iteration (hashes) and is not reproducible, not even by experta.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

# diagnose._experta first: it installs the shim experta needs to import at all.
from diagnose._experta import AS, MATCH, NOT, TEST, Fact, Field, KnowledgeEngine, L, Rule, W
from diagnose import api
from diagnose.api import diagnose
from diagnose.engine import RuleEngine
from diagnose.load import load_facts
from diagnose.matcher import HashJoinMatcher
from diagnose.packs import rulebase
from experta import EXISTS, FORALL, OR
from experta.matchers import ReteMatcher

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench" / "generate.py"


class Item(Fact):
    pass


class Link(Fact):
    pass


class Flag(Fact):
    pass


class Level(Fact):
    level = Field(int, default=0)


NAMES = ["a", "b", "c", "x"]


class Rules:
    """Rules over the classes above; ``self.fired`` records every firing."""

    def record(self, name: str) -> None:
        self.fired.append(name)

    @Rule(Item(kind=MATCH.kind, owner=MATCH.owner), Link(a=MATCH.owner, b=MATCH.other), salience=1)
    def join(self, kind, owner, other):
        self.record("join")
        if kind == "b":  # retract a fact that other activations rest on
            for fact in list(self.facts.values()):
                if isinstance(fact, Link) and fact["a"] == owner and fact["b"] == other:
                    self.retract(fact)

    @Rule(AS.item << Item(kind="a", owner=~L("x")), salience=2)
    def negated_literal(self, item):
        self.record("negated_literal")

    @Rule(Item(size=MATCH.small, owner=MATCH.owner), Item(size=MATCH.large, owner=MATCH.owner),
          TEST(lambda small, large: small < large), salience=3)
    def test_between_patterns(self, small, large, owner):
        self.record("test_between_patterns")

    @Rule(Item(owner=MATCH.owner), NOT(Flag(name=MATCH.owner)), salience=4)
    def not_flagged(self, owner):
        self.record("not_flagged")
        self.declare(Flag(name=owner))  # blocks its other activations on the same owner

    @Rule(NOT(Flag(name="stop")), salience=5)
    def leading_not(self):
        self.record("leading_not")

    @Rule(AS.first << Link(a=MATCH.x, b=MATCH.y), AS.second << Link(a=MATCH.y, b=MATCH.z),
          TEST(lambda x, z: x != z), NOT(Link(a=MATCH.z, b=MATCH.x)), salience=6)
    def open_path(self, first, second, x, y, z):
        self.record("open_path")

    @Rule(Item(kind="a"), Item(kind="a"), salience=7)
    def equal_patterns(self):
        """experta's alpha network shares equal patterns: this only pairs a fact with itself."""
        self.record("equal_patterns")

    @Rule(Item(owner=MATCH.owner, kind=MATCH.kind), Link(a=MATCH.owner, b=~MATCH.kind), salience=8)
    def negated_variable(self, owner, kind):
        self.record("negated_variable")

    @Rule(Fact(name=MATCH.name), salience=9)
    def base_class(self, name):
        """experta tests ``type(fact) == Fact``: only plain `Fact` instances match."""
        self.record("base_class")

    @Rule(Item(owner=MATCH.owner), TEST(lambda owner: owner != "c"), Link(a=MATCH.owner, b=W()),
          NOT(Flag(name=MATCH.owner)), TEST(lambda owner, kind: kind is None), salience=-1)
    def filters_between_joins(self, owner):
        self.record("filters_between_joins")

    @Rule(Level(level=0), Item(kind=MATCH.kind, size=0), salience=-2)
    def field_default(self, kind):
        self.record("field_default")
        self.declare(Item(kind=kind, owner="c", size=1))

    @Rule(salience=-3)
    def no_conditions(self):
        self.record("no_conditions")

    @Rule(OR(Flag(name="a"), Flag(name="b")), Item(owner=MATCH.owner), salience=10)
    def delegated_or(self, owner):
        self.record("delegated_or")

    @Rule(Item(kind=L("a") | L("c")), salience=11)
    def delegated_field_or(self):
        self.record("delegated_field_or")

    @Rule(EXISTS(Item(kind="b")), salience=12)
    def delegated_exists(self):
        self.record("delegated_exists")


class Engine(Rules, KnowledgeEngine):
    def reset(self, **kwargs):
        self.fired = []
        super().reset(**kwargs)


class StockEngine(Engine):
    __matcher__ = ReteMatcher


class HashEngine(Engine):
    __matcher__ = HashJoinMatcher


def signature(activation) -> tuple:
    """An activation as (rule, fact ids, bound variables); facts in the context are shown by id."""
    context = tuple(sorted((k, ("fact", v["__factid__"]) if isinstance(v, Fact) else v)
                           for k, v in activation.context.items() if not k.startswith("__")))
    return (activation.rule.__name__, tuple(sorted(f["__factid__"] for f in activation.facts)), context)


def agenda(engine: KnowledgeEngine) -> list:
    return sorted(Counter(signature(a) for a in engine.agenda.activations).items())


def random_fact(rng: random.Random) -> Fact:
    kind = rng.choice(["a", "b", "c", None])
    return rng.choice([
        lambda: Item(kind=rng.choice(NAMES), owner=rng.choice(NAMES), size=rng.randrange(3)),
        lambda: Link(a=rng.choice(NAMES), b=rng.choice(NAMES)),
        lambda: Flag(name=rng.choice(NAMES + ["stop"])),
        lambda: Level() if rng.random() < 0.5 else Level(level=rng.randrange(2)),
        lambda: Fact(name=rng.choice(NAMES)),
        lambda: Item(owner=rng.choice(NAMES), kind=kind),
    ])()


def scenario(engine_class: type, seed: int, steps: int = 40) -> list:
    """Apply a seeded random sequence of changes; return what the engine shows after each."""
    rng = random.Random(seed)
    engine = engine_class()
    engine.reset()
    seen = []
    for step in range(steps):
        facts = sorted(engine.facts)
        roll = rng.random()
        if roll < 0.5 or len(facts) < 3:
            engine.declare(random_fact(rng))
        elif roll < 0.7:
            engine.retract(rng.choice(facts))
        elif roll < 0.85:
            fact = engine.facts[rng.choice(facts)]
            field = rng.choice(sorted(k for k in fact if isinstance(k, str) and not k.startswith("__")) or ["name"])
            value = rng.randrange(3) if isinstance(fact.get(field), int) else rng.choice(NAMES)
            engine.modify(fact, **{field: value})
        elif roll < 0.97:
            fired = len(engine.fired)
            engine.run(rng.randrange(1, 8))
            # run(steps) can stop with changes the matcher has not seen yet;
            # experta fails if one is then retracted (see the test below).
            engine.strategy.update_agenda(engine.agenda, *engine.get_activations())
            seen.append(("fired", engine.fired[fired:]))
        else:
            engine.reset()
        seen.append((step, agenda(engine), sorted(engine.facts)))
    fired = len(engine.fired)
    engine.run()
    seen.append(("fired", engine.fired[fired:], sorted(engine.facts)))
    return seen


def test_rules_the_matcher_cannot_compile_go_to_a_stock_rete():
    matcher = HashEngine().matcher
    assert sorted(matcher.delegated) == ["delegated_exists", "delegated_field_or", "delegated_or"]


@pytest.mark.parametrize("seed", range(150))
def test_same_agenda_after_every_change_and_same_firing_order(seed):
    assert scenario(HashEngine, seed) == scenario(StockEngine, seed)


def test_changes_reports_what_stock_reports():
    """Added and removed activations, batch by batch, including ones cancelled within a batch."""
    stock, ours = StockEngine(), HashEngine()
    rng = random.Random(7)
    for engine in (stock, ours):
        engine.reset()
        engine.running = True  # the engine leaves the agenda to us: batches of several changes
    for _ in range(80):
        before = sorted(stock.facts)  # experta cannot retract a fact it has not matched yet
        for _ in range(rng.randrange(1, 5)):
            roll = rng.random()
            if roll < 0.6 or len(before) < 3:
                fact = random_fact(rng)
                stock.declare(fact)
                ours.declare(fact.copy())
                continue
            idx = before.pop(rng.randrange(len(before)))
            for engine in (stock, ours):
                fact = engine.facts[idx]
                engine.retract(fact)
                if roll > 0.85:  # the same object again, under a new fact id
                    engine.declare(fact)
        batches = [engine.get_activations() for engine in (stock, ours)]
        (stock_added, stock_removed), (added, removed) = batches
        assert sorted(map(signature, added)) == sorted(map(signature, stock_added))
        assert sorted(map(signature, removed)) == sorted(map(signature, stock_removed))


def test_a_fact_declared_and_retracted_between_two_updates_never_matches():
    """experta fails here (its memories do not have the fact it is told to remove)."""
    ours, reference = HashEngine(), HashEngine()
    for engine in (ours, reference):
        engine.reset()
        engine.declare(Item(kind="a", owner="b", size=1))
        engine.running = True
    fleeting = ours.declare(Link(a="b", b="c"))
    ours.retract(fleeting)
    ours.declare(Flag(name="stop"))
    reference.facts.last_index += 1  # the same fact ids, without the fleeting fact
    reference.declare(Flag(name="stop"))
    for engine in (ours, reference):
        engine.strategy.update_agenda(engine.agenda, *engine.get_activations())
    assert agenda(ours) == agenda(reference)
    assert not any(fleeting in activation.facts for activation in ours.agenda.activations)


@pytest.mark.parametrize("item_first", [True, False])
def test_a_variable_bound_to_equal_values_of_two_types_keeps_experta_choice(item_first):
    """experta keeps the value of the fact that was there first (1 == 1.0, but the rule sees one of them)."""
    facts = [Item(kind="k", owner=1), Link(a=1.0, b="z")]
    for engine_class in (StockEngine, HashEngine):
        engine = engine_class()
        engine.reset()
        for fact in facts if item_first else facts[::-1]:
            engine.declare(fact.copy())
        (owner,) = [a.context["owner"] for a in engine.agenda.activations if a.rule.__name__ == "join"]
        assert type(owner) is (int if item_first else float)


class Unusual:
    """Rules `HashJoinMatcher` leaves to experta's RETE (one per reason), and one it compiles."""

    @Rule(TEST(lambda: True), Item(kind=MATCH.kind), salience=20)
    def leading_test(self, kind):
        """experta wires this TEST to nothing: the rule never fires."""
        self.record("leading_test")

    @Rule(Item(owner=MATCH.owner), NOT(Link(a=MATCH.owner) & Flag(name=MATCH.owner)), salience=21)
    def not_over_two_patterns(self, owner):
        self.record("not_over_two_patterns")

    @Rule(FORALL(Item(kind=MATCH.kind), Flag(name=MATCH.kind)), salience=22)
    def forall(self):
        self.record("forall")

    @Rule(Item(owner=MATCH.owner), NOT(Link(a=MATCH.owner | L("z"))), salience=23)
    def binding_under_or(self, owner):
        self.record("binding_under_or")

    @Rule(Item(owner=MATCH.owner), Link(a=~MATCH.owner, b=~MATCH.owner), salience=24)
    def negated_twice(self, owner):
        self.record("negated_twice")

    @Rule(Item(owner=MATCH.owner), Link(a=~MATCH.owner), salience=25)
    def negated_later(self, owner):
        self.record("negated_later")


class Failing:
    """A rule experta cannot run (it is still delegated, so it fails as in experta)."""

    @Rule(Item(owner=~MATCH.owner), Link(a=MATCH.owner))
    def negated_first(self, owner):
        """experta raises RuntimeError once an Item meets a Link here."""


def test_each_kind_of_unsupported_rule_is_delegated_with_its_reason():
    class Probe(Unusual, Failing, KnowledgeEngine):
        __matcher__ = HashJoinMatcher

    assert Probe().matcher.delegated == {
        "leading_test": "starts with TEST",
        "not_over_two_patterns": "uses OR",  # experta rewrites NOT(A & B) as NOT(A) | NOT(B)
        "forall": "uses FORALL",
        "binding_under_or": "binds a variable under | or under two negations",
        "negated_twice": "negates one variable twice in a pattern",
        "negated_first": "negates a variable in its first pattern",
    }


class StockUnusual(Unusual, StockEngine):
    pass


class HashUnusual(Unusual, HashEngine):
    pass


@pytest.mark.parametrize("seed", range(30))
def test_delegated_rules_behave_as_in_experta(seed):
    """Including `negated_twice`, whose result hangs on the order experta gives its tests."""
    assert scenario(HashUnusual, seed) == scenario(StockUnusual, seed)


# diagnose, end to end


@pytest.fixture(scope="module")
def worlds(tmp_path_factory) -> list[Path]:
    """Fact files from bench/generate.py: the one the brief names and a smaller one."""
    folder = tmp_path_factory.mktemp("worlds")
    out = []
    for args in (["--states", "25", "--periods", "3"], ["--states", "12", "--periods", "2", "--seed", "5"]):
        path = folder / ("world" + "_".join(args).replace("-", "") + ".yaml")
        generated = subprocess.run([sys.executable, str(GENERATOR), *args], check=True, capture_output=True, text=True)
        path.write_text(generated.stdout, encoding="utf-8")
        out.append(path)
    return out


def _diagnose_both(monkeypatch, path: Path, packs: tuple[str, ...] = ()) -> tuple[str, str, list, list]:
    """Diagnose with engines built on each matcher: (stock JSON, our JSON, stock firings, our firings)."""
    rules = rulebase(packs)
    facts = load_facts(path, rules)
    used: set[type] = set()
    run_partition = RuleEngine.run_partition

    def spy(engine, *args, **kwargs):
        used.add(type(engine.matcher))
        return run_partition(engine, *args, **kwargs)

    monkeypatch.setattr(RuleEngine, "run_partition", spy)
    outputs, traces = [], []
    for matcher in (ReteMatcher, HashJoinMatcher):
        monkeypatch.setattr(RuleEngine, "__matcher__", matcher)
        # diagnose builds a rule base's engines once and keeps them: start afresh.
        monkeypatch.setattr(api, "_ENGINES", {}, raising=False)
        used.clear()
        fired: list = []
        outputs.append(diagnose(facts, rules, trace=lambda rule, matched: fired.append(
            (rule, sorted(f["__factid__"] for f in matched)))).to_json())
        assert used == {matcher}, "the engines were not built with the matcher under test"
        traces.append(fired)
    return outputs[0], outputs[1], traces[0], traces[1]


@pytest.mark.parametrize("path", sorted((ROOT / "facts").glob("*.yaml")), ids=lambda p: p.name)
def test_diagnose_example_files_identically(monkeypatch, path):
    stock, ours, stock_trace, trace = _diagnose_both(monkeypatch, path)
    assert ours == stock
    assert trace == stock_trace


def test_diagnose_generated_worlds_identically(monkeypatch, worlds):
    for path in worlds:
        stock, ours, stock_trace, trace = _diagnose_both(monkeypatch, path)
        assert ours == stock, path.name
        assert trace == stock_trace, path.name


def test_diagnose_with_a_rule_pack_identically(monkeypatch):
    pack = ROOT / "examples" / "packs" / "hegemony"
    for path in sorted((pack / "facts").glob("*.yaml")):
        stock, ours, stock_trace, trace = _diagnose_both(monkeypatch, path, (str(pack),))
        assert ours == stock
        assert trace == stock_trace
