"""ATOP treaties (member-level table) -> alliances and the practices their provisions establish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .evidence import Context, Evidence, placed, when
from .tables import ATOP_PROVISIONS, DATASETS, Table

PROVISION_RULES = ("atop_integrated_command", "atop_consultation", "atop_organisation", "atop_arms_reduction")


@dataclass(frozen=True)
class Membership:
    member: int
    first: int
    last: int
    provisions: dict[str, int]


def read_memberships(path: Path) -> tuple[dict[int, list[Membership]], str]:
    """Each treaty's member spells with their provisions, and the version the table names (its `version`
    column, where it has one)."""
    dataset = DATASETS["atop"]
    table = Table(path, dataset)
    treaties: dict[int, list[Membership]] = {}
    version = dataset.version
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = handle.readline().strip().split(",")
        first_row = handle.readline().strip().split(",")
    if "version" in header and len(first_row) > header.index("version"):
        try:
            version = f"{float(first_row[header.index('version')]):g}"
        except ValueError:
            pass
    for line, values in table.rows():
        atopid, member, entered, left = (table.integer(v, line, c) for v, c in zip(values[:4], dataset.columns))
        if atopid is None or member is None or entered is None:
            continue
        provisions = {name: table.integer(v, line, name, blank=0) or 0
                      for name, v in zip(ATOP_PROVISIONS, values[5:])}
        # an exit year of 0 (or blank) means still in force when the data end
        treaties.setdefault(atopid, []).append(Membership(member, entered, left or dataset.last, provisions))
    return treaties, version


def members_in_force(context: Context, spells: list[Membership], first: int, last: int) -> list[Membership]:
    """The member spells in force at some time in first..last, of selected states in the system then."""
    return _members(context, spells, first, last)


def _members(context: Context, spells: list[Membership], first: int, last: int) -> list[Membership]:
    return [m for m in spells if m.first <= last and m.last >= first
            and context.exists(m.member, max(first, m.first), min(last, m.last))]


def _group(context: Context, atopid: int, spells: list[Membership]) -> None:
    """The treaty's group: its selected members in the first year it has `min_members` of them."""
    start, end = max(context.first, min(m.first for m in spells)), min(context.last, max(m.last for m in spells))
    for year in range(start, end + 1):
        members = frozenset(m.member for m in _members(context, spells, year, year))
        if len(members) >= context.scheme.group_min_members:
            name = context.scheme.group_names.get(atopid, f"ATOP {atopid}")
            same = next((other for other, states in context.groups.items() if states == members), None)
            if same is not None:  # one group per set of states: the scheme's name wins over "ATOP <id>"
                if not same.startswith("ATOP ") or name.startswith("ATOP "):
                    return
                del context.groups[same]
                del context.group_treaty[same]
            taken = {s.code for s in context.states.values()} | set(context.groups)
            name = name if name not in taken else f"{name} (ATOP {atopid})"
            context.groups[name] = members
            context.group_treaty[name] = atopid
            return


def code_alliances(context: Context, treaties: dict[int, list[Membership]], version: str) -> list[Evidence]:
    scheme = context.scheme
    pact = scheme.rule("atop_pact")
    evidence: list[Evidence] = []
    for atopid in sorted(treaties):
        spells = treaties[atopid]
        produced = False
        for index, period in enumerate(context.periods):
            members = _members(context, spells, period.first, period.last)
            codes = context.codes({m.member for m in members})
            if len(codes) < 2:
                continue
            levels = {p: max(m.provisions[p] for m in members) for p in ATOP_PROVISIONS}
            begun, ended = min(m.first for m in members), max(m.last for m in members)
            still = ended >= DATASETS["atop"].last
            span = f"in force from {begun}" + (" (still when the data end)" if still else f" to {ended}")
            source = f"ATOP {version}, atopid {atopid}"
            common = {**when(context, index), "source": source}
            if pact and any(levels[p] >= 1 for p in pact["obligations"]):
                marks = [f"{p} {levels[p]}" for p, least in pact["identity_if"].items() if levels[p] >= least]
                basis = "collective_identity" if marks else "expediency"
                reason = (f"it has {' and '.join(marks)} (an integrated command or a standing organisation)"
                          if marks else "no integrated command or standing organisation")
                obligations = ", ".join(p for p in pact["obligations"] if levels[p] >= 1)
                evidence.append(Evidence("alliances", f"atop{atopid}_{period.id}", index, (1, atopid, ""), {
                    "members": codes, "basis": basis, **common,
                    "note": f"Rule atop_pact: an ATOP treaty with a {obligations} obligation, {span}, is an "
                            f"alliance; {basis.replace('_', ' ')} because {reason}."}))
                context.pledged.add((atopid, index))
                produced = True
            for rule_name in PROVISION_RULES:
                rule = scheme.rule(rule_name)
                if rule is None or levels[rule["provision"]] < rule["at_least"]:
                    continue
                section, what = placed(kind=rule["kind"])
                suffix = rule_name.removeprefix("atop_")
                evidence.append(Evidence(section, f"atop{atopid}_{suffix}_{period.id}", index,
                                         (1, atopid, suffix), {
                    **what, "among": codes, **common,
                    "note": f"Rule {rule_name}: the treaty's {rule['provision']} provision is "
                            f"{levels[rule['provision']]} (at least {rule['at_least']}), {span}: "
                            f"{rule['kind'].replace('_', ' ')} among its members."}))
                produced = True
        if produced:
            _group(context, atopid, spells)
    return evidence
