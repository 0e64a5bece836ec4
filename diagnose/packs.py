"""Rule packs: the built-in rule base and the packs a user names.

A pack is a Python module (a ``.py`` file or a folder with ``__init__.py``)
that defines:

- ``RULES``: a tuple of mixin classes whose methods are experta rules; a
  class's ``stage`` attribute says which pass runs it: ``"mechanisms"`` (the
  default: rows to statuses) or ``"overlaps"`` (statuses to overlaps and
  their character);
- ``KINDS`` (optional): practice kinds it adds, kind -> mechanism or "indicator";
- ``MECHANISMS`` (optional): mechanisms it adds, diagnosed per row.

Loading a pack runs its code: only packs the user names are ever loaded.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Mapping

from .engine import RuleEngine
from .errors import DiagnoseError

MECHANISMS, OVERLAPS = "mechanisms", "overlaps"
STAGES = (MECHANISMS, OVERLAPS)


@dataclass(frozen=True)
class RulePack:
    """One loaded pack."""

    name: str
    origin: str
    rules: tuple[type, ...]
    kinds: Mapping[str, str]
    mechanisms: tuple[str, ...]


@dataclass(frozen=True)
class RuleBase:
    """The packs in force, in load order; built-in first."""

    packs: tuple[RulePack, ...]

    @property
    def kinds(self) -> Mapping[str, str]:
        merged: dict[str, str] = {}
        for pack in self.packs:
            merged.update(pack.kinds)
        return MappingProxyType(merged)

    @property
    def mechanisms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m for pack in self.packs for m in pack.mechanisms))

    def engine_class(self, stage: str) -> type[RuleEngine]:
        """An engine class with every pack's rule classes of ``stage`` (see `STAGES`)."""
        mixins = tuple(cls for pack in self.packs for cls in pack.rules if getattr(cls, "stage", MECHANISMS) == stage)
        return type(f"DiagnoseEngine_{stage}", (*mixins, RuleEngine), {"__module__": __name__})


def pack_from_module(module: ModuleType, origin: str) -> RulePack:
    """Read a pack's declarations from its module."""
    rules = getattr(module, "RULES", None)
    if not isinstance(rules, (tuple, list)) or not all(isinstance(r, type) for r in rules):
        raise DiagnoseError(f"{origin}: a rule pack defines RULES, a tuple of rule classes")
    return RulePack(
        name=getattr(module, "NAME", module.__name__.rsplit(".", 1)[-1]),
        origin=origin,
        rules=tuple(rules),
        kinds=MappingProxyType(dict(getattr(module, "KINDS", {}))),
        mechanisms=tuple(getattr(module, "MECHANISMS", ())),
    )


def load_pack(spec: str) -> RulePack:
    """Load a pack from a ``.py`` file or a package folder."""
    path = Path(spec)
    init = path / "__init__.py" if path.is_dir() else path
    if not init.is_file():
        raise DiagnoseError(f"{spec}: no rule pack here (expected a .py file or a folder with __init__.py)")
    name = f"diagnose_pack_{path.stem}"
    module_spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(path)] if path.is_dir() else None)
    assert module_spec and module_spec.loader
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except Exception as e:  # a pack's own error must not surface as our traceback
        del sys.modules[name]
        raise DiagnoseError(f"{spec}: the rule pack failed to load: {type(e).__name__}: {e}") from e
    return pack_from_module(module, str(path))


@lru_cache(maxsize=1)
def builtin_pack() -> RulePack:
    return pack_from_module(importlib.import_module("diagnose.rules"), "diagnose.rules")


def builtin_rulebase() -> RuleBase:
    return RuleBase((builtin_pack(),))


def rulebase(packs: list[str] | tuple[str, ...] | None = None) -> RuleBase:
    """The built-in rule base plus the named packs."""
    return RuleBase((builtin_pack(), *(load_pack(p) for p in packs or ())))
