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
from matplotlib.collections import PatchCollection
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
NETWORK_MAX_STATES = 20
"""Up to this many states, the network is a circle of states; more, and it is a matrix of pairs."""


def network_view(facts: FactBase) -> str:
    """`network` (states in a circle) or, for more than `NETWORK_MAX_STATES` states, `matrix` (a grid of pairs)."""
    return "matrix" if len(facts.states) > NETWORK_MAX_STATES else "network"


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


@dataclass(frozen=True)
class _Arc:
    """A unit wider than a dyad as the network draws it: one arc for units of the same states, all named."""

    units: tuple[Unit, ...]

    @property
    def id(self) -> str:
        return self.units[0].id

    @property
    def states(self) -> frozenset[str]:
        return self.units[0].states


def _arcs(facts: FactBase, diagnosis: Diagnosis) -> list[_Arc]:
    """The region, sub-regions and groups, those of the same states that the diagnosis reads alike in every
    period made one arc (a group that is its sub-region's institution is drawn once, with both names)."""
    rows = _whole_unit_rows(diagnosis)

    def reading(unit: Unit) -> tuple:
        return tuple(tuple(sorted((m, status_label(r)) for m, r in rows.get((unit.id, period), {}).items()))
                     for period in facts.period_ids)

    arcs: dict[tuple, list[Unit]] = {}
    for unit in facts.units():
        if unit.kind != "dyad":
            arcs.setdefault((unit.states, reading(unit)), []).append(unit)
    return [_Arc(tuple(units)) for units in arcs.values()]


def _ring_levels(arcs: list[_Arc], order: list[str]) -> dict[str, int]:
    """A ring per arc, inner first; arcs whose members do not overlap share a ring."""
    taken: list[set[int]] = []
    levels = {}
    for arc in arcs:
        positions = {order.index(code) for code in arc.states}
        level = next((i for i, used in enumerate(taken) if not used & positions), len(taken))
        if level == len(taken):
            taken.append(set())
        taken[level] |= positions
        levels[arc.id] = level
    return levels


def _angle(position: int, count: int) -> float:
    return math.pi / 2 - 2 * math.pi * position / count  # clockwise from the top


def _arc_span(first: int, last: int, count: int) -> tuple[float, float]:
    """Where an arc over the positions first..last starts (an angle) and how far it goes round (clockwise)."""
    step = 2 * math.pi / count
    if (first, last) == (0, count - 1):  # every state: a full ring
        return math.pi / 2, 2 * math.pi
    # stop short of the neighbours' positions, so adjacent units' arcs stay apart
    return _angle(first, count) + 0.42 * step, ((last - first) % count + 0.16) * step


def _arc_points(first: int, last: int, count: int, radius: float) -> tuple[list[float], list[float]]:
    start, span = _arc_span(first, last, count)
    steps = max(8, int(span / 0.05))
    angles = [start - span * i / steps for i in range(steps + 1)]
    return [radius * math.cos(a) for a in angles], [radius * math.sin(a) for a in angles]


def _gap(a: float, b: float) -> float:
    return abs((a - b + math.pi) % (2 * math.pi) - math.pi)


def _label_angle(runs: list[tuple[int, int]], count: int, used: list[float]) -> float:
    """Where on its arc a unit's label goes: the point of the arc (its middle first) farthest from the labels
    placed already, so the leader line always starts on the arc itself."""
    candidates = []
    for first, last in runs:
        start, span = _arc_span(first, last, count)
        inset = min(0.08, span / 4)
        samples = 24
        points = [start - inset - (span - 2 * inset) * i / samples for i in range(samples + 1)]
        middle = start - span / 2
        candidates += sorted(points, key=lambda a: _gap(a, middle))
    if not used:
        return candidates[0]
    clear = [a for a in candidates if min(_gap(a, other) for other in used) > 0.5]
    if clear:
        return clear[0]
    return max(candidates, key=lambda a: min(_gap(a, other) for other in used))


