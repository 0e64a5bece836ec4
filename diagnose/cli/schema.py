"""`diagnose schema`."""

from __future__ import annotations

import json

import click

from ..jsonschema import diagnosis_schema, fact_file_schema
from .options import Settings, rule_options


@click.command()
@click.argument("which", type=click.Choice(["facts", "diagnosis"]))
@rule_options
def schema(which: str, settings: Settings) -> None:
    """Print the JSON Schema of a fact file or of a diagnosis.

    Point your editor's YAML language server at the fact-file schema to get
    completion and checks as you type, e.g. with a first line
    `# yaml-language-server: $schema=fact-file.schema.json`.

    Both follow the rule packs in force: their kinds (facts) and mechanisms
    (both). Thresholds change neither, so there is no --threshold here.

    \b
    Examples:
      diagnose schema facts > fact-file.schema.json
      diagnose schema diagnosis > diagnosis.schema.json
      diagnose schema facts --rules examples/packs/hegemony > with-hegemony.schema.json
      diagnose schema diagnosis --rules examples/packs/hegemony
    """
    rules = settings.rules
    document = fact_file_schema(rules.kinds, rules.mechanisms) if which == "facts" else \
        diagnosis_schema(rules.mechanisms, rules.qualifiers)
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
