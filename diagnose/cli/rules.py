"""`diagnose rules`: list, show, check and write rule packs; list thresholds."""

from __future__ import annotations

import inspect
import json
import re
import sys
import textwrap
from pathlib import Path

import click

from .. import facttypes, skeleton
from .._experta import Fact
from ..errors import DiagnoseError
from ..names import did_you_mean
from ..packs import RuleBase, builtin_pack, core_pack, installed_packs, load_pack
from .options import Settings, rule_options

_PACK_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@click.group()
def rules() -> None:
    """Inspect the rule base and write rule packs of your own.

    \b
    Examples:
      diagnose rules list
      diagnose rules show relational_overlap
      diagnose rules thresholds
      diagnose rules new mypack && pytest mypack
      diagnose rules check mypack
    """


@rules.command("list")
@rule_options
def list_rules(settings: Settings) -> None:
    """List every rule in force: name, pack, what it concludes, its citation.

    Installed packs (entry-point group `diagnose.rules`) are listed at the end
    but not loaded unless named with --rules.

    \b
    Examples:
      diagnose rules list
      diagnose rules list --rules examples/packs/hegemony
    """
    for info in settings.rules.rules():
        click.echo(f"{info.name}  [{info.pack}, {info.stage}]")
        click.echo(f"    {info.concludes}")
        click.echo(f"    {info.citation or 'no citation'}")
    installed = installed_packs()
    if installed:
        click.echo("\nInstalled packs (load with --rules NAME): " + ", ".join(sorted(installed)))


@rules.command()
@click.argument("name")
@rule_options
def show(name: str, settings: Settings) -> None:
    """Show one rule: its docstring, conditions and source location.

    \b
    Examples:
      diagnose rules show sc_active
      diagnose rules show hegemony_active --rules examples/packs/hegemony
    """
    infos = {info.name: info for info in settings.rules.rules()}
    if name not in infos:
        raise DiagnoseError(f"no rule named '{name}'{did_you_mean(name, infos)}; see `diagnose rules list`")
    info = infos[name]
    click.echo(f"{info.name}  [{info.pack}, {info.stage}, salience {info.rule.salience}]")
    click.echo(f"{info.file}:{info.line}\n")
    click.echo(info.doc + "\n")
    click.echo("Conditions:")
    for condition in info.rule:
        click.echo(f"  {condition!r}")


@rules.command()
@rule_options(thresholds=True)
def thresholds(settings: Settings) -> None:
    """List the thresholds: default, value in force, meaning and the paper's section.

    \b
    Examples:
      diagnose rules thresholds
      diagnose rules thresholds --threshold sc_min_kinds=4
    """
    for name, spec in settings.rules.thresholds.items():
        click.echo(f"{name} = {settings.thresholds[name]:g} (default {spec.default:g})")
        for text in (spec.doc, spec.section):
            click.echo(textwrap.fill(text, 80, initial_indent="    ", subsequent_indent="    "))


def _fact_types(condition) -> list[type]:
    if isinstance(condition, Fact):
        return [type(condition)]
    if isinstance(condition, (list, tuple)):
        return [t for part in condition for t in _fact_types(part)]
    return []


