"""`diagnose kinds`."""

from __future__ import annotations

import click

from .options import Settings, rule_options


@click.command()
@rule_options
def kinds(settings: Settings) -> None:
    """List the practice vocabulary in force: each kind, its mechanism, its pack.

    A kind marked `indicator` counts toward no threshold and is named in the
    explanations of its unit's rows.

    \b
    Examples:
      diagnose kinds
      diagnose kinds --rules examples/packs/hegemony
    """
    sources = settings.rules.kind_sources()
    vocabulary = settings.rules.kinds
    width = max(map(len, vocabulary), default=4)
    click.echo(f"{'kind':<{width}}  {'mechanism':<20}  pack")
    for kind in sorted(vocabulary):
        click.echo(f"{kind:<{width}}  {vocabulary[kind]:<20}  {sources[kind]}")
