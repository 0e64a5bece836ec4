"""Figures of a diagnosis, drawn with matplotlib and returned as SVG text.

Two figures: a network of the states (one panel per period: dyads drawn by
the mechanisms active between them, the region, sub-regions and groups as
arcs around the states they contain; thick where a mechanism is active,
thin where a community is nascent, decaying, formal only or broken down,
and ticks pointing out of an arc where its states balance outsiders
together), and, where the file has periods, a timeline of each unit's
mechanisms across them (each status its own fill, its qualifiers named). Colours are the Okabe–Ito
palette, which stays distinct for the common kinds of colour blindness, and
every mechanism also has its own line style, so no distinction rests on
colour alone. Output is deterministic: fixed layout, fixed SVG id salt, no
date in the metadata.
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
import textwrap
from dataclasses import dataclass
from itertools import cycle
from types import MappingProxyType
from typing import Sequence

import matplotlib
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..controls import visible
from ..diagnosis import Diagnosis, MechanismRow
from ..model import FactBase, Unit
from .filters import mechanism_name, period_label, status_label, status_name, unit_name

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
FIGURES = ("network", "timeline")
"""The names of the figures a brief may have (Markdown writes each beside it as an SVG file)."""
INK = "#222222"
MUTED = "#767676"
BAND = "#E4E4E4"


@dataclass(frozen=True)
class MechanismStyle:
    """How one mechanism is drawn: a colour and a dash pattern of its own."""

    colour: str
    dashes: str | tuple[float, tuple[float, ...]]  # a matplotlib line style: a name, or (offset, on-off lengths)


_STYLES = (MechanismStyle(OKABE_ITO["vermillion"], "-"), MechanismStyle(OKABE_ITO["bluish_green"], "--"),
           MechanismStyle(OKABE_ITO["blue"], "-."), MechanismStyle(OKABE_ITO["reddish_purple"], ":"),
           MechanismStyle(OKABE_ITO["orange"], (0, (5, 1, 1, 1, 1, 1))),
           MechanismStyle(OKABE_ITO["sky_blue"], (0, (1, 2))))


def mechanism_styles(mechanisms: Sequence[str]) -> dict[str, MechanismStyle]:
    """A style per mechanism, in the rule base's order (the built-in pack's two first), the palette in turn."""
    return dict(zip(mechanisms, cycle(_STYLES)))


def _whole_unit_rows(diagnosis: Diagnosis) -> dict[tuple[str, str | None], dict[str, MechanismRow]]:
    """(unit, period) -> mechanism -> the row that counts all the unit's practices."""
    rows: dict[tuple[str, str | None], dict[str, MechanismRow]] = {}
    for row in diagnosis.mechanisms:
        if row.sector is None and row.agency is None and row.issue is None:
            rows.setdefault((row.unit, row.period), {})[row.mechanism] = row
    return rows