OUTWARD_TICKS = 90  # degrees left of the way an arc is drawn (clockwise): ticks point away from the states
INWARD_TICKS = -90
ACTIVE_WIDTH = 2.4


@dataclass(frozen=True)
class _StatusLine:
    """How the network draws a status other than active, in the mechanism's colour: a pattern of its own."""

    dashes: str | tuple[float, tuple[float, ...]]
    width: float
    alpha: float = 1.0
    hollow: bool = False
    """Drawn as an outline: a wide line in the colour with a white core (on paper, not rooted)."""
    marker: str | None = None
    """A mark at the line's middle (a cross where a community broke down in war)."""


STATUS_LINES = {
    "nascent": _StatusLine((0, (1, 1.5)), 1.7),
    "decaying": _StatusLine((0, (6, 2, 1, 2)), 1.2, alpha=0.6),
    "formal_only": _StatusLine("-", 2.6, hollow=True),
    "broken_down": _StatusLine("-", 1.1, marker="x"),
}
OTHER_STATUS = _StatusLine("-", 1.1, alpha=0.75)
"""A status of a pack's own: a thin line."""


def _facing_effects(facing: str | None) -> list[patheffects.AbstractPathEffect] | None:
    """Ticks along a unit's arc where it balances outsiders: pointing out (outward), out and in (both)."""
    angles = {"outward": (OUTWARD_TICKS,), "both": (OUTWARD_TICKS, INWARD_TICKS)}.get(facing or "")
    if not angles:
        return None
    return [patheffects.withTickedStroke(angle=a, spacing=6, length=1.2, linewidth=1.0) for a in angles]


def _line_kwargs(status: str, style: MechanismStyle) -> dict[str, object]:
    """The matplotlib line properties of a mechanism's status (also its legend entry)."""
    if status == "active":
        return {"color": style.colour, "linestyle": style.dashes, "linewidth": ACTIVE_WIDTH}
    line = STATUS_LINES.get(status, OTHER_STATUS)
    if line.hollow:
        return {"color": "white", "linewidth": line.width / 2.6,
                "path_effects": [patheffects.Stroke(linewidth=line.width, foreground=style.colour),
                                 patheffects.Normal()]}
    kwargs: dict[str, object] = {"color": style.colour, "linestyle": line.dashes, "linewidth": line.width,
                                 "alpha": line.alpha}
    if line.marker:
        kwargs.update(marker=line.marker, markersize=5, markeredgewidth=1.2)
    return kwargs


def _draw_status_line(axes, xs: list[float], ys: list[float], row: MechanismRow, style: MechanismStyle,
                      zorder: int, facing: bool = False) -> None:
    """A mechanism's line in its status's style; on an arc, ticks say which way an active balance faces."""
    kwargs = _line_kwargs(row.status, style)
    if "marker" in kwargs:  # the mark goes at the middle of the line: give the line a point there
        middle = len(xs) // 2
        if len(xs) == 2:
            xs, ys, middle = [xs[0], (xs[0] + xs[1]) / 2, xs[1]], [ys[0], (ys[0] + ys[1]) / 2, ys[1]], 1
        kwargs["markevery"] = [middle]
    axes.plot(xs, ys, solid_capstyle="butt", zorder=zorder, **kwargs)
    effects = _facing_effects(row.facing) if facing and row.status == "active" else None
    if effects:  # drawn above every arc, so another mechanism's arc beside it never hides them
        axes.plot(xs, ys, color=style.colour, linewidth=0, zorder=zorder + 0.5, path_effects=effects)


def _drawn(rows: dict[str, MechanismRow], shown: list[str]) -> list[tuple[str, MechanismRow]]:
    return [(m, rows[m]) for m in shown if m in rows and rows[m].status != "not_evident"]


