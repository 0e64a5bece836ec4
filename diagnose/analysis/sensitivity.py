"""Sensitivity: how much each conclusion depends on the thresholds, and on each entry.

The file is diagnosed again under every setting of a grid of thresholds
(and, with ``drop_each``, once without each entry, through `LeaveOneOut`);
each conclusion gets the share of settings under which it holds with the
same verdict. Settings are independent, so they run on a pool of forked
processes; the result does not depend on the number of jobs.
"""

from __future__ import annotations

import itertools
import json
import math
import multiprocessing
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..api import diagnose, diagnose_keeping
from ..controls import visible
from ..decisive import Conclusion, LeaveOneOut, conclusion_key, conclusion_verdict
from ..diagnosis import Diagnosis
from ..errors import DiagnoseError
from ..model import FactBase
from ..names import did_you_mean
from ..packs import RuleBase, rulebase
from ..render.tables import to_csv
from ..thresholds import ThresholdSpec, resolve
from .conclusions import identity, label, verdict_text

FRAGILE_BELOW = 0.75
"""A conclusion of the diagnosis is fragile when it holds under less than this share of the threshold settings, or
of the runs each without one entry."""
INTEGER_SPAN = 2
"""An integer threshold without a documented maximum is swept from its default minus this to its default plus
this (never below its minimum)."""
SHARE_STEPS = 4
"""A threshold with a documented maximum is swept from its minimum to its maximum in this many steps."""


def default_range(spec: ThresholdSpec) -> list[int | float]:
    """The values a threshold is swept over by default: its documented range (see `INTEGER_SPAN`, `SHARE_STEPS`).

    Built-in: sc_min_kinds 1-5, bop_min_kinds, sc_nascent_min_kinds and
    sc_tight_min_kinds 1-4, bop_dyad_share and sc_block_share 0, 0.25, ..., 1.
    """
    if spec.maximum is not None:
        low, high = spec.minimum, spec.maximum
        values = [low + (high - low) * i / SHARE_STEPS for i in range(SHARE_STEPS + 1)]
        return [int(v) for v in values] if isinstance(spec.default, int) and all(v == int(v) for v in values) \
            else [round(v, 6) for v in values]
    if isinstance(spec.default, int):
        return list(range(max(int(spec.minimum), spec.default - INTEGER_SPAN), spec.default + INTEGER_SPAN + 1))
    return [round(max(spec.minimum, spec.default * f), 6) for f in (0.5, 0.75, 1.0, 1.25, 1.5)]


def _parse_grid(text: str, specs: Mapping[str, ThresholdSpec]) -> tuple[str, list[Any]]:
    """`NAME=LO:HI[:STEP]` as (name, values); a `DiagnoseError` saying what was expected."""
    name, sep, span = text.partition("=")
    name = name.strip()
    example = "e.g. --grid sc_min_kinds=2:5 or --grid sc_block_share=0:1:0.25"
    if not sep or not name:
        raise DiagnoseError(f"--grid '{text}': expected NAME=LO:HI[:STEP], {example}")
    if name not in specs:
        raise DiagnoseError(f"--grid '{text}': unknown threshold '{name}'{did_you_mean(name, specs)}; see "
                            f"`diagnose rules thresholds`")
    spec = specs[name]
    parts = span.split(":")
    try:
        if len(parts) not in (2, 3):
            raise ValueError("expected LO:HI or LO:HI:STEP")
        low, high = spec.parse(parts[0].strip()), spec.parse(parts[1].strip())
        step = float(parts[2]) if len(parts) == 3 else (1 if isinstance(spec.default, int) else (high - low) / 4)
        if not (0 < step < math.inf) and high > low:
            raise ValueError(f"expected a finite step above 0, got {parts[2] if len(parts) == 3 else step}")
        if high < low:
            raise ValueError(f"expected LO <= HI, got {low:g} > {high:g}")
        count = int(round((high - low) / step)) + 1 if high > low else 1
        if count > 1000:
            raise ValueError(f"{count} values; at most 1000")
        values = [spec.parse(round(low + i * step, 9)) for i in range(count) if low + i * step <= high + 1e-9]
        if not values:
            raise ValueError("no value in the range")
    except ValueError as error:
        raise DiagnoseError(f"--grid '{text}': {error}") from None
    return name, list(dict.fromkeys(values))