def _svg(figure: Figure, figure_id: str) -> str:
    """The figure as SVG text for inlining: no XML prolog, ids made unique to this figure."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": figure_id}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.08)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # Two figures inlined in one page would both define ids such as "figure_1"; prefix every id and reference.
    svg = re.sub(r'(\sid="|url\(#|href="#)', rf"\g<1>{figure_id}-", svg)
    return svg


def _style() -> dict[str, object]:
    return {
        "svg.fonttype": "none",  # text stays text: selectable, searchable, and small
        "font.family": "DejaVu Sans",  # shipped with matplotlib, so the layout is the same on every machine
        "font.size": 8,
        "text.parse_math": False,  # a `$` in a state's name is a dollar sign, not mathematics
        "text.color": INK,
        "axes.edgecolor": MUTED,
    }


# --- the network --------------------------------------------------------------------------------------------

NODE_SIZE = 21  # points: room for a three-letter code inside
RING = 1.27  # radius of the innermost arc; states sit on the unit circle
RING_STEP = 0.17


def _circle_order(facts: FactBase) -> list[str]:
    """States ordered so that members of each sub-region and group sit next to each other where possible."""
    codes = list(facts.states)
    units = [*facts.subregions, *facts.groups]
    return sorted(codes, key=lambda code: (tuple(code not in unit.states for unit in units), codes.index(code)))


def _runs(positions: set[int], count: int) -> list[tuple[int, int]]:
    """Maximal runs of consecutive positions on a circle of ``count``, as (first, last) going round."""
    if len(positions) == count:
        return [(0, count - 1)]
    starts = [p for p in sorted(positions) if (p - 1) % count not in positions]
    runs = []
    for start in starts:
        end = start
        while (end + 1) % count in positions:
            end = (end + 1) % count
        runs.append((start, end))
    return runs


def _ring_levels(units: list[Unit], order: list[str]) -> dict[str, int]:
    """A ring per unit, inner first; units whose members do not overlap share a ring."""
    taken: list[set[int]] = []
    levels = {}
    for unit in units:
        positions = {order.index(code) for code in unit.states}
        level = next((i for i, used in enumerate(taken) if not used & positions), len(taken))
        if level == len(taken):
            taken.append(set())
        taken[level] |= positions
        levels[unit.id] = level
    return levels


def _angle(position: int, count: int) -> float:
    return math.pi / 2 - 2 * math.pi * position / count  # clockwise from the top


def _arc_points(first: int, last: int, count: int, radius: float) -> tuple[list[float], list[float]]:
    step = 2 * math.pi / count
    if (first, last) == (0, count - 1):  # every state: a full ring
        start, span = math.pi / 2, 2 * math.pi
    else:  # stop short of the neighbours' positions, so adjacent units' arcs stay apart
        start, span = _angle(first, count) + 0.42 * step, ((last - first) % count + 0.16) * step
    steps = max(8, int(span / 0.05))
    angles = [start - span * i / steps for i in range(steps + 1)]
    return [radius * math.cos(a) for a in angles], [radius * math.sin(a) for a in angles]


def _label_angle(runs: list[tuple[int, int]], count: int, used: list[float]) -> float:
    """Where on its arc a unit's label goes: the middle of a run, else the nearest point clear of other labels."""
    step = 2 * math.pi / count
    candidates = []
    for first, last in runs:
        length = (last - first) % count + 1 if (first, last) != (0, count - 1) else count
        middle = _angle(first, count) - (length - 1) * step / 2
        candidates.append(middle)
        for k in range(1, length):
            candidates += [middle - k * step / 2, middle + k * step / 2]

    def clear(angle: float) -> bool:
        return all(abs((angle - other + math.pi) % (2 * math.pi) - math.pi) > 0.5 for other in used)

    return next((a for a in candidates if clear(a)), candidates[0])


THIN_STATUSES = ("nascent", "decaying", "formal_only", "broken_down")
"""Drawn as thin lines in the network: community practices that are not, or no longer, an active community."""
OUTWARD_TICKS = 90  # degrees left of the way an arc is drawn (clockwise): ticks point away from the states
INWARD_TICKS = -90


def _facing_effects(facing: str | None) -> list[patheffects.AbstractPathEffect] | None:
    """Ticks along a unit's arc where it balances outsiders: pointing out (outward), out and in (both)."""
    angles = {"outward": (OUTWARD_TICKS,), "both": (OUTWARD_TICKS, INWARD_TICKS)}.get(facing or "")
    if not angles:
        return None
    return [patheffects.withTickedStroke(angle=a, spacing=6, length=1.2, linewidth=1.0) for a in angles]


def _draw_status_line(axes, xs, ys, row: MechanismRow, style: MechanismStyle, zorder: int,
                      facing: bool = False) -> None:
    """A mechanism's line: thick where active, thin otherwise; on an arc, ticks say which way a balance faces."""
    active = row.status == "active"
    axes.plot(xs, ys, color=style.colour, linestyle=style.dashes, linewidth=2.4 if active else 1.1,
              alpha=1 if active else 0.75, solid_capstyle="butt", zorder=zorder)
    effects = _facing_effects(row.facing) if facing and active else None
    if effects:  # drawn above every arc, so another mechanism's arc beside it never hides them
        axes.plot(xs, ys, color=style.colour, linewidth=0, zorder=zorder + 0.5, path_effects=effects)


