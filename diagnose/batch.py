"""Diagnose many fact files on all cores; results do not depend on the number of jobs."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .api import diagnose, diagnose_keeping
from .diagnosis import Diagnosis
from .errors import DiagnoseError
from .load import load_facts
from .packs import RuleBase, rulebase
from .render.text import render_text

SUMMARY_FIELDS = ("file", "region", "conclusion", "unit", "period", "mechanism", "sector", "agency", "issue",
                  "status", "variant", "facing", "phase", "coupling", "type", "character", "facts")
"""The columns of `summary.csv`: the file, then `diagnose.render.tables.CONCLUSION_COLUMNS` without the explanation."""


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
    index: Mapping[str, Any] | None = None
    """With a brief: what `index.html` shows of the file (`diagnose.render.briefing.index_entry`)."""


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
    """One row per period: the active mechanisms (unit rows of all practices), the overlaps, and every conclusion
    of the period (mechanism rows and overlaps, as `summary.csv` lists them, one line each)."""
    from .render.tables import conclusions

    found = conclusions(diagnosis)
    rows = []
    for period in diagnosis.periods or (None,):
        active = sorted(f"{r.mechanism}@{r.unit}" for r in diagnosis.mechanisms
                        if r.period == period and r.status == "active"
                        and (r.sector, r.agency, r.issue) == (None, None, None))
        overlaps = [f"{o.type}({'+'.join(o.units)}, {o.character})" for o in diagnosis.overlaps if o.period == period]
        rows.append({"file": path, "region": diagnosis.region, "period": period,
                     "active_mechanisms": active, "overlaps": overlaps,
                     "conclusions": [{k: c.get(k) for k in SUMMARY_FIELDS[2:]} for c in found
                                     if c["period"] == period]})
    return tuple(rows)


def diagnose_one(path: str, fmt: str, settings: RuleSettings, report: str | None = None,
                 report_stem: str | None = None, judgements: int | None = None) -> Outcome:
    """Diagnose one file (and write its brief in ``report`` format); bad input becomes errors, not an exception."""
    try:
        rules = _rules(settings.packs, settings.builtin)
        facts = load_facts(path, rules)
        rendered = index = None
        if report is None:
            result = diagnose(facts, rules, thresholds=settings.thresholds)
        else:  # the run keeps its partitions: the brief's decisive facts re-run only what each entry changes
            from .judgements import DEFAULT_JUDGEMENTS, brief
            from .render.briefing import index_entry

            result, kept = diagnose_keeping(facts, rules, thresholds=settings.thresholds)
            rendered = brief(path, rules, dict(settings.thresholds), report, output_stem=report_stem,
                             diagnosed=(facts, result), kept=kept, judgements=judgements or DEFAULT_JUDGEMENTS)
            index = index_entry(facts, result)
    except DiagnoseError as e:
        return Outcome(path, errors=e.format_message())
    output = result.to_json() if fmt == "json" else render_text(result, facts)
    return Outcome(path, output, summarize(path, result), brief=rendered and rendered.content,
                   attachments=rendered.attachments if rendered else {}, index=index)


DEFAULT_TIMEOUT = 600.0
"""Seconds one file may take in `run_batch` before its worker is stopped and the file reported as failed."""


def _work(connection: Any, fmt: str, settings: RuleSettings, report: str | None,
          stems: Mapping[str, str], judgements: int | None = None) -> None:
    """A worker process: diagnose the files the batch sends, one at a time, until it sends None or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle: it stops the workers
    try:
        _rules(settings.packs, settings.builtin)  # before the clock of the first file starts
    except Exception:  # noqa: BLE001 - diagnose_one reports it, with the file
        pass
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return  # the batch is gone
        if task is None:
            return
        index, path = task
        try:
            connection.send(("started", index))
            try:
                outcome = diagnose_one(path, fmt, settings, report, stems.get(path), judgements)
            except Exception as error:  # noqa: BLE001 - a broken pack or a bug costs its file, not the batch
                outcome = Outcome(path, errors=f"{path}: {type(error).__name__}: {error}".splitlines()[0])
            connection.send(("done", index, outcome))
        except OSError:
            return  # the batch is gone


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


