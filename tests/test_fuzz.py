"""Fuzzing: whatever a fact file holds, `validate` and `run` answer with a result or a clean refusal.

Files are built from the format's own keys and from hostile values (control
characters, pipes and markup, huge and non-finite numbers, wrong types, deep
and empty structures, ids that collide), dumped as YAML and run through the
command line. Every run must exit 0 with strict JSON, or 2 with one line per
problem on stderr and nothing on stdout; never a traceback. bench/fuzz.py runs
the same generator for longer and counts the outcomes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnose.cli import cli
from diagnose.schema import ENTRY_SPECS, TOP

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

CODES = ["A", "B", "C", "NO", "A\n", "x|y", "\x1b]0;t\x07", ""]
NAMES = ["G", "G|<script>alert(1)</script>", "states", "groups.G", "line\nbreak", "é" * 3]
HOSTILE_TEXT = st.sampled_from(["\x1b[2J", "=HYPERLINK(\"http://x\",\"y\")", "`|<img src=x onerror=1>",
                                "\u202e", "a" * 5000, "", " ", "\r\n", "!!int", "javascript:alert(1)"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.sampled_from(CODES + NAMES), HOSTILE_TEXT, st.text(max_size=20))


def values(depth: int = 2):
    if depth == 0:
        return SCALARS
    inner = values(depth - 1)
    return st.one_of(SCALARS, st.lists(inner, max_size=4),
                     st.dictionaries(st.sampled_from(sorted({*TOP, *(k for spec in ENTRY_SPECS.values() for k in spec)})),
                                     inner, max_size=4))


@st.composite
def entries(draw, section: str) -> list:
    keys = sorted(ENTRY_SPECS[section])
    return draw(st.lists(st.dictionaries(st.sampled_from(keys), values(1), max_size=6), max_size=4))


@st.composite
def fact_files(draw) -> object:
    if draw(st.integers(0, 9)) == 0:  # not even a mapping
        return draw(values(2))
    data: dict = {}
    for key in sorted(TOP):
        if draw(st.booleans()):
            if key in ENTRY_SPECS:
                data[key] = draw(entries(key))
            elif key == "states":
                data[key] = draw(st.dictionaries(st.sampled_from(CODES), st.one_of(HOSTILE_TEXT, SCALARS),
                                                 max_size=4))
            elif key in ("groups", "subregions"):
                data[key] = draw(st.dictionaries(st.sampled_from(NAMES), st.lists(st.sampled_from(CODES),
                                                                                  max_size=4), max_size=3))
            else:
                data[key] = draw(values(1))
    return data


EXAMPLES = [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((Path(__file__).resolve().parent.parent / "facts").glob("*.yaml"))]


def _paths(node, prefix=()):
    """Every path to a value inside a parsed fact file."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _set(node, path, value):
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


@st.composite
def mutated_examples(draw) -> object:
    """A real example with a few values replaced by hostile ones (mostly still valid around them)."""
    data = json.loads(json.dumps(draw(st.sampled_from(EXAMPLES))))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        texts = [p for p in paths if isinstance(_get(data, p), str)]
        if texts and draw(st.integers(0, 3)):  # mostly: free text made hostile, the file otherwise valid
            _set(data, draw(st.sampled_from(texts)), draw(HOSTILE_TEXT))
        else:
            _set(data, draw(st.sampled_from(paths)), draw(st.one_of(SCALARS, st.sampled_from(CODES + NAMES))))
    return data


def _get(node, path):
    for step in path:
        node = node[step]
    return node


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> float:
        raise ValueError(f"non-finite number {constant} in the JSON")

    return json.loads(text, parse_constant=refuse)


@SETTINGS
@given(data=st.one_of(mutated_examples(), fact_files()))
def test_any_file_is_diagnosed_or_cleanly_refused(cli_runner, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "facts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for command in (["validate", str(path)], ["run", str(path), "--format", "json"]):
        result = cli_runner.invoke(cli, command, prog_name="diagnose")
        assert result.exit_code in (0, 2), (command, result.exit_code, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.stderr
        if result.exit_code == 2:
            assert result.stdout == ""
            assert result.stderr.strip(), "a refusal says why"
        elif command[0] == "run":
            document = _strict_json(result.stdout)
            assert document["schema"] == 2
            assert all(not isinstance(v, float) or math.isfinite(v) for v in document["thresholds"].values())
