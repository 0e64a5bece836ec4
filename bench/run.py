"""Benchmark diagnose on generated worlds, beside a CLIPS anchor of the clear cases.

    python bench/run.py                      # N = 25, 50, 100, 200 states x P = 1, 5 periods
    python bench/run.py --quick              # N = 25, 50 and P = 1: a smoke run
    python bench/run.py --sizes 25 100 --periods 5 --repeats 1 --budget 300 --profile

Prints markdown tables to stdout (progress to stderr) and never asserts a time:
the numbers are for reading, on a machine that is often shared and noisy,
which is why CPU time is shown beside wall time.

For every world that bench/generate.py makes (seed fixed), it measures:

- the command line, whole process: `diagnose run FILE --format json`, best of
  `--repeats` runs while they fit in the budget;
- the engine in process: `load_facts`, then `diagnose`, timed separately, with
  the facts declared into experta and derived by it, counted by wrapping
  `RuleEngine.run_partition`;
- the anchor: version 2 of the contract's clear cases for mechanisms and
  relational overlap written directly in CLIPS (bench/clips_rules.clp, through
  clipspy), fed the same structure that `diagnose.structure.Structure`
  prepares for every unit (hidden ones too: the pairs of mutual entries and
  the states of each undirected entry; timed apart from the rules), and run
  on the whole world at once, since CLIPS indexes its joins;
- whether both reach the same mechanism rows (unit, period, slice, mechanism,
  status, variant, facing, phase, coupling) and relational overlaps;

then the scaling exponent between successive sizes, log(t2/t1)/log(e2/e1)
over the file's entries e, and the start-up of the CLI. `--profile` adds the
top of a cProfile of `diagnose` on the largest world.

Every measurement runs in a fresh child process (this script with
`--worker`), so its peak memory is its own (ru_maxrss from wait4) and a run
over `--budget` seconds is killed and reported as skipped instead of hanging;
larger worlds of the same measurement are then skipped without running.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import math
import os
import platform
import pstats
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from diagnose import Diagnosis, diagnose, load_facts
from diagnose.engine import RuleEngine
from diagnose.facttypes import Evidence, PeriodAfter, Row
from diagnose.model import FactBase
from diagnose.packs import builtin_rulebase
from diagnose.structure import DIMENSIONS, Structure, containment, period_order
from diagnose.thresholds import resolve

try:  # optional: the anchor needs it, the rest of the benchmark does not (pip install clipspy)
    import clips
except ImportError:
    clips = None

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GENERATE = BENCH / "generate.py"
CLIPS_RULES = BENCH / "clips_rules.clp"
EXAMPLES = ROOT / "facts"

SIZES = (25, 50, 100, 200)
PERIODS = (1, 5)
QUICK_SIZES = (25, 50)
QUICK_PERIODS = (1,)

MechanismKey = tuple  # (unit, period, sector, agency, issue, mechanism, status, variant, facing, phase, coupling)
RelationalKey = tuple  # (dyad, containing unit, period)


# --------------------------------------------------------------------------- conclusions


@dataclass(frozen=True)
class Conclusions:
    """What the two engines must agree on: mechanism rows and relational overlaps."""

    mechanisms: frozenset[MechanismKey]
    relational: frozenset[RelationalKey]

    def to_json(self) -> dict[str, list]:
        return {"mechanisms": sorted(self.mechanisms, key=repr), "relational": sorted(self.relational, key=repr)}

    @classmethod
    def from_json(cls, data: dict[str, list]) -> Conclusions:
        return cls(frozenset(map(tuple, data["mechanisms"])), frozenset(map(tuple, data["relational"])))


def experta_conclusions(result: Diagnosis) -> Conclusions:
    """The comparable part of a diagnosis."""
    return Conclusions(
        frozenset((r.unit, r.period, r.sector, r.agency, r.issue, r.mechanism, r.status, r.variant, r.facing,
                   r.phase, r.coupling) for r in result.mechanisms),
        frozenset((*o.units, o.period) for o in result.overlaps if o.type == "relational"))


@dataclass(frozen=True)
class Agreement:
    """How two sets of conclusions differ; `agree` when they do not."""

    only_experta: tuple[tuple, ...]
    only_clips: tuple[tuple, ...]

    @property
    def agree(self) -> bool:
        return not self.only_experta and not self.only_clips


def compare(experta: Conclusions, anchor: Conclusions) -> Agreement:
    """Differences between the experta rule base and the CLIPS anchor, mechanism rows then overlaps."""
    def differences(ours: Conclusions, theirs: Conclusions) -> tuple[tuple, ...]:
        return (*sorted(ours.mechanisms - theirs.mechanisms, key=repr),
                *sorted((("relational", *o) for o in ours.relational - theirs.relational), key=repr))

    return Agreement(differences(experta, anchor), differences(anchor, experta))


# --------------------------------------------------------------------------- experta, in process


@dataclass
class PartitionCounts:
    """Facts declared into experta and facts it derived, over every partition of a run."""

    partitions: int = 0
    declared: int = 0
    derived_by_type: Counter = field(default_factory=Counter)

    @property
    def derived(self) -> int:
        return sum(self.derived_by_type.values())

    def add(self, declared: list, returned: list) -> None:
        """Count one partition: derived = facts returned beyond those declared, per fact type."""
        derived = Counter(type(f).__name__ for f in returned) - Counter(type(f).__name__ for f in declared)
        derived.pop("InitialFact", None)
        self.partitions += 1
        self.declared += len(declared)
        self.derived_by_type.update(derived)


@contextmanager
def counting_partitions(counts: PartitionCounts) -> Iterator[None]:
    """Wrap `RuleEngine.run_partition` to count what each partition declares and returns.

    The engine classes are built per rule base by subclassing `RuleEngine`, so
    patching the base class reaches them all without touching diagnose/.
    """
    original = RuleEngine.run_partition

    def run_partition(engine: RuleEngine, facts: Iterable) -> list:
        declared = list(facts)
        returned = original(engine, declared)
        counts.add(declared, returned)
        return returned

    RuleEngine.run_partition = run_partition
    try:
        yield
    finally:
        RuleEngine.run_partition = original


def measure_experta(path: Path) -> dict[str, Any]:
    """Load and diagnose ``path`` once, timing each step (worker side)."""
    counts = PartitionCounts()
    started = time.perf_counter()
    facts = load_facts(path)
    loaded = time.perf_counter()
    cpu = time.process_time()
    with counting_partitions(counts):
        result = diagnose(facts)
    return {
        "load_s": loaded - started,
        "diagnose_s": time.perf_counter() - loaded,
        "diagnose_cpu_s": time.process_time() - cpu,
        "partitions": counts.partitions,
        "declared": counts.declared,
        "derived": counts.derived,
        "derived_by_type": dict(counts.derived_by_type),
        "mechanism_rows": len(result.mechanisms),
        "overlaps": len(result.overlaps),
        "conclusions": experta_conclusions(result).to_json(),
    }


def profile_experta(path: Path, top: int = 15) -> dict[str, Any]:
    """cProfile of `diagnose` on ``path``: the ``top`` functions by own time (worker side)."""
    facts = load_facts(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(diagnose, facts)
    elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return {
        "profiled_s": elapsed,
        "total_tottime_s": stats.total_tt,
        "top": [{"function": _where(file, line, name), "calls": calls, "tottime_s": tottime, "cumtime_s": cumtime}
                for (file, line, name), (_, calls, tottime, cumtime, _) in rows],
    }


def _where(file: str, line: int, name: str) -> str:
    """A profile entry as `package/module.py:line(function)`, short enough for a table."""
    for prefix in ("site-packages/", f"{ROOT}/", f"{sysconfig.get_paths()['stdlib']}/"):
        if prefix in file:
            file = file.split(prefix, 1)[1]
            break
    return f"{file}:{line}({name})" if line else name


# --------------------------------------------------------------------------- the CLIPS anchor


def clips_value(value: Any) -> Any:
    """A prepared value for CLIPS: None becomes nil, booleans TRUE/FALSE; other text stays a STRING."""
    if value is None:
        return clips.Symbol("nil")
    if isinstance(value, bool):
        return clips.Symbol("TRUE" if value else "FALSE")
    return value


def clips_symbol(name: str | None) -> Any:
    """A name for CLIPS as a SYMBOL (mechanisms, kinds, unit kinds, dimensions); None becomes nil."""
    return clips.Symbol(name if name is not None else "nil")


def python_value(value: Any) -> Any:
    """A value read back from CLIPS: nil becomes None, symbols plain text."""
    return None if value == "nil" else str(value)


def prepare_world(facts: FactBase) -> list[tuple[str, dict[str, Any]]]:
    """The whole world as CLIPS facts (template, slots), from the structure experta's partitions get.

    Rows and evidence come from `diagnose.structure.Structure.unit_facts` for
    every unit `diagnose.api` runs (reported and hidden, dyads and larger),
    one CLIPS fact per Python fact with the same fields; `contains` says which
    dyad lies inside which larger unit (what `diagnose.api` passes to the
    larger units' relations and to the relational overlaps); the vocabulary,
    the mechanisms and the thresholds in force by default are those of the
    built-in rule base. Nothing is decided here: no status, facing, war or block.
    """
    out: list[tuple[str, dict[str, Any]]] = []
    structure = Structure(facts)
    rules = builtin_rulebase()
    dyads, larger = structure.dyads, structure.larger
    for unit in (*dyads, *larger):
        for fact in structure.unit_facts(unit):
            if isinstance(fact, Row):
                out.append(("row", {
                    "key": fact["row"], "unit": fact["unit"], "unit-kind": clips_symbol(fact["unit_kind"]),
                    "period": clips_value(fact["period"]), "dim": clips_symbol(fact["dim"]),
                    "value": clips_value(fact["value"]), "states": fact["states"], "size": fact["size"],
                    "declared": clips_value(fact["declared"]), "reported": clips_value(fact["reported"])}))
            elif isinstance(fact, Evidence):
                out.append(("evidence", {
                    "row": fact["row"], "id": fact["id"], "section": clips_symbol(fact["section"]),
                    "kinds": [clips_symbol(k) for k in fact["kinds"]], "form": clips_symbol(fact["form"]),
                    "size": fact["size"], "mutual": clips_value(fact["mutual"]), "level": clips_symbol(fact["level"]),
                    "rooted": clips_value(fact["rooted"]), "deliberate": clips_value(fact["deliberate"]),
                    "covers": clips_value(fact["covers"]), "acting-covers": clips_value(fact["acting_covers"]),
                    "target-outside": clips_value(fact["target_outside"]), "own-unit": clips_value(fact["own_unit"])}))
    for unit in larger:
        out += [("contains", {"dyad": c["dyad"], "unit": c["unit"]}) for c in containment(dyads, unit)]
    out += [("period-after", {"earlier": f["earlier"], "later": f["later"]})
            for f in period_order(facts) if isinstance(f, PeriodAfter)]
    out += [("vocabulary", {"kind": clips_symbol(kind), "mechanism": clips_symbol(mechanism)})
            for kind, mechanism in facts.vocabulary.items()]
    thresholds = resolve(rules.thresholds, {})
    out += [("threshold", {"name": clips_symbol(name), "value": value}) for name, value in thresholds.items()]
    out += [("mechanism", {"name": clips_symbol(name)}) for name in rules.mechanisms]
    return out


@dataclass
class ClipsRun:
    """One run of the anchor: its conclusions, how long each phase took, how many facts."""

    conclusions: Conclusions
    prep_s: float
    load_s: float
    run_s: float
    total_s: float
    total_cpu_s: float
    asserted: int
    derived_by_template: dict[str, int]


def run_clips_anchor(facts: FactBase) -> ClipsRun:
    """Prepare the structure, assert it into a fresh CLIPS environment with the rules, run, read back."""
    if clips is None:
        raise RuntimeError("the CLIPS anchor needs clipspy: pip install clipspy")
    started, cpu = time.perf_counter(), time.process_time()
    prepared = prepare_world(facts)
    prepared_at = time.perf_counter()
    env = clips.Environment()
    env.load(str(CLIPS_RULES))
    env.reset()  # the deffacts
    templates = {name: env.find_template(name) for name in {name for name, _ in prepared}}
    for name, slots in prepared:
        templates[name].assert_fact(**slots)
    loaded_at = time.perf_counter()
    env.run()
    ran_at = time.perf_counter()
    mechanisms = set()
    relational = set()
    present: Counter = Counter()
    for fact in env.facts():
        name = fact.template.name
        present[name] += 1
        if name == "status" and fact["reported"] == "TRUE":
            dim, value = python_value(fact["dim"]), python_value(fact["value"])
            slice_ = tuple(value if dim == d else None for d in DIMENSIONS)
            mechanisms.add((fact["unit"], python_value(fact["period"]), *slice_, str(fact["mechanism"]),
                            str(fact["status"]), *(python_value(fact[k]) for k in ("variant", "facing", "phase",
                                                                                   "coupling"))))
        elif name == "overlap":
            relational.add((fact["dyad"], fact["unit"], python_value(fact["period"])))
    derived = present - Counter(name for name, _ in prepared)
    return ClipsRun(Conclusions(frozenset(mechanisms), frozenset(relational)), prep_s=prepared_at - started,
                    load_s=loaded_at - prepared_at, run_s=ran_at - loaded_at, total_s=time.perf_counter() - started,
                    total_cpu_s=time.process_time() - cpu, asserted=len(prepared), derived_by_template=dict(derived))


def measure_clips(path: Path) -> dict[str, Any]:
    """Run the anchor once on ``path`` (worker side); loading the file is not part of its time."""
    run = run_clips_anchor(load_facts(path))
    return {"prep_s": run.prep_s, "load_s": run.load_s, "run_s": run.run_s, "total_s": run.total_s,
            "total_cpu_s": run.total_cpu_s, "asserted": run.asserted, "derived": sum(run.derived_by_template.values()),
            "derived_by_template": run.derived_by_template, "conclusions": run.conclusions.to_json()}


WORKERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "experta": measure_experta,
    "clips": measure_clips,
    "profile": profile_experta,
}


# --------------------------------------------------------------------------- child processes


class Skipped(Exception):
    """A measurement that did not finish: over the time budget, or its process failed."""


@dataclass(frozen=True)
class ChildRun:
    """One child process: wall and CPU time, peak resident memory, what it printed."""

    wall_s: float
    cpu_s: float
    peak_mib: float
    stdout: str


LAUNCHER = r"""
import json, os, signal, subprocess, sys, threading, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["out"], "wb") as out, open(job["err"], "wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(job["argv"], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        reaped = {}

        def reap():
            _, status, usage = os.wait4(child.pid, 0)
            reaped.update(status=status, cpu=usage.ru_utime + usage.ru_stime, peak=usage.ru_maxrss,
                          wall=time.perf_counter() - started)

        waiter = threading.Thread(target=reap)
        waiter.start()
        waiter.join(job["budget"])
        killed = waiter.is_alive()
        if killed:
            os.kill(child.pid, signal.SIGKILL)
            waiter.join()
    print(json.dumps({**reaped, "exit": os.waitstatus_to_exitcode(reaped["status"]), "killed": killed}), flush=True)
"""
"""Runs the measured commands for the benchmark: a small process, because a child's peak RSS (ru_maxrss)
counts the memory of the process it was forked from, up to its exec, and the benchmark itself grows."""

_launcher: subprocess.Popen | None = None


def run_child(argv: list[str], budget: float) -> ChildRun:
    """Run ``argv`` to completion, or kill it after ``budget`` seconds (raising `Skipped`).

    The child is forked by a small launcher process (`LAUNCHER`) and reaped
    with wait4, whose rusage is that child's alone: its own peak RSS, not the
    benchmark's (the memory of the process a child is forked from counts
    towards its peak until it execs).
    """
    global _launcher
    if _launcher is None or _launcher.poll() is not None:
        _launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
    with tempfile.TemporaryDirectory(prefix="diagnose-bench-run-") as scratch:
        out, err = Path(scratch) / "out", Path(scratch) / "err"
        _launcher.stdin.write(json.dumps({"argv": argv, "budget": budget, "out": str(out), "err": str(err)}) + "\n")
        _launcher.stdin.flush()
        reaped = json.loads(_launcher.stdout.readline())
        if reaped["killed"]:
            raise Skipped(f"over the {budget:g} s budget")
        if reaped["exit"] != 0:
            last = (err.read_text(errors="replace").strip().splitlines() or ["no message"])[-1]
            raise Skipped(f"failed (exit {reaped['exit']}: {last})")
        return ChildRun(reaped["wall"], reaped["cpu"], reaped["peak"] / 1024, out.read_text(errors="replace"))


def repeat_child(argv: list[str], repeats: int, budget: float) -> list[ChildRun]:
    """Up to ``repeats`` runs of ``argv``, while one more run of the same length fits in ``budget``."""
    runs = [run_child(argv, budget)]
    spent = runs[0].wall_s
    while len(runs) < repeats and spent + min(r.wall_s for r in runs) <= budget:
        runs.append(run_child(argv, budget))
        spent += runs[-1].wall_s
    return runs


def diagnose_command() -> list[str]:
    """The `diagnose` console script of this interpreter's environment (or `python -m diagnose`)."""
    script = Path(sys.executable).with_name("diagnose")
    return [str(script)] if script.exists() else [sys.executable, "-m", "diagnose"]