def example_files(path: str | Path) -> list[Path]:
    """A pack's example fact files: ``facts/*.yaml`` (and ``.yml``) beside its ``__init__.py``."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent if path.name == "__init__.py" else None
    facts = folder / "facts" if folder is not None else None
    if facts is None or not facts.is_dir():
        return []
    return sorted(p for p in facts.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _run_examples(rules: RuleBase, examples: list[Path]) -> list[str]:
    """Each example through `diagnose`: its errors, one line each, and where its output breaks the schema."""
    from ..api import diagnose
    from ..jsonschema import diagnosis_schema
    from ..load import load_facts

    try:
        import jsonschema
    except ImportError:  # a test dependency: without it, the output's shape is left to the engine's own checks
        jsonschema = None
    reasons = []
    for example in examples:
        try:
            result = diagnose(load_facts(example, rules), rules)
        except DiagnoseError as e:
            reasons += [line if line.startswith(str(example)) else f"{example}: {line}"
                        for line in e.format_message().splitlines()]
            continue
        if jsonschema is not None:
            schema = diagnosis_schema(rules.mechanisms, rules.qualifiers)
            errors = jsonschema.Draft202012Validator(schema).iter_errors(json.loads(result.to_json()))
            for error in sorted(errors, key=lambda e: list(e.absolute_path))[:5]:
                where = "/".join(str(part) for part in error.absolute_path)
                reasons.append(f"{example}: the diagnosis breaks its JSON Schema at {where or 'the top'}: "
                               f"{' '.join(error.message.split())}")
    return reasons


def lint(path: str) -> list[str]:
    """Reasons a pack is not fit to share; empty when it is.

    Besides the pack's code, its example fact files (`example_files`) are run
    through `diagnose` with the built-in rules: any error is a reason.
    """
    try:
        pack = load_pack(Path(path))  # a path, even without a '/' (`rules check mypack`)
        rules = RuleBase((core_pack(), builtin_pack(), pack))
    except DiagnoseError as e:
        return [e.format_message()]
    reasons = []
    known_types = {obj for obj in vars(facttypes).values() if inspect.isclass(obj) and issubclass(obj, Fact)}
    known_types |= set(pack.fact_types)
    mechanisms = set(builtin_pack().mechanisms) | set(pack.mechanisms) | {"indicator"}
    if not pack.rule_infos():
        reasons.append(f"{pack.origin}: the pack has no rules")
    for info in pack.rule_infos():
        where = f"{info.file}:{info.line}: rule '{info.name}'"
        if not info.doc:
            reasons.append(f"{where}: no docstring (say what it concludes, in plain words)")
        elif not info.citation:
            reasons.append(f"{where}: the docstring cites no source (e.g. 'Adler & Greve (2009), Section')")
        for fact_type in _fact_types(list(info.rule)):
            if fact_type not in known_types:
                reasons.append(f"{where}: matches unknown fact type {fact_type.__name__}")
    for kind, mechanism in pack.kinds.items():
        if mechanism not in mechanisms:
            reasons.append(f"{pack.origin}: kind '{kind}' maps to unknown mechanism '{mechanism}'")
    for mechanism in pack.mechanisms:
        if mechanism not in pack.kinds.values():
            reasons.append(f"{pack.origin}: mechanism '{mechanism}' has no practice kind")
    return reasons + _run_examples(rules, example_files(path))


@rules.command()
@click.argument("path", type=click.Path(exists=True))
def check(path: str) -> None:
    """Load the pack at PATH and lint it; exit 1 with the reasons when it is not fit.

    Checks: it loads; every rule has a docstring with a citation; rules match
    known fact types; no rule clashes with a built-in one (unless `replaces`);
    every kind maps to a known mechanism and every mechanism has a kind; and
    its example fact files (PATH/facts/*.yaml) run through `diagnose` with the
    built-in rules without an error (a rule that raises, never stops, or
    concludes outside the contract) and, when the `jsonschema` package is
    installed, give output that its JSON Schema accepts.

    \b
    Examples:
      diagnose rules check examples/packs/hegemony
      diagnose rules check mypack/__init__.py
    """
    reasons = lint(path)
    if reasons:
        for reason in reasons:
            click.echo(reason, err=True)
        sys.exit(1)
    examples = len(example_files(path))
    click.echo(f"{path}: ok" + (f" ({examples} example fact file{'s' if examples != 1 else ''} run)" if examples else ""))


@rules.command()
@click.argument("name")
@click.option("--directory", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Where to create the pack's folder.")
def new(name: str, directory: str) -> None:
    """Write a rule pack skeleton NAME/: one rule, one fact file, one test.

    The skeleton passes its own test as written: `pytest NAME`.

    \b
    Examples:
      diagnose rules new mypack
      diagnose rules new hierarchy --directory packs/
    """
    if not _PACK_NAME.match(name):
        raise DiagnoseError(f"pack name '{name}': use lower case letters, digits and _ (a Python name)")
    folder = Path(directory) / name
    if folder.exists():
        raise DiagnoseError(f"{folder}: already exists; choose another name or remove it")
    values = {"name": name, "cls": "".join(part.title() for part in name.split("_"))}
    (folder / "facts").mkdir(parents=True)
    (folder / "__init__.py").write_text(skeleton.PACK.format(**values), encoding="utf-8")
    (folder / "facts" / "example.yaml").write_text(skeleton.FACTS.format(**values), encoding="utf-8")
    (folder / f"test_{name}.py").write_text(skeleton.TEST.format(**values), encoding="utf-8")
    click.echo(f"wrote {folder}/: __init__.py, facts/example.yaml, test_{name}.py\nnext: pytest {folder}")
