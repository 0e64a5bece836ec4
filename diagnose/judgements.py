"""The key judgements of a diagnosis: which conclusions a brief leads with, what would change them, and why not.

Analysis, done once before anything is rendered: `analyse` groups the
diagnosis's conclusions into judgements (several dyads, or several units of
the same states, that the diagnosis says the same of read as one), ranks
them, and finds the decisive facts of the judgements a brief shows, and only
of those (each decisive fact is a re-run of the rules without it, see
`diagnose.decisive`). It also gathers, for the region and every declared
group and sub-region, the rows where a mechanism is not active, with the
kinds of its repertoire that their evidence lacks. The result is plain,
immutable data: rendering (`diagnose.render`) reads it and never runs a rule.

Ranking, most important first: overlaps; then the mechanisms of the region,
its declared groups and sub-regions; then those of dyads; within each, the
judgements that concern more of the region's states first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .decisive import Conclusion, LeaveOneOut, conclusion_key, conclusion_verdict
from .diagnosis import Diagnosis, MechanismRow, OverlapRow
from .errors import DiagnoseError
from .model import FactBase
from .packs import RuleBase

if TYPE_CHECKING:
    from .analysis.sensitivity import Robustness
    from .api import Stages
    from .render.report import RenderedReport

DEFAULT_JUDGEMENTS = 8
"""Key judgements a brief shows up front; every other conclusion is in its tables."""
EXAMINED_PER_JUDGEMENT = 4
"""Like dyads read as one judgement: decisive facts are found for this many of them (those the brief names)."""
QUALIFIERS = ("variant", "facing", "phase", "coupling")
UNIT_RANK = {"region": 0, "subregion": 1, "group": 2, "dyad": 3}
STATUS_RANK = {"active": 0, "nascent": 1, "decaying": 2, "formal_only": 3, "broken_down": 4}
READINGS = {frozenset({"active"}): "coexist", frozenset({"active", "nascent"}): "takes_hold",
            frozenset({"active", "decaying"}): "fades"}
"""How a temporal overlap reads, from the statuses of its two mechanisms in its period (any mechanisms)."""

SENSITIVITY_BARS = 24
"""The brief's sensitivity figure shows the key judgements and, up to this many bars in all, the other conclusions
of the region, its sub-regions and groups; it says how many it leaves out (`diagnose sensitivity` lists them all)."""

Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) as the analysis goes."""


@dataclass(frozen=True)
class Decisive:
    """A fact without which some conclusions of a judgement fall or change: each with what it becomes."""

    fact: str
    outcomes: tuple[tuple[Conclusion, Conclusion | None], ...]
    """(conclusion, the same conclusion drawn without the fact, or None where it is no longer drawn)."""


@dataclass(frozen=True)
class Judgement:
    """Conclusions that say the same, read as one judgement.

    ``kind`` is ``overlap``, ``mechanism``, or, where the diagnosis has none
    of them, ``no_overlap`` or ``nothing_evident`` (no conclusions).
    ``same_states`` says the conclusions are about units of the same states
    (a sub-region and its group); otherwise several are like dyads.
    ``examined`` is how many of the conclusions (the first ones) were
    examined for decisive facts: zero for a judgement the brief does not show.
    """

    kind: str
    conclusions: tuple[Conclusion, ...]
    states: frozenset[str]
    same_states: bool = False
    reading: str | None = None
    """A temporal overlap's reading: coexist, takes_hold or fades (see `READINGS`)."""
    decisive: tuple[Decisive, ...] = ()
    supporting: tuple[str, ...] = ()
    examined: int = 0


@dataclass(frozen=True)
class WhyNot:
    """A declared unit's row in a period where a mechanism is not active, and what its evidence lacks."""

    row: MechanismRow
    missing: tuple[str, ...]
    """The kinds of the mechanism's repertoire none of the row's evidence carries, in the vocabulary's order."""


@dataclass(frozen=True)
class Judgements:
    """Every judgement, ranked; the first ``shown`` are a brief's key judgements, with their decisive facts."""

    ranked: tuple[Judgement, ...]
    shown: int
    why_not: tuple[WhyNot, ...]
    without_overlap: tuple[str, ...]
    """The region, declared groups and sub-regions that no overlap concerns."""

    @property
    def key(self) -> tuple[Judgement, ...]:
        return self.ranked[:self.shown]


