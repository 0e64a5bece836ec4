"""Disputes, wars, armed conflicts and arms races -> balance-of-power entries, indexed by event and period."""

from __future__ import annotations

from pathlib import Path

from .evidence import Context, Evidence, actors_pair_or_sides, placed
from .tables import DATASETS, Table, gw_to_cow

HOSTILITY = {1: "no militarised action", 2: "threat to use force", 3: "display of force", 4: "use of force",
             5: "war"}

Sides = tuple[dict[int, int], dict[int, int], int, set]
"""Side A's states and side B's (state -> hostility level), the first year seen in the period, and the pairs
(side A state, side B state) that the rows name."""
DISPLAY = 3


def _add(events: dict[tuple[int, int], Sides], key: tuple[int, int], year: int, a: tuple[int, int],
         b: tuple[int, int]) -> None:
    side_a, side_b, first, pairs = events.get(key, ({}, {}, year, set()))
    side_a[a[0]] = max(side_a.get(a[0], 0), a[1])
    side_b[b[0]] = max(side_b.get(b[0], 0), b[1])
    pairs.add((a[0], b[0]))
    events[key] = (side_a, side_b, min(first, year), pairs)


def split(context: Context, event: Sides) -> list[tuple[str, dict[int, int], dict[int, int]]]:
    """The event's two sides, with no id suffix; or, where a state changed sides within the period (Italy
    in 1943), one pair of sides per pair of states that the rows set against each other, so that no entry
    puts a state on both sides."""
    side_a, side_b, _, pairs = event
    if not side_a.keys() & side_b.keys():
        return [("", side_a, side_b)]
    unordered: dict[tuple[int, int], tuple[int, int]] = {}
    for a, b in sorted(pairs):  # two states that met on both sides' lists are one pair
        unordered.setdefault((min(a, b), max(a, b)), (a, b))
    return [(f"_{'_'.join(context.codes(pair))}", {a: side_a[a]}, {b: side_b[b]})
            for pair, (a, b) in sorted(unordered.items())]


Act = tuple[int, int, int, int, int]
"""One state's action in a dispute-year: (dispute, year, the acting state, the state on the other side, its
hostility level in the dispute)."""


def read_disputes(context: Context, path: Path) -> tuple[dict[tuple[int, int], Sides], dict[tuple[int, int], set],
                                                          dict[int, int], list[Act]]:
    """MIDs by (dispute, period) with their sides; the years of any dispute of each selected dyad (for the
    long-peace rule, which reads the whole record, before the first period too); each dispute's fatality
    level; and each directed row as an `Act` (for the bloc rule, which needs the year of each action)."""
    table = Table(path, DATASETS["mids"])
    events: dict[tuple[int, int], Sides] = {}
    years: dict[tuple[int, int], set] = {}
    fatality: dict[int, int] = {}
    acts: list[Act] = []
    for line, values in table.rows():
        number, one, two, year, side_a, host1, host2, deaths = (table.integer(v, line, c)
                                                                for v, c in zip(values, DATASETS["mids"].columns))
        if None in (number, one, two, year, side_a) or one not in context.states or two not in context.states:
            continue
        years.setdefault((min(one, two), max(one, two)), set()).add(year)
        period = context.period_of(year)
        if period is None or not (context.exists(one, year) and context.exists(two, year)):
            continue
        first, second = (one, host1 or 0), (two, host2 or 0)
        _add(events, (number, period), year, *((first, second) if side_a == 1 else (second, first)))
        fatality[number] = deaths or 0  # -9 (unknown) reads as no known deaths
        acts.append((number, year, one, two, host1 or 0))  # the directed table has the other row too
    return events, years, fatality, acts


def code_disputes(context: Context, events: dict[tuple[int, int], Sides], fatality: dict[int, int]) -> list[Evidence]:
    evidence = []
    for (number, index), event in sorted(events.items()):
        for suffix, side_a, side_b in split(context, event):
            evidence += _dispute(context, number, index, suffix, side_a, side_b, event[2], fatality)
    return evidence


def _dispute(context: Context, number: int, index: int, suffix: str, side_a: dict[int, int],
             side_b: dict[int, int], year: int, fatality: dict[int, int]) -> list[Evidence]:
    scheme, label = context.scheme, f"{DATASETS['mids'].label} {DATASETS['mids'].version}"
    force, threat, mutual = (scheme.rule(r) for r in ("mid_use_of_force", "mid_threat_or_display",
                                                      "mid_reciprocated"))
    evidence = []
    period, source = context.periods[index], f"{label}, dispute {number}"
    highest = max(*side_a.values(), *side_b.values())
    base = f"mid{number}_{period.id}{suffix}"
    fought = force and highest >= force["at_least"]
    if fought and fatality.get(number, 0) >= force["fatality_at_least"]:
        evidence.append(Evidence("wars", base, index, (2, number, suffix), {
            "level": force["level"], **actors_pair_or_sides(context, side_a, side_b), "year": year,
            "source": source,
            "note": f"Rule mid_use_of_force: a militarised dispute whose highest hostility is "
                    f"{HOSTILITY.get(highest, highest)} ({highest}), fatality level {fatality.get(number, 0)}, "
                    f"is {force['level'].replace('_', ' ')} between its sides."}))
        return evidence
    read_as = ""
    if fought:  # force without the deaths the rule asks for: read as a display of force
        read_as = f" (a use of force below fatality level {force['fatality_at_least']}, read as a display)"
        side_a, side_b = ({s: min(level, DISPLAY) for s, level in side.items()} for side in (side_a, side_b))
    acting = [[s for s, level in side.items() if threat and level in threat["hostility"]]
              for side in (side_a, side_b)]
    for tag, states, target in (("a", acting[0], side_b), ("b", acting[1], side_a)):
        if not states:
            continue
        section, what = placed(kind=threat["kind"])
        levels = sorted({HOSTILITY[(side_a | side_b)[s]] for s in states})
        evidence.append(Evidence(section, f"{base}_{tag}", index, (2, number, suffix, tag), {
            **what, "by": context.codes(states), "against": context.codes(target), "year": year,
            "source": source,
            "note": f"Rule mid_threat_or_display: in a militarised dispute, the states of one side made a "
                    f"{' or '.join(levels)} against the other{read_as}: {threat['kind'].replace('_', ' ')} by "
                    f"them."}))
    if mutual and all(any(level in mutual["hostility"] for level in side.values()) for side in (side_a, side_b)):
        evidence.append(Evidence("wars", f"{base}_mutual", index, (2, number, suffix, "mutual"), {
            "level": mutual["level"], **actors_pair_or_sides(context, side_a, side_b), "year": year,
            "source": source,
            "note": f"Rule mid_reciprocated: both sides of a militarised dispute threatened or displayed force"
                    f"{read_as}: a {mutual['level'].replace('_', ' ')} between them."}))
    return evidence


