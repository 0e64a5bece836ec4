"""`diagnose run`."""

from __future__ import annotations

import click

from ..api import diagnose
from ..batch import default_jobs
from ..errors import DiagnoseError
from ..load import load_facts
from ..render.tables import mechanisms_csv, overlaps_csv
from ..render.text import render_text
from ..render.trace import trace_to_stderr
from .options import Settings, rule_options


@click.command()
@click.argument("file", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people at a terminal, json for scripts (see `diagnose schema diagnosis`), csv for "
                   "spreadsheets (one line per mechanism row).")
@click.option("--overlaps", is_flag=True, help="With --format csv: one line per overlap instead.")
@click.option("--trace", is_flag=True, help="Print each rule as it fires (rule, unit, period, facts) to stderr.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for a large file (default: every core; --trace runs in one). Same output.")
@rule_options(thresholds=True)
def run(file: str, fmt: str, overlaps: bool, trace: bool, jobs: int | None, settings: Settings) -> None:
    """Diagnose the region described in FILE.

    Prints, per unit and period, which mechanisms are active and which
    overlaps exist, each with its explanation and the fact ids behind it.

    \b
    Examples:
      diagnose run facts/western_hemisphere.yaml
      diagnose run facts/southeast_asia.yaml --format json > asia.json
      diagnose run facts/southeast_asia.yaml --format csv --overlaps > overlaps.csv
      diagnose run facts/greece_turkey.yaml --trace 2> trace.log
      diagnose run facts/euro_atlantic.yaml --threshold sc_min_kinds=4
      diagnose run region.yaml --rules examples/packs/hegemony
    """
    if overlaps and fmt != "csv":
        raise DiagnoseError("--overlaps selects the lines of --format csv; the text and JSON show overlaps anyway")
    facts = load_facts(file, settings.rules)
    for warning in facts.warnings:
        click.echo(warning, err=True)
    result = diagnose(facts, settings.rules, thresholds=settings.thresholds,
                      trace=trace_to_stderr if trace else None, jobs=jobs or default_jobs())
    if fmt == "csv":
        click.echo(overlaps_csv(result) if overlaps else mechanisms_csv(result), nl=False)
    elif fmt == "json":
        for chunk in result.json_chunks():  # a large diagnosis's JSON is never held whole (peak memory)
            click.echo(chunk, nl=False)
    else:
        click.echo(render_text(result, facts), nl=False)
