"""`diagnose batch`."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from ..batch import (DEFAULT_TIMEOUT, Outcome, RuleSettings, default_jobs, index_html, plan_outputs, run_batch,
                     summary_csv, summary_json)
from ..errors import DiagnoseError
from ..output import check_targets, write_atomically
from ..render.progress import ProgressBar
from .options import Settings, rule_options


def _finite(seconds: float) -> float:
    if not math.isfinite(seconds):  # nan passes FloatRange's comparisons
        raise click.BadParameter(f"{seconds} is not a number of seconds")
    return seconds


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output-dir", required=True, type=click.Path(file_okay=False),
              help="Where to write one result per file and the summary (created if missing).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="Format of each file's result.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: every core). The output is the same whatever the number.")
@click.option("--report", type=click.Choice(["html", "markdown", "pdf"]), default=None,
              help="Also write one briefing per file (see `diagnose report`) and an index.html linking them.")
@click.option("--judgements", type=click.IntRange(min=1), default=None, metavar="N",
              help="With --report: key judgements each brief leads with (default: as `diagnose report`, 8).")
@click.option("--force", is_flag=True, help="Overwrite results already in the output folder.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True, max=1e9), default=DEFAULT_TIMEOUT,
              show_default=True, metavar="SECONDS", callback=lambda ctx, param, value: _finite(value),
              help="Time one file may take; a file over it is stopped and reported as failed, and the batch "
                   "goes on.")
@rule_options(thresholds=True)
def batch(paths: tuple[str, ...], output_dir: str, fmt: str, jobs: int | None, report: str | None,
          judgements: int | None, force: bool, timeout: float, settings: Settings) -> None:
    """Diagnose many fact files at once, on all cores.

    Writes DIR/<name>.json (or .txt) per file as soon as it is diagnosed, and
    at the end DIR/summary.csv and DIR/summary.json (region, period, active
    mechanisms, overlaps); with --report, also DIR/<name>.html (or .md, .pdf)
    per file and DIR/index.html. An input whose output would be one of these
    (summary.yaml, index.yaml) is refused before anything is written. A
    batch that takes more than a second shows its progress on standard
    error (on a terminal only).

    A bad file does not stop the others: nor does one over --timeout, nor
    one whose process dies (tried once more in a fresh process). Its errors
    are reported at the end, in the summary too, and the exit status is 2.
    Interrupted (Ctrl-C), the batch keeps the results it has written,
    writes no summary and exits with status 130.

    \b
    Examples:
      diagnose batch facts/*.yaml --output-dir results/
      diagnose batch world/*.yaml --output-dir out --jobs 2 --format text
      diagnose batch facts/*.yaml --output-dir briefs --report html
      diagnose batch world/*.yaml --output-dir briefs --report pdf --judgements 5
      diagnose batch big/*.yaml --output-dir out --timeout 60
    """
    paths = tuple(dict.fromkeys(paths))
    folder = Path(output_dir)
    plan = plan_outputs(list(paths), fmt, report)
    check_targets([folder / name for name in plan.names()], [Path(p) for p in paths], force=force)
    rules = RuleSettings(settings.packs, settings.builtin, settings.thresholds)
    if judgements is not None and report is None:
        raise DiagnoseError("--judgements sets how many key judgements each brief leads with: add --report")
    finished = 0

    def save(outcome: Outcome) -> None:
        """Write one file's result (and brief) the moment it is ready: an interrupted batch keeps it."""
        nonlocal finished
        if outcome.output is not None:
            write_atomically(folder / plan.results[outcome.path], outcome.output.encode("utf-8"), force=force)
        if outcome.brief is not None:
            for name, data in outcome.attachments.items():
                write_atomically(folder / name, data, force=force)
            write_atomically(folder / plan.briefs[outcome.path], outcome.brief, force=force)
        finished += 1
        bar.update(finished, len(paths))

    try:
        with ProgressBar("Briefing" if report else "Diagnosing") as bar:
            outcomes = run_batch(paths, fmt, rules, jobs or default_jobs(), progress=save, report=report,
                                 report_stems={p: Path(n).stem for p, n in plan.briefs.items()}, timeout=timeout,
                                 judgements=judgements)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: {finished} of {len(paths)} files done, their results in {folder}/; "
                   f"no summary written", err=True)
        sys.exit(130)
    if report:
        write_atomically(folder / "index.html", index_html(outcomes, plan.results, plan.briefs).encode("utf-8"),
                         force=force)
    write_atomically(folder / "summary.csv", summary_csv(outcomes).encode("utf-8"), force=force)
    write_atomically(folder / "summary.json", summary_json(outcomes).encode("utf-8"), force=force)
    failed = [o for o in outcomes if o.errors]
    click.echo(f"{len(outcomes) - len(failed)} of {len(outcomes)} files diagnosed; results in {folder}/", err=True)
    if failed:
        click.echo(f"{len(failed)} file(s) refused:", err=True)
        for outcome in failed:
            click.echo(outcome.errors, err=True)
        sys.exit(2)