def _network_panel(axes, facts: FactBase, diagnosis: Diagnosis, period: str | None, order: list[str],
                   levels: dict[str, int], styles: dict[str, MechanismStyle]) -> None:
    rows = _whole_unit_rows(diagnosis)
    count = len(order)
    where = {code: (math.cos(_angle(i, count)), math.sin(_angle(i, count))) for i, code in enumerate(order)}
    shown = list(styles)
    for unit in facts.units():
        if unit.kind != "dyad":
            continue
        found = [rows.get((unit.id, period), {}).get(m) for m in shown]
        drawn = [(m, row) for m, row in zip(shown, found) if row is not None and row.status != "not_evident"]
        a, b = sorted(unit.states)
        (x1, y1), (x2, y2) = where[a], where[b]
        if not drawn:  # named by some entry, yet no mechanism holds: a hairline, so the tie stays visible
            axes.plot([x1, x2], [y1, y2], color=MUTED, linewidth=0.6, linestyle=":", zorder=2)
        length = math.hypot(x2 - x1, y2 - y1) or 1
        normal = (-(y2 - y1) / length, (x2 - x1) / length)
        for k, (mechanism, row) in enumerate(drawn):
            shift = (k - (len(drawn) - 1) / 2) * 0.05  # side by side when several mechanisms hold at once
            _draw_status_line(axes, [x1 + normal[0] * shift, x2 + normal[0] * shift],
                              [y1 + normal[1] * shift, y2 + normal[1] * shift], row, styles[mechanism], 2)
    label_radius = RING + RING_STEP * max(levels.values(), default=0) + 0.22
    used: list[float] = []
    for unit in (u for u in facts.units() if u.kind != "dyad"):
        radius = RING + RING_STEP * levels[unit.id]
        runs = _runs({order.index(code) for code in unit.states}, count)
        found = rows.get((unit.id, period), {})
        drawn = [(m, found[m]) for m in shown if m in found and found[m].status != "not_evident"]
        for first, last in runs:
            xs, ys = _arc_points(first, last, count, radius)
            axes.plot(xs, ys, color=BAND, linewidth=9, solid_capstyle="butt", zorder=1)
            for k, (mechanism, row) in enumerate(drawn):
                shift = (k - (len(drawn) - 1) / 2) * 0.045
                xs_k, ys_k = _arc_points(first, last, count, radius + shift)
                _draw_status_line(axes, xs_k, ys_k, row, styles[mechanism], 3, facing=True)
        angle = _label_angle(runs, count, used)
        used.append(angle)
        cos, sin = math.cos(angle), math.sin(angle)
        axes.plot([(radius + 0.06) * cos, (label_radius - 0.03) * cos], [(radius + 0.06) * sin,
                  (label_radius - 0.03) * sin], color=MUTED, linewidth=0.6, zorder=4)
        axes.text(label_radius * cos, label_radius * sin, _short_unit_name(facts, unit), fontsize=7,
                  ha="left" if cos > 0.3 else ("right" if cos < -0.3 else "center"),
                  va="bottom" if sin > 0.3 else ("top" if sin < -0.3 else "center"), zorder=5)
    for code, (x, y) in where.items():
        axes.plot([x], [y], marker="o", markersize=NODE_SIZE, markerfacecolor="#F7F7F7", markeredgecolor=INK,
                  markeredgewidth=1.1, linestyle="none", zorder=6)
        axes.text(x, y, code, ha="center", va="center", fontsize=6.5 if len(code) <= 3 else 5.5,
                  fontweight="bold", zorder=7)
    axes.set_xlim(-label_radius - 0.85, label_radius + 0.85)  # wide: labels at the sides run horizontally
    axes.set_ylim(-label_radius - 0.5, label_radius + 0.3)
    axes.set_aspect("equal")
    axes.axis("off")
    if period is not None:
        axes.set_title(period_label(facts, period), fontsize=9, fontweight="bold", pad=2)


def _short_unit_name(facts: FactBase, unit: Unit) -> str:
    """The unit's name and kind on two lines, so arc labels stay narrow."""
    name, _, kind = unit_name(facts, unit.id).rpartition(" (")
    return "\n".join(textwrap.wrap(name, 18)) + f"\n({kind}"


def ticked_facings(diagnosis: Diagnosis) -> tuple[str, ...]:
    """The ways units wider than a dyad face that their arcs mark with ticks (the legend explains those)."""
    found = {r.facing for r in diagnosis.mechanisms
             if r.status == "active" and r.facing in ("outward", "both") and not r.unit.startswith("dyad:")
             and r.sector is None and r.agency is None and r.issue is None}
    return tuple(f for f in ("outward", "both") if f in found)


