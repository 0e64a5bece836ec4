"""The fact-file side of version 2 of the contract (shared/spec/fact-files.md, sections 2, 5 and 6).

Through `load_facts` and the command line: wars with `sides` (and the refusal
of a war `among` three or more states), `mutual`, `rooted` on wars, scoped
strategies, and the warnings of `diagnose validate` and `diagnose run`.

A refused file exits 2 with one line per problem on stderr, `FILE:LINE: KEY:
message`; messages are checked by their essential words, not their full text.
A warning leaves the exit status 0 and goes to stderr with the file and line.
"""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from diagnose import FactFileError, load_facts
from diagnose.cli import cli

HEAD = """\
schema: 1
region: R
states: {A: a, B: b, C: c, D: d, E: e}
periods: [{id: p1, from: 1980, to: 1989}, {id: p2, from: 1990}]
groups: {Pair: [A, B], Trio: [C, D, E]}
"""


def invoke(runner, *args: str):
    return runner.invoke(cli, list(args), prog_name="diagnose")


def line_of(text: str, marker: str) -> int:
    """The line (1-based) of the one line of ``text`` that contains ``marker``."""
    hits = [n for n, line in enumerate(textwrap.dedent(text).splitlines(), 1) if marker in line]
    assert len(hits) == 1, (marker, hits)
    return hits[0]


def assert_refused(runner, path, key: str, line: int, *words: str) -> None:
    """Both commands refuse the file: exit 2, nothing on stdout, a `FILE:LINE: KEY...` line with ``words``.

    ``words`` are regular expressions, matched case-insensitively on the lines that name the key.
    """
    for command in (["validate"], ["run", "--format", "json"]):
        result = invoke(runner, command[0], str(path), *command[1:])
        assert result.exit_code == 2, (command, result.exit_code, result.stdout, result.stderr)
        assert result.exc_info is None or result.exc_info[0] is SystemExit, result.exc_info
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        prefix = f"{path}:{line}: {key}"
        named = [text for text in result.stderr.splitlines() if text.startswith(prefix)]
        assert named, f"no line starting with {prefix!r} in:\n{result.stderr}"
        for word in words:
            assert any(re.search(word, text, re.I) for text in named), (word, named)
    with pytest.raises(FactFileError) as refused:
        load_facts(path)
    assert f"{path}:{line}: {key}" in str(refused.value)


def assert_accepted(runner, path) -> tuple[str, str]:
    """`load_facts`, `validate` and `run` accept the file; returns the stderr of validate and of run."""
    load_facts(path)
    checked = invoke(runner, "validate", str(path))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith(f"{path}: valid"), checked.stdout
    ran = invoke(runner, "run", str(path), "--format", "json")
    assert ran.exit_code == 0, ran.output
    json.loads(ran.stdout)
    assert "Traceback" not in checked.stderr + ran.stderr
    return checked.stderr, ran.stderr


# -- wars with sides ------------------------------------------------------------------------


def test_war_with_sides_is_accepted(cli_runner, write_facts):
    """Section 2: `sides: [[...], [...]]` names a coalition war; states or group names on a side."""
    path = write_facts(HEAD + """\
wars:
  - {id: gulf, sides: [[A, B], [C]], level: war, year: 1991}
  - {id: blocs, sides: [[Pair], [Trio]], level: crisis, period: p1}
  - {id: two, among: [D, E], level: armed_conflict}
""")
    validate_err, run_err = assert_accepted(cli_runner, path)
    assert validate_err == "" and run_err == ""  # nothing to warn about


@pytest.mark.parametrize("level", ["war", "armed_conflict", "crisis"])
@pytest.mark.parametrize("among", ["[A, B, C]", "Trio"])
def test_war_among_three_states_is_refused_with_a_hint_to_name_the_sides(cli_runner, write_facts, level, among):
    """Section 2: a war (any level) `among` three or more states is refused; the message says to name the sides."""
    text = HEAD + "wars:\n  - {id: melee, among: " + among + ", level: " + level + "}\n"
    assert_refused(cli_runner, write_facts(text), "wars[0]", line_of(text, "melee"), r"sides")