def _whole_unit(row: MechanismRow) -> bool:
    return row.sector is None and row.agency is None and row.issue is None


def _is_dyad(unit: str) -> bool:
    return unit.partition(":")[0] == "dyad"


def _unit_rank(unit: str) -> int:
    return UNIT_RANK.get(unit.partition(":")[0], len(UNIT_RANK))


def temporal_reading(rows: Mapping[tuple, MechanismRow], overlap: OverlapRow) -> str | None:
    """How a temporal overlap reads: `coexist` (both active), `takes_hold` (a nascent community beside an
    active mechanism), `fades` (a decaying community beside one); None for any other overlap.

    ``rows`` holds the rows that count all of a unit's practices, by (unit, period, mechanism).
    """
    if overlap.type != "temporal" or not overlap.units or len(overlap.mechanisms) != 2:
        return None
    found = [rows.get((overlap.units[0], overlap.period, m)) for m in overlap.mechanisms]
    if any(row is None for row in found):
        return None
    return READINGS.get(frozenset(row.status for row in found))


def _states_of(facts: FactBase, units: list[str]) -> frozenset[str]:
    known = {unit.id: unit.states for unit in facts.units()}
    return frozenset(code for unit in units for code in known.get(unit, ()))


def _overlap_judgements(facts: FactBase, diagnosis: Diagnosis, rows: Mapping[tuple, MechanismRow]) \
        -> list[Judgement]:
    """Overlaps that say the same of different dyads (same type, containing unit, period, character and
    reading) read as one judgement; any other overlap is a judgement of its own."""
    groups: dict[tuple, list[OverlapRow]] = {}
    for index, overlap in enumerate(diagnosis.overlaps):
        dyads = [u for u in overlap.units if _is_dyad(u)]
        key: tuple = ("single", index) if len(dyads) != 1 else (
            overlap.type, tuple("dyad" if _is_dyad(u) else u for u in overlap.units), overlap.period,
            overlap.character, overlap.mechanisms, overlap.dimension, tuple(sorted((overlap.on or {}).items())),
            temporal_reading(rows, overlap))
        groups.setdefault(key, []).append(overlap)
    return [Judgement("overlap", tuple(found), _states_of(facts, [u for o in found for u in o.units]),
                      reading=temporal_reading(rows, found[0]))
            for found in groups.values()]


def _mechanism_judgements(facts: FactBase, diagnosis: Diagnosis) -> list[Judgement]:
    """Rows that say the same of the same states (a sub-region, its group, its dyad) make one judgement;
    then single dyads that say the same (status and qualifiers, period, mechanism) make one too."""
    units = {u.id: u for u in facts.units()}
    same: dict[tuple, list[MechanismRow]] = defaultdict(list)
    for row in diagnosis.mechanisms:
        if _whole_unit(row) and row.status != "not_evident" and row.unit in units:
            same[(row.period, row.mechanism, row.status, *(getattr(row, q) for q in QUALIFIERS),
                  units[row.unit].states)].append(row)
    alike: dict[tuple, list[list[MechanismRow]]] = {}
    for key, found in same.items():
        found.sort(key=lambda r: (_unit_rank(r.unit), r.unit))  # the widest kind of unit names the judgement
        lone_dyad = len(found) == 1 and _is_dyad(found[0].unit)
        alike.setdefault((*key[:-1], "like dyads") if lone_dyad else key, []).append(found)
    judgements = []
    for groups in alike.values():
        if len(groups) == 1:
            found = groups[0]
            judgements.append(Judgement("mechanism", tuple(found), units[found[0].unit].states,
                                        same_states=len(found) > 1))
        else:
            found = sorted((rows[0] for rows in groups), key=lambda r: r.unit)
            judgements.append(Judgement("mechanism", tuple(found), _states_of(facts, [r.unit for r in found])))
    return judgements


