"""How the analysis commands name conclusions and entries, in words and in JSON."""

from __future__ import annotations

from typing import Any

from ..decisive import Conclusion, conclusion_verdict
from ..diagnosis import MechanismRow
from ..model import FactBase
from ..structure import DIMENSIONS


def slice_of(row: MechanismRow) -> tuple[str, str] | None:
    """(dimension, value) of a slice row, None for a row of all practices."""
    return next(((dim, getattr(row, dim)) for dim in DIMENSIONS if getattr(row, dim) is not None), None)


def label(conclusion: Conclusion) -> str:
    """`security community of group:NATO in after_return [sector military]`, `relational overlap of A + B in P`."""
    period = f" in {conclusion.period}" if conclusion.period is not None else ""
    if isinstance(conclusion, MechanismRow):
        where = slice_of(conclusion)
        part = f" [{where[0]} {where[1]}]" if where else ""
        return f"{conclusion.mechanism.replace('_', ' ')} of {conclusion.unit}{period}{part}"
    on = f" [{conclusion.dimension}: " + ", ".join(f"{m.replace('_', ' ')} on {v}" for m, v in
                                                   sorted((conclusion.on or {}).items())) + "]" \
        if conclusion.dimension else ""
    return f"{conclusion.type} overlap of {' + '.join(conclusion.units)}{period}{on}"


def verdict_text(conclusion: Conclusion) -> str:
    """`active (adversarial, inward)`, `nascent`, `manual`."""
    if isinstance(conclusion, MechanismRow):
        status, *qualifiers = conclusion_verdict(conclusion)
        given = [q for q in qualifiers if q is not None and q != status]  # a nascent community's phase is nascent
        return status + (f" ({', '.join(given)})" if given else "")
    return conclusion.character


def identity(conclusion: Conclusion) -> dict[str, Any]:
    """What identifies a conclusion, as JSON: `{"mechanism": ..., "unit": ..., "period": ...}` or an overlap's."""
    if isinstance(conclusion, MechanismRow):
        return {"kind": "mechanism", "mechanism": conclusion.mechanism, "unit": conclusion.unit,
                "period": conclusion.period, **{d: getattr(conclusion, d) for d in DIMENSIONS}}
    return {"kind": "overlap", "type": conclusion.type, "units": list(conclusion.units), "period": conclusion.period,
            "dimension": conclusion.dimension, "on": dict(conclusion.on) if conclusion.on else None}


def verdict(conclusion: Conclusion) -> dict[str, Any]:
    """What a conclusion says, as JSON."""
    if isinstance(conclusion, MechanismRow):
        return {name: getattr(conclusion, name) for name in ("status", "variant", "facing", "phase", "coupling")}
    return {"character": conclusion.character}


def entry_lines(facts: FactBase) -> dict[str, int]:
    """The line of every entry, strategy and juncture of the file, by id."""
    return {item.id: item.line for item in (*facts.entries, *facts.strategies, *facts.junctures)}


def with_lines(ids: tuple[str, ...] | list[str], lines: dict[str, int]) -> str:
    """`atlantic_alliance (line 45), states`: ids as the text output lists them."""
    return ", ".join(f"{i} (line {lines[i]})" if i in lines else i for i in ids) or "none"
