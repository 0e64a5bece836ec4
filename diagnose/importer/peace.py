"""Shared IGOs and long-peaceful land borders -> community entries between pairs of states."""

from __future__ import annotations

from pathlib import Path

from .evidence import Context, Evidence, placed
from .tables import DATASETS, Table


def code_igos(context: Context, path: Path) -> list[Evidence]:
    """A pair sharing at least `at_least` IGOs in some year of a period: one entry for the period."""
    rule, dataset = context.scheme.rule("igo_common_enterprise"), DATASETS["igos"]
    table = Table(path, dataset)
    selected = {str(c) for c in context.states}
    reached: dict[tuple[int, int, int], tuple[int, int]] = {}  # (a, b, period) -> (first year, most IGOs)
    for line, (one, two, year, shared) in table.rows():
        if one.strip() not in selected or two.strip() not in selected:
            continue  # most of the table: skip before parsing numbers
        one, two, year, shared = (table.integer(v, line, c) for v, c in
                                  zip((one, two, year, shared), dataset.columns))
        if None in (one, two, year, shared) or shared < rule["at_least"]:
            continue
        period = context.period_of(year)
        if period is None or not (context.exists(one, year) and context.exists(two, year)):
            continue
        key = (min(one, two), max(one, two), period)
        first, most = reached.get(key, (year, shared))
        reached[key] = (min(first, year), max(most, shared))
    section, what = placed(kind=rule["kind"])
    return [Evidence(section, f"igo_{a}_{b}_{context.periods[index].id}", index, (6, a, b), {
        **what, "between": context.codes({a, b}), "period": context.periods[index].id,
        "source": f"{dataset.label} {dataset.version}, dyad {a}-{b}, from {first}",
        "note": f"Rule igo_common_enterprise: the two share {most} intergovernmental organisations (at least "
                f"{rule['at_least']}) from {first}: {rule['kind'].replace('_', ' ')}."})
        for (a, b, index), (first, most) in sorted(reached.items())]


def _merged(spells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spells):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _spell_at(spells, year: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in spells if s <= year <= e), None)


def code_borders(context: Context, path: Path, dispute_years: dict[tuple[int, int], set]) -> list[Evidence]:
    """A land border (contiguity up to `conttype_at_most`) with no militarised dispute for `peace_years`,
    counted from the latest of: the border, both states' current spell in the system, the last dispute,
    the start of the MID data. Inferred, and the note says so."""
    rule, dataset, mids = context.scheme.rule("border_long_peace"), DATASETS["contiguity"], DATASETS["mids"]
    table = Table(path, dataset)
    borders: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for line, (one, two, kind, start, end) in table.rows():
        one, two, kind = (table.integer(v, line, c) for v, c in zip((one, two, kind), dataset.columns))
        start, end = table.year_of(start, line, "stdate"), table.year_of(end, line, "enddate")
        if None in (one, two, kind, start, end) or one >= two or kind > rule["conttype_at_most"]:
            continue
        if one in context.states and two in context.states:
            borders.setdefault((one, two), []).append((start, end))
    evidence = []
    section, what = placed(kind=rule["kind"])
    for (a, b), spells in sorted(borders.items()):
        spells = _merged(spells)
        disputes = sorted(dispute_years.get((a, b), ()))
        for index, period in enumerate(context.periods):
            end = min(period.last, mids.last)
            if end < period.first:
                continue  # no MID data for the period: peace there is unknown
            border = _spell_at(spells, end)
            in_system = [_spell_at(context.states[s].spells, end) for s in (a, b)]
            if border is None or None in in_system:
                continue
            last_dispute = max((y for y in disputes if y <= end), default=None)
            since = max(border[0], in_system[0][0], in_system[1][0], mids.first,
                        last_dispute + 1 if last_dispute is not None else mids.first)
            holds_from = since + rule["peace_years"] - 1
            if holds_from > end:
                continue
            evidence.append(Evidence(section, f"border_{a}_{b}_{period.id}", index, (7, a, b), {
                **what, "between": context.codes({a, b}), "period": period.id,
                "source": f"{dataset.label} {dataset.version}, dyad {a}-{b}; {mids.label} {mids.version}",
                "note": f"Inferred (rule border_long_peace): a land border with no militarised dispute from "
                        f"{since} to {end}, at least {rule['peace_years']} years by {holds_from}: "
                        f"{rule['kind'].replace('_', ' ')}."}))
    return evidence