class _Worker:
    """One worker process and the file it is diagnosing, if any."""

    def __init__(self, context: Any, arguments: tuple[Any, ...]):
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_work, args=(theirs, *arguments), name="diagnose batch worker")
        # Ctrl-C reaches every process of the terminal's group: a forked worker ignores it from its first
        # instruction, not only once `_work` says so (else it could print a traceback of its own).
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self.process.start()
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)
        theirs.close()
        self.task: int | None = None
        self.assigned = 0.0  # when it was given the task
        self.since: float | None = None  # when it began the task (once it has loaded the rule base)

    def assign(self, index: int, path: str) -> None:
        self.task, self.assigned, self.since = index, time.monotonic(), None
        try:
            self.connection.send((index, path))
        except OSError:
            pass  # it died meanwhile: the batch sees it dead, with its task

    def deadline(self, timeout: float) -> float:
        """When its task has taken too long: ``timeout`` from its start, or from its assignment if it has
        not started by then (a worker that hangs before its first file)."""
        return (self.since if self.since is not None else self.assigned) + timeout

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()
        self.process.close()


def run_batch(paths: Iterable[str], fmt: str, settings: RuleSettings, jobs: int,
              progress: Callable[[Outcome], None] = lambda outcome: None, report: str | None = None,
              report_stems: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
              judgements: int | None = None) -> list[Outcome]:
    """Diagnose ``paths`` on ``jobs`` worker processes; outcomes come back in the order of ``paths``.

    With ``report``, each file's brief leads with ``judgements`` key judgements (by default, as `diagnose report`).

    ``progress`` is called with each outcome as soon as it is ready (in the order the files finish), so a
    caller can write each result at once. A file costs only itself: one whose worker dies (killed, crashed)
    is tried once more in a fresh process, then reported as failed; one that takes more than ``timeout``
    seconds is stopped and reported as failed. On any way out (an error in ``progress``, Ctrl-C) the
    workers are stopped.
    """
    import multiprocessing  # costs start-up time to every other command
    from multiprocessing.connection import wait

    paths = list(paths)
    outcomes: list[Outcome | None] = [None] * len(paths)
    pending = deque(range(len(paths)))
    deaths = [0] * len(paths)
    arguments = (fmt, settings, report, dict(report_stems or {}), judgements)
    context = multiprocessing.get_context()
    workers: list[_Worker] = []

    def finish(index: int, outcome: Outcome) -> None:
        outcomes[index] = outcome
        progress(outcome)

    def retire(worker: _Worker) -> None:
        workers.remove(worker)
        worker.stop()

    try:
        while pending or any(worker.task is not None for worker in workers):
            for worker in [worker for worker in workers if worker.task is None and not worker.process.is_alive()]:
                retire(worker)  # died while idle (killed from outside): replaced below, costs no file
            idle = [worker for worker in workers if worker.task is None]
            while pending and len(idle) < len(pending) and len(workers) < max(1, jobs):
                workers.append(_Worker(context, arguments))
                idle.append(workers[-1])
            for worker in idle:
                if pending:
                    index = pending.popleft()
                    worker.assign(index, paths[index])
            busy = [worker for worker in workers if worker.task is not None]
            now = time.monotonic()
            wait([*(w.connection for w in busy), *(w.process.sentinel for w in busy)],
                 max(0.0, min(worker.deadline(timeout) for worker in busy) - now))
            for worker in busy:
                dead, done = False, None
                try:
                    while done is None and worker.connection.poll():
                        message = worker.connection.recv()
                        if message[0] == "started":
                            worker.since = time.monotonic()
                        else:
                            done = (worker.task, message[2])
                            worker.task = worker.since = None
                except (EOFError, OSError):
                    dead = True
                if done is not None:
                    finish(*done)  # outside the try: an error in writing the result is not a dead worker
                if worker.task is None:
                    if dead:
                        retire(worker)
                    continue
                index, path = worker.task, paths[worker.task]
                if dead or not worker.process.is_alive():
                    worker.process.join()
                    how = _death(worker.process.exitcode)
                    retire(worker)
                    deaths[index] += 1
                    if deaths[index] < 2:
                        pending.appendleft(index)  # once more, in a fresh process
                    else:
                        finish(index, Outcome(path, errors=f"{path}: the process diagnosing it died twice "
                                                           f"({how}); not diagnosed"))
                elif time.monotonic() >= worker.deadline(timeout):
                    retire(worker)
                    finish(index, Outcome(path, errors=f"{path}: took longer than {timeout:g} s (--timeout); "
                                                       f"stopped"))
    finally:
        for worker in workers:
            worker.stop()
    return [outcome for outcome in outcomes if outcome is not None]


