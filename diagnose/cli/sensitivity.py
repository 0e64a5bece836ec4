"""`diagnose sensitivity`."""

from __future__ import annotations

import click

from ..batch import default_jobs
from ..load import load_facts
from .options import Settings, rule_options


@click.command()
@click.argument("file", type=click.Path())
@click.option("--grid", "grids", multiple=True, metavar="NAME=LO:HI[:STEP]",
              help="Sweep a threshold over a range (repeatable: every combination). Default: each threshold over "
                   "its documented range in turn, the others as in force.")
@click.option("--drop-each", is_flag=True, help="Also diagnose the file once without each entry.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text: the diagnosis's conclusions; json and csv: every conclusion drawn under some setting.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Processes (default: every core). Same output.")
@rule_options(thresholds=True)
def sensitivity(file: str, grids: tuple[str, ...], drop_each: bool, fmt: str, jobs: int | None,
                settings: Settings) -> None:
    """Show how much each conclusion of FILE depends on the thresholds (and on each entry).

    Diagnoses FILE again under every setting of a grid of thresholds and,
    with --drop-each, once without each entry; for every conclusion, the
    share of settings under which it holds with the same verdict. A
    conclusion that holds under less than 75% of the threshold settings, or
    of the runs without one entry, is marked FRAGILE, with the settings and
    entries it does not survive.

    \b
    Examples:
      diagnose sensitivity facts/greece_turkey.yaml
      diagnose sensitivity facts/greece_turkey.yaml --drop-each
      diagnose sensitivity facts/euro_atlantic.yaml --grid sc_min_kinds=2:5 --grid sc_block_share=0:1
      diagnose sensitivity facts/southeast_asia.yaml --format csv > sensitivity.csv
    """
    from ..analysis.sensitivity import parse_grids, sensitivity as sweep  # here: `diagnose --help` stays quick

    facts = load_facts(file, settings.rules)
    ranges = parse_grids(grids, settings.rules.thresholds)
    result = sweep(facts, settings.rules, thresholds=settings.thresholds, grids=ranges, drop_each=drop_each,
                   jobs=jobs or default_jobs())
    click.echo({"json": result.to_json, "csv": result.to_csv, "text": result.to_text}[fmt](), nl=False)