TICK_LABELS = {"outward": "ticks out of an arc: its states balance outsiders together (facing outward)",
               "both": "ticks on both sides: its states balance one another and outsiders (facing both ways)"}


def _network_legend(axes, facts: FactBase, styles: dict[str, MechanismStyle], ticks: tuple[str, ...]) -> None:
    handles = []
    for mechanism, style in styles.items():
        handles.append(Line2D([], [], color=style.colour, linestyle=style.dashes, linewidth=2.4,
                              label=f"{mechanism_name(mechanism)}: active"))
    thin = ", ".join(status_name(s) for s in THIN_STATUSES)
    handles += [Line2D([], [], color=MUTED, linewidth=1.1, alpha=0.75, label=f"thin: {thin}")]
    for facing in ticks:
        handles.append(Line2D([], [], color=MUTED, linewidth=2.4, label=TICK_LABELS[facing],
                              path_effects=[patheffects.Normal(), *_facing_effects(facing)]))
    handles += [Line2D([], [], color=MUTED, linewidth=0.6, linestyle=":", label="dotted: a pair the file names, "
                                                                                "no mechanism evident"),
                Line2D([], [], color=BAND, linewidth=9, label="arc: region, sub-region or group (its members)"),
                Line2D([], [], marker="o", markersize=10, markerfacecolor="#F7F7F7", markeredgecolor=INK,
                       linestyle="none", label="state (code)")]
    axes.legend(handles=handles, loc="upper center", ncol=2, frameon=False, fontsize=7.5, handlelength=3.2)
    key = " · ".join(f"{code} = {name}" for code, name in facts.states.items())
    axes.text(0.5, 0, "\n".join(textwrap.wrap(key, 110)), ha="center", va="bottom", fontsize=7, color=MUTED,
              transform=axes.transAxes)
    axes.axis("off")


def _shown(facts: FactBase) -> FactBase:
    """The facts with the free text a figure draws (region, state names) made `visible`: a control
    character would reach the SVG (and the font has no glyph for it)."""
    return dataclasses.replace(facts, region=visible(facts.region),
                               states=MappingProxyType({code: visible(name) for code, name in facts.states.items()}))


def network_svg(facts: FactBase, diagnosis: Diagnosis, mechanisms: Sequence[str]) -> str:
    """The states in a circle, one panel per period: dyads and units drawn by their mechanisms."""
    facts = _shown(facts)
    styles = mechanism_styles(mechanisms)
    order = _circle_order(facts)
    levels = _ring_levels([u for u in facts.units() if u.kind != "dyad"], order)
    periods = list(facts.period_ids)
    columns = min(len(periods), 3)
    panel_rows = math.ceil(len(periods) / columns)
    key_lines = math.ceil(sum(len(code) + len(name) + 6 for code, name in facts.states.items()) / 110)
    ticks = ticked_facings(diagnosis)
    legend = 0.2 * math.ceil((len(styles) + 4 + len(ticks)) / 2) + 0.14 * key_lines + 0.25
    panel = 4.4
    width, height = panel * columns, panel * panel_rows + legend
    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(width, height))
        for index, period in enumerate(periods):
            row, column = divmod(index, columns)
            axes = figure.add_axes((column * panel / width, (height - panel * (row + 1)) / height,
                                    panel / width, panel / height))
            _network_panel(axes, facts, diagnosis, period, order, levels, styles)
        _network_legend(figure.add_axes((0, 0, 1, legend / height)), facts, styles, ticks)
        return _svg(figure, "network")


# --- the timeline -------------------------------------------------------------------------------------------

def _timeline_units(facts: FactBase, diagnosis: Diagnosis) -> list[Unit]:
    """The region, every sub-region and group, and each dyad where some mechanism is more than not evident."""
    rows = _whole_unit_rows(diagnosis)
    shown = []
    for unit in facts.units():
        if unit.kind != "dyad" or any(r.status != "not_evident" for period in facts.period_ids
                                      for r in rows.get((unit.id, period), {}).values()):
            shown.append(unit)
    return shown


