"""`diagnose validate`."""

from __future__ import annotations

import click

from ..controls import visible
from ..load import load_facts
from .options import Settings, rule_options


@click.command()
@click.argument("file", type=click.Path())
@rule_options
def validate(file: str, settings: Settings) -> None:
    """Check FILE against the fact-file format without diagnosing it.

    Exits 0 with a one-line summary, or 2 with every problem, one per line
    (file:line: key: what was expected). Entries that are valid but probably
    not what was meant (a `mutual: true` entry that sets allies against each
    other, a collective practice of the whole region that faces no one) are
    warned about on stderr, with exit status 0.

    \b
    Examples:
      diagnose validate facts/western_hemisphere.yaml
      diagnose validate draft.yaml || echo "fix the file first"
      diagnose validate region.yaml --rules examples/packs/hegemony
    """
    facts = load_facts(file, settings.rules)
    periods = len(facts.periods) or 1
    click.echo(f"{visible(file)}: valid: {visible(facts.region)}: {len(facts.states)} states, {periods} period"
               f"{'s' if periods > 1 else ''}, {len(facts.entries)} entries, {len(facts.strategies)} strategies, "
               f"{len(facts.junctures)} junctures")
    for warning in facts.warnings:
        click.echo(warning, err=True)