def _rank(judgements: list[Judgement], facts: FactBase, mechanisms: tuple[str, ...]) -> list[Judgement]:
    periods = {p: i for i, p in enumerate(facts.period_ids)}

    def order(judgement: Judgement) -> tuple:
        if not judgement.conclusions:  # "no overlap" leads, "nothing evident" heads the mechanisms
            return (0 if judgement.kind == "no_overlap" else 1, 0)
        first = judgement.conclusions[0]
        if isinstance(first, OverlapRow):
            return (0, 1, -len(judgement.states), periods.get(first.period, 0),
                    min(_unit_rank(u) for u in first.units))
        tier = 2 if all(_is_dyad(c.unit) for c in judgement.conclusions) else 1
        return (tier, 1, -len(judgement.states), STATUS_RANK.get(first.status, len(STATUS_RANK)),
                periods.get(first.period, 0), _unit_rank(first.unit),
                mechanisms.index(first.mechanism) if first.mechanism in mechanisms else len(mechanisms))

    return sorted(judgements, key=order)  # stable: the diagnosis's order breaks the last ties


def _with_decisive(judgement: Judgement, counterfactuals: LeaveOneOut) -> Judgement:
    """The judgement with the decisive facts of its first `EXAMINED_PER_JUDGEMENT` conclusions (all of them
    when they are units of the same states)."""
    examined = judgement.conclusions if judgement.same_states else \
        judgement.conclusions[:EXAMINED_PER_JUDGEMENT]
    outcomes: dict[str, list[tuple[Conclusion, Conclusion | None]]] = {}
    supporting: dict[str, None] = {}
    for conclusion in examined:
        supporting.update(dict.fromkeys(counterfactuals.supporting(conclusion)))
        for fact_id in counterfactuals.decisive(conclusion):
            outcomes.setdefault(fact_id, []).append((conclusion, counterfactuals.outcome(conclusion, fact_id)))
    return Judgement(judgement.kind, judgement.conclusions, judgement.states, judgement.same_states,
                     judgement.reading, tuple(Decisive(i, tuple(found)) for i, found in outcomes.items()),
                     tuple(supporting), len(examined))


def _why_not(facts: FactBase, diagnosis: Diagnosis, mechanisms: tuple[str, ...]) -> list[WhyNot]:
    """For the region, every sub-region and group (in the file's order), period and mechanism: the row where
    the mechanism is not active, with the kinds of its repertoire that none of the row's evidence carries."""
    rows = {(r.unit, r.period, r.mechanism): r for r in diagnosis.mechanisms if _whole_unit(r)}
    kinds_of = {entry.id: entry.kinds for entry in facts.entries}
    out = []
    for unit in facts.units():
        if unit.kind == "dyad":
            continue
        for period in facts.period_ids:
            for mechanism in mechanisms:
                row = rows.get((unit.id, period, mechanism))
                if row is None or row.status == "active":
                    continue
                present = {kind for fact_id in row.facts for kind in kinds_of.get(fact_id, ())}
                missing = tuple(k for k, m in facts.vocabulary.items() if m == mechanism and k not in present)
                out.append(WhyNot(row, missing))
    return out


def analyse(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase, *, shown: int = DEFAULT_JUDGEMENTS,
            counterfactuals: LeaveOneOut | None = None, progress: Progress | None = None) -> Judgements:
    """The ranked judgements of ``diagnosis`` (of ``facts`` under ``rules``), the decisive facts of the first
    ``shown``, and the why-not rows of the region, its groups and sub-regions.

    ``counterfactuals`` re-runs the rules without each supporting fact (made
    here with the diagnosis's thresholds when not given); ``progress`` is
    called after each key judgement's decisive facts are found.
    """
    if shown < 1:
        raise DiagnoseError(f"a brief leads with at least one key judgement, not {shown}")
    rows = {(r.unit, r.period, r.mechanism): r for r in diagnosis.mechanisms if _whole_unit(r)}
    everything = frozenset(facts.states)
    judgements = _overlap_judgements(facts, diagnosis, rows) or [Judgement("no_overlap", (), everything)]
    judgements += _mechanism_judgements(facts, diagnosis) or [Judgement("nothing_evident", (), everything)]
    ranked = _rank(judgements, facts, rules.mechanisms)
    shown = min(shown, len(ranked))
    counterfactuals = counterfactuals or LeaveOneOut(facts, rules, thresholds=diagnosis.thresholds)
    key = []
    for number, judgement in enumerate(ranked[:shown], 1):
        key.append(_with_decisive(judgement, counterfactuals) if judgement.conclusions else judgement)
        if progress is not None:
            progress(number, shown)
    concerned = {u for o in diagnosis.overlaps for u in o.units}
    return Judgements((*key, *ranked[shown:]), shown, tuple(_why_not(facts, diagnosis, rules.mechanisms)),
                      tuple(u.id for u in facts.units() if u.kind != "dyad" and u.id not in concerned))


