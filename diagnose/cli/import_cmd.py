"""`diagnose import`."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DiagnoseError
from ..output import check_targets, write_atomically

REGION_NAMES = ("Americas", "Europe", "Africa", "Middle East", "Asia")
"""The COW regions `--region` takes, for its help (the importer itself, with the rule base, loads only when run)."""


@click.command(name="import")
@click.option("--data", "data", multiple=True, required=True, metavar="DIR",
              help="A folder of data tables, found by file name (cw_system.csv, cow_mid_ddydisps.csv, "
                   "atop-member-level.csv, ...); repeat for several folders.")
@click.option("--states", metavar="A,B,...", help="States by COW number or abbreviation (with --region: added to it).")
@click.option("--region", metavar="NAME", help=f"A COW region by state-code range: {', '.join(REGION_NAMES)}.")
@click.option("--periods", metavar="SPANS", help="Periods as year spans, oldest first: 1947-1974,1975-1989.")
@click.option("--years", metavar="FIRST-LAST", help="With --every: the years to cut into periods.")
@click.option("--every", type=int, metavar="N", help="With --years: periods of N years (the last may be shorter).")
@click.option("--scheme", type=click.Path(), metavar="FILE",
              help="A coding scheme (YAML) in place of the default; see docs/data.md.")
@click.option("--output", "-o", required=True, metavar="FILE.yaml", help="The fact file to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def import_command(data: tuple[str, ...], states: str | None, region: str | None, periods: str | None,
                   years: str | None, every: int | None, scheme: str | None, output: str, force: bool) -> None:
    """Write a fact file from the standard data tables (ATOP, COW, UCDP/PRIO, GRH).

    Picks the states (a COW region, with membership by the state system's
    dates, and/or states by code), cuts the years into periods, and codes
    each row of evidence by the coding scheme: alliances and their
    provisions, disputes, wars, armed conflicts, arms races, shared IGOs and
    long-peaceful borders. Every entry names its source row and its coding
    rule; a stretch of years outside a table's coverage is said to be unknown
    in a comment and in the summary. The file validates and diagnoses like a
    hand-written one, and can be edited. docs/data.md has the tables, their
    versions and citations, and the coding scheme rule by rule.

    \b
    Examples:
      diagnose import --data tables/peacesciencer --data tables/atop \\
          --region Europe --years 1946-2014 --every 10 -o europe.yaml
      diagnose import --data tables/ --states USA,CAN,MEX --periods 1947-1989,1990-2014 -o na.yaml
      diagnose import --data tables/ --region Asia --years 1816-2014 --every 10 \\
          --scheme my_scheme.yaml -o asia.yaml
    """
    from ..importer import import_facts, periods_every, periods_from_list

    if not states and not region:
        raise DiagnoseError("import: name the states with --states A,B,... or --region NAME "
                            f"({', '.join(REGION_NAMES)})")
    if bool(periods) == bool(years):
        raise DiagnoseError("import: give the periods with --periods 1947-1974,1975-1989 or with --years FIRST-LAST "
                            "--every N (one of the two)")
    if years and every is None:
        raise DiagnoseError("import: --years needs --every N (the length of each period in years)")
    if every is not None and not years:
        raise DiagnoseError("import: --every needs --years FIRST-LAST")
    target = Path(output)
    check_targets([target], [Path(d) for d in data] + ([Path(scheme)] if scheme else []), force=force)
    spans = periods_from_list(periods) if periods else periods_every(years, every)
    imported = import_facts(list(data), periods=spans, states=states, region=region, scheme=scheme)
    write_atomically(target, imported.text.encode("utf-8"), force=force)
    click.echo(f"{output}: {imported.states} states, {imported.periods} periods, {imported.entries} entries; "
               f"{len(imported.unknown)} stretches of unknown coverage (see its summary)", err=True)