@pytest.mark.parametrize("sides, state", [
    ("[[A, B], [B, C]]", "B"),
    ("[[Pair], [A, C]]", "A"),  # A is on the first side through the group
])
def test_sides_with_a_state_on_both_are_refused(cli_runner, write_facts, sides, state):
    """Section 2: the two sides share no state: one on both is refused, naming it."""
    text = HEAD + "wars:\n  - {id: odd, sides: " + sides + ", level: war}\n"
    assert_refused(cli_runner, write_facts(text), "wars[0]", line_of(text, "odd"), r"(?-i:\b" + state + r"\b)",
                   r"both|sides")


@pytest.mark.parametrize("sides", ["[[A, B]]", "[[A], [B], [C]]", "[[A], []]"],
                         ids=["one-side", "three-sides", "empty-side"])
def test_sides_must_be_two_non_empty_lists(cli_runner, write_facts, sides):
    """Section 2: `sides` is two non-empty lists."""
    text = HEAD + "wars:\n  - {id: odd, sides: " + sides + ", level: war}\n"
    assert_refused(cli_runner, write_facts(text), "wars[0]", line_of(text, "odd"), r"side")


def test_sides_are_for_wars_only(cli_runner, write_facts):
    """Section 2: `sides` is an actors field of wars only."""
    text = HEAD + "practices:\n  - {id: odd, kind: deterrence, sides: [[A], [B]]}\n"
    assert_refused(cli_runner, write_facts(text), "practices[0]", line_of(text, "odd"), r"sides")


# -- mutual ---------------------------------------------------------------------------------


@pytest.mark.parametrize("section, entry", [
    ("alliances", "{id: odd, members: [A, B, C], basis: expediency, mutual: true}"),
    ("wars", "{id: odd, between: [A, B], level: war, mutual: true}"),
    ("wars", "{id: odd, sides: [[A, B], [C]], level: armed_conflict, mutual: true}"),
    ("practices", "{id: odd, kind: consultation, among: [A, B, C], mutual: true}"),
], ids=["alliance", "war", "coalition-war", "sc-practice"])
def test_mutual_is_refused_where_it_means_nothing(cli_runner, write_facts, section, entry):
    """Section 2: `mutual` is allowed only on balance-of-power entries with `among`: refused on alliances, wars
    (and security-community practices)."""
    text = HEAD + section + ":\n  - " + entry + "\n"
    assert_refused(cli_runner, write_facts(text), section + "[0]", line_of(text, "odd"), r"mutual")


def test_mutual_is_accepted_on_balance_of_power_entries(cli_runner, write_facts):
    """Section 2: `mutual: true` on BoP `among` entries (it changes nothing on concerts and two-state entries)."""
    path = write_facts(HEAD + """\
deterrence:
  - {among: [A, B, C], mutual: true}
practices:
  - {kind: arms_race, among: Trio, mutual: true, period: p2}
  - {kind: great_power_concert, among: [A, B, C], mutual: true}
  - {kind: worst_case_planning, among: [D, E], mutual: true}
  - {kind: capability_monitoring, among: [A, B, C, D], mutual: false}
""")
    assert_accepted(cli_runner, path)


# -- rooted on wars ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", [
    "{id: odd, between: [A, B], level: war, rooted: false}",
    "{id: odd, between: [A, B], level: crisis, rooted: true}",
    "{id: odd, sides: [[A], [B, C]], level: armed_conflict, rooted: false}",
])
def test_rooted_is_refused_on_wars(cli_runner, write_facts, entry):
    """Section 2: `rooted` is not allowed on wars."""
    text = HEAD + "wars:\n  - " + entry + "\n"
    assert_refused(cli_runner, write_facts(text), "wars[0]", line_of(text, "odd"), r"rooted")


