"""`diagnose batch`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..batch import RuleSettings, default_jobs, index_html, output_names, run_batch, summary_csv, summary_json
from ..output import check_targets, write_atomically
from ..render.formats import SUFFIXES
from .options import Settings, rule_options


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output-dir", required=True, type=click.Path(file_okay=False),
              help="Where to write one result per file and the summary (created if missing).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="Format of each file's result.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to use (default: every core). The output is the same whatever the number.")
@click.option("--report", type=click.Choice(["html", "markdown", "pdf"]), default=None,
              help="Also write one briefing per file (see `diagnose report`) and an index.html linking them.")
@click.option("--force", is_flag=True, help="Overwrite results already in the output folder.")
@rule_options(thresholds=True)
def batch(paths: tuple[str, ...], output_dir: str, fmt: str, jobs: int | None, report: str | None,
          force: bool, settings: Settings) -> None:
    """Diagnose many fact files at once, on all cores.

    Writes DIR/<name>.json (or .txt) per file, and DIR/summary.csv and
    DIR/summary.json (region, period, active mechanisms, overlaps); with
    --report, also DIR/<name>.html (or .md, .pdf) per file and DIR/index.html.
    A bad file does not stop the others: its errors are reported at the end
    and the exit status is 2.

    \b
    Examples:
      diagnose batch facts/*.yaml --output-dir results/
      diagnose batch world/*.yaml --output-dir out --jobs 2 --format text
      diagnose batch facts/*.yaml --output-dir briefs --report html
    """
    paths = tuple(dict.fromkeys(paths))
    folder = Path(output_dir)
    names = output_names(list(paths), ".json" if fmt == "json" else ".txt")
    briefs = output_names(list(paths), SUFFIXES[report]) if report else {}
    extra = ["index.html"] if report else []
    check_targets([folder / name for name in (*names.values(), *briefs.values(), "summary.csv", "summary.json",
                                              *extra)], [Path(p) for p in paths], force=force)
    rules = RuleSettings(settings.packs, settings.builtin, settings.thresholds)
    with click.progressbar(length=len(paths), label="Diagnosing", file=sys.stderr,
                           show_pos=True) as bar:
        outcomes = run_batch(paths, fmt, rules, jobs or default_jobs(), progress=lambda _: bar.update(1),
                             report=report, report_stems={p: Path(n).stem for p, n in briefs.items()})
    for outcome in outcomes:
        if outcome.output is not None:
            write_atomically(folder / names[outcome.path], outcome.output.encode("utf-8"), force=force)
        if outcome.brief is not None:
            for name, data in outcome.attachments.items():
                write_atomically(folder / name, data, force=force)
            write_atomically(folder / briefs[outcome.path], outcome.brief, force=force)
    if report:
        write_atomically(folder / "index.html", index_html(outcomes, names, briefs).encode("utf-8"), force=force)
    write_atomically(folder / "summary.csv", summary_csv(outcomes).encode("utf-8"), force=force)
    write_atomically(folder / "summary.json", summary_json(outcomes).encode("utf-8"), force=force)
    failed = [o for o in outcomes if o.errors]
    click.echo(f"{len(outcomes) - len(failed)} of {len(outcomes)} files diagnosed; results in {folder}/", err=True)
    if failed:
        click.echo(f"{len(failed)} file(s) refused:", err=True)
        for outcome in failed:
            click.echo(outcome.errors, err=True)
        sys.exit(2)
