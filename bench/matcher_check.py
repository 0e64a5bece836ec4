"""Time `diagnose` with experta's stock RETE and with `HashJoinMatcher` on a generated world.

    python bench/matcher_check.py                      # 100 states, 5 periods, seed 1
    python bench/matcher_check.py --states 25 --periods 3

Prints, per matcher, the wall time and the CPU time of this process (the
latter is steadier on a busy machine), then whether the two JSON outputs are
byte-identical. Not a test: tests/test_matcher.py checks the equivalence.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from diagnose import _experta  # noqa: F401  (installs the shim experta needs before the imports below)
from diagnose import api
from diagnose.api import diagnose
from diagnose.engine import RuleEngine
from diagnose.load import load_facts
from diagnose.matcher import HashJoinMatcher
from experta.matchers import ReteMatcher

GENERATOR = Path(__file__).resolve().parent / "generate.py"


def timed(matcher: type, facts) -> tuple[str, float, float]:
    """Diagnose ``facts`` with engines built on ``matcher``: (JSON, wall seconds, CPU seconds)."""
    RuleEngine.__matcher__ = matcher
    if hasattr(api, "_ENGINES"):  # diagnose keeps a rule base's engines: build new ones
        api._ENGINES.clear()
    used: set[type] = set()
    run_partition = RuleEngine.run_partition

    def spy(engine: RuleEngine, *args, **kwargs):
        used.add(type(engine.matcher))
        return run_partition(engine, *args, **kwargs)

    RuleEngine.run_partition = spy
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        out = diagnose(facts).to_json()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        RuleEngine.run_partition = run_partition
    if used != {matcher}:
        sys.exit(f"the engines ran on {sorted(m.__name__ for m in used)}, not on {matcher.__name__}")
    return out, wall, cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--states", type=int, default=100)
    parser.add_argument("--periods", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    world = subprocess.run([sys.executable, str(GENERATOR), "--states", str(args.states), "--periods",
                            str(args.periods), "--seed", str(args.seed)], check=True, capture_output=True, text=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "world.yaml"
        path.write_text(world.stdout, encoding="utf-8")
        facts = load_facts(path)
    print(f"world: {args.states} states, {args.periods} periods, seed {args.seed}")
    before = RuleEngine.__dict__.get("__matcher__")
    try:
        results = {name: timed(matcher, facts) for name, matcher in
                   (("stock ReteMatcher", ReteMatcher), ("HashJoinMatcher", HashJoinMatcher))}
    finally:
        if before is None:
            del RuleEngine.__matcher__
        else:
            RuleEngine.__matcher__ = before
    for name, (_, wall, cpu) in results.items():
        print(f"{name:>18}: {wall:7.2f} s wall, {cpu:7.2f} s CPU")
    (stock, stock_wall, stock_cpu), (ours, wall, cpu) = results.values()
    print(f"{'speed-up':>18}: {stock_wall / wall:7.2f}x wall, {stock_cpu / cpu:6.2f}x CPU")
    print(f"{'identical output':>18}: {'yes' if stock == ours else 'NO'} ({len(ours)} bytes of JSON)")
    if stock != ours:
        sys.exit(1)


if __name__ == "__main__":
    main()