def test_rooted_is_still_accepted_on_practices(cli_runner, write_facts):
    """Section 2 near miss: `rooted` stays a field of every other practice entry."""
    assert_accepted(cli_runner, write_facts(HEAD + """\
alliances:
  - {members: [A, B], basis: collective_identity, rooted: false}
practices:
  - {kind: peace_conference, among: [A, B, C], rooted: false}
"""))


# -- scoped strategies ------------------------------------------------------------------------

STRATEGY = HEAD + """\
strategies:
  - {id: odd, name: hedging, by: [A, B], combines: [balance_of_power, security_community]SCOPE}
"""


@pytest.mark.parametrize("scope", [
    "sector: military, agency: defence",
    "sector: military, issue: terrorism",
    "agency: defence, issue: terrorism",
    "sector: military, agency: defence, issue: terrorism",
])
def test_strategy_with_two_of_sector_agency_issue_is_refused(cli_runner, write_facts, scope):
    """Section 2: a strategy names at most one of `sector`, `agency`, `issue`."""
    text = STRATEGY.replace("SCOPE", ", " + scope)
    assert_refused(cli_runner, write_facts(text), "strategies[0]", line_of(text, "odd"),
                   r"\bone\b", r"sector|agency|issue")


@pytest.mark.parametrize("scope", [
    "", ", sector: military", ", agency: defence", ", issue: terrorism",
    ", overlaps: [temporal, functional, spatial, relational]", ", overlaps: [functional], sector: economic",
])
def test_scoped_strategies_are_accepted(cli_runner, write_facts, scope):
    """Section 2: `overlaps` (overlap types) and one of sector/agency/issue scope a strategy."""
    assert_accepted(cli_runner, write_facts(STRATEGY.replace("SCOPE", scope)))


@pytest.mark.parametrize("typo, meant", [("functonal", "functional"), ("spacial", "spatial"),
                                         ("relation", "relational")])
def test_strategy_overlaps_with_an_unknown_type_is_refused_with_did_you_mean(cli_runner, write_facts, typo, meant):
    """Section 2 and 5: an unknown overlap type in a strategy's `overlaps` is refused with a did-you-mean."""
    text = STRATEGY.replace("SCOPE", ", overlaps: [temporal, " + typo + "]")
    assert_refused(cli_runner, write_facts(text), "strategies[0].overlaps", line_of(text, "odd"),
                   re.escape(typo), r"did you mean '" + meant + "'")


# -- warnings of validate and run ---------------------------------------------------------------


def assert_warned(runner, path, lines: set[int], *words: str) -> None:
    """`validate` and `run` exit 0 and warn on stderr with `FILE:LINE:` (one of ``lines``) and ``words``."""
    validate_err, run_err = assert_accepted(runner, path)
    warnings = [text for text in validate_err.splitlines()
                if any(text.startswith(f"{path}:{line}:") for line in lines)]
    assert warnings, f"no warning at {path}:{sorted(lines)} in:\n{validate_err}"
    for word in words:
        assert any(re.search(word, text, re.I) for text in warnings), (word, warnings)
    for text in warnings:
        assert text in run_err.splitlines(), f"`run` does not repeat {text!r}:\n{run_err}"


def assert_not_warned(runner, path) -> None:
    validate_err, run_err = assert_accepted(runner, path)
    assert validate_err == "", validate_err
    assert run_err == "", run_err


ALLIANCE_AND_MUTUAL = HEAD + """\
alliances:
  - {id: pact, members: [A, B, C], basis: expediency, period: p2}
deterrence:
  - {id: target, MUTUAL_ENTRY}
"""


@pytest.mark.parametrize("entry", [
    "among: [A, B, D], mutual: true, period: p2",
    "among: [A, B, D], mutual: true",  # every period, so p2 too
    "among: Trio, mutual: true, year: 1995",
], ids=["same-period", "every-period", "year-in-the-period"])
def test_validate_warns_when_a_mutual_entry_sets_two_allies_against_each_other(cli_runner, write_facts, entry):
    """Section 2: a mutual entry that sets two members of one alliance against each other in a period where the
    alliance holds gets a warning (usually a collective practice was meant); `run` repeats it."""
    text = ALLIANCE_AND_MUTUAL.replace("MUTUAL_ENTRY", entry)
    if "Trio" in entry:
        text = text.replace("members: [A, B, C]", "members: [C, D]")  # C and D are both in Trio
    assert_warned(cli_runner, write_facts(text), {line_of(text, "target"), line_of(text, "pact")}, r"allian")


