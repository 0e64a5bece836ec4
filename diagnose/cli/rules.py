"""`diagnose rules`: list, show, check and write rule packs; list thresholds."""

from __future__ import annotations

import inspect
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


def lint(path: str) -> list[str]:
    """Reasons a pack is not fit to share; empty when it is."""
    try:
        pack = load_pack(path)
        RuleBase((core_pack(), builtin_pack(), pack))
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
    return reasons


@rules.command()
@click.argument("path", type=click.Path(exists=True))
def check(path: str) -> None:
    """Load the pack at PATH and lint it; exit 1 with the reasons when it is not fit.

    Checks: it loads; every rule has a docstring with a citation; rules match
    known fact types; no rule clashes with a built-in one (unless `replaces`);
    every kind maps to a known mechanism and every mechanism has a kind.

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
    click.echo(f"{path}: ok")


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