@dataclass(frozen=True)
class Dependence:
    """Conclusions that hold under exactly the same threshold settings: one bar of the brief's sensitivity figure."""

    conclusions: tuple[Conclusion, ...]
    share: float
    """The share of the threshold settings under which each of them holds with the same verdict."""
    breaks: tuple[str, ...]
    """The settings under which they do not hold (`name=value`, ...)."""
    fragile: bool
    judgement: int | None = None
    """The number of the key judgement they belong to, None for another conclusion."""


@dataclass(frozen=True)
class ThresholdDependence:
    """How much a brief's judgements depend on the thresholds: a sweep (`diagnose.analysis.sensitivity`) read for
    the key judgements and the other conclusions of the region, its sub-regions and groups."""

    bars: tuple[Dependence, ...]
    settings: int
    """How many threshold settings were run (the thresholds in force among them)."""
    swept: tuple[tuple[str, tuple[Any, ...]], ...]
    """Each threshold swept, with its values in increasing order."""
    combined: bool
    """Every combination of the ranges given (``--grid``), or (the default grid) each threshold in turn."""
    fragile_below: float
    dyads_left_out: int
    """Conclusions about pairs of states outside the key judgements: not shown."""
    dyads_fragile: int
    beyond: int
    """Other conclusions of the region, sub-regions and groups beyond `SENSITIVITY_BARS`: not shown."""
    beyond_fragile: int


def _units(conclusion: Conclusion) -> tuple[str, ...]:
    return conclusion.units if isinstance(conclusion, OverlapRow) else (conclusion.unit,)


def _bars(conclusions: list[Conclusion], robustness: Mapping[tuple, Robustness], judgement: int | None,
          alike: Callable[[Conclusion], tuple]) -> list[Dependence]:
    """Conclusions that say alike (``alike``) and hold under the same settings, one bar each, in the given order."""
    groups: dict[tuple, list[Conclusion]] = {}
    for conclusion in conclusions:
        found = robustness[(conclusion_key(conclusion), conclusion_verdict(conclusion))]
        groups.setdefault((alike(conclusion), found.threshold_share, found.threshold_breaks), []).append(conclusion)
    return [Dependence(tuple(found), share, breaks, robustness[(conclusion_key(found[0]), conclusion_verdict(
        found[0]))].fragile, judgement) for (_, share, breaks), found in groups.items()]


