"""`diagnose import`: a fact file from the standard data tables (ATOP, COW, UCDP/PRIO, GRH).

    >>> from diagnose.importer import import_facts, periods_every
    >>> imported = import_facts(["tables/peacesciencer", "tables/atop"], region="Europe",
    ...                         periods=periods_every("1946-2014", 10))
    >>> open("europe.yaml", "w").write(imported.text)

Python reads the tables (indexed once, by event or dyad and period) and applies the coding scheme (data,
`scheme.yaml`); docs/data.md documents the tables and every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..packs import builtin_rulebase
from .alliances import code_alliances, read_memberships
from .blocs import code_blocs
from .conflict import code_arms_races, code_disputes, code_ucdp, code_wars, read_disputes
from .evidence import Context, Evidence
from .peace import code_borders, code_igos
from .scheme import load_scheme
from .selection import REGIONS, Period, periods_every, periods_from_list, read_system, select
from .tables import DATASETS, find_tables
from .writer import write

__all__ = ["Imported", "import_facts", "periods_every", "periods_from_list", "REGIONS"]

RULE_TABLES = {
    "atop_pact": ("atop",), "atop_integrated_command": ("atop",), "atop_consultation": ("atop",),
    "atop_organisation": ("atop",), "atop_arms_reduction": ("atop",), "mid_threat_or_display": ("mids",),
    "mid_reciprocated": ("mids",), "mid_use_of_force": ("mids",), "cow_war": ("wars",),
    "ucdp_interstate": ("ucdp",), "grh_arms_race": ("arms_races",), "igo_common_enterprise": ("igos",),
    "border_long_peace": ("contiguity", "mids"), "bloc_confrontation": ("atop", "mids"),
}
"""The tables each coding rule reads: where one is missing or ends, that rule's evidence is unknown."""


@dataclass(frozen=True)
class Imported:
    text: str
    states: int
    periods: int
    entries: int
    unknown: tuple[str, ...]
    """One line per table and stretch of years whose evidence is unknown (not found, or outside coverage)."""


def _unknown(context: Context, tables: dict[str, Path]) -> list[str]:
    needed = {t for rule in context.scheme.rules for t in RULE_TABLES[rule]}
    lines = []
    for key, dataset in DATASETS.items():
        if key not in needed:
            continue
        name = f"{dataset.label} {dataset.version}"
        if key not in tables:
            lines.append(f"{name}: no {dataset.file} in the data folders, so its evidence is unknown in every "
                         f"period")
            continue
        for period in context.periods:
            before = (period.first, min(period.last, dataset.first - 1))
            after = (max(period.first, dataset.last + 1), period.last)
            for first, last in (before, after):
                if first <= last:
                    lines.append(f"{name} covers {dataset.first}-{dataset.last}: {first}-{last} ({period.id}) is "
                                 f"unknown, not peaceful or empty")
    return lines


def import_facts(data: list[str], *, periods: list[Period], states: str | None = None,
                 region: str | None = None, scheme: str | Path | None = None) -> Imported:
    """Read the tables in the `data` folders, select the states (COW numbers or abbreviations, or a COW
    region) that exist in the periods, code the rows with the scheme (the package's default without one)
    and return the fact file's text. Raises `DiagnoseError` on bad arguments, tables or scheme."""
    rules = load_scheme(scheme, frozenset(builtin_rulebase().kinds))
    tables = find_tables(data)
    system = read_system(tables["states"])
    chosen = select(system, periods[0].first, periods[-1].last, states=states, region=region)
    context = Context(chosen, periods, rules)
    evidence: list[Evidence] = []
    treaties, version = {}, ""
    if "atop" in tables and any(r.startswith("atop_") and rules.rule(r) for r in RULE_TABLES):
        treaties, version = read_memberships(tables["atop"])
        evidence += code_alliances(context, treaties, version)  # and the groups, which the bloc rule reads
    dispute_years: dict = {}
    if "mids" in tables:
        events, dispute_years, fatality, acts = read_disputes(context, tables["mids"])
        evidence += code_disputes(context, events, fatality)
        if rules.rule("bloc_confrontation") and context.groups:
            evidence += code_blocs(context, treaties, version, acts)
    for rule, key, code in (("cow_war", "wars", code_wars), ("ucdp_interstate", "ucdp", code_ucdp),
                            ("grh_arms_race", "arms_races", code_arms_races),
                            ("igo_common_enterprise", "igos", code_igos)):
        if rules.rule(rule) and key in tables:
            evidence += code(context, tables[key])
    if rules.rule("border_long_peace") and "contiguity" in tables and "mids" in tables:
        evidence += code_borders(context, tables["contiguity"], dispute_years)
    unknown = _unknown(context, tables)
    used = ", ".join(f"{DATASETS[k].label} {DATASETS[k].version} ({tables[k].name})" for k in DATASETS if k in tables)
    title = f"{region} (COW region)" if region else "Selected states"
    span = f"{periods[0].first}-{periods[-1].last}"
    summary = (f"Imported by diagnose import from the standard data tables for {title}, {span}, in "
               f"{len(periods)} period{'s' if len(periods) > 1 else ''}, with {rules.origin}. Every entry names "
               f"its source row and the coding rule that made it; an entry marked inferred is read from the "
               f"absence of disputes. " +
               ("Unknown, not absent: " + "; ".join(unknown) + "." if unknown else
                "Every table the scheme reads covers every period."))
    header = (f"Written by diagnose import (diagnose {__version__}); edit it like any fact file.\n"
              f"Tables: {used}.\nCoding scheme: {rules.origin} (docs/data.md gives each rule's reason).\n" +
              ("Unknown, not absent (outside a table's coverage, or no table):\n" +
               "\n".join(f"  {line}" for line in unknown) if unknown else "Every table covers every period."))
    text = write(context, title, header, summary, evidence)
    return Imported(text, len(chosen), len(periods), len(evidence), tuple(unknown))
