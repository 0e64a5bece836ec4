"""The coding scheme: which rows of which table become which entries. Data (YAML), checked here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..names import did_you_mean
from ..yamlread import read_yaml, refused
from .tables import ATOP_PROVISIONS

DEFAULT = Path(__file__).with_name("scheme.yaml")
LEVELS = ("war", "armed_conflict", "crisis")
_PROVISION_RULE = {"provision": "provision", "at_least": "count", "kind": "kind"}
RULES: dict[str, dict[str, str]] = {
    # rule name -> parameter -> what it takes (see `_check_value`); every parameter is required
    "atop_pact": {"obligations": "provisions", "identity_if": "provision_levels"},
    "atop_integrated_command": _PROVISION_RULE,
    "atop_consultation": _PROVISION_RULE,
    "atop_organisation": _PROVISION_RULE,
    "atop_arms_reduction": _PROVISION_RULE,
    "mid_threat_or_display": {"hostility": "hostility_levels", "kind": "kind"},
    "mid_reciprocated": {"hostility": "hostility_levels", "level": "level"},
    "mid_use_of_force": {"at_least": "hostility", "fatality_at_least": "count", "level": "level"},
    "cow_war": {"level": "level"},
    "ucdp_interstate": {"min_intensity": "count", "level": "level"},
    "grh_arms_race": {"kind": "kind"},
    "igo_common_enterprise": {"at_least": "count", "kind": "kind"},
    "border_long_peace": {"conttype_at_most": "count", "peace_years": "count", "kind": "kind"},
    "bloc_confrontation": {"hostility_at_least": "hostility", "min_dyads": "positive",
                           "min_states_per_side": "positive", "kind": "kind", "level": "level"},
}
_EXPECTED = {
    "provision": f"one ATOP provision ({', '.join(ATOP_PROVISIONS)})",
    "provisions": "a list of ATOP provisions",
    "provision_levels": "a mapping of ATOP provisions to the least value that counts",
    "count": "a whole number, 0 or more",
    "positive": "a whole number, 1 or more",
    "hostility": "a MID hostility level, 1 to 5",
    "hostility_levels": "a list of MID hostility levels, 1 to 5",
    "kind": "a practice kind (see `diagnose kinds`)",
    "level": f"one of {', '.join(LEVELS)}",
}
TOP = {"scheme": "the scheme format: 1", "rules": "the coding rules applied: name -> parameters",
       "alliance_groups": "min_members and names of the groups made from multilateral alliances"}


@dataclass(frozen=True)
class Scheme:
    origin: str
    rules: dict[str, dict[str, Any]]
    group_min_members: int
    group_names: dict[int, str] = field(default_factory=dict)

    def rule(self, name: str) -> dict[str, Any] | None:
        """The rule's parameters, or None where the scheme leaves it out (not applied)."""
        return self.rules.get(name)


def _natural(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_value(what: str, value: Any, kinds: frozenset[str]) -> str | None:
    """What is wrong with the value (with a suggestion), or None."""
    if what == "provision":
        return None if value in ATOP_PROVISIONS else f"unknown provision{did_you_mean(value, ATOP_PROVISIONS)}"
    if what == "provisions":
        if not isinstance(value, list) or not value:
            return "expected a non-empty list"
        return next((_check_value("provision", v, kinds) for v in value if v not in ATOP_PROVISIONS), None)
    if what == "provision_levels":
        if not isinstance(value, dict):
            return "expected a mapping"
        wrong = [k for k in value if k not in ATOP_PROVISIONS]
        if wrong:
            return f"unknown provision '{wrong[0]}'{did_you_mean(wrong[0], ATOP_PROVISIONS)}"
        return None if all(_natural(v) for v in value.values()) else "expected whole numbers as the levels"
    if what == "count":
        return None if _natural(value) else "expected a whole number, 0 or more"
    if what == "positive":
        return None if _natural(value) and value >= 1 else "expected a whole number, 1 or more"
    if what == "hostility":
        return None if _natural(value) and 1 <= value <= 5 else "expected a hostility level from 1 to 5"
    if what == "hostility_levels":
        ok = isinstance(value, list) and value and all(_natural(v) and 1 <= v <= 5 for v in value)
        return None if ok else "expected a list of hostility levels from 1 to 5"
    if what == "kind":
        return None if value in kinds else f"unknown kind '{value}'{did_you_mean(value, kinds)}"
    return None if value in LEVELS else f"unknown level '{value}'{did_you_mean(value, LEVELS)}"


def load_scheme(path: str | Path | None, kinds: frozenset[str]) -> Scheme:
    """The scheme in the file (the package's default without one); a `FactFileError` listing every problem
    (file, line, key, what was expected, a suggestion) where it is not a valid scheme."""
    source = Path(path) if path is not None else DEFAULT
    document = read_yaml(source, expected="a coding scheme: a mapping with scheme, rules, alliance_groups")
    data = document.data
    problems: list[Problem] = []

    def problem(where: tuple, message: str) -> None:
        problems.append(Problem(message, document.line(where), ".".join(str(p) for p in where) or None))

    if not isinstance(data, dict):
        raise refused(str(source), [Problem("expected a mapping with scheme, rules, alliance_groups",
                                            document.line(()) or 1)])
    for key in data:
        if key not in TOP:
            problem((key,), f"unknown key{did_you_mean(key, TOP)}; expected {', '.join(TOP)}")
    if data.get("scheme") != 1:
        problem(("scheme",) if "scheme" in data else (), "expected `scheme: 1` (the scheme format)")
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        problem(("rules",), "expected a mapping of rule names to their parameters")
        rules = {}
    for name, params in rules.items():
        if name not in RULES:
            problem(("rules", name), f"unknown rule{did_you_mean(name, RULES)}; expected one of {', '.join(RULES)}")
            continue
        if not isinstance(params, dict):
            problem(("rules", name), f"expected a mapping with {', '.join(RULES[name])}")
            continue
        for param, what in RULES[name].items():
            if param not in params:
                problem(("rules", name), f"missing {param}: {_EXPECTED[what]}")
            else:
                wrong = _check_value(what, params[param], kinds)
                if wrong:
                    problem(("rules", name, param), f"{wrong}; expected {_EXPECTED[what]}")
        for param in params:
            if param not in RULES[name]:
                problem(("rules", name, param), f"unknown parameter{did_you_mean(param, RULES[name])}; "
                                                f"expected {', '.join(RULES[name])}")
    groups = data.get("alliance_groups", {"min_members": 3, "names": {}})
    if not isinstance(groups, dict):
        problem(("alliance_groups",), "expected a mapping with min_members and names")
        groups = {}
    for key in groups:
        if key not in ("min_members", "names"):
            problem(("alliance_groups", key), f"unknown key{did_you_mean(key, ('min_members', 'names'))}; "
                                              f"expected min_members, names")
    minimum = groups.get("min_members", 3)
    if not _natural(minimum) or minimum < 3:
        problem(("alliance_groups", "min_members"), "expected a whole number, 3 or more (a pair is a dyad)")
    names = groups.get("names", {}) or {}
    if not isinstance(names, dict):
        problem(("alliance_groups", "names"), "expected a mapping of ATOP ids to group names")
        names = {}
    for atopid, label in names.items():
        if not str(atopid).isdigit() or not isinstance(label, str) or not label.strip() or not label.isprintable():
            problem(("alliance_groups", "names", atopid), "expected an ATOP id (a number) and a one-line name")
    if problems:
        raise refused(str(source), problems)
    return Scheme(str(source) if path is not None else "the default scheme", dict(rules), minimum,
                  {int(k): v.strip() for k, v in names.items()})
