"""`diagnose whatif`."""

from __future__ import annotations

import click

from ..controls import visible
from ..load import load_facts
from .options import Settings, parse_threshold, rule_options


@click.command()
@click.argument("file", type=click.Path())
@click.option("--drop", "drops", multiple=True, metavar="ID",
              help="Leave out the entry (strategy, juncture) with this id (repeatable).")
@click.option("--add", "adds", multiple=True, metavar="FRAGMENT.yaml", type=click.Path(),
              help="Add the entries of a fragment file: sections (practices, wars, ...) with entries, as in a "
                   "fact file (repeatable).")
@click.option("--threshold", "changes", multiple=True, metavar="NAME=VALUE",
              help="Change a threshold in the what-if run only (repeatable); see `diagnose rules thresholds`.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
@rule_options
def whatif(file: str, drops: tuple[str, ...], adds: tuple[str, ...], changes: tuple[str, ...], fmt: str,
           settings: Settings) -> None:
    """Diagnose FILE with some entries left out, others added or thresholds changed, and show what changes.

    Prints the conclusions added, removed and changed against the diagnosis
    of FILE as it is (as `diagnose diff` does), each with the entries behind
    it. A fragment is what you would paste into the file: sections of
    entries, as in a fact file (`diagnose explain` proposes some), e.g.

    \b
      practices:
        - kind: KIND
          among: [GRC, TUR]

    Thresholds from --config apply to both runs; --threshold to the what-if
    run only. Nothing is written; FILE is never changed.

    \b
    Examples:
      diagnose whatif facts/greece_turkey.yaml --drop atlantic_alliance
      diagnose whatif facts/greece_turkey.yaml --add fix.yaml
      diagnose whatif facts/euro_atlantic.yaml --threshold sc_min_kinds=4 --format json
    """
    from ..analysis.whatif import what_if  # here: `diagnose --help` stays quick

    facts = load_facts(file, settings.rules)
    result = what_if(facts, settings.rules, thresholds=settings.thresholds, drop=drops, add=adds,
                     changed_thresholds=dict(parse_threshold(t) for t in changes))
    if fmt == "json":
        click.echo(result.diff.to_json(), nl=False)
        return
    done = [*(f"without {visible(d)}" for d in drops), *(f"with the entries of {visible(a)}" for a in adds),
            *(f"with {name} = {after}" for name, (_, after) in result.diff.thresholds.items())]
    click.echo(f"What if: {'; '.join(done) or 'nothing changed in the input'}.")
    click.echo(result.diff.to_text() or "No conclusion changes.\n", nl=False)
