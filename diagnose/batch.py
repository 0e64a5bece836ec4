"""Diagnose many fact files on all cores; results do not depend on the number of jobs."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .api import diagnose
from .diagnosis import Diagnosis
from .errors import DiagnoseError
from .load import load_facts
from .packs import RuleBase, rulebase
from .render.text import render_text

SUMMARY_FIELDS = ("file", "region", "period", "active_mechanisms", "overlaps")


@dataclass(frozen=True)
class Outcome:
    """What diagnosing one file gave: its rendered result and summary rows, or its errors."""

    path: str
    output: str | None = None
    summary: tuple[dict[str, Any], ...] = ()
    errors: str | None = None
    brief: bytes | None = None
    attachments: Mapping[str, bytes] = field(default_factory=dict)
    """Files the brief links to (Markdown's figures), by name beside it."""


@dataclass(frozen=True)
class RuleSettings:
    """What a worker process needs to rebuild the rule base (packs are loaded per process)."""

    packs: tuple[str, ...] = ()
    builtin: bool = True
    thresholds: Mapping[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _rules(packs: tuple[str, ...], builtin: bool) -> RuleBase:
    return rulebase(packs, builtin=builtin)


def summarize(path: str, diagnosis: Diagnosis) -> tuple[dict[str, Any], ...]:
    """One row per period: the active mechanisms (unit rows of all practices) and the overlaps."""
    rows = []
    for period in diagnosis.periods or (None,):
        active = sorted(f"{r.mechanism}@{r.unit}" for r in diagnosis.mechanisms
                        if r.period == period and r.status == "active"
                        and (r.sector, r.agency, r.issue) == (None, None, None))
        overlaps = [f"{o.type}({'+'.join(o.units)}, {o.character})" for o in diagnosis.overlaps if o.period == period]
        rows.append({"file": path, "region": diagnosis.region, "period": period,
                     "active_mechanisms": active, "overlaps": overlaps})
    return tuple(rows)


def diagnose_one(path: str, fmt: str, settings: RuleSettings, report: str | None = None,
                 report_stem: str | None = None) -> Outcome:
    """Diagnose one file (and write its brief in ``report`` format); bad input becomes errors, not an exception."""
    try:
        rules = _rules(settings.packs, settings.builtin)
        facts = load_facts(path, rules)
        result = diagnose(facts, rules, thresholds=settings.thresholds)
        rendered = None
        if report is not None:
            from .render.report import brief

            rendered = brief(path, rules, dict(settings.thresholds), report, output_stem=report_stem,
                             diagnosed=(facts, result))
    except DiagnoseError as e:
        return Outcome(path, errors=e.format_message())
    output = result.to_json() if fmt == "json" else render_text(result, facts)
    return Outcome(path, output, summarize(path, result), brief=rendered and rendered.content,
                   attachments=rendered.attachments if rendered else {})


def run_batch(paths: Iterable[str], fmt: str, settings: RuleSettings, jobs: int,
              progress: Callable[[Outcome], None] = lambda outcome: None, report: str | None = None,
              report_stems: Mapping[str, str] | None = None) -> list[Outcome]:
    """Diagnose ``paths`` on ``jobs`` processes; outcomes come back in the order of ``paths``."""
    paths = list(paths)
    stems = report_stems or {}
    if jobs <= 1 or len(paths) <= 1:
        outcomes = []
        for path in paths:
            outcomes.append(diagnose_one(path, fmt, settings, report, stems.get(path)))
            progress(outcomes[-1])
        return outcomes
    from concurrent.futures import ProcessPoolExecutor  # costs start-up time to every other command

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(diagnose_one, path, fmt, settings, report, stems.get(path)) for path in paths]
        outcomes = []
        for future in futures:
            outcomes.append(future.result())
            progress(outcomes[-1])
        return outcomes


def output_names(paths: list[str], suffix: str) -> dict[str, str]:
    """A distinct output file name per input: its stem, numbered when two stems collide."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for path in paths:
        stem, number = Path(path).stem, 1
        name = f"{stem}{suffix}"
        while name in taken:
            number += 1
            name = f"{stem}-{number}{suffix}"
        taken.add(name)
        names[path] = name
    return names


def summary_csv(outcomes: list[Outcome]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_FIELDS, lineterminator="\n")
    writer.writeheader()
    for outcome in outcomes:
        for row in outcome.summary:
            writer.writerow({**row, "period": row["period"] or "",
                             "active_mechanisms": "; ".join(row["active_mechanisms"]),
                             "overlaps": "; ".join(row["overlaps"])})
    return buffer.getvalue()


def summary_json(outcomes: list[Outcome]) -> str:
    data = {
        "files": [{"file": o.path, "ok": o.errors is None, **({"errors": o.errors.splitlines()} if o.errors else {})}
                  for o in outcomes],
        "summary": [row for o in outcomes for row in o.summary],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def index_html(outcomes: list[Outcome], results: Mapping[str, str], briefs: Mapping[str, str]) -> str:
    """`index.html`: every file with its region, active mechanisms, overlaps and links, or why it was refused."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(loader=PackageLoader("diagnose.reports", "."), autoescape=True,
                              undefined=StrictUndefined)
    files = []
    for outcome in outcomes:
        rows = outcome.summary
        files.append({
            "path": outcome.path, "ok": outcome.errors is None, "errors": outcome.errors or "",
            "region": rows[0]["region"] if rows else "",
            "active": "; ".join(sorted({m for row in rows for m in row["active_mechanisms"]})) or "none",
            "overlaps": "; ".join(o for row in rows for o in row["overlaps"]) or "none",
            "brief": briefs.get(outcome.path, ""), "result": results.get(outcome.path, ""),
        })
    return environment.get_template("index.html.j2").render(files=files)
