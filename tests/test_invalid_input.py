"""Bad input: every refused fact file exits 2 with one line per problem on stderr.

The contract (spec section 5): exit status 2; each problem on its own stderr
line as ``FILE:LINE: KEY: message`` (line and key where the problem has them);
nothing on stdout; no traceback; no file written. Both commands that read a
fact file, ``validate`` and ``run``, are held to it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from diagnose import FactFileError, load_facts
from diagnose.cli import cli
from diagnose.yamlread import MAX_BYTES, MAX_DEPTH, MAX_NODES

BAD_FACTS = Path(__file__).resolve().parent / "facts"  # as in conftest.py

COMMANDS = [
    pytest.param(["validate"], id="validate"),
    pytest.param(["run", "--format", "json"], id="run-json"),
]

# file under tests/facts -> the exact stderr lines, with {f} for the path as passed.
CASES = {
    "invalid-unknown-kind.yaml": [
        "{f}:11: practices[1].kind: unknown kind 'deterence' (did you mean 'deterrence'?)",
    ],
    "invalid-unknown-state.yaml": [
        "{f}:10: practices[0].among[1]: unknown state, group or sub-region 'SWE' (did you mean 'SE'?)",
    ],
    "invalid-unknown-period.yaml": [
        "{f}:16: practices[0].period: unknown period 'post_cold_wr' (did you mean 'post_cold_war'?)",
    ],
    "invalid-wrong-type.yaml": [
        "{f}:10: practices[0].rooted: expected true or false, got 'sometimes'",
        "{f}:11: practices[0].year: expected a year (an integer), got 'early nineties'",
    ],
    "invalid-missing-required-key.yaml": [
        "{f}:8: practices[0]: missing required key 'kind' in practices entries",
    ],
    "invalid-unknown-key.yaml": [
        "{f}:7: practises: unknown key in the fact file (did you mean 'practices'?)",
    ],
    "invalid-not-a-mapping.yaml": [
        "{f}:2: expected a mapping at the top level (schema, region, states, ...), got a list",
    ],
    "invalid-empty.yaml": [
        "{f}: the file is empty: expected a mapping with schema, region and states",
    ],
    "invalid-comments-only.yaml": [
        "{f}: the file is empty: expected a mapping with schema, region and states",
    ],
    "invalid-yaml-syntax.yaml": [
        "{f}:10: invalid YAML: while parsing a flow sequence (line 9): did not find expected ',' or ']'",
    ],
    "invalid-not-utf8.yaml": [
        "{f}: not UTF-8 text: byte 0xe9 at offset 127 cannot be decoded",
    ],
    "invalid-control-character.yaml": [
        "{f}:4: invalid YAML: unacceptable character #x0007: control characters are not allowed",
    ],
    "invalid-two-documents.yaml": [
        "{f}:7: invalid YAML: expected a single document in the stream (line 2): but found another document",
    ],
    "invalid-python-tag.yaml": [
        "{f}:9: summary: tag !!python/object/apply:os.system is not allowed: a fact file holds plain data only",
    ],
    "invalid-alias-bomb.yaml": [
        f"{{f}}:2: aliases expand the file to more than {MAX_NODES:,} values, the limit (an alias bomb?)",
    ],
    "invalid-year-outside-periods.yaml": [
        "{f}:16: wars[0].year: year 1850 is outside every period (cold_war 1947-1989, post_cold_war 1990-…)",
    ],
    "invalid-periods-overlap.yaml": [
        "{f}:12: periods[1].from: period 'post_cold_war' must start after period 'cold_war' ends: "
        "periods are ordered oldest first and do not overlap",
    ],
    "invalid-periods-out-of-order.yaml": [
        "{f}:12: periods[1].from: period 'cold_war' must start after period 'post_cold_war' ends: "
        "periods are ordered oldest first and do not overlap",
    ],
    "invalid-period-ends-before-start.yaml": [
        "{f}:10: periods[0].to: period 'cold_war' ends (1947) before it starts (1989)",
    ],
    "invalid-duplicate-id.yaml": [
        "{f}:11: practices[0].id: duplicate id 'nordic_talks' (also consultation_norms[0])",
    ],
    "invalid-duplicate-state.yaml": [
        "{f}:7: states.NO: duplicate key 'NO'",
    ],
    "invalid-state-code.yaml": [
        "{f}:6: states.S-E: state code 'S-E' must match ^[A-Za-z][A-Za-z0-9_]*$",
    ],
    "invalid-group-one-state.yaml": [
        "{f}:8: groups.EFTA: a group needs at least two states, got 1",
    ],
    "invalid-group-named-as-state.yaml": [
        "{f}:9: groups.SE: 'SE' is already a state code: names and codes must be distinct",
    ],
    "invalid-group-named-as-subregion.yaml": [
        "{f}:11: groups.Scandinavia: 'Scandinavia' is already the name of a group or sub-region",
    ],
    "invalid-between-three-states.yaml": [
        "{f}:9: unfortified_borders[0].between: expected a list of exactly two state codes, got 3: NO, SE, FI",
    ],
    "invalid-between-group.yaml": [
        "{f}:11: wars[0].between[0]: 'Scandinavia' is a group or sub-region: expected a state code here",
    ],
    "invalid-between-and-among.yaml": [
        "{f}:9: practices[0]: name the actors with exactly one of `between`, `among`, or `by` with `against`; "
        "got `between` and `among`",
    ],
    "invalid-against-without-by.yaml": [
        "{f}:9: deterrence[0].against: `against` needs `by` (who deters or acts)",
    ],
    "invalid-missing-level.yaml": [
        "{f}:8: wars[0]: missing required key 'level' in wars entries",
    ],
    "invalid-missing-basis.yaml": [
        "{f}:8: alliances[0]: missing required key 'basis' in alliances entries",
    ],
    "invalid-unknown-basis.yaml": [
        "{f}:10: alliances[0].basis: unknown value 'expedience': expected one of expediency, collective_identity "
        "(did you mean 'expediency'?)",
    ],
    "invalid-unknown-mechanism.yaml": [
        "{f}:12: strategies[0].combines[1]: unknown mechanism 'security_comunity' "
        "(did you mean 'security_community'?)",
    ],
    "invalid-unknown-entry-key.yaml": [
        "{f}:11: practices[0].sectr: unknown key in practices entries (did you mean 'sector'?)",
    ],
    "invalid-schema-version.yaml": [
        "{f}:2: schema: unsupported schema 2: this version reads schema 1",
    ],
    "invalid-empty-states.yaml": [
        "{f}:4: states: expected a mapping of state codes to display names, got an empty mapping",
    ],
    "invalid-yaml11-boolean.yaml": [
        "{f}:11: consultation_norms[0].multilateral: expected true or false, got 'yes'",
    ],
    # Issue 13: hostile input. Control characters in values are shown as escapes
    # (r"..." below: a backslash and a letter), so each problem stays on one line.
    "invalid-state-code-newline.yaml": [
        r"{f}:6: states.SE\n: state code 'SE\n' must match ^[A-Za-z][A-Za-z0-9_]*$",
    ],
    "invalid-period-id-newline.yaml": [
        r"{f}:10: periods[1].id: period id 'after\n' must match ^[a-z][a-z0-9_]*$",
    ],
    "invalid-group-name-newline.yaml": [
        r"{f}:10: subregions.North\x1b]0;owned\x07: expected a sub-region name without control characters "
        r"or line breaks, got 'North\x1b]0;owned\x07'",
        r"{f}:12: groups.Nordic\nCouncil: expected a group name without control characters or line breaks, "
        r"got 'Nordic\nCouncil'",
    ],
    "invalid-control-character-in-names.yaml": [
        r"{f}:11: practices[0].id: expected an id without control characters or line breaks, "
        r"got 'talks\r\nforged'",
        r"{f}:14: practices[0].agency: expected a label without control characters or line breaks, "
        r"got 'foreign\tministry'",
        r"{f}:15: practices[0].issue: expected a label without control characters or line breaks, "
        r"got 'water\u2028rights'",
        r"{f}:19: strategies[0].id: expected an id without control characters or line breaks, got 'bind\x00'",
        r"{f}:20: strategies[0].name: expected a name without control characters or line breaks, "
        r"got 'binding\x85them'",
        r"{f}:24: junctures[0].id: expected an id without control characters or line breaks, got 'end\x7f'",
        r"{f}:25: junctures[0].name: expected a name without control characters or line breaks, "
        r"got 'end of\nthe Cold War'",
    ],
    "invalid-id-is-a-declaration-id.yaml": [
        "{f}:14: consultation_norms[0].id: id 'states' is already the fact id of the declaration of the states "
        "(line 5): entry ids must differ from declaration ids",
        "{f}:17: practices[0].id: id 'groups.Nordic Council' is already the fact id of the declaration of group "
        "'Nordic Council' (line 12): entry ids must differ from declaration ids",
        "{f}:21: strategies[0].id: id 'subregions.North' is already the fact id of the declaration of sub-region "
        "'North' (line 10): entry ids must differ from declaration ids",
    ],
    "invalid-type-changing-tag.yaml": [
        f"{{f}}:{line}: {key}: tag {tag} is not allowed: a fact file holds plain data only; write the value "
        "without it (in quotes to keep it text)"
        for line, key, tag in [(7, "states.SE", "!!str"), (11, "practices[0].note", "!!int"),
                               (12, "practices[0].source", "!!str"), (13, "practices[0].year", "!!float"),
                               (14, "practices[0].rooted", "!!bool"), (15, "practices[0].agency", "!!null"),
                               (16, "practices[0].issue", "!")]
    ],
    "invalid-number-out-of-range.yaml": [
        "{f}:4: as_of: number 1e999 is out of range: expected a finite number",
        "{f}:10: periods[0].from: number -1e999 is out of range: expected a finite number",
    ],
    "invalid-many-problems.yaml": [
        "{f}:8: groups.Nordics[2]: unknown state 'DK'",
        "{f}:10: wars[0]: missing required key 'level' in wars entries",
        "{f}:12: practices[0].kind: unknown kind 'deterence' (did you mean 'deterrence'?)",
        "{f}:14: practices[0].sector: unknown value 'militray': expected one of military, political, economic, "
        "societal, environmental (did you mean 'military'?)",
        "{f}:17: alliances[0].basis: unknown value 'trust': expected one of expediency, collective_identity",
    ],
}


def _snapshot(*dirs: Path) -> dict[Path, list[str]]:
    return {d: sorted(p.name for p in d.iterdir()) for d in dirs}


def assert_refused(result, expected: list[str]) -> None:
    """Exit 2, exactly the expected stderr lines, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    # Anything but click's own SystemExit means an exception escaped: a traceback.
    assert result.exc_info is None or result.exc_info[0] is SystemExit, result.exc_info
    assert result.stdout == ""
    assert result.stderr.splitlines() == expected
    assert result.stderr.endswith("\n")
    assert "Traceback" not in result.output + result.stderr


