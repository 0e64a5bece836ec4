"""Issue 13, reading: hostile or unlucky input refused in bounded time with one line per problem.

Files that are no regular files, control characters in names, ids that
collide with declarations, tags, entries multiplied by aliases, numbers that
JSON cannot write. The bad fact files themselves are cases of
tests/test_invalid_input.py (tests/facts/invalid-*.yaml); this module holds
what a file in tests/facts cannot: special files, generated files, options.
"""

from __future__ import annotations

import json
import math
import os
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

import diagnose.load as L
from diagnose import Diagnosis, FactFileError, load_facts
from diagnose.cli import cli
from diagnose.errors import DiagnoseError
from diagnose.yamlread import MAX_BYTES, read_yaml

BAD_FACTS = Path(__file__).resolve().parent / "facts"
MINIMAL = "schema: 1\nregion: R\nstates: {AA: A, BB: B}\n"


def _one_line_refusal(result) -> str:
    """Exit 2, nothing on stdout, no traceback, one line on stderr: that line."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.exc_info is None or result.exc_info[0] is SystemExit, result.exc_info
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def _run_module(args: list[str], cwd: Path, timeout: float = 60, memory: int | None = None):
    """`python -m diagnose ARGS` in a child, killed after ``timeout`` (and limited to ``memory`` bytes)."""
    limit = None
    if memory is not None:
        resource = pytest.importorskip("resource")

        def limit():  # runs in the child before exec
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        return subprocess.run([sys.executable, "-m", "diagnose", *args], capture_output=True, text=True,
                              cwd=cwd, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`diagnose {' '.join(args)}` still running after {timeout} s")


# -- 1. only regular files, and never more than the limit + 1 bytes -------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_refused_at_once(tmp_path):
    """Reading a FIFO used to block forever (waiting for a writer); the child is killed after 60 s."""
    fifo = tmp_path / "facts.yaml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    done = _run_module(["validate", str(fifo)], tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr == f"{fifo}: expected a regular file, got a named pipe (FIFO)\n"
    assert time.perf_counter() - started < 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_refused_by_the_library(tmp_path):
    """In process, with a watchdog that opens the pipe for writing so a regression fails instead of hanging."""
    fifo = tmp_path / "facts.yaml"
    os.mkfifo(fifo)

    def unblock():
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # no reader waiting: nothing to unblock
            pass

    watchdog = threading.Timer(10, unblock)
    watchdog.start()
    try:
        with pytest.raises(FactFileError) as caught:
            read_yaml(fifo)
    finally:
        watchdog.cancel()
    assert str(caught.value) == f"{fifo}: expected a regular file, got a named pipe (FIFO)"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading_it(tmp_path):
    """/dev/zero never ends: reading it whole ended in a MemoryError. The child gets 2 GiB and 60 s."""
    done = _run_module(["run", "/dev/zero", "--format", "json"], tmp_path, memory=2 * 1024 ** 3)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stdout == ""
    assert done.stderr == "/dev/zero: expected a regular file, got a character device\n"


def test_directory_is_refused(tmp_path):
    with pytest.raises(FactFileError) as caught:
        read_yaml(tmp_path)
    assert str(caught.value) == f"{tmp_path}: expected a regular file, got a directory"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_config_that_is_no_regular_file(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text(MINIMAL, encoding="utf-8")
    done = _run_module(["validate", str(facts), "--config", "/dev/zero"], tmp_path, memory=2 * 1024 ** 3)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stdout == ""
    assert done.stderr == "/dev/zero: expected a regular file, got a character device\n"


def test_oversized_file_is_never_read_whole(tmp_path):
    """A sparse file of 8 x the limit: refused from its size, without reading it into memory."""
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as out:
        out.write(MINIMAL.encode())
        out.truncate(8 * MAX_BYTES)
    tracemalloc.start()
    try:
        with pytest.raises(FactFileError) as caught:
            read_yaml(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == f"{path}: file is {8 * MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}"
    assert peak < 2 * MAX_BYTES


def test_a_file_longer_than_its_size_said_is_read_only_to_the_limit(tmp_path, monkeypatch):
    """Its size said small when asked (it grew since, or lies), yet it holds more: at most limit + 1 bytes read."""
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as out:
        out.write(MINIMAL.encode())
        out.truncate(8 * MAX_BYTES)
    inode, real_fstat = path.stat().st_ino, os.fstat

    def fstat(fd):
        found = real_fstat(fd)
        if found.st_ino != inode:
            return found
        fields = list(found)
        fields[stat.ST_SIZE] = 10
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)
    tracemalloc.start()
    try:
        with pytest.raises(FactFileError) as caught:
            read_yaml(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == f"{path}: file is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}"
    assert peak < 2 * MAX_BYTES


# -- 2 and 7. one line per problem, whatever the line breaks in a name ----------------------


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_line_break_in_a_group_name_is_one_problem_on_one_line(cli_runner, tmp_path, brk):
    path = tmp_path / "facts.yaml"
    name = json.dumps(f"G{brk}X")  # a JSON string is a YAML double-quoted scalar
    path.write_text(MINIMAL + f"groups:\n  {name}: [AA, BB]\nunfortified_borders:\n  - among: {name}\n",
                    encoding="utf-8")
    for command in (["validate"], ["run", "--format", "json"]):
        result = cli_runner.invoke(cli, [command[0], str(path), *command[1:]])
        line = _one_line_refusal(result)
        assert line.startswith(f"{path}:5: groups.G")
        assert "expected a group name without control characters or line breaks" in line


def test_a_newline_in_a_state_code_is_refused_by_the_library():
    with pytest.raises(FactFileError) as caught:
        load_facts(BAD_FACTS / "invalid-state-code-newline.yaml")
    (problem,) = caught.value.problems
    assert problem.key == r"states.SE\n" and "\n" not in problem.message


def test_free_text_keeps_its_line_breaks():
    """summary, state names, source and note are free text: kept as written (the renderers escape them)."""
    facts = load_facts(BAD_FACTS / "valid-free-text-with-line-breaks.yaml")
    assert facts.summary == "Two lines\nof summary."
    assert facts.states == {"NO": "Norway\n(Kingdom of)", "SE": "Sweden\x1b[31m"}
    (entry,) = facts.entries
    assert (entry.note, entry.source, entry.agency) == ("A note\non two lines.", "Author\t(year)", "foreign ministry")
    assert facts.as_of == ".nan"  # YAML 1.2: `.nan` is no number here, only a text


# -- 5. entries multiplied by aliases -----------------------------------------------------


def _aliased(path: Path, count: int) -> Path:
    """One entry and ``count - 1`` aliases to it: a few bytes per entry."""
    path.write_text(MINIMAL + "practices: [&e {kind: deterrence, between: [AA, BB]}" + ", *e" * (count - 1) + "]\n",
                    encoding="utf-8")
    return path


def test_too_many_entries_through_aliases(cli_runner, tmp_path):
    MAX_ENTRIES = L.MAX_ENTRIES
    path = _aliased(tmp_path / "aliases.yaml", MAX_ENTRIES + 1)
    assert path.stat().st_size < 5 * (MAX_ENTRIES + 1) + 200
    started = time.perf_counter()
    for command in (["validate"], ["run", "--format", "json"]):
        result = cli_runner.invoke(cli, [command[0], str(path), *command[1:]])
        assert _one_line_refusal(result) == (
            f"{path}:4: practices: the file has {MAX_ENTRIES + 1:,} entries (aliases count each time they are "
            f"used); the limit is {MAX_ENTRIES:,} across all sections, to bound the time a diagnosis takes")
    assert time.perf_counter() - started < 30


def test_entries_limit_counts_every_section(tmp_path, monkeypatch):
    monkeypatch.setattr(L, "MAX_ENTRIES", 4)
    text = MINIMAL + ("unfortified_borders: [&u {between: [AA, BB]}, *u]\n"
                      "junctures: [&j {name: shock}, *j]\n")
    ok = tmp_path / "ok.yaml"
    ok.write_text(text, encoding="utf-8")
    assert len(load_facts(ok).entries) == 2
    over = tmp_path / "over.yaml"
    over.write_text(text + "strategies: [{name: s, by: AA, combines: [balance_of_power]}]\n", encoding="utf-8")
    with pytest.raises(FactFileError) as caught:
        load_facts(over)
    (problem,) = caught.value.problems
    assert (problem.line, problem.key) == (6, "strategies")
    assert problem.message.startswith("the file has 5 entries")


# -- 6. strict JSON: no NaN, no infinity --------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
def test_threshold_that_is_no_finite_number(cli_runner, tmp_path, value):
    facts = tmp_path / "facts.yaml"
    facts.write_text(MINIMAL, encoding="utf-8")
    result = cli_runner.invoke(cli, ["run", str(facts), "--format", "json", "--threshold", f"bop_dyad_share={value}"])
    assert _one_line_refusal(result) == f"threshold 'bop_dyad_share': expected a finite number, got '{value}'"


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_integer_threshold_that_is_no_finite_number(cli_runner, tmp_path, value):
    facts = tmp_path / "facts.yaml"
    facts.write_text(MINIMAL, encoding="utf-8")
    result = cli_runner.invoke(cli, ["run", str(facts), "--threshold", f"sc_min_kinds={value}"])
    assert _one_line_refusal(result) == f"threshold 'sc_min_kinds': expected an integer, got '{value}'"


def test_threshold_nan_from_the_python_api():
    from diagnose import diagnose

    facts = load_facts(BAD_FACTS / "valid-norway-code.yaml")
    with pytest.raises(DiagnoseError) as caught:
        diagnose(facts, thresholds={"sc_block_share": math.nan})
    assert str(caught.value) == "threshold 'sc_block_share': expected a finite number, got nan"


@pytest.mark.parametrize(("body", "expected"), [
    ("thresholds:\n  bop_dyad_share: nan\n", "{c}: threshold 'bop_dyad_share': expected a finite number, got 'nan'"),
    ("thresholds:\n  bop_dyad_share: .inf\n",
     "{c}: threshold 'bop_dyad_share': expected a number, got '.inf'"),
    ("thresholds:\n  bop_dyad_share: 1e999\n",
     "{c}:2: thresholds.bop_dyad_share: number 1e999 is out of range: expected a finite number"),
    ("thresholds:\n  sc_min_kinds: abc\n", "{c}: threshold 'sc_min_kinds': expected an integer, got 'abc'"),
    ("thresholds:\n  sc_min_kinds: [4]\n", "{c}: threshold 'sc_min_kinds': expected an integer, got [4]"),
    ('thresholds:\n  sc_min_kinds: "4\\n5"\n', r"{c}: threshold 'sc_min_kinds': expected an integer, got '4\n5'"),
    ('thresholds:\n  "sc\\nmin": 4\n', r"{c}: unknown threshold 'sc\nmin'; see `diagnose rules thresholds`"),
    ("thresholds: 4\n", "{c}:1: thresholds: expected a mapping of threshold names to values"),
    ('"rule\\x1b[2J": []\n', r"{c}:1: rule\x1b[2J: unknown key in the config file (did you mean 'rules'?)"),
    ("", "{c}: the file is empty: expected a mapping with rules, thresholds, builtin_rules"),
    ("- a\n", "{c}:1: expected a mapping with rules, thresholds, builtin_rules"),
])
def test_bad_config_values(cli_runner, tmp_path, body, expected):
    facts = tmp_path / "facts.yaml"
    facts.write_text(MINIMAL, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(body, encoding="utf-8")
    result = cli_runner.invoke(cli, ["run", str(facts), "--config", str(config), "--format", "json"])
    assert _one_line_refusal(result) == expected.format(c=config)


def test_as_of_out_of_range_is_refused_not_printed_as_infinity(cli_runner, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(MINIMAL + "as_of: 1e999\n", encoding="utf-8")
    result = cli_runner.invoke(cli, ["run", str(path), "--format", "json"])
    assert _one_line_refusal(result) == f"{path}:4: as_of: number 1e999 is out of range: expected a finite number"


def test_to_json_refuses_nan_with_a_clear_error():
    """Unreachable through the inputs (they are checked); a Diagnosis built by hand can still hold NaN."""
    diagnosis = Diagnosis("R", (), (), thresholds={"bop_dyad_share": math.nan, "sc_min_kinds": 3})
    with pytest.raises(DiagnoseError) as caught:
        diagnosis.to_json()
    assert str(caught.value) == ("the diagnosis holds nan at thresholds.bop_dyad_share, which JSON cannot "
                                 "represent: no JSON written")
    assert Diagnosis("R", (), (), as_of=2008, thresholds={"x": 0.5}).to_json().startswith("{")


def test_to_json_refuses_infinity_in_as_of():
    with pytest.raises(DiagnoseError, match=r"holds inf at as_of"):
        Diagnosis("R", (), (), as_of=math.inf).to_json()


def test_a_non_finite_number_in_a_row_is_named_not_written():
    # only a pack could put one there; the JSON is written row by row, so each row is checked as it goes
    from dataclasses import replace as replaced

    from diagnose import diagnose

    result = diagnose(load_facts(BAD_FACTS / "valid-norway-code.yaml"))
    broken = replaced(result, mechanisms=(replaced(result.mechanisms[0], explanation=math.inf),
                                          *result.mechanisms[1:]))
    with pytest.raises(DiagnoseError) as caught:
        broken.to_json()
    assert str(caught.value) == ("the diagnosis holds inf at mechanisms[0].explanation, which JSON cannot "
                                 "represent: no JSON written")
