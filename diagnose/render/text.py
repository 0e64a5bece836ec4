"""Terminal text: overlaps first, then mechanisms grouped by unit; 80 columns.

Every line passes through `visible`: a control character from the fact file
(an escape sequence in a name, a CR in a note) is shown as an escape, never
sent to the terminal. Free text (the summary, explanations) keeps its line
breaks and tabs as spaces between words; names and ids keep nothing.
"""

from __future__ import annotations

from collections import defaultdict

from ..diagnosis import Diagnosis, MechanismRow, OverlapRow
from ..model import FactBase
from ..controls import visible
from .terminal import wrap

WIDTH = 80


def mechanism_name(mechanism: str) -> str:
    """A mechanism in words: its name with spaces (a pack's mechanisms read the same way)."""
    return mechanism.replace("_", " ")


def unit_label(unit: str, facts: FactBase | None = None) -> str:
    """`North America (sub-region)`, `Greece–Turkey (dyad)`, `Western Hemisphere (region)`."""
    kind, _, name = unit.partition(":")
    if kind == "region":
        return f"{facts.region if facts else 'the region'} (region)"
    if kind == "dyad" and facts is not None:
        name = "–".join(facts.states.get(code, code) for code in name.split("-"))
    return f"{name} ({'sub-region' if kind == 'subregion' else kind})"


def _wrap(text: str, indent: int, *, free: bool = False) -> list[str]:
    """``text`` in lines of 80 columns, indented; ``free`` text keeps its newlines and tabs (as spaces)."""
    pad = " " * indent
    return wrap(visible(text, keep="\n\t" if free else ""), WIDTH, initial_indent=pad, subsequent_indent=pad,
                break_on_hyphens=False)


def _facts_line(ids: tuple[str, ...], indent: int) -> list[str]:
    return _wrap("evidence: " + (", ".join(ids) or "none"), indent)


def _slice(row: MechanismRow) -> str:
    for dim in ("sector", "agency", "issue"):
        if getattr(row, dim) is not None:
            return f" [{dim} {getattr(row, dim)}]"
    return ""


def _overlap(row: OverlapRow, facts: FactBase | None) -> list[str]:
    period = f" in {row.period}" if row.period else ""
    head = f"* {row.type} overlap{period}, {row.character}"
    if row.on:
        head += " (" + "; ".join(f"{mechanism_name(m)} on {v}" for m, v in sorted(row.on.items())) + ")"
    lines = _wrap(head, 2)
    lines += _wrap("units: " + "; ".join(unit_label(u, facts) for u in row.units), 4)
    lines += _wrap(row.explanation, 4, free=True)
    lines += _facts_line(row.facts, 4)
    return lines


def render_text(diagnosis: Diagnosis, facts: FactBase | None = None) -> str:
    """The diagnosis for a person at a terminal."""
    title = diagnosis.region + (f" (as of {diagnosis.as_of})" if diagnosis.as_of is not None else "")
    lines = _wrap(title, 0)
    lines.append("=" * min(max(map(len, lines)), WIDTH))
    if facts is not None and facts.summary:
        lines += wrap(" ".join(visible(facts.summary, keep="\n\t").split()), WIDTH)
    if diagnosis.periods:
        lines += _wrap("Periods: " + ", ".join(diagnosis.periods), 0)
    lines += ["", f"Overlaps ({len(diagnosis.overlaps)})", "-" * 12]
    if not diagnosis.overlaps:
        lines.append("  None: no unit shows both mechanisms at once on this evidence.")
    for row in diagnosis.overlaps:
        lines += _overlap(row, facts) + [""]
    lines += ["", "Mechanisms by unit", "-" * 18]
    by_unit: dict[str, list[MechanismRow]] = defaultdict(list)
    for row in diagnosis.mechanisms:
        by_unit[row.unit].append(row)
    rank = {"region": 0, "subregion": 1, "group": 2, "dyad": 3}
    for unit, rows in sorted(by_unit.items(), key=lambda item: (rank.get(item[0].split(":")[0], 4), item[0])):
        lines += _wrap(unit_label(unit, facts), 0)
        for row in rows:
            status = row.status.replace("_", " ").upper() if row.status != "not_evident" else "not evident"
            variant = "".join(f", {part}" for part in (
                row.variant, f"facing {row.facing}" if row.facing else None,
                row.phase if row.phase and row.status != "nascent" else None,
                f"{row.coupling}ly coupled" if row.coupling else None) if part)
            period = f"{row.period}: " if row.period else ""
            name = mechanism_name(row.mechanism)
            lines += _wrap(f"{period}{name}{_slice(row)}: "
                           f"{status}{variant}", 2)
            lines += _wrap(row.explanation, 6, free=True)
            if row.status != "not_evident":
                lines += _facts_line(row.facts, 6)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