def _sided_events(context: Context, rows) -> dict[tuple[int, int], Sides]:
    """Events (number, year, side A, side B) by (number, period), with the selected states in the system then."""
    events: dict[tuple[int, int], Sides] = {}
    for number, year, side_a, side_b in rows:
        period = context.period_of(year)
        if period is None:
            continue
        side_a = {s for s in side_a if context.exists(s, year)}
        side_b = {s for s in side_b if context.exists(s, year)} - side_a
        for a in side_a:
            for b in side_b:
                _add(events, (number, period), year, (a, 0), (b, 0))
    return events


def code_wars(context: Context, path: Path) -> list[Evidence]:
    """COW inter-state wars, one entry per war and period, with its two sides."""
    rule, dataset = context.scheme.rule("cow_war"), DATASETS["wars"]
    table = Table(path, dataset)

    def rows():
        for line, values in table.rows():
            number, one, two, year, side1, side2 = (table.integer(v, line, c) for v, c in zip(values, dataset.columns))
            if None not in (number, one, two, year, side1, side2) and side1 != side2:
                yield number, year, {one if side1 == 1 else two}, {two if side1 == 1 else one}

    events = _sided_events(context, rows())
    return [Evidence("wars", f"cowwar{number}_{context.periods[index].id}{suffix}", index, (3, number, suffix), {
        "level": rule["level"], **actors_pair_or_sides(context, side_a, side_b), "year": year,
        "source": f"{dataset.label} {dataset.version}, war {number}",
        "note": f"Rule cow_war: a Correlates of War inter-state war, read with its sides: "
                f"{rule['level'].replace('_', ' ')}."})
        for (number, index), event in sorted(events.items()) for year in (event[2],)
        for suffix, side_a, side_b in split(context, event)]


def _gw_list(text: str, year: int) -> set[int]:
    return {gw_to_cow(int(part), year) for part in text.replace(";", ",").split(",") if part.strip().isdigit()}


def code_ucdp(context: Context, path: Path) -> list[Evidence]:
    """UCDP/PRIO inter-state conflicts (primary parties on each side), one entry per conflict and period."""
    rule, dataset = context.scheme.rule("ucdp_interstate"), DATASETS["ucdp"]
    table = Table(path, dataset)

    def rows():
        for line, (number, year, side_a, side_b, intensity, kind) in table.rows():
            if kind.strip() not in ("interstate", "2"):
                continue
            number, year, intensity = (table.integer(v, line, c) for v, c in
                                       ((number, "conflict_id"), (year, "year"), (intensity, "intensity_level")))
            if None not in (number, year, intensity) and intensity >= rule["min_intensity"]:
                yield number, year, _gw_list(side_a, year), _gw_list(side_b, year)

    events = _sided_events(context, rows())
    return [Evidence("wars", f"ucdp{number}_{context.periods[index].id}{suffix}", index, (4, number, suffix), {
        "level": rule["level"], **actors_pair_or_sides(context, side_a, side_b), "year": year,
        "source": f"{dataset.label} {dataset.version}, conflict {number}",
        "note": f"Rule ucdp_interstate: a UCDP inter-state armed conflict (intensity at least "
                f"{rule['min_intensity']}), primary parties only, Gleditsch-Ward codes read as COW's: "
                f"{rule['level'].replace('_', ' ')}."})
        for (number, index), event in sorted(events.items()) for year in (event[2],)
        for suffix, side_a, side_b in split(context, event)]


def code_arms_races(context: Context, path: Path) -> list[Evidence]:
    """Gibler-Rider-Hutchison arms races, one entry per race and period it overlaps."""
    rule, dataset = context.scheme.rule("grh_arms_race"), DATASETS["arms_races"]
    table = Table(path, dataset)
    evidence = []
    for line, values in table.rows():
        number, one, two, start, end = (table.integer(v, line, c) for v, c in zip(values, dataset.columns))
        if None in (number, one, two, start, end):
            continue
        for index, period in enumerate(context.periods):
            first, last = max(start, period.first), min(end, period.last)
            if first <= last and context.exists(one, first, last) and context.exists(two, first, last) and one != two:
                section, what = placed(kind=rule["kind"])
                evidence.append(Evidence(section, f"grh{number}_{period.id}", index, (5, number, ""), {
                    **what, "between": context.codes({one, two}), "period": period.id,
                    "source": f"{dataset.label}, race {number}",
                    "note": f"Rule grh_arms_race: an arms race {start}-{end} in the Gibler-Rider-Hutchison list: "
                            f"{rule['kind'].replace('_', ' ')}."}))
    return evidence