def _network_panel(axes, facts: FactBase, diagnosis: Diagnosis, period: str | None, order: list[str],
                   arcs: list[_Arc], levels: dict[str, int], styles: dict[str, MechanismStyle]) -> None:
    rows = _whole_unit_rows(diagnosis)
    count = len(order)
    where = {code: (math.cos(_angle(i, count)), math.sin(_angle(i, count))) for i, code in enumerate(order)}
    shown = list(styles)
    for unit in facts.units():
        if unit.kind != "dyad":
            continue
        drawn = _drawn(rows.get((unit.id, period), {}), shown)
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
    for arc in arcs:
        radius = RING + RING_STEP * levels[arc.id]
        runs = _runs({order.index(code) for code in arc.states}, count)
        drawn = _drawn(rows.get((arc.id, period), {}), shown)
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
        # The leader starts on the arc, with a dot, so it is clear which of several rings it names.
        axes.plot([radius * cos, (label_radius - 0.03) * cos], [radius * sin, (label_radius - 0.03) * sin],
                  color=INK, linewidth=0.6, zorder=4)
        axes.plot([radius * cos], [radius * sin], marker="o", markersize=2.6, color=INK, linestyle="none",
                  zorder=4.5)
        axes.text(label_radius * cos, label_radius * sin, _arc_label(facts, arc), fontsize=7,
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


def _arc_label(facts: FactBase, arc: _Arc) -> str:
    """Every name of the arc's units: `North America (sub-region)` / `= NAFTA (group)`."""
    return "\n= ".join(_short_unit_name(facts, unit) for unit in arc.units)


def ticked_facings(diagnosis: Diagnosis) -> tuple[str, ...]:
    """The ways units wider than a dyad face that their arcs mark with ticks (the legend explains those)."""
    found = {r.facing for r in diagnosis.mechanisms
             if r.status == "active" and r.facing in ("outward", "both") and not r.unit.startswith("dyad:")
             and r.sector is None and r.agency is None and r.issue is None}
    return tuple(f for f in ("outward", "both") if f in found)


TICK_LABELS = {"outward": "ticks out of an arc: its states balance outsiders together (facing outward)",
               "both": "ticks on both sides: its states balance one another and outsiders (facing both ways)"}


def _statuses_drawn(facts: FactBase, diagnosis: Diagnosis, mechanisms: Sequence[str]) -> dict[str, list[str]]:
    """Mechanism -> the statuses the network draws for it (the legend shows these and no others)."""
    shown = {u.id for u in facts.units()}
    found: dict[str, set[str]] = {m: set() for m in mechanisms}
    for row in diagnosis.mechanisms:
        if row.unit in shown and row.mechanism in found and row.status != "not_evident" and \
                row.sector is None and row.agency is None and row.issue is None:
            found[row.mechanism].add(row.status)
    order = ("active", *STATUS_LINES)
    return {m: sorted(statuses, key=lambda s: (order.index(s) if s in order else len(order), s))
            for m, statuses in found.items() if statuses}


def _untied_pairs(facts: FactBase, diagnosis: Diagnosis) -> bool:
    """Whether some pair the file names has no mechanism evident in some period (drawn as a dotted hairline)."""
    rows = _whole_unit_rows(diagnosis)
    return any(not _drawn(rows.get((u.id, p), {}), list(rows.get((u.id, p), {})))
               for u in facts.units() if u.kind == "dyad" for p in facts.period_ids)


def _network_legend(axes, facts: FactBase, styles: dict[str, MechanismStyle], statuses: dict[str, list[str]],
                    ticks: tuple[str, ...], untied: bool) -> None:
    handles = []
    for mechanism, drawn in statuses.items():
        for status in drawn:
            handles.append(Line2D([], [], label=f"{mechanism_name(mechanism)}: {status_name(status)}",
                                  **_line_kwargs(status, styles[mechanism])))
    for facing in ticks:
        handles.append(Line2D([], [], color=MUTED, linewidth=ACTIVE_WIDTH, label=TICK_LABELS[facing],
                              path_effects=[patheffects.Normal(), *_facing_effects(facing)]))
    if untied:
        handles.append(Line2D([], [], color=MUTED, linewidth=0.6, linestyle=":",
                              label="dotted: a pair the file names, no mechanism evident"))
    handles += [Line2D([], [], color=BAND, linewidth=9, label="arc: region, sub-region or group (its members)"),
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
    """The states in a circle, one panel per period: dyads and units drawn by their mechanisms; for more than
    `NETWORK_MAX_STATES` states, a matrix of pairs instead (see `matrix_svg`)."""
    facts = _shown(facts)
    if network_view(facts) == "matrix":
        return matrix_svg(facts, diagnosis, mechanisms)
    styles = mechanism_styles(mechanisms)
    order = _circle_order(facts)
    arcs = _arcs(facts, diagnosis)
    levels = _ring_levels(arcs, order)
    periods = list(facts.period_ids)
    columns = min(len(periods), 3)
    panel_rows = math.ceil(len(periods) / columns)
    key_lines = math.ceil(sum(len(code) + len(name) + 6 for code, name in facts.states.items()) / 110)
    ticks = ticked_facings(diagnosis)
    statuses = _statuses_drawn(facts, diagnosis, mechanisms)
    untied = _untied_pairs(facts, diagnosis)
    entries = sum(map(len, statuses.values())) + len(ticks) + untied + 2
    legend = 0.2 * math.ceil(entries / 2) + 0.14 * key_lines + 0.25
    panel = 4.4
    width, height = panel * columns, panel * panel_rows + legend
    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(width, height))
        for index, period in enumerate(periods):
            row, column = divmod(index, columns)
            axes = figure.add_axes((column * panel / width, (height - panel * (row + 1)) / height,
                                    panel / width, panel / height))
            _network_panel(axes, facts, diagnosis, period, order, arcs, levels, styles)
        _network_legend(figure.add_axes((0, 0, 1, legend / height)), facts, styles, statuses, ticks, untied)
        return _svg(figure, "network")


# --- the matrix, for many states ----------------------------------------------------------------------------

CELL = 0.15  # inches per state in the matrix
MATRIX_MAX_SIDE = 10.0
"""Inches: a grid of more states than fit at `CELL` shrinks to this (an overview; the tables give each pair)."""
EMPTY_PAIR = "#E4E4E4"
MATRIX_LABELLED_MAX = 60
"""Up to this many states, each row and column of the matrix is labelled; more, and a note gives their order."""


def _matrix_states(facts: FactBase) -> tuple[list[str], list[str]]:
    """The states in some pair the file names, by sub-region; and the others (left out of the grid)."""
    paired = {code for unit in facts.units() if unit.kind == "dyad" for code in unit.states}
    order = _circle_order(facts)
    return [c for c in order if c in paired], [c for c in facts.states if c not in paired]


def _halves(mechanisms: Sequence[str]) -> tuple[list[str], list[str]]:
    """The mechanisms drawn above the diagonal and below it (the built-in two: one each)."""
    return list(mechanisms[0::2]), list(mechanisms[1::2])


def _matrix_cell(cells: dict[tuple, list[Rectangle]], column: float, row: float, width: float,
                 found: MechanismRow | None, style: MechanismStyle) -> None:
    """Add a cell to the rectangles of its look (facecolour, edgecolour, hatch), drawn together later."""
    if found is None or found.status == "not_evident":
        look = (EMPTY_PAIR, "none", None)
    elif found.status == "active":
        look = (style.colour, style.colour, None)
    else:
        look = ("white", style.colour, HATCHES.get(found.status, "++"))
    cells.setdefault(look, []).append(Rectangle((column, row), width, 1))


def _draw_cells(axes, cells: dict[tuple, list[Rectangle]]) -> None:
    """One collection per look: thousands of cells drawn as a few paths, not one SVG group each."""
    for (face, edge, hatch), rectangles in cells.items():
        axes.add_collection(PatchCollection(rectangles, facecolor=face, edgecolor=edge, hatch=hatch,
                                            linewidth=0 if edge == "none" else 0.4, zorder=1 if edge == "none" else 2))


def _matrix_panel(axes, facts: FactBase, rows: dict, dyads: list[Unit], period: str | None, order: list[str],
                  mechanisms: Sequence[str], styles: dict[str, MechanismStyle]) -> None:
    index = {code: i for i, code in enumerate(order)}
    above, below = _halves(mechanisms)
    cells: dict[tuple, list[Rectangle]] = {}
    for unit in dyads:
        if (unit.id, period) not in rows:
            continue
        a, b = sorted(unit.states, key=index.__getitem__)
        found = rows[(unit.id, period)]
        for (row, column), shown in (((index[a], index[b]), above), ((index[b], index[a]), below)):
            for k, mechanism in enumerate(shown):
                width = 1 / len(shown)
                _matrix_cell(cells, column + k * width, row, width, found.get(mechanism), styles[mechanism])
    _draw_cells(axes, cells)
    count = len(order)
    axes.add_collection(PatchCollection([Rectangle((i, i), 1, 1) for i in range(count)], facecolor=INK,
                                        edgecolor="none", zorder=2, alpha=0.85))
    for unit in facts.subregions:
        members = sorted(index[c] for c in unit.states if c in index)
        if members and members[-1] - members[0] + 1 == len(members):  # contiguous: outline its block
            first, size = members[0], len(members)
            axes.add_patch(Rectangle((first, first), size, size, facecolor="none", edgecolor=INK, linewidth=1.1,
                                     zorder=4))
            axes.text(count + 0.4, first + size / 2, unit_name(facts, unit.id), fontsize=7, va="center",
                      ha="left")
    if count <= MATRIX_LABELLED_MAX:
        font = 6 if count <= 40 else 6 * 40 / count
        axes.set_xticks([i + 0.5 for i in range(count)], order, fontsize=font, rotation=90)
        axes.set_yticks([i + 0.5 for i in range(count)], order, fontsize=font)
        axes.xaxis.tick_top()
        axes.tick_params(length=0, pad=1.5)
    else:  # unreadably small: the note under the grid gives its order
        axes.set_xticks([])
        axes.set_yticks([])
    axes.set_xlim(0, count)
    axes.set_ylim(count, 0)
    axes.set_aspect("equal")
    for side in axes.spines.values():
        side.set_visible(False)
    if period is not None:
        axes.set_title(period_label(facts, period), fontsize=9, fontweight="bold", pad=18)


def matrix_svg(facts: FactBase, diagnosis: Diagnosis, mechanisms: Sequence[str]) -> str:
    """Every pair of states in a grid, one panel per period: above the diagonal the first mechanism, below it
    the second (more mechanisms share the halves), each cell filled or patterned by its status."""
    facts = _shown(facts)
    styles = mechanism_styles(mechanisms)
    order, unpaired = _matrix_states(facts)
    periods = list(facts.period_ids)
    side = min(MATRIX_MAX_SIDE, max(3.0, CELL * len(order)))
    panel_height = side + 0.7
    above, below = _halves(mechanisms)
    key_lines = math.ceil(len(" · ".join(f"{c} = {n}" for c, n in facts.states.items())) / 130)
    if len(order) > MATRIX_LABELLED_MAX:
        key_lines += math.ceil(len(", ".join(order)) / 130) + 1
    legend = 0.9 + 0.14 * key_lines + (0.3 if unpaired else 0)
    width = side + 2.4
    height = panel_height * len(periods) + legend
    rows = _whole_unit_rows(diagnosis)
    dyads = [unit for unit in facts.units() if unit.kind == "dyad"]
    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(width, height))
        for number, period in enumerate(periods):
            axes = figure.add_axes((0.6 / width, (height - panel_height * (number + 1)) / height,
                                    side / width, side / panel_height * panel_height / height))
            _matrix_panel(axes, facts, rows, dyads, period, order, mechanisms, styles)
        legend_axes = figure.add_axes((0, 0, 1, legend / height))
        legend_axes.axis("off")
        handles = [Patch(facecolor=styles[m].colour, edgecolor=styles[m].colour,
                         label=f"{mechanism_name(m)} active ({'above' if m in above else 'below'} the diagonal)")
                   for m in mechanisms]
        drawn = {s for statuses in _statuses_drawn(facts, diagnosis, mechanisms).values() for s in statuses}
        handles += [Patch(facecolor="white", edgecolor=INK, hatch=hatch, label=status_name(status))
                    for status, hatch in HATCHES.items() if status in drawn]
        handles.append(Patch(facecolor=EMPTY_PAIR, edgecolor="none", label="a pair the file names, no mechanism "
                                                                             "evident"))
        legend_axes.legend(handles=handles, loc="upper center", ncol=3, frameon=False, fontsize=7)
        notes = []
        if len(order) > MATRIX_LABELLED_MAX:
            notes.append("Rows and columns, top to bottom and left to right: " + ", ".join(order))
        if unpaired:
            notes.append(f"In no pair the file names ({len(unpaired)}): " + ", ".join(unpaired))
        notes.append(" · ".join(f"{code} = {name}" for code, name in facts.states.items()))
        legend_axes.text(0.5, 0, "\n".join(line for note in notes for line in textwrap.wrap(note, 130)),
                         ha="center", va="bottom", fontsize=6.5, color=MUTED, transform=legend_axes.transAxes)
        return _svg(figure, "network")


