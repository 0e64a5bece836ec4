"""`diagnose explain`."""

from __future__ import annotations

import click

from ..controls import visible
from ..errors import DiagnoseError
from ..load import load_facts
from .options import Settings, rule_options


@click.command()
@click.argument("file", type=click.Path())
@click.option("--unit", required=True, metavar="UNIT",
              help="The unit: its id (group:NATO, dyad:GRC-TUR, region), its name (NATO), or a dyad's codes (GRC-TUR).")
@click.option("--mechanism", default=None, help="Only this mechanism (as `diagnose run --format json` names it).")
@click.option("--period", default=None, help="Only this period.")
@click.option("--sector", default=None, help="The rows of this sector instead of those of all practices.")
@click.option("--agency", default=None, help="The rows of this agency instead.")
@click.option("--issue", default=None, help="The rows of this issue instead.")
@click.option("--overlap", "overlap", default=None, metavar="TYPE",
              type=click.Choice(["temporal", "functional", "spatial", "relational"]),
              help="Explain the overlaps of this type that involve the unit instead of its mechanism rows, and why "
                   "each one the rules could conclude about it is absent.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "dot"]), default="text", show_default=True,
              help="text for people, json for scripts, dot for Graphviz (`| dot -Tsvg > proof.svg`).")
@rule_options(thresholds=True)
def explain(file: str, unit: str, mechanism: str | None, period: str | None, sector: str | None,
            agency: str | None, issue: str | None, overlap: str | None, fmt: str, settings: Settings) -> None:
    """Explain how the rules reached a conclusion about UNIT, and why a mechanism is not active there.

    For each row (mechanism, period) of the unit: the proof tree, from the
    rules that fired down to the entries of FILE with their lines and
    sources. For a row that is not active: each condition of an active
    mechanism, whether it holds and the entries behind it, and the smallest
    change found that makes it active (entries to add, as YAML to paste, and
    entries to leave out), checked by diagnosing the file again with it.

    With --overlap TYPE: the overlaps of that type about UNIT, then each
    one the rules could conclude and did not, with the conditions of each
    overlap rule (named) read from the rows, and the smallest change found
    that makes the rules conclude it, checked the same way.

    \b
    Examples:
      diagnose explain facts/greece_turkey.yaml --unit NATO --period after_return
      diagnose explain facts/greece_turkey.yaml --unit GRC-TUR --period after_return
      diagnose explain facts/western_hemisphere.yaml --unit MERCOSUR --sector military
      diagnose explain facts/greece_turkey.yaml --unit NATO --overlap relational
      diagnose explain facts/western_hemisphere.yaml --unit Andes --overlap spatial --period cold_war
      diagnose explain facts/greece_turkey.yaml --unit NATO --format dot | dot -Tsvg > proof.svg
    """
    from ..analysis.explain import explain as explain_rows, to_json  # here: `diagnose --help` stays quick
    from ..analysis.show import to_dot, to_text

    slices = [(d, v) for d, v in (("sector", sector), ("agency", agency), ("issue", issue)) if v is not None]
    if len(slices) > 1:
        raise DiagnoseError("give one of --sector, --agency and --issue: a row is a slice of one of them")
    facts = load_facts(file, settings.rules)
    found = explain_rows(facts, settings.rules, thresholds=settings.thresholds, unit=unit, mechanism=mechanism,
                         period=period, overlap=overlap, slice_=slices[0] if slices else None)
    if not found:
        what = f"{overlap} overlap" if overlap else "row"
        raise DiagnoseError(visible(f"{file}: no {what} of {unit} matches"
                                    + "".join(f" {k} {v}" for k, v in (("mechanism", mechanism), ("period", period),
                                                                      *slices) if v)
                                    + (" (overlaps of a unit are listed by `diagnose run`)" if overlap else
                                       " (rows of a slice exist only where their status is not not_evident)")))
    if fmt == "json":
        click.echo(to_json(found, facts), nl=False)
    else:
        click.echo(to_dot(found) if fmt == "dot" else to_text(found, facts), nl=False)