def _luminance(colour: str) -> float:
    """Relative luminance of a `#rrggbb` colour (WCAG 2)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _readable_on(colour: str) -> str:
    """White or ink, whichever contrasts more with ``colour`` (labels inside coloured bars)."""
    background = _luminance(colour)
    white, ink = (1.05) / (background + 0.05), (background + 0.05) / (_luminance(INK) + 0.05)
    return "white" if white > ink else INK


HATCHES = {"nascent": "....", "decaying": "---", "formal_only": "////", "broken_down": "xxx"}
"""How the timeline fills a cell that is not active (in the mechanism's colour): each status its own pattern."""


def _cell(axes, x: float, y: float, row: MechanismRow | None, style: MechanismStyle) -> None:
    if row is None or row.status == "not_evident":
        axes.add_patch(Rectangle((x + 0.03, y - 0.3), 0.94, 0.6, facecolor="#F4F4F4", edgecolor="none", zorder=1))
        return
    hatch = {"active": None, **HATCHES}.get(row.status, "++")
    axes.add_patch(Rectangle((x + 0.03, y - 0.3), 0.94, 0.6, zorder=2, linewidth=1,
                             facecolor=style.colour if row.status == "active" else "white",
                             edgecolor=style.colour, hatch=hatch))
    label = status_label(row)
    axes.text(x + 0.5, y, label, ha="center", va="center", fontsize=6.5, zorder=3,
              color=_readable_on(style.colour) if row.status == "active" else INK,
              bbox=None if row.status == "active" else {"facecolor": "white", "edgecolor": "none", "pad": 0.6})


def timeline_svg(facts: FactBase, diagnosis: Diagnosis, mechanisms: Sequence[str]) -> str | None:
    """Each unit's mechanisms period by period, overlaps and junctures marked; None without periods."""
    facts = _shown(facts)
    if not facts.periods:
        return None
    styles = mechanism_styles(mechanisms)
    rows = _whole_unit_rows(diagnosis)
    units = _timeline_units(facts, diagnosis)
    periods = [p.id for p in facts.periods]
    overlaps: dict[tuple[str, str | None], set[str]] = {}
    for overlap in diagnosis.overlaps:
        for unit in overlap.units:
            overlaps.setdefault((unit, overlap.period), set()).add(overlap.type)
    lines = len(units) * (len(mechanisms) + 1)
    width, height = max(6.8, 2.2 + 2.1 * len(periods)), 1.5 + 0.24 * lines
    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(width, height))
        axes = figure.add_axes((1.6 / width, 0.95 / height, (width - 1.8) / width, (height - 1.55) / height))
        ticks, labels = [], []
        y = 0.0
        for unit in units:
            axes.text(-0.01, y, unit_name(facts, unit.id), fontsize=7.5, fontweight="bold", va="center", ha="right",
                      transform=axes.get_yaxis_transform())
            for x, period in enumerate(periods):
                if (unit.id, period) in overlaps:
                    axes.text(x + 0.97, y, " and ".join(sorted(overlaps[unit.id, period])) + " overlap", ha="right",
                              va="center", fontsize=6.5, fontweight="bold", zorder=4,
                              bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": INK})
            for mechanism in mechanisms:
                y += 1
                ticks.append(y)
                labels.append(mechanism_name(mechanism))
                for x, period in enumerate(periods):
                    _cell(axes, x, y, rows.get((unit.id, period), {}).get(mechanism), styles[mechanism])
            y += 1
        for x, period in enumerate(periods):
            names = [j.name for j in facts.junctures if period in j.periods]
            header = period_label(facts, period) + "".join(f"\n▼ {name}" for name in names)
            axes.text(x + 0.5, -0.9, "\n".join(textwrap.fill(line, 30) for line in header.split("\n")),
                      ha="center", va="bottom", fontsize=7.5)
        axes.set_xlim(0, len(periods))
        axes.set_ylim(y - 0.4, -0.6)
        axes.set_yticks(ticks, labels, fontsize=7)
        axes.set_xticks([])
        axes.tick_params(length=0)
        for side in axes.spines.values():
            side.set_visible(False)
        handles = [Patch(facecolor=style.colour, edgecolor=style.colour, label=mechanism_name(m))
                   for m, style in styles.items()]
        handles += [Patch(facecolor="white", edgecolor=INK, hatch=hatch, label=status_name(status))
                    for status, hatch in HATCHES.items()]
        handles.append(Patch(facecolor="#F4F4F4", edgecolor="none", label="not evident"))
        figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=4, frameon=False,
                      fontsize=7)
        return _svg(figure, "timeline")