def run_cli(runner, command: list[str], path: str):
    return runner.invoke(cli, [*command[:1], path, *command[1:]])


def test_every_bad_file_has_a_case():
    """Each tests/facts/invalid-*.yaml is checked below, and each case has its file."""
    on_disk = {p.name for p in BAD_FACTS.glob("invalid-*.yaml")}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused(cli_runner, command, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = str(BAD_FACTS / name)
    before = _snapshot(tmp_path, BAD_FACTS)
    result = run_cli(cli_runner, command, path)
    assert_refused(result, [line.format(f=path) for line in CASES[name]])
    assert _snapshot(tmp_path, BAD_FACTS) == before, "a refused file must write no file"


@pytest.mark.parametrize("command", COMMANDS)
def test_file_named_as_passed(cli_runner, command, monkeypatch):
    """The spec's own example: the path appears exactly as the user typed it."""
    monkeypatch.chdir(BAD_FACTS.parent)
    result = run_cli(cli_runner, command, "facts/invalid-unknown-kind.yaml")
    assert_refused(result, ["facts/invalid-unknown-kind.yaml:11: practices[1].kind: "
                            "unknown kind 'deterence' (did you mean 'deterrence'?)"])


def test_every_problem_reported_sorted_by_line():
    with pytest.raises(FactFileError) as caught:
        load_facts(BAD_FACTS / "invalid-many-problems.yaml")
    lines = [p.line for p in caught.value.problems]
    assert len(lines) == 5
    assert lines == sorted(lines)
    assert caught.value.exit_code == 2


def test_problems_on_one_line_are_all_reported(cli_runner, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("schema: 1\nregion: R\nstates: {AA: A, BB: B}\nperiods:\n  - {id: p, from: x, to: y, form: 1}\n",
                    encoding="utf-8")
    result = cli_runner.invoke(cli, ["validate", str(path)])
    assert_refused(result, [
        f"{path}:5: periods[0].form: unknown key in a period (did you mean 'from'?)",
        f"{path}:5: periods[0].from: expected a year (an integer), got 'x'",
        f"{path}:5: periods[0].to: expected a year (an integer), got 'y'",
    ])


# -- the file cannot even be read as data -------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_file(cli_runner, command, tmp_path):
    path = str(tmp_path / "nowhere.yaml")
    result = run_cli(cli_runner, command, path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}: cannot read the file: ")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_not_utf8_file_really_is_latin1():
    raw = (BAD_FACTS / "invalid-not-utf8.yaml").read_bytes()
    assert b"R\xe9publique" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_oversized_file(cli_runner, command, tmp_path):
    path = tmp_path / "huge.yaml"
    head = b"schema: 1\nregion: Huge\nstates:\n  AA: A\n  BB: B\nsummary: >\n"
    line = b"  " + b"x" * 77 + b"\n"
    with path.open("wb") as out:
        out.write(head)
        out.write(line * ((MAX_BYTES - len(head)) // len(line) + 1))
    size = path.stat().st_size
    assert size > MAX_BYTES
    result = run_cli(cli_runner, command, str(path))
    assert_refused(result, [f"{path}: file is {size:,} bytes; the limit is {MAX_BYTES:,}"])


def test_file_at_the_size_limit_is_read(tmp_path):
    """The limit is on size alone: a file of exactly MAX_BYTES is still read."""
    path = tmp_path / "big.yaml"
    head = b"schema: 1\nregion: Big\nstates:\n  AA: A\n  BB: B\nsummary: >\n"
    body = b"  " + b"x" * (MAX_BYTES - len(head) - 3) + b"\n"
    path.write_bytes(head + body)
    assert path.stat().st_size == MAX_BYTES
    assert len(load_facts(path).summary) > MAX_BYTES // 2


@pytest.mark.parametrize("command", COMMANDS)
def test_too_deep(cli_runner, command, tmp_path):
    path = tmp_path / "deep.yaml"
    depth = MAX_DEPTH + 1
    path.write_text("schema: 1\nregion: R\nstates: {AA: A, BB: B}\nsummary: " + "[" * depth + "]" * depth + "\n",
                    encoding="utf-8")
    result = run_cli(cli_runner, command, str(path))
    assert_refused(result, [f"{path}:4: nested more than {MAX_DEPTH} levels deep"])


@pytest.mark.parametrize("command", COMMANDS)
def test_too_deep_through_aliases(cli_runner, command, tmp_path):
    """Each anchor nests the previous one 40 levels down: shallow as written, deep once aliases are followed."""
    path = tmp_path / "deep-aliases.yaml"
    rows = ["a0: &a0 x"] + [f"a{i}: &a{i} " + "[" * 40 + f"*a{i - 1}" + "]" * 40 for i in range(1, 40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli(cli_runner, command, str(path))
    assert_refused(result, [f"{path}:1: aliases nest the file more than {MAX_DEPTH} levels deep"])


@pytest.mark.parametrize("command", COMMANDS)
def test_recursive_alias(cli_runner, command, tmp_path):
    path = tmp_path / "cycle.yaml"
    path.write_text("schema: 1\nloop: &loop [*loop]\n", encoding="utf-8")
    result = run_cli(cli_runner, command, str(path))
    assert_refused(result, [f"{path}:1: aliases expand the file to more than {MAX_NODES:,} values, "
                            "the limit (an alias bomb?)"])


@pytest.mark.parametrize("command", COMMANDS)
def test_number_too_long_to_convert(cli_runner, command, tmp_path):
    """More digits than Python converts to int (4300 by default) must not crash the reader."""
    path = tmp_path / "long.yaml"
    digits = "9" * 5000
    path.write_text(f"schema: 1\nregion: R\nstates: {{AA: A, BB: B}}\nperiods:\n  - id: p\n    from: {digits}\n",
                    encoding="utf-8")
    result = run_cli(cli_runner, command, str(path))
    assert_refused(result, [f"{path}:6: periods[0].from: expected a year (an integer), "
                            f"got '{digits[:57]}...' (5,000 characters)"])


# -- unsafe YAML ----------------------------------------------------------------


def _tagged_copy(tmp_path: Path, marker: Path) -> Path:
    text = (BAD_FACTS / "invalid-python-tag.yaml").read_text(encoding="utf-8")
    assert "touch MARKER" in text
    path = tmp_path / "tag.yaml"
    path.write_text(text.replace("MARKER", str(marker)), encoding="utf-8")
    return path


@pytest.mark.skipif(shutil.which("touch") is None, reason="needs a `touch` command")
def test_python_tag_is_live_under_an_unsafe_loader(tmp_path):
    """Control: the canary really runs a command when a loader builds objects."""
    marker = tmp_path / "control-marker"
    yaml.unsafe_load(_tagged_copy(tmp_path, marker).read_text(encoding="utf-8"))
    assert marker.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_python_tag_never_runs(cli_runner, command, tmp_path):
    marker = tmp_path / "marker"
    path = _tagged_copy(tmp_path, marker)
    result = run_cli(cli_runner, command, str(path))
    assert_refused(result, [f"{path}:9: summary: tag !!python/object/apply:os.system is not allowed: "
                            "a fact file holds plain data only"])
    assert not marker.exists()


def test_alias_bomb_is_refused_fast_and_small():
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FactFileError):
            load_facts(BAD_FACTS / "invalid-alias-bomb.yaml")
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 5
    assert peak < 200 * 1024 * 1024


# -- the console script, end to end --------------------------------------------


def _console_script() -> str | None:
    bindir = Path(sys.executable).parent
    return shutil.which("diagnose", path=str(bindir)) or shutil.which("diagnose")


@pytest.mark.parametrize("command", COMMANDS)
def test_console_script_end_to_end(command, tmp_path):
    script = _console_script()
    if script is None:
        pytest.skip("the diagnose console script is not installed")
    path = str(BAD_FACTS / "invalid-unknown-kind.yaml")
    done = subprocess.run([script, *command[:1], path, *command[1:]], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"{path}:11: practices[1].kind: unknown kind 'deterence' (did you mean 'deterrence'?)\n"
    assert list(tmp_path.iterdir()) == []


def test_console_script_alias_bomb_memory(tmp_path):
    """The whole process, not only the Python heap, stays small on an alias bomb."""
    pytest.importorskip("resource")
    script = _console_script()
    if script is None:
        pytest.skip("the diagnose console script is not installed")
    # A fresh parent, so that ru_maxrss (the largest child) is this run's alone.
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([done.returncode, done.stdout, done.stderr, rss, time.perf_counter() - t]))\n"
    )
    bomb = str(BAD_FACTS / "invalid-alias-bomb.yaml")
    out = subprocess.run([sys.executable, "-c", probe, script, "validate", bomb], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60, check=True).stdout
    returncode, stdout, stderr, rss, elapsed = json.loads(out)
    assert returncode == 2
    assert stdout == ""
    assert "alias bomb" in stderr and "Traceback" not in stderr
    assert elapsed < 5
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    assert rss * (1 if sys.platform == "darwin" else 1024) < 200 * 1024 * 1024
    assert list(tmp_path.iterdir()) == []


# -- NO is Norway, not false ---------------------------------------------------


def test_norway_code_loads_as_a_string():
    facts = load_facts(BAD_FACTS / "valid-norway-code.yaml")
    assert list(facts.states) == ["NO", "SE", "ON"]
    assert all(isinstance(code, str) for code in facts.states)
    (group,) = facts.groups
    assert group.states == frozenset({"NO", "SE"})
    assert any(entry.actors == frozenset({"NO", "ON"}) for entry in facts.entries)


def test_norway_code_diagnoses(cli_runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = str(BAD_FACTS / "valid-norway-code.yaml")
    result = cli_runner.invoke(cli, ["run", path, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = json.loads(result.stdout)["mechanisms"]
    active = {(r["mechanism"], r["unit"]) for r in rows if r["status"] == "active" and r["sector"] is None}
    assert ("security_community", "dyad:NO-SE") in active
    assert ("security_community", "group:Scandinavia") in active
    assert "dyad:NO-ON" in {r["unit"] for r in rows}
    validated = cli_runner.invoke(cli, ["validate", path])
    assert validated.exit_code == 0
    assert validated.stdout.startswith(f"{path}: valid: Nordic: 3 states")
    assert os.listdir(tmp_path) == []