def worker_command(kind: str, path: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(path)]


# --------------------------------------------------------------------------- measurements


@dataclass
class Timing:
    """The best of some runs of one command."""

    wall_s: float
    cpu_s: float
    peak_mib: float
    runs: int


@dataclass
class WorkerResult:
    """The best run of a worker: what it reported, and its peak memory."""

    report: dict[str, Any]
    peak_mib: float
    runs: int


@dataclass
class World:
    """One generated world and everything measured on it; a string where a measurement was skipped."""

    states: int
    periods: int
    path: Path
    entries: int
    units: int
    cli: Timing | str = "not run"
    cli_one: Timing | str = "not run"
    brief: Timing | str = "not run"
    experta: WorkerResult | str = "not run"
    clips: WorkerResult | str = "not run"

    def agreement(self) -> Agreement | None:
        if isinstance(self.experta, str) or isinstance(self.clips, str):
            return None
        return compare(Conclusions.from_json(self.experta.report["conclusions"]),
                       Conclusions.from_json(self.clips.report["conclusions"]))


def time_command(argv: list[str], repeats: int, budget: float) -> Timing:
    """Each time the best of its runs (on a shared machine the least disturbed), memory the highest."""
    runs = repeat_child(argv, repeats, budget)
    return Timing(min(r.wall_s for r in runs), min(r.cpu_s for r in runs), max(r.peak_mib for r in runs), len(runs))


