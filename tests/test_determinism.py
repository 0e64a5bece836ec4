"""One file, one output: nothing a diagnosis prints depends on Python's per-process hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "diagnose", *args], capture_output=True, env=env, cwd=ROOT,
                          check=True)


@pytest.mark.parametrize("example", ["greece_turkey", "euro_atlantic"])
def test_trace_is_the_same_whatever_the_hash_seed(example):
    # an activation keeps its facts in a set: printed in set order, the trace changed from run to run
    args = ["run", f"facts/{example}.yaml", "--trace", "--format", "json"]
    first, second = _run(args, "1"), _run(args, "2")
    assert first.stderr.count(b"FIRE ") > 50
    assert first.stderr == second.stderr
    assert first.stdout == second.stdout
