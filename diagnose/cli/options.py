"""Options shared by the commands that use the rule base: packs, a config file, and thresholds where they matter."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable

import click

from ..errors import DiagnoseError, FactFileError, Problem
from ..names import did_you_mean
from ..packs import RuleBase, rulebase
from ..thresholds import resolve
from ..yamlread import read_yaml, refused

ENV_RULES = "DIAGNOSE_RULES"
CONFIG_KEYS = {
    "rules": "rule packs to load: paths or installed pack names",
    "thresholds": "threshold overrides: name -> value",
    "builtin_rules": "false to run the named packs without the built-in rule base",
}


@dataclass(frozen=True)
class Settings:
    """The rule base and thresholds a command runs with."""

    rules: RuleBase
    thresholds: dict[str, Any]
    packs: tuple[str, ...] = ()
    """The packs named, in load order (worker processes load them again)."""
    builtin: bool = True


CONFIG_SHAPE = "a mapping with rules, thresholds, builtin_rules"


def _read_config(path: str) -> dict[str, Any]:
    """The config file's data; a `FactFileError` (one line per problem, exit 2) where it is malformed.

    Threshold values are checked by `settings`, once the packs that declare them are loaded.
    """
    document = read_yaml(path, expected=CONFIG_SHAPE)
    data = document.data
    if not isinstance(data, dict):
        raise FactFileError(path, [Problem(f"expected {CONFIG_SHAPE}", document.line(()) or 1)])
    problems = [Problem(f"unknown key in the config file{did_you_mean(k, CONFIG_KEYS)}", document.line((k,)), k)
                for k in data if k not in CONFIG_KEYS]
    rules = data.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        problems.append(Problem("expected a list of pack paths or names", document.line(("rules",)), "rules"))
    if not isinstance(data.get("thresholds", {}), dict):
        problems.append(Problem("expected a mapping of threshold names to values", document.line(("thresholds",)),
                                "thresholds"))
    if not isinstance(data.get("builtin_rules", True), bool):
        problems.append(Problem("expected true or false", document.line(("builtin_rules",)), "builtin_rules"))
    if problems:
        raise refused(path, problems)
    return data


def parse_threshold(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise DiagnoseError(f"--threshold '{text}': expected NAME=VALUE, e.g. --threshold sc_min_kinds=4")
    return name.strip(), value.strip()


def settings(packs: tuple[str, ...] = (), no_builtin: bool = False, thresholds: tuple[str, ...] = (),
             config: str | None = None) -> Settings:
    """Packs from the config file, then ``DIAGNOSE_RULES``, then ``--rules``; thresholds likewise."""
    data = _read_config(config) if config else {}
    env = [p for p in os.environ.get(ENV_RULES, "").split(os.pathsep) if p.strip()]
    names = tuple(dict.fromkeys([*data.get("rules", []), *env, *packs]))
    builtin = data.get("builtin_rules", True) and not no_builtin
    rules = rulebase(names, builtin=builtin)
    from_config = data.get("thresholds", {})
    resolve(rules.thresholds, from_config, where=f"{config}: ")  # name the file in its own errors
    overrides = {**from_config, **dict(parse_threshold(t) for t in thresholds)}
    return Settings(rules, resolve(rules.thresholds, overrides), names, builtin)


def rule_options(command: Callable | None = None, *, thresholds: bool = False) -> Callable:
    """Add --rules, --no-builtin-rules and --config (and --threshold if ``thresholds``); pass ``settings``.

    Use as ``@rule_options`` or ``@rule_options(thresholds=True)``. Only a
    command whose output a threshold changes (one that runs the rules, or lists
    the thresholds in force) offers --threshold; elsewhere click refuses it as
    an unknown option. A config file's thresholds are checked wherever --config
    is given (one file serves every command) and used only where they matter.
    """
    if command is None:
        return lambda decorated: rule_options(decorated, thresholds=thresholds)

    @wraps(command)
    def wrapper(packs, no_builtin_rules, config, threshold_values=(), **kwargs):
        return command(settings=settings(packs, no_builtin_rules, threshold_values, config), **kwargs)

    options = [
        click.option("--rules", "packs", multiple=True, metavar="PATH_OR_NAME",
                     help=f"Load a rule pack: a .py file, a folder, or an installed pack's name (repeatable; "
                          f"also ${ENV_RULES}, separated by '{os.pathsep}'). Loading a pack runs its code."),
        click.option("--no-builtin-rules", is_flag=True, help="Use the named packs without the built-in rule base."),
        *([click.option("--threshold", "threshold_values", multiple=True, metavar="NAME=VALUE",
                        help="Override a threshold (repeatable); see `diagnose rules thresholds`.")]
          if thresholds else []),
        click.option("--config", type=click.Path(),
                     help="A YAML file with `rules` (packs), `thresholds` and `builtin_rules`."),
    ]
    for option in options:  # the last applied is listed first: --config, --threshold, --no-builtin-rules, --rules
        wrapper = option(wrapper)
    return wrapper
