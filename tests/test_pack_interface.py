"""The built-in rule base is an ordinary pack: a pack alone runs on any file, sees every status, owns its theory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diagnose import diagnose, load_facts
from diagnose.packs import builtin_rulebase, rulebase
from diagnose.testing import assert_concludes, run

ROOT = Path(__file__).resolve().parent.parent

ORDER_PACK = '''
"""A tiny pack: a mechanism `order` from patrols, broken by wars; one overlap type of its own making."""

from diagnose._experta import AS, MATCH, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Character, Evidence, Overlap, Row, Status, Tally
from diagnose.rules.common import conclude_status

NAME = "order"
MECHANISMS = ("order",)
KINDS = {"patrol": "order", "treaty": "order"}
SECTION_KINDS = {"deterrence": [({}, ("patrol",))], "consultation_norms": [({}, ("treaty",))]}


class OrderRules:
    @Rule(AS.row << Row(row=MATCH.row_key), AS.tally << Tally(row=MATCH.row_key, mechanism="order"),
          TEST(lambda tally: len(tally["kinds"]) >= 2), salience=Stratum.STATUS)
    def order_active(self, row, tally):
        """Order is active: two kinds of order practice cover the unit. Adler & Greve (2009), Overlap."""
        conclude_status(self, row, "order", "active", ids=tally["ids"], because=("Two kinds of order.",))

    @Rule(AS.row << Row(row=MATCH.row_key), AS.war << Evidence(row=MATCH.row_key, section="wars"),
          salience=Stratum.BREAKDOWN)
    def order_broken(self, row, war):
        """Order breaks down where a war is fought. Adler & Greve (2009), Overlap."""
        conclude_status(self, row, "order", "broken_down", ids=(war["id"],), because=("A war.",))


class OrderOverlaps:
    stage = "overlaps"

    @Rule(AS.status << Status(mechanism="order", dim=None, unit=MATCH.unit, period=MATCH.period),
          salience=Stratum.OVERLAPS)
    def order_everywhere(self, status, unit, period):
        """Every row of order is an overlap of order with itself (a test rule). Adler & Greve (2009), Overlap."""
        self.conclude(Overlap, ("temporal", (unit,), period), type="temporal", units=(unit,), period=period,
                      mechanisms=("order", "order"), dimension=None, on=(), cover_a=unit, cover_b=unit,
                      ids=status["ids"], because=(f"Order is {status['status']}.",))

    @Rule(Overlap(key=MATCH.key), salience=Stratum.CHARACTER)
    def order_character(self, key):
        """Every such overlap is automatic. Adler & Greve (2009), 'Automatic' versus 'manual' overlap."""
        self.conclude(Character, key, character="automatic", because=("Automatic.",))


RULES = (OrderRules, OrderOverlaps)
'''

EVERY_SECTION = """\
schema: 1
region: R
states: {A: a, B: b, C: c}
periods: [{id: one}, {id: two}]
subregions: {North: [A, B]}
groups: {G: [A, B, C]}
alliances:
  - {id: pact, members: [A, B], basis: expediency, against: C}
deterrence:
  - {id: watch, by: A, against: C}
consultation_norms:
  - {id: talks, among: [A, B, C], multilateral: true}
unfortified_borders:
  - {id: open, between: [A, B]}
wars:
  - {id: clash, sides: [[A, B], [C]], level: war, period: two}
practices:
  - {id: patrols, kind: patrol, among: G}
strategies:
  - {id: plan, name: plan, by: G, combines: [order]}
junctures:
  - {id: shock, name: shock, period: two}
"""


@pytest.fixture
def order_pack(tmp_path):
    path = tmp_path / "order_pack.py"
    path.write_text(ORDER_PACK, encoding="utf-8")
    return path


def test_a_pack_alone_diagnoses_a_file_with_every_section(order_pack, tmp_path):
    facts_path = tmp_path / "facts.yaml"
    facts_path.write_text(EVERY_SECTION, encoding="utf-8")
    rules = rulebase((str(order_pack),), builtin=False)
    result = diagnose(load_facts(facts_path, rules), rules)
    assert {r.mechanism for r in result.mechanisms} == {"order"}
    assert_concludes(result, mechanism="order", unit="group:G", period="one", status="active")
    assert_concludes(result, mechanism="order", unit="dyad:A-C", period="two", status="broken_down")
    # the sections the pack maps give its kinds; those it does not map give none
    loaded = {e.id: e.kinds for e in load_facts(facts_path, rules).entries}
    assert loaded["watch"] == ("patrol",) and loaded["talks"] == ("treaty",)
    assert loaded["pact"] == () and loaded["open"] == () and loaded["clash"] == ()


def test_a_pack_overlap_found_in_two_partitions_is_one_row(order_pack, tmp_path):
    facts_path = tmp_path / "facts.yaml"
    facts_path.write_text(EVERY_SECTION, encoding="utf-8")
    result = run(facts_path, packs=[order_pack], builtin=False)
    keys = [(o.type, o.units, o.period) for o in result.overlaps]
    assert keys and len(keys) == len(set(keys))


def test_the_cli_runs_a_pack_alone_on_a_file_with_every_section(cli_runner, order_pack, write_facts):
    from diagnose.cli import cli

    result = cli_runner.invoke(cli, ["run", str(write_facts(EVERY_SECTION)), "--no-builtin-rules", "--rules",
                                      str(order_pack), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"mechanism": "order"' in result.stdout


def test_a_pack_sees_every_status_of_every_row_in_the_overlap_stage(order_pack, tmp_path):
    """Not only the active ones: the broken-down rows reach the pack's overlap rule too."""
    facts_path = tmp_path / "facts.yaml"
    facts_path.write_text(EVERY_SECTION, encoding="utf-8")
    result = run(facts_path, packs=[order_pack], builtin=False)
    assert any("broken_down" in o.explanation for o in result.overlaps)


def _builtin_names() -> set[str]:
    """Kinds and mechanisms of the built-in packs, except words of the format itself (a war's level `crisis`)."""
    from diagnose.schema import ALLIANCE_BASES, WAR_LEVELS

    rules = builtin_rulebase()
    names = set(rules.kinds) | set(rules.mechanisms)
    for clauses in rules.section_kinds.values():
        for _, kinds in clauses:
            names |= set(kinds)
    return names - set(WAR_LEVELS) - set(ALLIANCE_BASES)


def test_no_builtin_mechanism_or_kind_is_named_in_the_core():
    """Theory lives in rules/: the package names no built-in mechanism or kind (the fact-file format aside)."""
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _builtin_names()))) + r")\b")
    allowed = {ROOT / "diagnose" / "schema.py"}  # the format's own values (bases, levels) are the format
    found = []
    for path in sorted((ROOT / "diagnose").rglob("*.py")):
        if path in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_an_overlap_without_a_character_is_an_error_not_a_silent_loss(order_pack, tmp_path):
    from diagnose.packs import PackError

    without_character = order_pack.read_text(encoding="utf-8").replace(
        "self.conclude(Character, key", "self.conclude(Character, ('elsewhere',)")
    order_pack.write_text(without_character, encoding="utf-8")
    facts_path = tmp_path / "facts.yaml"
    facts_path.write_text(EVERY_SECTION, encoding="utf-8")
    with pytest.raises(PackError, match="has no character"):
        run(facts_path, packs=[order_pack], builtin=False)