def parse_grids(texts: Iterable[str], specs: Mapping[str, ThresholdSpec]) -> dict[str, list[Any]]:
    """`--grid` options as {name: values}; every bad one reported at once, one line each."""
    grids: dict[str, list[Any]] = {}
    problems = []
    for text in texts:
        try:
            name, values = _parse_grid(text, specs)
        except DiagnoseError as error:
            problems.append(error.message)
            continue
        if name in grids:
            problems.append(f"--grid '{text}': {name} is already swept by another --grid")
        grids[name] = values
    if problems:
        raise DiagnoseError("\n".join(problems))
    return grids


def threshold_grid(specs: Mapping[str, ThresholdSpec], in_force: Mapping[str, Any],
                   grids: Mapping[str, list[Any]] | None = None) -> list[dict[str, Any]]:
    """The threshold settings to run: the product of ``grids`` (others as in force), or by default each threshold
    over `default_range` in turn, the others as in force. Each setting once, in a stable order."""
    if grids:
        names = list(grids)
        settings = [{**in_force, **dict(zip(names, values))} for values in itertools.product(*grids.values())]
    else:
        settings = [dict(in_force)] + [{**in_force, name: value} for name, spec in specs.items()
                                       for value in default_range(spec)]
    unique: dict[tuple, dict[str, Any]] = {}
    for setting in settings:
        unique.setdefault(tuple(sorted(setting.items())), setting)
    return list(unique.values())


@dataclass(frozen=True)
class Robustness:
    """How one conclusion (a key with one verdict) fares across the settings."""

    conclusion: Conclusion
    baseline: bool
    """Whether the diagnosis with the thresholds in force draws it."""
    threshold_share: float
    threshold_breaks: tuple[str, ...]
    """For a baseline conclusion, the settings under which it does not hold (`name=value`, ...)."""
    drop_share: float | None = None
    decisive: tuple[str, ...] = ()
    """For a baseline conclusion, the entries without which it does not hold."""

    @property
    def fragile(self) -> bool:
        return self.baseline and (self.threshold_share < FRAGILE_BELOW or
                                  (self.drop_share is not None and self.drop_share < FRAGILE_BELOW))


