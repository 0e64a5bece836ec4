"""Bloc confrontation: militarised disputes across the line between two alliance groups, read as balancing
by the groups themselves (directed entries `by` one group `against` the other).

The disputes are dyadic: each one names a few states, rarely a whole alliance. When, in a period, the members
of one group act against the members of another in disputes spread over several dyads, with several states
on each side, the scheme reads the pattern as the groups' own balancing. It is an inference from many rows,
so the note says so and the source lists the disputes it rests on.
"""

from __future__ import annotations

from collections import defaultdict

from .alliances import Membership, members_in_force
from .conflict import HOSTILITY, Act
from .evidence import Context, Evidence, actors_pair_or_sides, placed
from .tables import DATASETS

SOURCE_IDS = 8
"""Disputes named in a `source:` line; the others are counted, so the line stays short."""


def _disputes(numbers: set[int]) -> str:
    ids = sorted(numbers)
    shown = ", ".join(str(n) for n in ids[:SOURCE_IDS])
    more = f", and {len(ids) - SOURCE_IDS} more ({len(ids)} in all)" if len(ids) > SOURCE_IDS else ""
    return f"dispute{'s' if len(ids) > 1 else ''} {shown}{more}"


def code_blocs(context: Context, treaties: dict[int, list[Membership]], version: str,
               acts: list[Act]) -> list[Evidence]:
    """One entry `by` a group `against` another per period where the cross-bloc disputes reach the rule's
    thresholds, each way; and one entry between the two sides where the reciprocated ones do. Only groups
    made from a treaty that is an alliance in the period (a pledge, rule atop_pact) are blocs."""
    rule = context.scheme.rule("bloc_confrontation")
    groups = sorted(context.group_treaty.items(), key=lambda item: item[1])  # (name, atopid), by atopid
    in_force: dict[tuple[int, int], frozenset[int]] = {}

    def bloc(atopid: int, year: int) -> frozenset[int]:
        """The treaty's selected members in force in the year (a dispute counts for the blocs of its year)."""
        if (atopid, year) not in in_force:
            spells = members_in_force(context, treaties[atopid], year, year)
            in_force[atopid, year] = frozenset(m.member for m in spells)
        return in_force[atopid, year]

    by_period: dict[int, list[Act]] = defaultdict(list)
    for act in acts:
        index = context.period_of(act[1])
        if index is not None and act[4] >= rule["hostility_at_least"]:
            by_period[index].append(act)
    evidence: list[Evidence] = []
    for index, period in enumerate(context.periods):
        alliances = [(name, atopid) for name, atopid in groups if (atopid, index) in context.pledged]
        for (name_a, a), (name_b, b) in ((x, y) for i, x in enumerate(alliances) for y in alliances[i + 1:]):
            # (acting state, target) -> disputes, for each direction; a state in both blocs that year is in neither
            crossing: dict[str, dict[tuple[int, int], set[int]]] = {"ab": defaultdict(set), "ba": defaultdict(set)}
            for number, year, actor, target, _ in by_period[index]:
                one, two = bloc(a, year), bloc(b, year)
                if actor in one - two and target in two - one:
                    crossing["ab"][actor, target].add(number)
                elif actor in two - one and target in one - two:
                    crossing["ba"][actor, target].add(number)
            if not crossing["ab"] and not crossing["ba"]:
                continue
            side_a, side_b = ({m.member for m in members_in_force(context, treaties[t], period.first,
                                                                   period.last)} for t in (a, b))
            side_a, side_b = side_a - side_b, side_b - side_a
            reciprocated = {(x, y): disputes & crossing["ba"].get((y, x), set())
                            for (x, y), disputes in crossing["ab"].items()}
            reciprocated = {dyad: disputes for dyad, disputes in reciprocated.items() if disputes}
            for ids, acting, target, label_a, label_b, dyads, tag in (
                    ((a, b), side_a, side_b, name_a, name_b, crossing["ab"], ""),
                    ((b, a), side_b, side_a, name_b, name_a, crossing["ba"], ""),
                    ((a, b), side_a, side_b, name_a, name_b, reciprocated, "mutual")):
                if _reaches(rule, dyads):
                    evidence.append(_entry(context, rule, version, index, ids, tag, acting, target, label_a,
                                           label_b, dyads))
    return evidence


def _reaches(rule: dict, dyads: dict[tuple[int, int], set[int]]) -> bool:
    """Enough distinct dyads across the line, with enough distinct states on each side."""
    first, second = ({pair[i] for pair in dyads} for i in (0, 1))
    return (len(dyads) >= rule["min_dyads"] and len(first) >= rule["min_states_per_side"]
            and len(second) >= rule["min_states_per_side"])


def _entry(context: Context, rule: dict, version: str, index: int, ids: tuple[int, int], tag: str,
           acting: set[int], target: set[int], name_a: str, name_b: str,
           dyads: dict[tuple[int, int], set[int]]) -> Evidence:
    mids = DATASETS["mids"]
    period = context.periods[index]
    numbers = set().union(*dyads.values())
    first, second = ({pair[i] for pair in dyads} for i in (0, 1))
    least = HOSTILITY.get(rule["hostility_at_least"], rule["hostility_at_least"])
    source = (f"{mids.label} {mids.version}, {_disputes(numbers)} (cross-bloc); "
              f"ATOP {version}, atopids {min(ids)} and {max(ids)}")
    found = (f"{len(numbers)} militarised dispute{'s' if len(numbers) > 1 else ''} across {len(dyads)} distinct "
             f"dyads, {len(first)} members of {name_a} facing {len(second)} of {name_b}, each in force in its "
             f"treaty in the dispute's year (at least {rule['min_dyads']} dyads and {rule['min_states_per_side']} "
             f"states a side needed)")
    if tag == "mutual":
        return Evidence("wars", f"bloc{ids[0]}_{ids[1]}_{period.id}_mutual", index, (8, *sorted(ids), tag), {
            "level": rule["level"], **actors_pair_or_sides(context, acting, target), "period": period.id,
            "source": source,
            "note": f"Inferred (rule bloc_confrontation): both states of each dyad made at least a {least} in the "
                    f"same dispute, in {found}: a {rule['level'].replace('_', ' ')} between the two alliances."})
    section, what = placed(kind=rule["kind"])
    return Evidence(section, f"bloc{ids[0]}_{ids[1]}_{period.id}", index, (8, *ids, tag), {
        **what, "by": context.codes(acting), "against": context.codes(target), "period": period.id,
        "source": source,
        "note": f"Inferred (rule bloc_confrontation): members of {name_a} made at least a {least} against "
                f"members of {name_b} in {found}: {rule['kind'].replace('_', ' ')} by the first alliance against "
                f"the second, as a group."})
