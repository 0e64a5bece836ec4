"""`diagnose batch`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..batch import RuleSettings, default_jobs, output_names, run_batch, summary_csv, summary_json
from ..output import check_targets, write_atomically
from .options import Settings, rule_options


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output-dir", required=True, type=click.Path(file_okay=False),
              help="Where to write one result per file and the summary (created if missing).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="Format of each file's result.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: every core). The output is the same whatever the number.")
@click.option("--force", is_flag=True, help="Overwrite results already in the output folder.")
@rule_options
def batch(paths: tuple[str, ...], output_dir: str, fmt: str, jobs: int | None, force: bool,
          settings: Settings) -> None:
    """Diagnose many fact files at once, on all cores.

    Writes DIR/<name>.json (or .txt) per file, and DIR/summary.csv and
    DIR/summary.json (region, period, active mechanisms, overlaps). A bad file
    does not stop the others: its errors are reported at the end and the
    exit status is 2.

    \b
    Examples:
      diagnose batch facts/*.yaml --output-dir results/
      diagnose batch world/*.yaml --output-dir out --jobs 2 --format text
    """
    paths = tuple(dict.fromkeys(paths))
    folder = Path(output_dir)
    names = output_names(list(paths), ".json" if fmt == "json" else ".txt")
    check_targets([folder / name for name in (*names.values(), "summary.csv", "summary.json")],
                  [Path(p) for p in paths], force=force)
    rules = RuleSettings(settings.packs, settings.builtin, settings.thresholds)
    with click.progressbar(length=len(paths), label="Diagnosing", file=sys.stderr,
                           show_pos=True) as bar:
        outcomes = run_batch(paths, fmt, rules, jobs or default_jobs(), progress=lambda _: bar.update(1))
    for outcome in outcomes:
        if outcome.output is not None:
            write_atomically(folder / names[outcome.path], outcome.output.encode("utf-8"), force=force)
    write_atomically(folder / "summary.csv", summary_csv(outcomes).encode("utf-8"), force=force)
    write_atomically(folder / "summary.json", summary_json(outcomes).encode("utf-8"), force=force)
    failed = [o for o in outcomes if o.errors]
    click.echo(f"{len(outcomes) - len(failed)} of {len(outcomes)} files diagnosed; results in {folder}/", err=True)
    if failed:
        click.echo(f"{len(failed)} file(s) refused:", err=True)
        for outcome in failed:
            click.echo(outcome.errors, err=True)
        sys.exit(2)