@pytest.mark.parametrize("entry", [
    "among: [A, B, D], mutual: true, period: p1",  # the alliance holds in p2 only
    "among: [A, D, E], mutual: true",  # one member of the alliance only
    "between: [A, B]",  # a dyad's own balance (relational overlap), not a `mutual` entry
    "by: A, against: B",
    "among: [A, B, D]",  # collective: faces outward
], ids=["other-period", "one-member", "between", "directed", "collective"])
def test_validate_does_not_warn_without_allies_set_against_each_other(cli_runner, write_facts, entry):
    """Section 2 near miss: no warning when no `mutual` entry sets two allies against each other in its period."""
    assert_not_warned(cli_runner, write_facts(ALLIANCE_AND_MUTUAL.replace("MUTUAL_ENTRY", entry)))


COLLECTIVE = """\
schema: 1
region: R
states: {A: a, B: b, C: c}
groups: {All: [A, B, C], Pair: [A, B]}
SECTION:
  - {id: target, ENTRY}
"""


@pytest.mark.parametrize("section, entry", [
    ("practices", "kind: worst_case_planning, among: [A, B, C]"),
    ("practices", "kind: arms_race, among: All"),  # a group that holds every state
    ("deterrence", "among: [C, B, A]"),
])
def test_validate_warns_when_a_collective_entry_names_every_state(cli_runner, write_facts, section, entry):
    """Section 2: a collective balance-of-power entry naming every state of the region faces no one in the file:
    a warning (write `mutual: true`, or `by` + `against`); `run` repeats it."""
    text = COLLECTIVE.replace("SECTION", section).replace("ENTRY", entry)
    assert_warned(cli_runner, write_facts(text), {line_of(text, "target")}, r"mutual|against")


@pytest.mark.parametrize("section, entry", [
    ("practices", "kind: worst_case_planning, among: [A, B, C], mutual: true"),
    ("practices", "kind: worst_case_planning, among: Pair"),  # not every state
    ("practices", "kind: consultation, among: [A, B, C]"),  # a community practice
    ("practices", "kind: great_power_concert, among: [A, B, C]"),  # always among its participants
    ("deterrence", "by: [A, B], against: C"),
])
def test_validate_does_not_warn_about_entries_that_face_someone(cli_runner, write_facts, section, entry):
    """Section 2 near miss: mutual, partial, community and concert entries, and directed ones, get no warning."""
    assert_not_warned(cli_runner, write_facts(COLLECTIVE.replace("SECTION", section).replace("ENTRY", entry)))


def test_both_warnings_at_once_one_line_each(cli_runner, write_facts):
    """Section 2: both warnings in one file, one stderr line each, repeated by `run` (whose stdout stays JSON)."""
    text = """\
schema: 1
region: R
states: {A: a, B: b, C: c}
alliances:
  - {id: pact, members: [A, B], basis: collective_identity}
practices:
  - {id: everyone, kind: worst_case_planning, among: [A, B, C]}
  - {id: mutual_one, kind: arms_race, among: [A, B, C], mutual: true}
"""
    path = write_facts(text)
    validate_err, run_err = assert_accepted(cli_runner, path)
    for markers in (("everyone",), ("mutual_one", "pact")):  # the mutual entry's line, or its alliance's
        lines = {line_of(text, marker) for marker in markers}
        assert any(warning.startswith(f"{path}:{n}:") for warning in validate_err.splitlines() for n in lines), \
            (markers, validate_err)
    assert len(validate_err.splitlines()) == 2, validate_err
    assert set(validate_err.splitlines()) <= set(run_err.splitlines())
