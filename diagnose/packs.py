"""Rule packs: the built-in rule base and the packs a user names.

A pack is a Python module (a ``.py`` file, a folder with ``__init__.py``, or an
installed module registered under the entry-point group ``diagnose.rules``)
that defines:

- ``RULES``: a tuple of mixin classes whose methods are experta rules. A
  class's ``stage`` says which pass runs it (see `STAGES`): ``"relations"``
  (per unit, all periods at once, dyads first: what sets states against each
  other), ``"mechanisms"`` (the default: per unit, all periods at once, with
  the unit's relations and those of the units its entries' states form) or
  ``"overlaps"`` (every status of every row to overlaps and character). A
  class's ``replaces`` (a rule name or a tuple of them) names rules of earlier
  packs that its rules take the place of;
- ``KINDS`` (optional): practice kinds it adds, kind -> mechanism or "indicator";
- ``SECTION_KINDS`` (optional): the kinds an entry of a section other than
  ``practices`` carries: section -> a sequence of (condition, kinds), where
  condition maps entry keys to values (``{"basis": "expediency"}``; ``{}``
  always holds) and every clause that holds adds its kinds;
- ``MUTUAL_MECHANISMS`` (optional): mechanisms whose entries ``among`` states
  may say ``mutual: true``;
- ``ALWAYS_MUTUAL_KINDS`` (optional): kinds whose entries always act among
  their participants (``mutual`` changes nothing on them, so no warning);
- ``QUALIFIERS`` (optional): mechanism -> the fields among ``variant``,
  ``facing``, ``phase``, ``coupling`` that its rows carry (for the schema of
  the output; a mechanism not named may carry any);
- ``RELATIONS_MECHANISMS`` (optional): mechanisms decided in the
  ``relations`` stage. An entry goes to the ``relations`` stage when one of
  its kinds belongs to such a mechanism, to the ``mechanisms`` stage when one
  belongs to another; an entry without kinds (a war) goes to both;
- ``DEFINITIONS`` (optional): kind -> a one-line definition, for kinds of its own
  ``KINDS`` only (shown by ``diagnose kinds``);
- ``MECHANISMS`` (optional): mechanisms it adds, diagnosed per row;
- ``THRESHOLDS`` (optional): `ThresholdSpec`s it adds;
- ``NAME`` (optional): its name (default: the module's);
- a ``reports/`` folder beside its ``__init__.py`` (optional): report partials
  it adds or overrides (searched before the built-in templates).

Loading a pack runs its code: only packs the user names are ever loaded.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Iterable, Mapping

from ._experta import Fact, Rule
from .engine import Contract, PackError, RuleEngine, RuleError  # noqa: F401 (PackError, RuleError: re-exported)
from .names import did_you_mean
from .thresholds import ThresholdSpec

RELATIONS, MECHANISMS, OVERLAPS = "relations", "mechanisms", "overlaps"
STAGES = (RELATIONS, MECHANISMS, OVERLAPS)
ENTRY_POINT_GROUP = "diagnose.rules"
_CITATION = re.compile(r"[A-Z][\w'’-]+(?: (?:&|and) [A-Z][\w'’-]+)*(?: et al\.)? \(\d{4}\)(?:[^.:;(]|\([^)]*\))*")
"""Author(s) (year) and the section heading after them, up to the first stop outside parentheses."""


@dataclass(frozen=True)
class RuleInfo:
    """What `diagnose rules` shows of one rule."""

    name: str
    pack: str
    stage: str
    doc: str
    file: str
    line: int
    rule: Rule

    @property
    def concludes(self) -> str:
        return self.doc.split("\n", 1)[0].strip()

    @property
    def citation(self) -> str:
        match = _CITATION.search(" ".join(self.doc.split()))
        return match.group(0).rstrip(" :,;") if match else ""


@dataclass(frozen=True)
class RulePack:
    """One loaded pack."""

    name: str
    origin: str
    rules: tuple[type, ...]
    kinds: Mapping[str, str]
    mechanisms: tuple[str, ...]
    thresholds: tuple[ThresholdSpec, ...] = ()
    fact_types: tuple[type, ...] = ()
    """Fact classes the pack's module defines (rules may match them)."""
    template_dir: str | None = None
    """The pack's `reports/` folder: report partials it adds or overrides."""
    definitions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """One-line definitions of (some of) the pack's own kinds."""
    section_kinds: Mapping[str, tuple] = field(default_factory=lambda: MappingProxyType({}))
    """Section -> ((condition, kinds), ...): the kinds entries of a section carry."""
    mutual_mechanisms: tuple[str, ...] = ()
    always_mutual_kinds: tuple[str, ...] = ()
    relations_mechanisms: tuple[str, ...] = ()
    qualifiers: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def rule_infos(self) -> list[RuleInfo]:
        infos = []
        for cls in self.rules:
            for name, rule in vars(cls).items():
                if isinstance(rule, Rule):
                    code = rule._wrapped.__code__  # its first line is the rule's first decorator
                    infos.append(RuleInfo(name, self.name, getattr(cls, "stage", MECHANISMS),
                                          inspect.cleandoc(rule._wrapped.__doc__ or ""), code.co_filename,
                                          code.co_firstlineno, rule))
        return infos