def threshold_dependence(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase, analysis: Judgements, *,
                         grids: Mapping[str, list[Any]] | None = None, jobs: int = 1,
                         bars: int = SENSITIVITY_BARS) -> ThresholdDependence:
    """Diagnose ``facts`` again under each threshold setting (`diagnose.analysis.sensitivity.sensitivity`: the
    documented default grid, or every combination of ``grids``) and read the result for a brief.

    A bar per key judgement (split where its conclusions hold under different
    settings), then the other conclusions of the region, sub-regions and
    groups, fragile ones first, conclusions that say the same of several
    units under the same settings as one bar, up to ``bars`` bars in all;
    conclusions about pairs of states outside the key judgements are counted,
    not shown.
    """
    from .analysis.sensitivity import FRAGILE_BELOW, sensitivity

    result = sensitivity(facts, rules, thresholds=diagnosis.thresholds, grids=grids, jobs=jobs)
    robustness = {(conclusion_key(r.conclusion), conclusion_verdict(r.conclusion)): r
                  for r in result.conclusions if r.baseline}
    shown: list[Dependence] = []
    in_key: set[int] = set()
    for number, judgement in enumerate(analysis.key, 1):
        in_key.update(id(c) for c in judgement.conclusions)
        shown += _bars(list(judgement.conclusions), robustness, number, lambda c: ())
    periods = {p: i for i, p in enumerate(facts.period_ids)}
    others = [c for c in (*diagnosis.overlaps, *diagnosis.mechanisms) if id(c) not in in_key]
    dyads = [c for c in others if any(_is_dyad(u) for u in _units(c))]
    wider = [c for c in others if not any(_is_dyad(u) for u in _units(c))]

    def order(bar: Dependence) -> tuple:
        first = bar.conclusions[0]
        if isinstance(first, OverlapRow):
            return (not bar.fragile, 0, periods.get(first.period, 0))
        return (not bar.fragile, 1, first.status == "not_evident", not _whole_unit(first),
                periods.get(first.period, 0), _unit_rank(first.unit),
                rules.mechanisms.index(first.mechanism) if first.mechanism in rules.mechanisms else 0)

    def alike(conclusion: Conclusion) -> tuple:
        if isinstance(conclusion, OverlapRow):
            return conclusion_key(conclusion)  # an overlap is a bar of its own
        return (conclusion.mechanism, conclusion.period, conclusion.sector, conclusion.agency, conclusion.issue,
                conclusion_verdict(conclusion))

    rest = sorted(_bars(wider, robustness, None, alike), key=order)
    room = max(0, bars - len(shown))

    def fragile(found: list[Conclusion]) -> int:
        return sum(robustness[(conclusion_key(c), conclusion_verdict(c))].fragile for c in found)

    beyond = [c for bar in rest[room:] for c in bar.conclusions]
    return ThresholdDependence(
        (*shown, *rest[:room]), len(result.settings),
        tuple((name, tuple(sorted({s[name] for s in result.settings})))
              for name in result.in_force if len({s[name] for s in result.settings}) > 1),
        bool(grids), FRAGILE_BELOW, len(dyads), fragile(dyads), len(beyond), fragile(beyond))


def brief(path: str | Path, rules: RuleBase, thresholds: Mapping[str, Any], fmt: str, *,
          judgements: int = DEFAULT_JUDGEMENTS, template_dir: str | Path | None = None,
          output_stem: str | None = None, diagnosed: tuple[FactBase, Diagnosis] | None = None,
          kept: Stages | None = None, progress: Progress | None = None, sensitivity: bool = False,
          grids: Mapping[str, list[Any]] | None = None, jobs: int = 1) -> RenderedReport:
    """The briefing of one fact file in ``fmt`` (markdown, html or pdf): load, diagnose, analyse, render.

    ``diagnosed`` is the file's (facts, diagnosis) when the caller already has
    them, and ``kept`` what `diagnose_keeping` kept of that run, if it ran
    that (the decisive facts then re-run only what each entry changes). With ``sensitivity``, the brief also says how much its judgements
    depend on the thresholds (`threshold_dependence`: the default grid, or
    every combination of ``grids``, on ``jobs`` processes). ``progress`` is
    called with (steps done, steps in all): the diagnosis, each key judgement,
    the sweep, the rendering.
    """
    from .api import diagnose_keeping
    from .load import load_facts
    from .render.briefing import briefing_context
    from .render.report import render_report  # matplotlib and Jinja: only a brief needs them

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)

    if diagnosed is None:  # keeping each partition's result: the decisive facts re-run only what they change
        facts = load_facts(path, rules)
        result, kept = diagnose_keeping(facts, rules, thresholds=thresholds)
        diagnosed = facts, result
    facts, result = diagnosed
    counterfactuals = LeaveOneOut(facts, rules, thresholds=result.thresholds, kept=kept)
    extra = 2 + sensitivity  # after the key judgements: the sweep, if asked for, and the rendering
    step(1, judgements + extra)  # the diagnosis first
    analysis = analyse(facts, result, rules, shown=judgements, counterfactuals=counterfactuals,
                       progress=lambda done, shown: step(1 + done, shown + extra))
    dependence = None
    if sensitivity:
        dependence = threshold_dependence(facts, result, rules, analysis, grids=grids, jobs=jobs)
        step(analysis.shown + 2, analysis.shown + extra)
    context = briefing_context(facts, result, rules, analysis, source=Path(path).name, dependence=dependence)
    rendered = render_report(context, facts, rules, fmt, template_dir=template_dir, output_stem=output_stem)
    step(analysis.shown + extra, analysis.shown + extra)
    return rendered