@dataclass(frozen=True)
class Sensitivity:
    """Every conclusion drawn under some setting, baseline first, with its shares."""

    conclusions: tuple[Robustness, ...]
    settings: tuple[dict[str, Any], ...]
    drops: tuple[str, ...] = ()
    in_force: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per conclusion (for CSV and data frames)."""
        return [{**identity(r.conclusion), "verdict": verdict_text(r.conclusion), "baseline": r.baseline,
                 "threshold_share": round(r.threshold_share, 4),
                 "drop_share": None if r.drop_share is None else round(r.drop_share, 4), "fragile": r.fragile,
                 "threshold_breaks": list(r.threshold_breaks), "decisive": list(r.decisive)}
                for r in self.conclusions]

    def to_json(self) -> str:
        return json.dumps({"thresholds": self.in_force, "settings": list(self.settings), "drops": list(self.drops),
                           "fragile_below": FRAGILE_BELOW, "conclusions": self.rows()},
                          indent=2, ensure_ascii=False) + "\n"

    def to_csv(self) -> str:
        return to_csv(self.rows(), CSV_COLUMNS)

    def to_text(self) -> str:
        """The conclusions of the diagnosis, each with its shares, the fragile ones with what breaks them."""
        drops = f" and {len(self.drops)} runs each without one entry" if self.drops else ""
        out = [f"{len(self.settings)} threshold settings{drops}; fragile: holds under less than "
               f"{FRAGILE_BELOW:.0%} of either.", ""]
        header = f"{'thresholds':>10}  {'entries':>7}  conclusion"
        out.append(header)
        for r in (r for r in self.conclusions if r.baseline):
            entries = "" if r.drop_share is None else f"{r.drop_share:.0%}"
            mark = "  FRAGILE" if r.fragile else ""
            out.append(f"{r.threshold_share:>10.0%}  {entries:>7}  {label(r.conclusion)}: "
                       f"{verdict_text(r.conclusion)}{mark}")
            if r.fragile and r.threshold_breaks:
                out.append(f"{'':>21}not under: {'; '.join(r.threshold_breaks)}")
            if r.fragile and r.decisive:
                out.append(f"{'':>21}not without: {', '.join(r.decisive)}")
        others = sum(not r.baseline for r in self.conclusions)
        if others:
            out += ["", f"{others} other conclusions are drawn under some of the settings (see --format json or "
                        f"csv)."]
        return "".join(visible(line) + "\n" for line in out)


CSV_COLUMNS = ("kind", "mechanism", "type", "unit", "units", "period", "sector", "agency", "issue", "dimension", "on",
               "verdict", "baseline", "threshold_share", "drop_share", "fragile", "threshold_breaks", "decisive")


Outcome = dict[tuple, Conclusion]
"""Every conclusion of one run by (key, verdict)."""


_WORK: tuple | None = None
"""What a forked worker needs (facts, rules, a `LeaveOneOut` that has run once); set before the fork, inherited."""


def _run(task: tuple[str, Any]) -> Outcome:
    facts, rules, leave_one_out = _WORK  # type: ignore[misc]
    what, value = task
    if what == "thresholds":
        return _outcome(diagnose(facts, rules, thresholds=value))
    return _outcome(leave_one_out.without(value))


def _outcome(result: Diagnosis) -> Outcome:
    return {(conclusion_key(c), conclusion_verdict(c)): c for c in (*result.mechanisms, *result.overlaps)}


def _map(tasks: list[tuple[str, Any]], jobs: int) -> list[Outcome]:
    if jobs <= 1 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_run(task) for task in tasks]
    with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
        return pool.map(_run, tasks, chunksize=max(1, len(tasks) // (jobs * 4)))


def _setting_text(setting: Mapping[str, Any], in_force: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in setting.items() if in_force.get(k) != v) or "as in force"


def sensitivity(facts: FactBase, packs: Iterable[str] | RuleBase | None = None, *,
                thresholds: Mapping[str, Any] | None = None, grids: Mapping[str, list[Any]] | None = None,
                drop_each: bool = False, jobs: int = 1) -> Sensitivity:
    """Diagnose ``facts`` under each threshold setting (see `threshold_grid`) and, with ``drop_each``, without each
    entry, on ``jobs`` processes; the share of settings under which each conclusion holds."""
    global _WORK
    rules = packs if isinstance(packs, RuleBase) else rulebase(tuple(packs or ()))
    in_force = resolve(rules.thresholds, thresholds or {})
    for name, values in (grids or {}).items():
        for value in values:
            resolve(rules.thresholds, {name: value})
    settings = threshold_grid(rules.thresholds, in_force, grids)
    drops = tuple(item.id for item in (*facts.entries, *facts.strategies, *facts.junctures)) if drop_each else ()
    if drops:  # the baseline keeps its partitions: leaving each entry out re-runs only what it changes
        baseline, kept = diagnose_keeping(facts, rules, thresholds=in_force)
    else:  # before the fork: workers inherit the built engines
        baseline, kept = diagnose(facts, rules, thresholds=in_force), None
    leave_one_out = LeaveOneOut(facts, rules, thresholds=in_force, kept=kept)
    first = [_outcome(leave_one_out.without(drops[0]))] if drops else []  # keeps what every later run reuses
    tasks = [*(("thresholds", s) for s in settings), *(("drop", d) for d in drops[1:])]
    _WORK = (facts, rules, leave_one_out)
    try:
        outcomes = _map(tasks, jobs)
    finally:
        _WORK = None
    by_setting, by_drop = outcomes[:len(settings)], [*first, *outcomes[len(settings):]]
    base = _outcome(baseline)
    drawn = dict(base)
    for outcome in by_setting:  # conclusions off the baseline, each as first drawn
        for pair, conclusion in outcome.items():
            drawn.setdefault(pair, conclusion)
    held = [set(outcome) for outcome in by_setting]
    dropped = [set(outcome) for outcome in by_drop]
    rows = []
    for pair, conclusion in drawn.items():
        breaks = tuple(_setting_text(s, in_force) for s, h in zip(settings, held) if pair not in h) \
            if pair in base else ()
        rows.append(Robustness(
            conclusion, pair in base, sum(pair in h for h in held) / len(held), breaks,
            sum(pair in d for d in dropped) / len(dropped) if dropped else None,
            tuple(d for d, h in zip(drops, dropped) if pair not in h) if pair in base else ()))
    return Sensitivity(tuple(rows), tuple(settings), drops, in_force)