def run_worker(kind: str, path: Path, repeats: int, budget: float) -> WorkerResult:
    """A worker's report with each time (a key ending in `_s`) the best of its runs, memory the highest."""
    runs = repeat_child(worker_command(kind, path), repeats, budget)
    reports = [json.loads(r.stdout) for r in runs]
    best = {key: min(r[key] for r in reports) for key in reports[0] if key.endswith("_s")}
    return WorkerResult({**reports[0], **best}, max(r.peak_mib for r in runs), len(runs))


def generate_world(states: int, periods: int, seed: int, folder: Path) -> Path:
    path = folder / f"world_{states}x{periods}_seed{seed}.yaml"
    with path.open("w", encoding="utf-8") as out:
        subprocess.run([sys.executable, str(GENERATE), "--states", str(states), "--periods", str(periods),
                        "--seed", str(seed)], stdout=out, check=True)
    return path


def progress(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def measure_worlds(sizes: list[int], periods: list[int], seed: int, repeats: int, budget: float,
                   folder: Path) -> list[World]:
    """Every measurement on every world; once one runs over budget, larger worlds skip it."""
    over_budget: set[tuple[str, int]] = set()
    worlds = []
    for p in periods:
        for n in sizes:
            path = generate_world(n, p, seed, folder)
            facts = load_facts(path)
            world = World(n, p, path, len(facts.entries), len(facts.units()))
            worlds.append(world)
            steps: list[tuple[str, Callable[[], Timing | WorkerResult]]] = [
                ("cli", functools.partial(time_command, [*diagnose_command(), "run", str(path), "--format", "json",
                                                         "--jobs", "2"], repeats, budget)),
                ("cli_one", functools.partial(time_command, [*diagnose_command(), "run", str(path), "--format",
                                                             "json", "--jobs", "1"], repeats, budget)),
                ("brief", functools.partial(time_command, [*diagnose_command(), "report", str(path), "--format",
                                                           "html", "-o", str(folder / f"{path.stem}.html"), "--force"],
                                            repeats, budget)),
                ("experta", functools.partial(run_worker, "experta", path, repeats, budget)),
                ("clips", functools.partial(run_worker, "clips", path, repeats, budget)),
            ]
            for name, measure in steps:
                if (name, p) in over_budget:
                    setattr(world, name, "skipped (a smaller world ran over the budget)")
                    continue
                progress(f"{n} states x {p} periods: {name}")
                try:
                    setattr(world, name, measure())
                except Skipped as skipped:
                    setattr(world, name, f"skipped: {skipped}")
                    over_budget.add((name, p))
    return worlds


def measure_startup(repeats: int, budget: float, folder: Path) -> list[tuple[str, Timing | str]]:
    """`diagnose --help`, `diagnose run` on the smallest example file, and the brief of every example."""
    smallest = min(EXAMPLES.glob("*.yaml"), key=lambda p: p.stat().st_size)
    commands = {"diagnose --help": ["--help"],
                f"diagnose run facts/{smallest.name} --format json": ["run", str(smallest), "--format", "json"]}
    for example in sorted(EXAMPLES.glob("*.yaml")):
        commands[f"diagnose report facts/{example.name} --format html"] = [
            "report", str(example), "--format", "html", "-o", str(folder / f"{example.stem}.html"), "--force"]
    out: list[tuple[str, Timing | str]] = []
    for label, args in commands.items():
        progress(label)
        try:
            out.append((label, time_command([*diagnose_command(), *args], repeats, budget)))
        except Skipped as skipped:
            out.append((label, f"skipped: {skipped}"))
    return out


# --------------------------------------------------------------------------- report


def seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def git_state() -> str:
    """The commit and the tracked files that differ from it.

    Printed at the start and at the end of a run: a shared working tree may
    move while a long benchmark runs.
    """
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                                  check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    changed = [line.split(None, 1)[-1] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    return f"commit {git('rev-parse', '--short', 'HEAD').strip()}" + \
        (f" plus uncommitted changes to {', '.join(changed)}" if changed else "")


def environment() -> str:
    """Where and on what the numbers were taken: they mean little without it."""
    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory_kib = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal:")), 0)
    return "\n".join([
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- {git_state()}",
        f"- machine: {len(os.sched_getaffinity(0))} CPUs ({cpu}), {memory_kib / 2**20:.1f} GiB memory, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at start",
        f"- Python {platform.python_version()} ({sys.executable}); experta {package('experta')}, "
        f"clipspy {package('clipspy')}",
    ])


def exponent(t1: float, t2: float, e1: int, e2: int) -> str:
    return f"{math.log(t2 / t1) / math.log(e2 / e1):.2f}" if t1 > 0 and t2 > 0 and e2 != e1 else "–"


def cells(result: Any, count: int, read: Callable[[Any], list[str]]) -> list[str]:
    """``count`` cells read from a measurement, or its reason for being skipped and dashes."""
    return [result] + ["–"] * (count - 1) if isinstance(result, str) else read(result)


def report(worlds: list[World], startup: list[tuple[str, Timing | str]], profile: dict | str | None,
           settings: str) -> str:
    """The markdown printed to stdout."""
    def size(w: World) -> list[str]:
        return [str(w.states), str(w.periods)]

    def timing(t: Timing) -> list[str]:
        return [seconds(t.wall_s), seconds(t.cpu_s), f"{t.peak_mib:.0f}", str(t.runs)]

    parts = [f"## Settings\n\n{settings}"]
    parts.append("## Start-up and the examples' briefs\n\n" + table(
        ["command", "wall s", "CPU s", "peak MiB", "runs"],
        [[f"`{label}`", *cells(t, 4, timing)] for label, t in startup]))

    parts.append(
        "## Worlds and facts\n\nexperta: facts declared into its partitions (shared ones again in each) and "
        "derived by them (Tally, Status, Overlap, …); CLIPS: facts asserted into its one environment and "
        "derived there.\n\n" + table(
            ["states", "periods", "entries", "units", "experta partitions", "experta declared", "experta derived",
             "mechanism rows", "overlaps", "CLIPS asserted", "CLIPS derived"],
            [[*size(w), str(w.entries), str(w.units),
              *cells(w.experta, 5, lambda r: [str(r.report[k]) for k in
                                              ("partitions", "declared", "derived", "mechanism_rows", "overlaps")]),
              *cells(w.clips, 2, lambda r: [str(r.report["asserted"]), str(r.report["derived"])])]
             for w in worlds]))

    def ratio(ours: Timing | str, theirs: Timing | str) -> str:
        return "–" if isinstance(ours, str) or isinstance(theirs, str) else f"{ours.wall_s / theirs.wall_s:.2f}"

    parts.append(
        "## Command line\n\nThe whole process: wall time and CPU time (user + system), each the best of the runs, "
        "and peak RSS, of `diagnose run FILE --format json` on two processes (`--jobs 2`) and on one, and of "
        "`diagnose report FILE --format html -o FILE.html` (which runs the diagnosis on one process, then the "
        "decisive facts of its key judgements). Ratios in wall time: `--jobs 2` ÷ `--jobs 1` (below 1: two "
        "processes help), and the brief ÷ `run --jobs 1`.\n\n" + table(
            ["states", "periods", "run --jobs 2 wall s", "CPU s", "peak MiB", "runs", "run --jobs 1 wall s", "CPU s",
             "peak MiB", "runs", "report wall s", "CPU s", "peak MiB", "runs", "jobs 2 / jobs 1", "report / run"],
            [[*size(w), *cells(w.cli, 4, timing), *cells(w.cli_one, 4, timing), *cells(w.brief, 4, timing),
              ratio(w.cli, w.cli_one), ratio(w.brief, w.cli_one)] for w in worlds]))

    def engines(w: World) -> list[str]:
        experta = cells(w.experta, 5, lambda r: [
            seconds(r.report["load_s"]), seconds(r.report["diagnose_s"]), seconds(r.report["diagnose_cpu_s"]),
            f"{r.peak_mib:.0f}", str(r.runs)])
        anchor = cells(w.clips, 7, lambda r: [
            *(seconds(r.report[k]) for k in ("prep_s", "load_s", "run_s", "total_s", "total_cpu_s")),
            f"{r.peak_mib:.0f}", str(r.runs)])
        ratios = ["–", "–"] if isinstance(w.experta, str) or isinstance(w.clips, str) else [
            f"{w.experta.report[ours] / w.clips.report[theirs]:.2f}×"
            for ours, theirs in (("diagnose_s", "total_s"), ("diagnose_cpu_s", "total_cpu_s"))]
        return [*size(w), *experta, *anchor, *ratios]

    parts.append(
        "## Engines in process\n\nexperta: `load_facts`, then `diagnose` (which prepares its own structure), "
        "in wall and CPU seconds. CLIPS anchor: prep (the same structure, in Python), load (environment, "
        "rules, asserting the facts), run (`(run)`), total (these and reading the conclusions back), in wall "
        "seconds, and the total's CPU seconds. Each time is the best of the runs. Ratios: experta `diagnose` "
        "÷ CLIPS total, in wall and in CPU time. MiB: the worker process's peak RSS.\n\n" + table(
            ["states", "periods", "load s", "diagnose s", "diagnose CPU s", "MiB", "runs", "CLIPS prep s",
             "CLIPS load s", "CLIPS run s", "CLIPS total s", "CLIPS CPU s", "CLIPS MiB", "runs",
             "experta/CLIPS wall", "experta/CLIPS CPU"],
            [engines(w) for w in worlds]))

    parts.append(scaling_section(worlds))
    parts.append(agreement_section(worlds))
    if profile is not None:
        parts.append(profile_section(worlds, profile))
    return "\n\n".join(parts) + "\n"


def scaling_section(worlds: list[World]) -> str:
    """Exponents between successive sizes of the same number of periods."""
    readings: dict[str, Callable[[World], float | None]] = {
        "CLI wall": lambda w: None if isinstance(w.cli, str) else w.cli.wall_s,
        "CLI CPU": lambda w: None if isinstance(w.cli, str) else w.cli.cpu_s,
        "diagnose wall": lambda w: None if isinstance(w.experta, str) else w.experta.report["diagnose_s"],
        "diagnose CPU": lambda w: None if isinstance(w.experta, str) else w.experta.report["diagnose_cpu_s"],
        "CLIPS wall": lambda w: None if isinstance(w.clips, str) else w.clips.report["total_s"],
        "CLIPS CPU": lambda w: None if isinstance(w.clips, str) else w.clips.report["total_cpu_s"],
    }
    rows = []
    for p in sorted({w.periods for w in worlds}):
        series = sorted((w for w in worlds if w.periods == p), key=lambda w: w.states)
        for small, large in zip(series, series[1:]):
            row = [str(p), f"{small.states} → {large.states}", f"{small.entries} → {large.entries}"]
            for read in readings.values():
                t1, t2 = read(small), read(large)
                row.append("–" if t1 is None or t2 is None else exponent(t1, t2, small.entries, large.entries))
            rows.append(row)
    return ("## Scaling exponents\n\nlog(t2/t1) / log(entries2/entries1) between successive sizes: 1 is linear "
            "in the file's entries, 2 quadratic. On a shared machine, read the CPU columns: wall time also "
            "counts the time other processes held the CPUs.\n\n"
            + table(["periods", "states", "entries", *readings], rows))


def agreement_section(worlds: list[World], examples_shown: int = 5) -> str:
    """The check: same mechanism rows and relational overlaps from experta and the CLIPS anchor."""
    rows, details = [], []
    checked = 0
    agreeing = 0
    for w in worlds:
        agreement = w.agreement()
        if agreement is None:
            rows.append([str(w.states), str(w.periods), "–", "–", "–", "–", "not checked (a run was skipped)"])
            continue
        checked += 1
        agreeing += agreement.agree
        experta, anchor = (Conclusions.from_json(r.report["conclusions"]) for r in (w.experta, w.clips))
        rows.append([str(w.states), str(w.periods), f"{len(experta.mechanisms)} / {len(anchor.mechanisms)}",
                     f"{len(experta.relational)} / {len(anchor.relational)}", str(len(agreement.only_experta)),
                     str(len(agreement.only_clips)), "agree" if agreement.agree else "DIFFER"])
        if not agreement.agree:
            details.append(f"{w.states} states x {w.periods} periods, first differences:")
            details += [f"  only experta: {d}" for d in agreement.only_experta[:examples_shown]]
            details += [f"  only CLIPS:   {d}" for d in agreement.only_clips[:examples_shown]]
    text = ("## Agreement: experta vs the CLIPS anchor\n\n"
            "Mechanism rows compared on (unit, period, sector, agency, issue, mechanism, status, variant, facing, "
            "phase, coupling); "
            "relational overlaps on (dyad, containing unit, period).\n\n"
            f"**{agreeing} of {checked} checked worlds agree** ({len(worlds) - checked} not checked).\n\n" + table(
                ["states", "periods", "mechanism rows experta / CLIPS", "relational experta / CLIPS",
                 "only experta", "only CLIPS", "check"], rows))
    if details:
        text += "\n\n```text\n" + "\n".join(details) + "\n```"
    return text


def profile_section(worlds: list[World], profile: dict | str) -> str:
    largest = max(worlds, key=lambda w: (w.states, w.periods))
    heading = f"## Profile: `diagnose` on {largest.states} states x {largest.periods} periods (cProfile)\n\n"
    if isinstance(profile, str):
        return heading + profile
    return heading + (f"{seconds(profile['profiled_s'])} s under the profiler; top {len(profile['top'])} by own "
                      f"time (tottime), of {seconds(profile['total_tottime_s'])} s in all.\n\n") + table(
        ["tottime s", "cumtime s", "calls", "function"],
        [[seconds(e["tottime_s"]), seconds(e["cumtime_s"]), str(e["calls"]), f"`{e['function']}`"]
         for e in profile["top"]])


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run: {', '.join(map(str, QUICK_SIZES))} states, 1 period")
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N", help=f"states (default {SIZES})")
    parser.add_argument("--periods", type=int, nargs="+", metavar="P", help=f"periods (default {PERIODS})")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="best of at most this many runs (default 3)")
    parser.add_argument("--budget", type=float, default=120,
                        help="seconds one run may take before it is killed and reported skipped (default 120)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile `diagnose` on the largest world (slower than a plain run)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the generated worlds here and keep them")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args.file)))
        return
    sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else SIZES))
    periods = sorted(args.periods or (QUICK_PERIODS if args.quick else PERIODS))
    settings = environment() + (f"\n- worlds: bench/generate.py --seed {args.seed}, states {sizes}, periods "
                                f"{periods}; best of up to {args.repeats} runs; budget {args.budget:g} s per run")
    with tempfile.TemporaryDirectory(prefix="diagnose-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        startup = measure_startup(args.repeats, args.budget, folder)
        worlds = measure_worlds(sizes, periods, args.seed, args.repeats, args.budget, folder)
        profile: dict | str | None = None
        if args.profile:
            largest = max(worlds, key=lambda w: (w.states, w.periods))
            progress(f"{largest.states} states x {largest.periods} periods: profile")
            try:
                profile = json.loads(run_child(worker_command("profile", largest.path), args.budget).stdout)
            except Skipped as skipped:
                profile = f"skipped: {skipped}"
    settings += (f"\n- at the end: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
                 f"{git_state()}")
    print(report(worlds, startup, profile, settings), end="")


if __name__ == "__main__":
    main()