def _replaced(cls: type) -> tuple[str, ...]:
    replaces = getattr(cls, "replaces", ())
    return (replaces,) if isinstance(replaces, str) else tuple(replaces)


@dataclass(frozen=True)
class RuleBase:
    """The packs in force, in load order (the built-in one first, unless left out)."""

    packs: tuple[RulePack, ...]

    def __post_init__(self) -> None:
        seen_kinds: dict[str, str] = {}
        seen_rules: dict[str, RuleInfo] = {}
        for pack in self.packs:
            for kind in pack.kinds:
                if kind in seen_kinds:
                    raise PackError(f"{pack.origin}: kind '{kind}' is already defined by pack "
                                    f"'{seen_kinds[kind]}'")
                seen_kinds[kind] = pack.name
            replaced = {name for cls in pack.rules for name in _replaced(cls)}
            for info in pack.rule_infos():
                earlier = seen_rules.get(info.name)
                if earlier is not None and info.name not in replaced:
                    raise PackError(f"{info.file}:{info.line}: rule '{info.name}' is already defined by pack "
                                    f"'{earlier.pack}'; say replaces = \"{info.name}\" on its class to replace it")
                seen_rules[info.name] = info
            for name in replaced - set(seen_rules):
                raise PackError(f"{pack.origin}: replaces = \"{name}\", but no earlier pack has a rule of that name")
            for section, clauses in pack.section_kinds.items():
                for kind in (k for _, kinds in clauses for k in kinds if k not in seen_kinds):
                    raise PackError(f"{pack.origin}: SECTION_KINDS['{section}'] names kind '{kind}', which no pack "
                                    f"loaded so far defines{did_you_mean(kind, seen_kinds)}")

    @property
    def kinds(self) -> Mapping[str, str]:
        merged: dict[str, str] = {}
        for pack in self.packs:
            merged.update(pack.kinds)
        return MappingProxyType(merged)

    @property
    def definitions(self) -> Mapping[str, str]:
        """Every pack's definitions, merged like `kinds` (a kind belongs to one pack only)."""
        merged: dict[str, str] = {}
        for pack in self.packs:
            merged.update(pack.definitions)
        return MappingProxyType(merged)

    def kind_sources(self) -> dict[str, str]:
        return {kind: pack.name for pack in self.packs for kind in pack.kinds}

    @property
    def mechanisms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m for pack in self.packs for m in pack.mechanisms))

    @property
    def thresholds(self) -> dict[str, ThresholdSpec]:
        return {spec.name: spec for pack in self.packs for spec in pack.thresholds}

    @property
    def section_kinds(self) -> Mapping[str, tuple]:
        """Every pack's clauses of each section, in load order."""
        merged: dict[str, tuple] = {}
        for pack in self.packs:
            for section, clauses in pack.section_kinds.items():
                merged[section] = (*merged.get(section, ()), *clauses)
        return MappingProxyType(merged)

    @property
    def mutual_mechanisms(self) -> frozenset[str]:
        return frozenset(m for pack in self.packs for m in pack.mutual_mechanisms)

    @property
    def always_mutual_kinds(self) -> frozenset[str]:
        return frozenset(k for pack in self.packs for k in pack.always_mutual_kinds)

    @property
    def qualifiers(self) -> Mapping[str, tuple[str, ...]]:
        return MappingProxyType({m: q for pack in self.packs for m, q in pack.qualifiers.items()})

    @property
    def relations_mechanisms(self) -> frozenset[str]:
        return frozenset(m for pack in self.packs for m in pack.relations_mechanisms)

    def rules(self) -> list[RuleInfo]:
        """Every rule in force, in load order: a replaced rule is gone."""
        infos: dict[str, RuleInfo] = {}
        for pack in self.packs:
            for cls in pack.rules:
                for name in _replaced(cls):
                    infos.pop(name, None)
            infos.update((info.name, info) for info in pack.rule_infos())
        return list(infos.values())

    def engine_class(self, stage: str) -> type[RuleEngine]:
        """An engine class with every pack's rule classes of ``stage`` (see `STAGES`).

        Later packs come first in the method resolution order, so a rule of the
        same name replaces an earlier one; a rule named in ``replaces`` under
        another name is removed.
        """
        mixins = [cls for pack in reversed(self.packs) for cls in pack.rules
                  if getattr(cls, "stage", MECHANISMS) == stage]
        in_force = {info.name: info.pack for info in self.rules()}
        removed = {name: None for pack in self.packs for cls in pack.rules for name in _replaced(cls)
                   if name not in in_force}
        return type(f"DiagnoseEngine_{stage}", (*mixins, RuleEngine),
                    {"__module__": __name__, **removed, "rule_packs": MappingProxyType(in_force),
                     "contract": Contract(self.mechanisms, self.qualifiers)})