def _name_key(name: str) -> str:
    """Names that a case-insensitive or normalizing file system (macOS, Windows) takes for the same file."""
    return unicodedata.normalize("NFC", name.casefold())


def output_names(paths: list[str], suffix: str) -> dict[str, str]:
    """A distinct output file name per input: its stem, numbered when two stems collide (even in case only)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for path in paths:
        stem, number = Path(path).stem, 1
        name = f"{stem}{suffix}"
        while _name_key(name) in taken:
            number += 1
            name = f"{stem}-{number}{suffix}"
        taken.add(_name_key(name))
        names[path] = name
    return names


SUMMARY_FILES = ("summary.csv", "summary.json")
INDEX_FILE = "index.html"


@dataclass(frozen=True)
class OutputPlan:
    """The files a batch writes in its folder: per input its result, its brief and the brief's figures."""

    results: Mapping[str, str]
    briefs: Mapping[str, str]
    figures: Mapping[str, tuple[str, ...]]
    own: tuple[str, ...]
    """The batch's own files: the summaries, and with briefs the index."""

    def names(self) -> list[str]:
        return [*self.results.values(), *self.briefs.values(), *(n for names in self.figures.values() for n in names),
                *self.own]


def plan_outputs(paths: list[str], fmt: str, report: str | None) -> OutputPlan:
    """Name every output file before anything is written; refuse an input whose output would be one of the
    batch's own files (`summary.yaml` gives `summary.json`) or another input's output, whatever --force."""
    from .render.formats import SUFFIXES

    results = output_names(paths, ".json" if fmt == "json" else ".txt")
    briefs = output_names(paths, SUFFIXES[report]) if report else {}
    figures: dict[str, tuple[str, ...]] = {}
    if report == "markdown":  # Markdown's figures are files beside the brief
        from .render.figures import FIGURES
        from .render.report import figure_file_name

        figures = {path: tuple(figure_file_name(Path(name).stem, figure) for figure in FIGURES)
                   for path, name in briefs.items()}
    own = (*SUMMARY_FILES, *((INDEX_FILE,) if report else ()))
    owners: dict[str, str | None] = {_name_key(name): None for name in own}
    for path in paths:
        for name in (results[path], *((briefs[path],) if report else ()), *figures.get(path, ())):
            key = _name_key(name)
            if key in owners:
                whose = owners[key]
                if whose is None:
                    taken = next(n for n in own if _name_key(n) == key)
                    raise DiagnoseError(f"{path}: its output {name} would replace the batch's own {taken}; "
                                        f"rename the file")
                raise DiagnoseError(f"{path}: its output {name} would replace the output of {whose}; "
                                    f"rename one of them")
            owners[key] = path
    return OutputPlan(results, briefs, figures, own)


def summary_csv(outcomes: list[Outcome]) -> str:
    """`summary.csv`, one line per conclusion (mechanism row or overlap) of every file diagnosed. A cell a
    spreadsheet would run as a formula (a region named `=HYPERLINK(...)`) begins with `'`, text (see
    `diagnose.render.tables.cell`)."""
    from .render.tables import to_csv

    return to_csv(({"file": outcome.path, "region": row["region"], **conclusion}
                   for outcome in outcomes for row in outcome.summary for conclusion in row.get("conclusions", ())),
                  SUMMARY_FIELDS)


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
    """`index.html`, in the briefs' style: every file with its region and, period by period (by label), where each
    mechanism is active and the overlaps, units by name; with links to its brief and result, or why it was
    refused."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from .render.filters import breakable, file_link, upper_first  # file_link: a file beside it, never a scheme

    environment = Environment(loader=PackageLoader("diagnose.reports", "."), autoescape=True,
                              undefined=StrictUndefined)
    environment.filters.update({"breakable": breakable, "upper_first": upper_first})
    files = [{"path": outcome.path, "ok": outcome.errors is None, "errors": outcome.errors or "",
              "region": (outcome.index or {}).get("region", ""), "periods": (outcome.index or {}).get("periods", []),
              "brief": file_link(briefs.get(outcome.path, "")), "result": file_link(results.get(outcome.path, ""))}
             for outcome in outcomes]
    return environment.get_template("index.html.j2").render(files=files)
