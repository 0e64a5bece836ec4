"""The fact file as text: header comments, states with their years in the system, periods with the states
that exist in each, groups, then the evidence sections, in a stable order."""

from __future__ import annotations

from typing import Any, Iterable

import yaml

from .. import schema
from ..controls import visible
from .evidence import Context, Evidence

SECTIONS = tuple(schema.SECTIONS)
ACTOR_LISTS = ("members", "among", "by", "against")


class _Dumper(yaml.SafeDumper):
    """Mappings in block style, lists of states in flow style (`[FRN, GFR]`), as a person writes them."""


_Dumper.add_representer(list, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data,
                                                                             flow_style=True))


def _dump(data: Any) -> str:
    # the safe dumper quotes whatever YAML could read as something else (`NO`, `1e3`, `: `): text stays text
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def comment(text: str) -> str:
    """One comment line per line of text, with nothing in it that could end the comment or act on a terminal."""
    return "".join(f"# {visible(line)}\n" if line else "#\n" for line in text.split("\n"))


def _years(spells: Iterable[tuple[int, int]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in spells)


def _named(fields: dict[str, Any], names: dict[frozenset[str], str]) -> dict[str, Any]:
    """Actor lists that are exactly a group's members are written as the group's name."""
    out = dict(fields)
    for key in ACTOR_LISTS:
        if key in out and frozenset(out[key]) in names:
            out[key] = names[frozenset(out[key])]
    if "sides" in out:
        out["sides"] = [[names[frozenset(side)]] if frozenset(side) in names else side for side in out["sides"]]
    return out


def write(context: Context, region: str, header: str, summary: str, evidence: list[Evidence]) -> str:
    codes = {c: s.code for c, s in context.states.items()}
    parts = [comment(header), _dump({"schema": 1, "region": region, "as_of": context.last, "summary": summary})]
    parts.append("states:\n")
    for state in sorted(context.states.values(), key=lambda s: s.code):
        line = _dump({state.code: state.name}).rstrip("\n")
        parts.append(f"  {line}  # in the state system {_years(state.spells)}\n")
    parts.append("periods:\n")
    for period in context.periods:
        absent = sorted(s.code for s in context.states.values() if not s.exists(period.first, period.last))
        parts.append(f"  # {period.id}: every state above is in the system at some time in {period.first}-"
                     f"{period.last}" + (f" except {', '.join(absent)}\n" if absent else "\n"))
        parts.append(f"  - id: {period.id}\n    from: {period.first}\n    to: {period.last}\n")
    names: dict[frozenset[str], str] = {}
    if context.groups:
        parts.append(comment("Groups: multilateral alliances, with their members in the first year they had "
                             "enough of the selected states (an entry naming the same states names the group)."))
        groups = {name: sorted(codes[c] for c in members) for name, members in sorted(context.groups.items())}
        names = {frozenset(m): n for n, m in reversed(list(groups.items()))}
        parts.append(_dump({"groups": groups}))
    for section in SECTIONS:
        entries = sorted((e for e in evidence if e.section == section), key=lambda e: (e.period, e.order, e.id))
        if not entries:
            continue
        parts.append(f"{section}:\n")
        current = None
        for entry in entries:
            if entry.period != current:
                current = entry.period
                parts.append(f"  # {context.periods[current].id}\n")
            fields = _named({"id": entry.id, **entry.fields}, names)
            body = _dump(fields).rstrip("\n").replace("\n", "\n    ")
            parts.append(f"  - {body}\n")
    return "".join(parts)