def pack_from_module(module: ModuleType, origin: str, default_name: str | None = None) -> RulePack:
    """Read a pack's declarations from its module, refusing malformed ones."""
    rules = getattr(module, "RULES", None)
    if not isinstance(rules, (tuple, list)) or not all(isinstance(r, type) for r in rules):
        raise PackError(f"{origin}: a rule pack defines RULES, a tuple of rule classes")
    for cls in rules:
        stage = getattr(cls, "stage", MECHANISMS)
        if stage not in STAGES:
            raise PackError(f"{origin}: {cls.__name__}.stage is '{stage}'; expected one of {', '.join(STAGES)}")
    kinds = getattr(module, "KINDS", {})
    definitions = _definitions(module, origin, kinds)
    source = getattr(module, "__file__", None)
    if source and Path(source).is_file():
        _refuse_duplicate_kinds(Path(source))
    return RulePack(
        name=getattr(module, "NAME", default_name or module.__name__.rsplit(".", 1)[-1]),
        origin=origin,
        rules=tuple(rules),
        kinds=MappingProxyType(dict(kinds)),
        mechanisms=tuple(getattr(module, "MECHANISMS", ())),
        thresholds=tuple(getattr(module, "THRESHOLDS", ())),
        fact_types=tuple(obj for obj in vars(module).values() if inspect.isclass(obj) and issubclass(obj, Fact)),
        template_dir=str(reports) if source and (reports := Path(source).parent / "reports").is_dir() else None,
        definitions=MappingProxyType(definitions),
        section_kinds=MappingProxyType(_section_kinds(module, origin)),
        mutual_mechanisms=tuple(getattr(module, "MUTUAL_MECHANISMS", ())),
        always_mutual_kinds=tuple(getattr(module, "ALWAYS_MUTUAL_KINDS", ())),
        relations_mechanisms=tuple(getattr(module, "RELATIONS_MECHANISMS", ())),
        qualifiers=MappingProxyType({m: tuple(q) for m, q in dict(getattr(module, "QUALIFIERS", {})).items()}),
    )


def _section_kinds(module: ModuleType, origin: str) -> dict[str, tuple]:
    from .schema import SECTIONS

    declared = getattr(module, "SECTION_KINDS", {})
    out: dict[str, tuple] = {}
    for section, clauses in dict(declared).items():
        if section not in SECTIONS or section == "practices":
            raise PackError(f"{origin}: SECTION_KINDS names '{section}'; expected one of "
                            f"{', '.join(s for s in SECTIONS if s != 'practices')}")
        try:
            out[section] = tuple((dict(condition), tuple(kinds)) for condition, kinds in clauses)
        except (TypeError, ValueError) as e:
            raise PackError(f"{origin}: SECTION_KINDS['{section}'] must be a sequence of (condition, kinds) "
                            f"pairs") from e
    return out


def _definitions(module: ModuleType, origin: str, kinds: Mapping[str, str]) -> dict[str, str]:
    """A pack's ``DEFINITIONS``: one line of text for each of (some of) its own kinds."""
    definitions = getattr(module, "DEFINITIONS", {})
    if not isinstance(definitions, Mapping):
        raise PackError(f"{origin}: DEFINITIONS must be a mapping of kind -> one-line definition")
    for kind, text in definitions.items():
        if kind not in kinds:
            raise PackError(f"{origin}: DEFINITIONS defines kind '{kind}', which is not among the pack's KINDS"
                            f"{did_you_mean(kind, kinds)}; a pack defines only its own kinds")
        if not isinstance(text, str) or not text.strip() or "\n" in text.strip():
            raise PackError(f"{origin}: DEFINITIONS['{kind}'] must be one line of text, got {text!r}")
    return {kind: " ".join(text.split()) for kind, text in definitions.items()}


