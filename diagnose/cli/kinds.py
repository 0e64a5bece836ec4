"""`diagnose kinds`."""

from __future__ import annotations

import textwrap

import click

from .options import Settings, rule_options


@click.command()
@rule_options
def kinds(settings: Settings) -> None:
    """List the practice vocabulary in force: each kind, its mechanism, its pack, its definition.

    Under each kind, indented, is its one-line definition (a pack gives them
    in its DEFINITIONS): what to look for before recording an entry of it.

    A kind marked `indicator` counts toward no threshold and is named in the
    explanations of its unit's rows.

    \b
    Examples:
      diagnose kinds
      diagnose kinds --rules examples/packs/hegemony
    """
    sources = settings.rules.kind_sources()
    vocabulary = settings.rules.kinds
    definitions = settings.rules.definitions
    width = max(map(len, vocabulary), default=4)
    click.echo(f"{'kind':<{width}}  {'mechanism':<20}  pack")
    for kind in sorted(vocabulary):
        click.echo(f"{kind:<{width}}  {vocabulary[kind]:<20}  {sources[kind]}")
        definition = definitions.get(kind, "(no definition: its pack gives none in DEFINITIONS)")
        click.echo(textwrap.fill(definition, width=80, initial_indent="    ", subsequent_indent="    "))
