"""A longer fuzz campaign than the test suite's: count how `validate` and `run` answer hostile files.

    python bench/fuzz.py --examples 2000          # prints a Markdown table of outcomes

It draws fact files from the generators of tests/test_fuzz.py (the format's
keys with hostile values, and the examples with a few values made hostile), runs `diagnose validate` and `diagnose run
--format json` on each in process, and counts: diagnosed (exit 0, strict
JSON), refused (exit 2, one message per line, nothing on stdout) and broken
(anything else: a traceback, another exit status, output that is not strict
JSON), keeping the first few broken files in --keep DIR. Never asserts: the
counts are for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_fuzz import _strict_json, fact_files, mutated_examples  # noqa: E402

from diagnose.cli import cli  # noqa: E402


def outcome(runner: CliRunner, path: Path, command: list[str]) -> str:
    result = runner.invoke(cli, [command[0], str(path), *command[1:]], prog_name="diagnose")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"broken: {type(result.exception).__name__}"
    if result.exit_code == 2 and not result.stdout and result.stderr.strip():
        return "refused"
    if result.exit_code == 0:
        if command[0] != "run":
            return "valid"
        try:
            _strict_json(result.stdout)
        except ValueError:
            return "broken: output is not strict JSON"
        return "diagnosed"
    return f"broken: exit {result.exit_code}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="files to draw (default 1000)")
    parser.add_argument("--keep", type=Path, help="keep the first broken files here")
    args = parser.parse_args()
    runner = CliRunner()
    counts: Counter = Counter()
    kept = 0
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="diagnose-fuzz-"))

    @settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.one_of(mutated_examples(), fact_files()))
    def campaign(data: object) -> None:
        nonlocal kept
        path = folder / "facts.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        for command in (["validate"], ["run", "--format", "json"]):
            found = outcome(runner, path, command)
            counts[(command[0], found)] += 1
            if found.startswith("broken") and args.keep and kept < 20:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / f"broken-{kept:02d}.yaml").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
                kept += 1

    campaign()
    elapsed = time.perf_counter() - started
    print(f"{args.examples} files drawn, {sum(counts.values())} commands, {elapsed:.0f} s\n")
    print("| command | outcome | count |\n|---|---|---|")
    for (command, found), n in sorted(counts.items()):
        print(f"| {command} | {found} | {n} |")


if __name__ == "__main__":
    main()