# --- the timeline -------------------------------------------------------------------------------------------

TIMELINE_DYADS = 12
"""Up to this many dyads with some mechanism evident, the timeline shows each; more, and it shows none (the
network's matrix has them all)."""


def _evident_dyads(facts: FactBase, diagnosis: Diagnosis) -> list[Unit]:
    rows = _whole_unit_rows(diagnosis)
    return [unit for unit in facts.units() if unit.kind == "dyad" and any(
        r.status != "not_evident" for period in facts.period_ids for r in rows.get((unit.id, period), {}).values())]


def timeline_dyads_left_out(facts: FactBase, diagnosis: Diagnosis) -> int:
    """How many dyads the timeline leaves out (all of them, beyond `TIMELINE_DYADS`), for its caption."""
    dyads = _evident_dyads(facts, diagnosis)
    return len(dyads) if len(dyads) > TIMELINE_DYADS else 0


def _timeline_units(facts: FactBase, diagnosis: Diagnosis) -> list[Unit]:
    """The region, every sub-region and group, and each dyad where some mechanism is more than not evident
    (unless there are too many to read)."""
    dyads = _evident_dyads(facts, diagnosis)
    return [unit for unit in facts.units() if unit.kind != "dyad"] + \
        (dyads if len(dyads) <= TIMELINE_DYADS else [])


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


