"""`diagnose validate`."""

from __future__ import annotations

import click

from ..load import load_facts


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def validate(file: str) -> None:
    """Check FILE against the fact-file format without diagnosing it.

    Exits 0 with a one-line summary, or 2 with every problem, one per line
    (file:line: key: what was expected).

    \b
    Examples:
      diagnose validate facts/western_hemisphere.yaml
      diagnose validate draft.yaml || echo "fix the file first"
    """
    facts = load_facts(file)
    periods = len(facts.periods) or 1
    click.echo(f"{file}: valid: {facts.region}: {len(facts.states)} states, {periods} period"
               f"{'s' if periods > 1 else ''}, {len(facts.entries)} entries, {len(facts.strategies)} strategies, "
               f"{len(facts.junctures)} junctures")