def _refuse_duplicate_kinds(source: Path) -> None:
    """A dict literal keeps the last of two equal keys: a kind named twice would vanish silently."""
    tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "KINDS" for t in node.targets) \
                and isinstance(node.value, ast.Dict):
            seen: set = set()
            for key in node.value.keys:
                if isinstance(key, ast.Constant):
                    if key.value in seen:
                        raise PackError(f"{source}:{key.lineno}: kind '{key.value}' is named twice in KINDS")
                    seen.add(key.value)


def installed_packs() -> dict[str, str]:
    """Packs registered under the ``diagnose.rules`` entry-point group: name -> module (not loaded)."""
    from importlib.metadata import entry_points  # slow to import; only needed when a pack is looked up

    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def looks_like_a_path(spec: str | os.PathLike) -> bool:
    """A `Path`, or text with a `/` (or the OS's separator), ending in ``.py``, or ``.``/``..``.

    Anything else is the name of an installed pack, never a file or folder of
    the current directory: ``--rules evil`` must not import ``./evil/`` where
    an installed ``evil`` was meant.
    """
    if isinstance(spec, os.PathLike):
        return True
    separators = {"/", os.sep, os.altsep} - {None}
    return any(sep in spec for sep in separators) or spec.endswith(".py") or spec in (".", "..")


def load_pack(spec: str | os.PathLike) -> RulePack:
    """Load a pack from a ``.py`` file, a package folder, or an installed pack's name.

    A path must look like one (see `looks_like_a_path`: ``./mypack``,
    ``mypack/``, ``pack.py``); a bare name is looked up among the installed
    packs only.
    """
    if looks_like_a_path(spec):
        return _load_path(Path(spec), os.fspath(spec))
    installed = installed_packs()
    if spec in installed:
        try:
            module = importlib.import_module(installed[spec])
        except Exception as e:
            raise _load_error(spec, e) from e
        return pack_from_module(module, spec)
    known = ", ".join(sorted(installed)) or "none"
    hint = f": to load the folder '{spec}' here, write ./{spec}" if Path(spec).is_dir() else ""
    raise PackError(f"{spec}: no such rule pack: no installed pack of that name (installed: {known})"
                    f"{did_you_mean(spec, installed)}, and not a path (a path contains '/' or ends in '.py')"
                    f"{hint}")


def _load_path(path: Path, spec: str) -> RulePack:
    if not path.exists():
        raise PackError(f"{spec}: no such rule pack: no such file or folder")
    init = path / "__init__.py" if path.is_dir() else path
    if not init.is_file() or init.suffix != ".py":
        raise PackError(f"{spec}: not a rule pack (expected a .py file or a folder with __init__.py)")
    return pack_from_module(_import_file(path, init), str(path), path.stem or path.resolve().stem)


def _import_file(path: Path, init: Path) -> ModuleType:
    name = f"diagnose_pack_{re.sub(r'[^0-9A-Za-z_]', '_', path.resolve().stem)}"
    module_spec = importlib.util.spec_from_file_location(
        name, init, submodule_search_locations=[str(path)] if path.is_dir() else None)
    assert module_spec and module_spec.loader
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except Exception as e:  # a pack's own error must not surface as our traceback
        del sys.modules[name]
        raise _load_error(str(path), e) from e
    return module


def _load_error(origin: str, error: Exception) -> PackError:
    """`file:line: the rule pack failed to load: SyntaxError: ...`, at the pack's own line."""
    if isinstance(error, SyntaxError):
        return PackError(f"{error.filename}:{error.lineno}: the rule pack failed to load: SyntaxError: {error.msg}")
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "importlib" not in f.filename]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else origin
    return PackError(f"{where}: the rule pack failed to load: {type(error).__name__}: {error}")


@lru_cache(maxsize=1)
def core_pack() -> RulePack:
    """Counting kinds per row: what every mechanism's rules build on."""
    return pack_from_module(importlib.import_module("diagnose.rules.evidence"), "diagnose.rules.evidence")


@lru_cache(maxsize=1)
def builtin_pack() -> RulePack:
    return pack_from_module(importlib.import_module("diagnose.rules"), "diagnose.rules")


def builtin_rulebase() -> RuleBase:
    return RuleBase((core_pack(), builtin_pack()))


def rulebase(packs: Iterable[str] = (), builtin: bool = True) -> RuleBase:
    """The core and built-in rule base (unless ``builtin`` is false) plus the named packs, in order."""
    loaded = tuple(load_pack(p) for p in packs)
    if not builtin and not loaded:
        raise PackError("--no-builtin-rules needs at least one pack (--rules PATH_OR_NAME)")
    return RuleBase((core_pack(), *((builtin_pack(),) if builtin else ()), *loaded))
