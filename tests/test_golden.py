"""Golden files: the JSON diagnosis of every example fact file, byte for byte.

tests/golden/<name>.json is the output of

    diagnose run facts/<name>.yaml --format json

and tests/golden/worlds/<name>.json.gz (compressed: they are large) that of a
world made by bench/generate.py, kept in tests/facts/world-*.yaml, on one
process and on two: a change for speed must not change one byte.

When a change to the rules or the examples changes a diagnosis on purpose,
regenerate the golden files and review the diff before committing:

    DIAGNOSE_UPDATE_GOLDEN=1 pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
import gzip
import os
from pathlib import Path

import pytest

from diagnose.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "facts"
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = sorted(FACTS.glob("*.yaml"))
WORLDS = sorted((Path(__file__).resolve().parent / "facts").glob("world-*.yaml"))
UPDATE = os.environ.get("DIAGNOSE_UPDATE_GOLDEN") == "1"
REGENERATE = "DIAGNOSE_UPDATE_GOLDEN=1 pytest tests/test_golden.py"


def golden_path(facts: Path) -> Path:
    return GOLDEN / f"{facts.stem}.json"


def _diff(expected: bytes, actual: bytes, name: str, limit: int = 40) -> str:
    lines = list(difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(), actual.decode("utf-8", "replace").splitlines(),
        f"golden/{name}", "current output", lineterm="", n=1))
    shown = lines[:limit] + ([f"... ({len(lines) - limit} more diff lines)"] if len(lines) > limit else [])
    return "\n".join(shown)


def test_there_are_examples():
    assert EXAMPLES, f"no fact files in {FACTS}"


@pytest.mark.parametrize("facts", EXAMPLES, ids=lambda p: p.stem)
def test_json_output_matches_golden(cli_runner, facts):
    result = cli_runner.invoke(cli, ["run", str(facts), "--format", "json"])
    assert result.exit_code == 0, f"diagnose run {facts.name} failed ({result.exit_code}):\n{result.stderr}"
    actual = result.stdout_bytes
    golden = golden_path(facts)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        if not golden.exists() or golden.read_bytes() != actual:
            golden.write_bytes(actual)
        return
    assert golden.exists(), (
        f"no golden file {golden.relative_to(ROOT)} for facts/{facts.name}; create it with:\n    {REGENERATE}")
    expected = golden.read_bytes()
    assert actual == expected, (
        f"`diagnose run facts/{facts.name} --format json` no longer matches {golden.relative_to(ROOT)}.\n"
        f"If the change is intended, regenerate the golden files and review the diff:\n"
        f"    {REGENERATE}\n    git diff tests/golden/\n\n{_diff(expected, actual, golden.name)}")


def test_no_orphan_golden_files():
    orphans = sorted(p.name for p in GOLDEN.glob("*.json") if not (FACTS / f"{p.stem}.yaml").exists())
    assert not orphans, f"golden files without a fact file in facts/ (delete them): {', '.join(orphans)}"


def test_there_are_worlds():
    assert WORLDS, "no generated world in tests/facts/world-*.yaml"


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("world", WORLDS, ids=lambda p: p.stem)
def test_json_output_of_a_generated_world_matches_golden(cli_runner, world, jobs):
    result = cli_runner.invoke(cli, ["run", str(world), "--format", "json", "--jobs", jobs])
    assert result.exit_code == 0, f"diagnose run {world.name} failed ({result.exit_code}):\n{result.stderr}"
    actual = result.stdout_bytes
    golden = GOLDEN / "worlds" / f"{world.stem}.json.gz"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        if not golden.exists() or gzip.decompress(golden.read_bytes()) != actual:
            golden.write_bytes(gzip.compress(actual, mtime=0))
        return
    assert golden.exists(), f"no golden file {golden.relative_to(ROOT)}; create it with:\n    {REGENERATE}"
    expected = gzip.decompress(golden.read_bytes())
    assert actual == expected, (
        f"`diagnose run {world.relative_to(ROOT)} --format json --jobs {jobs}` no longer matches "
        f"{golden.relative_to(ROOT)}.\nIf the change is intended, regenerate the golden files:\n    {REGENERATE}\n\n"
        f"{_diff(expected, actual, golden.name)}")
