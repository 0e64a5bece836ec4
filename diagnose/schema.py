"""The fact-file format, field by field: the single source for validation,
error messages and the JSON Schema that editors use.

Each field names its shape (see `SHAPES`) and says what it means.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTORS = ("military", "political", "economic", "societal", "environmental")
WAR_LEVELS = ("war", "armed_conflict", "crisis")
ALLIANCE_BASES = ("expediency", "collective_identity")
OVERLAP_TYPES = ("temporal", "functional", "spatial", "relational")
DIMENSIONS = ("sector", "agency", "issue")
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
PERIOD_PATTERN = r"^[a-z][a-z0-9_]*$"


@dataclass(frozen=True)
class FieldSpec:
    """One key of a mapping in a fact file."""

    shape: str
    doc: str
    required: bool = False


SHAPES = {
    "int": "an integer",
    "year": "a year (an integer)",
    "text": "a text",
    "label": "a text or a number",
    "bool": "true or false",
    "code": "a state code",
    "actors": "a state code, a group or sub-region name, or a list of them",
    "pair": "a list of exactly two state codes",
    "sides": "two lists of states (codes, group or sub-region names), e.g. [[USA, GBR], [IRQ]]",
    "overlap_types": "a list of overlap types (" + ", ".join(OVERLAP_TYPES) + ")",
    "threat": "a state code, a group or sub-region name, or a list of them (may be empty)",
    "names": "a mapping of state codes to display names",
    "members": "a mapping of names to lists of state codes",
    "periods": "a list of periods",
    "entries": "a list of entries",
    "mechanisms": "a list of mechanism names",
    "sector": "one of " + ", ".join(SECTORS),
    "level": "one of " + ", ".join(WAR_LEVELS),
    "basis": "one of " + ", ".join(ALLIANCE_BASES),
    "period_id": "a period id",
    "kind": "a practice kind",
}

TOP = {
    "schema": FieldSpec("int", "The format version; 1.", required=True),
    "region": FieldSpec("text", "Display name of the region the file describes.", required=True),
    "as_of": FieldSpec("label", "The year or moment the description holds for."),
    "summary": FieldSpec("text", "Free text shown at the top of reports."),
    "states": FieldSpec("names", "Every state of the region: code -> display name.", required=True),
    "periods": FieldSpec("periods", "Periods, oldest first, not overlapping; absent = one period."),
    "subregions": FieldSpec("members", "Sub-regions (spatial overlap): name -> member codes, two or more."),
    "groups": FieldSpec("members", "Institutions or communities: name -> member codes, two or more."),
    "alliances": FieldSpec("entries", "Alliances, of expediency (BoP) or of collective identity (SC)."),
    "deterrence": FieldSpec("entries", "Directed deterrence: who deters whom (BoP)."),
    "consultation_norms": FieldSpec("entries", "Norms of consultation, and multilateral decision-making (SC)."),
    "unfortified_borders": FieldSpec("entries", "Borders left unfortified (SC)."),
    "wars": FieldSpec("entries", "War incidence: wars, armed conflicts and crises."),
    "practices": FieldSpec("entries", "Every other practice, by kind from the vocabulary."),
    "strategies": FieldSpec("entries", "Deliberate strategies that combine mechanisms (manual overlap)."),
    "junctures": FieldSpec("entries", "Critical junctures: major wars or shocks."),
}

PERIOD = {
    "id": FieldSpec("period_id", "Period id: lower case letters, digits and _.", required=True),
    "from": FieldSpec("year", "First year of the period (inclusive)."),
    "to": FieldSpec("year", "Last year of the period (inclusive)."),
}

COMMON = {
    "id": FieldSpec("text", "Explicit fact id; default: the entry's path, e.g. practices[3]."),
    "between": FieldSpec("pair", "The two states of a dyad."),
    "among": FieldSpec("actors", "A group of states; a group or sub-region name stands for its members."),
    "by": FieldSpec("actors", "Directed: who acts (with `against`)."),
    "against": FieldSpec("actors", "Directed: toward whom (with `by`)."),
    "period": FieldSpec("period_id", "The period it holds in; absent = every period."),
    "year": FieldSpec("year", "A year, mapped onto the period that contains it."),
    "sector": FieldSpec("sector", "Sector; absent = takes no part in functional comparisons."),
    "agency": FieldSpec("text", "The part of the state bureaucracy, e.g. defence, foreign."),
    "issue": FieldSpec("text", "The issue, e.g. terrorism, minorities."),
    "mutual": FieldSpec("bool", "Balance-of-power entries `among` three or more states: true sets every pair "
                        "of them against each other; without it the entry is their collective practice, "
                        "facing outward."),
    "deliberate": FieldSpec("bool", "True when the actors chose it as part of a strategy."),
    "rooted": FieldSpec("bool", "False when imported or formal only, not institutionalised (default true)."),
    "source": FieldSpec("text", "Citation or evidence, shown in reports."),
    "note": FieldSpec("text", "Free note, shown in reports."),
}

SECTIONS = {
    "alliances": {
        **{key: spec for key, spec in COMMON.items() if key not in ("by", "against", "mutual")},
        "members": FieldSpec("actors", "The allies."),
        "basis": FieldSpec("basis", "expediency (BoP) or collective_identity (SC).", required=True),
        "against": FieldSpec("threat", "The threat the alliance answers; names no dyad."),
    },
    "deterrence": dict(COMMON),
    "consultation_norms": {
        **COMMON,
        "multilateral": FieldSpec("bool", "True adds multilateral decision-making to consultation."),
    },
    "unfortified_borders": dict(COMMON),
    "wars": {
        **{key: spec for key, spec in COMMON.items() if key not in ("mutual", "rooted")},
        "sides": FieldSpec("sides", "A war's two sides; the dyads are the pairs across them, never within."),
        "level": FieldSpec("level", "war, armed_conflict or crisis.", required=True),
    },
    "practices": {**COMMON, "kind": FieldSpec("kind", "The practice, from the vocabulary.", required=True)},
}

STRATEGY = {
    "id": COMMON["id"],
    "name": FieldSpec("text", "Name of the strategy, e.g. omni-enmeshment.", required=True),
    "by": FieldSpec("actors", "The states that pursue it.", required=True),
    "combines": FieldSpec("mechanisms", "The mechanisms it combines.", required=True),
    "overlaps": FieldSpec("overlap_types", "The overlap types it shapes; absent = every type."),
    "sector": FieldSpec("sector", "It shapes only functional overlaps on this sector."),
    "agency": FieldSpec("text", "It shapes only functional overlaps on this part of the bureaucracy."),
    "issue": FieldSpec("text", "It shapes only functional overlaps on this issue."),
    "period": COMMON["period"],
    "year": COMMON["year"],
    "source": COMMON["source"],
    "note": COMMON["note"],
}

JUNCTURE = {
    "id": COMMON["id"],
    "name": FieldSpec("text", "Name of the juncture, e.g. end of the Cold War.", required=True),
    "period": COMMON["period"],
    "year": COMMON["year"],
    "source": COMMON["source"],
    "note": COMMON["note"],
}

ENTRY_SPECS = {**SECTIONS, "strategies": STRATEGY, "junctures": JUNCTURE}
"""The fields of an entry of each list section."""

ACTOR_KEYS = ("between", "among", "by", "members", "sides")

REFUSED_KEYS = {
    ("alliances", "mutual"): "`mutual` is not allowed on alliances: an alliance never sets its members against "
                             "each other",
    ("wars", "mutual"): "`mutual` is not allowed on wars: name the two sides with `sides: [[...], [...]]`",
    ("wars", "rooted"): "`rooted` is not allowed on wars: a war is never formal only",
}
"""Keys refused in one section with a reason (instead of a bare "unknown key")."""