HATCHES = {"nascent": "..", "decaying": "---", "formal_only": "////", "broken_down": "xxx"}
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
        drawn: set[str] = set()  # the legend shows these statuses and no others
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
                    found = rows.get((unit.id, period), {}).get(mechanism)
                    drawn.add(found.status if found is not None else "not_evident")
                    _cell(axes, x, y, found, styles[mechanism])
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
                    for status, hatch in HATCHES.items() if status in drawn]
        if "not_evident" in drawn:
            handles.append(Patch(facecolor="#F4F4F4", edgecolor="none", label="not evident"))
        figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=4, frameon=False,
                      fontsize=7)
        return _svg(figure, "timeline")


# --- how much the judgements depend on the thresholds -------------------------------------------------------

SENSITIVITY_FIGURE = "sensitivity"
"""The name of the figure a brief has with `report --sensitivity` (Markdown writes it beside the brief too)."""
OVERLAP_BAR = "#5F5F5F"
LABEL_WIDTH = 62
"""Characters per line of a bar's label."""


def _faded(colour: str, keep: float = 0.45) -> str:
    """``colour`` mixed with white: ``keep`` of the colour left."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02X}" for c in channels)


def sensitivity_svg(bars: Sequence[dict], fragile_below: float, settings: int, mechanisms: Sequence[str]) -> str:
    """One bar per conclusion (or conclusions alike): the share of the threshold settings under which it holds.

    Each bar of ``bars`` is a dict: ``section`` (a heading drawn above the
    first bar of each section), ``lines`` (its label, from the fact file:
    made `visible` here), ``share`` (0 to 1), ``fragile``, ``mechanism`` (None
    for an overlap). A fragile bar is hatched and says so in words, and a
    dashed line marks where fragile begins: nothing rests on colour alone.
    """
    styles = mechanism_styles(mechanisms)
    rows: list[tuple[str, object]] = []  # ("section", text) or ("bar", (bar, wrapped lines))
    section = None
    for bar in bars:
        if bar["section"] != section:
            section = bar["section"]
            rows.append(("section", visible(section)))
        lines = [wrapped for line in bar["lines"] for wrapped in textwrap.wrap(visible(line), LABEL_WIDTH)] or [""]
        rows.append(("bar", (bar, lines)))
    heights = [0.3 if kind == "section" else 0.16 + 0.135 * len(item[1]) for kind, item in rows]  # type: ignore
    label, plot, right = 3.9, 3.0, 0.75
    top, bottom = 0.15, 0.75
    width, height = label + plot + right, top + sum(heights) + bottom
    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(width, height))
        axes = figure.add_axes((label / width, bottom / height, plot / width, sum(heights) / height))
        axes.set_xlim(0, 1)
        axes.set_ylim(sum(heights), 0)
        y = 0.0
        for (kind, item), size in zip(rows, heights):
            middle = y + size / 2
            if kind == "section":
                axes.text(-label / plot, y + size - 0.06, item, fontsize=8, fontweight="bold", va="bottom", ha="left",
                          transform=axes.transData)
                y += size
                continue
            bar, lines = item  # type: ignore[misc]
            colour = styles[bar["mechanism"]].colour if bar["mechanism"] in styles else OVERLAP_BAR
            if bar.get("evident") is False:  # a mechanism found not evident: its colour, faded
                colour = _faded(colour)
            thickness = min(0.22, size - 0.1)
            axes.add_patch(Rectangle((0, middle - thickness / 2), 1, thickness, facecolor="#F1F1F1",
                                     edgecolor="none", zorder=1))
            axes.add_patch(Rectangle((0, middle - thickness / 2), bar["share"], thickness, zorder=2, linewidth=1,
                                     facecolor="white" if bar["fragile"] else colour, edgecolor=colour,
                                     hatch="////" if bar["fragile"] else None))
            axes.text(-0.03, middle, "\n".join(lines), fontsize=7, va="center", ha="right", linespacing=1.25)
            axes.text(1.03, middle, f"{bar['share']:.0%}" + ("\nfragile" if bar["fragile"] else ""), fontsize=7,
                      va="center", ha="left", fontweight="bold" if bar["fragile"] else "normal",
                      color=INK, linespacing=1.1)
            y += size
        axes.axvline(fragile_below, color=INK, linewidth=0.8, linestyle=(0, (3, 2)), zorder=3)
        axes.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=7)
        axes.set_yticks([])
        axes.tick_params(length=2)
        for name, side in axes.spines.items():
            side.set_visible(name == "bottom")
        axes.set_xlabel(f"share of the {settings} threshold settings under which it holds "
                        f"(dashed: fragile below {fragile_below:.0%})", fontsize=7)
        return _svg(figure, SENSITIVITY_FIGURE)
