"""`diagnose schema`."""

from __future__ import annotations

import json

import click

from ..jsonschema import diagnosis_schema, fact_file_schema


@click.command()
@click.argument("which", type=click.Choice(["facts", "diagnosis"]))
def schema(which: str) -> None:
    """Print the JSON Schema of a fact file or of a diagnosis.

    Point your editor's YAML language server at the fact-file schema to get
    completion and checks as you type, e.g. with a first line
    `# yaml-language-server: $schema=fact-file.schema.json`.

    \b
    Examples:
      diagnose schema facts > fact-file.schema.json
      diagnose schema diagnosis > diagnosis.schema.json
    """
    document = fact_file_schema() if which == "facts" else diagnosis_schema()
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
