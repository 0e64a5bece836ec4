"""The context of a briefing: plain dicts and lists, computed before any template runs.

Everything a report shows is worded here, in Python, from the diagnosis and
its analysis (`diagnose.judgements`: the ranked key judgements with their
decisive facts, and the rows where a mechanism is not active); nothing here
runs a rule. Templates only lay it out, so they can be overridden without
touching the reasoning.

A judgement names a status with what qualifies it (variant, facing, phase,
coupling), and reads a temporal overlap by the statuses behind it (both
active, a nascent community taking hold, a decaying one beside returning
balancing). Each says in one sentence what it means for policy, in names
and words: periods by label and years, units by name, kinds in words. Rule
names are kept for the method appendix.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable

from .. import __version__
from ..diagnosis import Diagnosis, MechanismRow, OverlapRow
from ..model import Entry, FactBase, Juncture, Strategy
from .figures import SENSITIVITY_FIGURE, mechanism_styles, network_svg, network_view, sensitivity_svg, \
    ticked_facings, timeline_dyads_left_out, timeline_svg
from .filters import QUALIFIERS, and_list, mechanism_name, period_label, qualifier_names, state_list, status_label, \
    status_name, unit_name, upper_first

if TYPE_CHECKING:
    from ..judgements import Dependence, Judgement, Judgements, ThresholdDependence
    from ..packs import RuleBase

PAPER = ("Adler, Emanuel and Patricia Greve (2009), “When security community meets balance of power: "
         "overlapping regional mechanisms of security governance”, Review of International Studies 35, pp. 59–84.")
UNIT_RANK = {"region": 0, "subregion": 1, "group": 2, "dyad": 3}
STATUS_PHRASES = {"active": "is active", "nascent": "is nascent", "decaying": "is decaying",
                  "formal_only": "exists only formally", "broken_down": "has broken down"}
STATUS_GLOSSES = {"nascent": "community-building practices, not yet a community",
                  "decaying": "a community of the previous period fading without war"}
FACING_GLOSSES = {"inward": "the states balance one another", "outward": "the states balance outsiders together",
                  "both": "the states balance one another and outsiders too"}
FACING_WAYS = {"inward": "inward", "outward": "outward", "both": "both inward and outward"}
CHARACTER_PHRASES = {"automatic": "automatic: a by-product of habit that nobody chose",
                     "mixed": "mixed: partly chosen, partly habit"}
DIMENSIONS = ("sector", "agency", "issue")
STATUS_ORDER = ("active", "nascent", "decaying", "formal_only", "broken_down")
LISTED_DYADS = 4
"""Up to this many like dyads, a key judgement names each pair; beyond, it names their states."""
LISTED_UNITS = 6
"""An explanation that lists more units than this names how many instead (the tables list them)."""


def _plain(text: str | None) -> str | None:
    """Free text from the file on one line (YAML's folded blocks end in a newline)."""
    return " ".join(text.split()) if text else None


def _unit_rank(unit: str) -> tuple[int, str]:
    return UNIT_RANK.get(unit.partition(":")[0], len(UNIT_RANK)), unit


def _is_dyad(unit: str) -> bool:
    return unit.partition(":")[0] == "dyad"


def _whole_unit(row: MechanismRow) -> bool:
    return row.sector is None and row.agency is None and row.issue is None


def _period_order(facts: FactBase) -> dict[str | None, int]:
    return {p: i for i, p in enumerate(facts.period_ids)}


def _qualifiers(row: MechanismRow | None) -> dict[str, str | None]:
    """A row's status and what qualifies it, as the plain fields a template reads."""
    return {name: getattr(row, name, None) for name in ("status", *QUALIFIERS)}


def _cited(items: Iterable[Strategy | Juncture], ids: Iterable[str]) -> list[Any]:
    """The strategies (or junctures) among a conclusion's fact ids."""
    wanted = set(ids)
    return [item for item in items if item.id in wanted]


def _in_period(facts: FactBase, period: str | None) -> str:
    return f" in the period {period_label(facts, period)}" if period is not None else ""


def _name(facts: FactBase, unit: str) -> str:
    """A unit by its name alone: `NATO`, `Greece–Turkey`, `Western Hemisphere`."""
    return unit_name(facts, unit).rpartition(" (")[0]


def _units_phrase(facts: FactBase, units: list[str]) -> str:
    """`NATO (group)`; several dyads as `3 dyads (Greece–Turkey, ...)`, other units by name."""
    dyads = [u for u in units if _is_dyad(u)]
    if len(dyads) < 2:
        return and_list(unit_name(facts, u) for u in units)
    if len(dyads) <= LISTED_DYADS:
        named = f"{len(dyads)} dyads ({and_list(_name(facts, u) for u in dyads)})"
    else:  # a long list of pairs reads badly: name their states (the overlap card and the tables list the pairs)
        named = f"{len(dyads)} dyads among {_states_phrase(facts, dyads)}"
    others = [unit_name(facts, u) for u in units if not _is_dyad(u)]
    return and_list([*others, named])


def _states_phrase(facts: FactBase, dyads: list[str]) -> str:
    codes = {code for u in dyads for code in u.partition(":")[2].split("-")}
    if len(codes) > 2 * LISTED_DYADS:
        return "all the region's states" if codes == set(facts.states) else f"{len(codes)} states"
    return state_list(facts, codes)


class _Rows:
    """The diagnosis's rows that count all of a unit's practices, by unit, period and mechanism."""

    def __init__(self, facts: FactBase, diagnosis: Diagnosis):
        self.facts = facts
        self.rows = {(r.unit, r.period, r.mechanism): r for r in diagnosis.mechanisms if _whole_unit(r)}

    def get(self, unit: str, period: str | None, mechanism: str) -> MechanismRow | None:
        return self.rows.get((unit, period, mechanism))

    def next_period(self, period: str | None) -> str | None:
        ids = list(self.facts.period_ids)
        return ids[ids.index(period) + 1] if period in ids and ids.index(period) + 1 < len(ids) else None

    def by_status(self, overlap: OverlapRow, status: str) -> str:
        """The name of the overlap's mechanism that has ``status`` in the overlap's unit and period."""
        return next((mechanism_name(m) for m in overlap.mechanisms
                     if (row := self.get(overlap.units[0], overlap.period, m)) and row.status == status), "")


# --- what a judgement says ----------------------------------------------------------------------------------

def _temporal_gloss(facts: FactBase, overlap: OverlapRow, rows: _Rows, reading: str | None) -> str:
    mechanisms = and_list(mechanism_name(m) for m in overlap.mechanisms)
    if reading == "takes_hold":
        following = rows.next_period(overlap.period)
        when = f" in the next period, {period_label(facts, following)}" if following else " in the next period"
        return (f"community-building practices ({rows.by_status(overlap, 'nascent')} nascent) grow beside "
                f"{rows.by_status(overlap, 'active')} among the same states, and the community takes hold{when}")
    if reading == "fades":
        return (f"the community of the previous period fades without war ({rows.by_status(overlap, 'decaying')} "
                f"decaying) while {rows.by_status(overlap, 'active')} holds among the same states")
    return f"{mechanisms} hold together here, while only one of them holds in an adjacent period"


def _sides(overlap: OverlapRow) -> list[tuple[str, str]]:
    """A functional overlap's (mechanism, value) pairs, in the order of its mechanisms."""
    return sorted((overlap.on or {}).items(), key=lambda item: overlap.mechanisms.index(item[0])
                  if item[0] in overlap.mechanisms else len(overlap.mechanisms))


def _strategy_names(facts: FactBase, overlaps: Iterable[OverlapRow]) -> str:
    return and_list(f"‘{s.name}’" for s in _cited(facts.strategies, (i for o in overlaps for i in o.facts)))


def _overlap_sentence(facts: FactBase, judgement: Judgement, rows: _Rows) -> str:
    overlaps: list[OverlapRow] = list(judgement.conclusions)
    overlap = overlaps[0]
    mechanisms = and_list(mechanism_name(m) for m in overlap.mechanisms)
    units = _units_phrase(facts, list(dict.fromkeys(u for o in overlaps for u in o.units)))
    if overlap.type == "functional" and overlap.on:
        gloss = and_list(f"{mechanism_name(m)} on the {value} {overlap.dimension}" for m, value in _sides(overlap))
    elif overlap.type == "spatial":
        gloss = f"its sub-regions are governed by different mechanisms ({mechanisms})"
    elif overlap.type == "relational":
        gloss = f"a rivalry nested inside a wider community ({mechanisms})"
    elif overlap.type == "temporal":
        gloss = _temporal_gloss(facts, overlap, rows, judgement.reading)
    else:
        gloss = f"{mechanisms} shape the same states at once"
    if overlap.character == "manual":
        strategies = _strategy_names(facts, overlaps)
        character = f"manual: a deliberate strategy ({strategies}) combines them" if strategies else \
            "manual: a deliberate strategy combines them"
    else:
        character = CHARACTER_PHRASES.get(overlap.character, overlap.character)
    subject = "Each is" if len(overlaps) > 1 else "It is"
    return f"{upper_first(overlap.type)} overlap in {units}{_in_period(facts, overlap.period)}: {gloss}. " \
           f"{subject} {character}."


def _described(row: MechanismRow) -> list[str]:
    """What the key judgement adds to a row's status: a gloss of a new status, the qualifiers, facing explained."""
    words = [STATUS_GLOSSES[row.status]] if row.status in STATUS_GLOSSES else []
    for name in QUALIFIERS:
        for word in qualifier_names({"status": row.status, name: getattr(row, name)}):
            gloss = FACING_GLOSSES.get(row.facing) if name == "facing" else None
            words.append(f"{word} ({gloss})" if gloss else word)
    return words


def _mechanism_sentence(facts: FactBase, judgement: Judgement) -> str:
    rows: list[MechanismRow] = list(judgement.conclusions)
    first = rows[0]
    period = _in_period(facts, first.period)
    units = _units_phrase(facts, [r.unit for r in rows]) + \
        ((", the same states," if period else ", the same states") if judgement.same_states else "")
    phrase = STATUS_PHRASES.get(first.status, f"is {status_name(first.status)}")
    described = _described(first)
    return (f"{upper_first(mechanism_name(first.mechanism))} {phrase} in {units}{period}"
            + (f": {', '.join(described)}" if described else "") + ".")


# --- what it means for policy: one sentence, in names ------------------------------------------------------

def _pairs(facts: FactBase, dyads: list[str]) -> str:
    """Several dyads for a policy sentence: each pair named up to a few, else how many."""
    if len(dyads) <= LISTED_DYADS:
        return and_list(_name(facts, u) for u in dyads)
    return f"the {len(dyads)} pairs among {_states_phrase(facts, dyads)}"


def _who(facts: FactBase, judgement: Judgement) -> str:
    """Whom a mechanism judgement concerns, by name: `Venezuela and Colombia`, `the states of NATO`."""
    units = [row.unit for row in judgement.conclusions]
    if len(units) > 1 and not judgement.same_states:
        return _pairs(facts, units)
    if _is_dyad(units[0]):
        return and_list(_name(facts, units[0]).split("–"))
    return f"the states of {_name(facts, units[0])}"


def _overlap_policy(facts: FactBase, judgement: Judgement, rows: _Rows) -> dict[str, Any]:
    """What an overlap judgement means for policy, as the names and labels `words.policy_sentence` reads (the
    sentence itself is the templates' wording, like every reading of a mechanism)."""
    overlaps: list[OverlapRow] = list(judgement.conclusions)
    overlap = overlaps[0]
    following = rows.next_period(overlap.period) if judgement.reading == "takes_hold" else None
    # Like dyads read as one judgement: the sentence names them all (or how many), not the first.
    where = _pairs(facts, [o.units[0] for o in overlaps]) if len(overlaps) > 1 else _name(facts, overlap.units[0])
    return {"about": "overlap", "type": overlap.type, "reading": judgement.reading, "character": overlap.character,
            "where": where, "units": [_name(facts, u) for u in overlap.units],
            "pairs": _pairs(facts, list(dict.fromkeys(o.units[0] for o in overlaps))),
            "period": period_label(facts, overlap.period), "following": period_label(facts, following),
            "dimension": overlap.dimension or "", "sides": [{"mechanism": m, "value": v} for m, v in _sides(overlap)],
            "strategies": _strategy_names(facts, overlaps)}


def _mechanism_policy(facts: FactBase, judgement: Judgement) -> dict[str, Any]:
    """What a mechanism judgement means for policy, as `words.policy_sentence` reads it."""
    row: MechanismRow = judgement.conclusions[0]
    return {"about": "mechanism", "mechanism": row.mechanism, "status": row.status, "label": status_label(row),
            **{name: getattr(row, name) for name in QUALIFIERS}, "who": _who(facts, judgement)}


# --- what would change a judgement --------------------------------------------------------------------------

def _changes(before: MechanismRow, after: MechanismRow) -> list[str]:
    """Each qualifier that differs between two rows of the same status, as a verb phrase."""
    phrases = []
    for name in QUALIFIERS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if new is None:
            phrases.append(f"is no longer {qualifier_names({name: old})[0]}")
        elif name == "facing":
            phrases.append(f"faces {FACING_WAYS.get(new, new)}")
        else:
            phrases.append(f"becomes {qualifier_names({name: new})[0]}")
    return phrases


def _effect(before: MechanismRow | OverlapRow, after: MechanismRow | OverlapRow | None) -> str:
    """What leaving a fact out does to a conclusion, in words."""
    if after is None:
        return "it is no longer found"
    if isinstance(after, OverlapRow):
        return f"it becomes {after.character}"
    assert isinstance(before, MechanismRow)
    if after.status == "not_evident":
        return "it is no longer evident"
    if after.status != before.status:
        return f"it becomes {status_label(after)}"
    return "it " + and_list(_changes(before, after))


def _fact_words(facts: FactBase, fact_id: str) -> str:
    """What a fact is, in a few words: its kinds, a war's level, a strategy or juncture by name."""
    for entry in facts.entries:
        if entry.id == fact_id:
            if entry.kinds:
                return and_list(kind.replace("_", " ") for kind in entry.kinds)
            return (entry.level or "war").replace("_", " ")
    for strategy in facts.strategies:
        if strategy.id == fact_id:
            return f"strategy ‘{strategy.name}’"
    for juncture in facts.junctures:
        if juncture.id == fact_id:
            return f"critical juncture ‘{juncture.name}’"
    return ""


def _what_would_change(facts: FactBase, judgement: Judgement) -> list[dict[str, str]]:
    """Each decisive fact with its effect: on `it` (one conclusion, or units of the same states), on `each`
    of several like dyads, or on those it names when it is decisive for some of them only."""
    examined = judgement.conclusions[:judgement.examined]
    out = []
    for decisive in judgement.decisive:
        effects: dict[str, list[str]] = {}
        for before, after in decisive.outcomes:
            effects.setdefault(_effect(before, after), []).append(
                before.unit if isinstance(before, MechanismRow) else before.units[0])
        if len(decisive.outcomes) == len(examined) and len(effects) == 1:
            effect = next(iter(effects))
            if len(examined) > 1 and not judgement.same_states:
                effect = "each" + effect.removeprefix("it")
        else:
            effect = "; ".join(f"{effect} for {and_list(_name(facts, u) for u in units)}"
                               for effect, units in effects.items())
        out.append({"id": decisive.fact, "what": _fact_words(facts, decisive.fact), "effect": effect})
    return out


# --- the key judgements -------------------------------------------------------------------------------------

def _judgement(facts: FactBase, judgement: Judgement, rows: _Rows, anchor: str) -> dict[str, Any]:
    if judgement.kind == "overlap":
        sentence, policy = _overlap_sentence(facts, judgement, rows), _overlap_policy(facts, judgement, rows)
    elif judgement.kind == "mechanism":
        sentence, policy = _mechanism_sentence(facts, judgement), _mechanism_policy(facts, judgement)
    elif judgement.kind == "no_overlap":
        sentence, policy = ("No overlap: on this evidence no states are shaped by two mechanisms at once.",
                            {"about": "no_overlap"})
    else:
        sentence, policy = ("No mechanism is evident: the file holds too little evidence for any unit.",
                            {"about": "nothing_evident"})
    count = len(judgement.conclusions)
    return {"kind": judgement.kind, "sentence": sentence, "policy": policy, "anchor": anchor,
            "decisive": _what_would_change(facts, judgement), "supporting": list(judgement.supporting),
            "examined": judgement.examined if judgement.examined < count else None,
            "conclusions": count,
            "rules": list(dict.fromkeys(r for c in judgement.conclusions for r in c.rules))}


def _anchors(diagnosis: Diagnosis, analysis: Judgements) -> tuple[dict[int, str], list[list[int]]]:
    """An anchor per overlap: `overlap-N`, numbered the key judgements' overlaps first (their cards), then the
    others (rows of the overlap table); and the overlaps (indices) of each card."""
    index = {id(o): i for i, o in enumerate(diagnosis.overlaps)}
    cards = [[index[id(o)] for o in j.conclusions] for j in analysis.key if j.kind == "overlap"]
    carded = {i for card in cards for i in card}
    numbered = [card[0] for card in cards] + [i for i in range(len(diagnosis.overlaps)) if i not in carded]
    anchors = {i: f"overlap-{number}" for number, i in enumerate(numbered, 1)}
    for card in cards:
        for i in card:
            anchors[i] = anchors[card[0]]
    return anchors, cards


def _key_judgements(facts: FactBase, diagnosis: Diagnosis, analysis: Judgements, anchors: dict[int, str]) \
        -> list[dict[str, Any]]:
    rows = _Rows(facts, diagnosis)
    index = {id(o): i for i, o in enumerate(diagnosis.overlaps)}
    out = []
    for judgement in analysis.key:
        if judgement.kind == "overlap":
            anchor = anchors[index[id(judgement.conclusions[0])]]
        else:
            anchor = "overlaps" if judgement.kind == "no_overlap" else "mechanisms"
        out.append(_judgement(facts, judgement, rows, anchor))
    return out


# --- overlaps -----------------------------------------------------------------------------------------------

def _overlap_cards(facts: FactBase, diagnosis: Diagnosis, analysis: Judgements, anchors: dict[int, str],
                   words: Readable) -> list[dict[str, Any]]:
    """A card per overlap judgement the brief leads with: what holds here, its character, its policy sentence."""
    rows = _Rows(facts, diagnosis)
    index = {id(o): i for i, o in enumerate(diagnosis.overlaps)}
    out = []
    for judgement in analysis.key:
        if judgement.kind != "overlap":
            continue
        overlaps: list[OverlapRow] = list(judgement.conclusions)
        overlap = overlaps[0]
        facts_used = list(dict.fromkeys(i for o in overlaps for i in o.facts))
        out.append({
            "anchor": anchors[index[id(overlap)]], "type": overlap.type, "units": list(overlap.units),
            "period": overlap.period,
            "title": _units_phrase(facts, list(dict.fromkeys(u for o in overlaps for u in o.units))),
            "also": [and_list(unit_name(facts, u) for u in o.units) for o in overlaps[1:]],
            "reading": judgement.reading, "character": overlap.character, "mechanisms": list(overlap.mechanisms),
            "dimension": overlap.dimension,
            "on": [{"mechanism": m, "value": v} for m, v in sorted((overlap.on or {}).items())],
            "explanation": words(overlap.explanation),
            "policy": _overlap_policy(facts, judgement, rows),
            "facts": facts_used,
            "strategies": [s.name for s in _cited(facts.strategies, facts_used)],
            "junctures": [j.name for j in _cited(facts.junctures, facts_used)],
        })
    return out


def _overlap_table(facts: FactBase, diagnosis: Diagnosis, cards: list[list[int]], anchors: dict[int, str],
                   words: Readable) -> list[dict[str, Any]]:
    """Every overlap the key judgements do not lead with, one row each, in the diagnosis's order."""
    carded = {i for card in cards for i in card}
    return [{"anchor": anchors[i], "type": o.type, "units": [unit_name(facts, u) for u in o.units],
             "period": o.period, "character": o.character,
             "on": [{"mechanism": m, "value": v} for m, v in _sides(o)], "dimension": o.dimension,
             "explanation": words(o.explanation), "facts": list(o.facts)}
            for i, o in enumerate(diagnosis.overlaps) if i not in carded]


def _overlap_kinds(diagnosis: Diagnosis, analysis: Judgements) -> dict[str, list]:
    """The kinds of overlap (type and, for temporal ones, reading) and the characters found, each once: the
    brief explains each kind a single time, not on every card."""
    readings = {id(c): j.reading for j in analysis.ranked if j.kind == "overlap" for c in j.conclusions}
    kinds = list(dict.fromkeys((o.type, readings.get(id(o))) for o in diagnosis.overlaps))
    return {"kinds": [{"type": t, "reading": r} for t, r in kinds],
            "characters": list(dict.fromkeys(o.character for o in diagnosis.overlaps))}


# --- why not ------------------------------------------------------------------------------------------------

class Readable:
    """Rules' explanations for a reader: unit ids by name (a long list of pairs by number), periods by label
    and years, kinds in words. Built once per brief: a large file has thousands of explanations."""

    def __init__(self, facts: FactBase):
        self.facts = facts
        units = (*facts.units(), *facts.hidden_units())
        self.names = {u.id: unit_name(facts, u.id) for u in units if u.kind not in ("entry", "region")}
        self.kinds = {k: k.replace("_", " ") for k in facts.vocabulary if "_" in k}
        self.periods = {p.id: period_label(facts, p.id) for p in facts.periods}
        # Dyads and kinds by their shape, then looked up (a large file has thousands of dyads); the few
        # declared units and periods by name.
        declared = sorted((u for u in self.names if not u.startswith("dyad:")), key=len, reverse=True)
        self._pattern = re.compile("|".join([
            r"(?P<unit>dyad:[A-Za-z][A-Za-z0-9_]*-[A-Za-z][A-Za-z0-9_]*"
            + "".join(f"|{re.escape(u)}" for u in declared) + r")(?![\w-])",
            r"(?<![\w-])(?P<kind>[a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w-])",
            *([r"\b(?:in|since|until|from|to) (?P<period>"
               + "|".join(re.escape(p) for p in sorted(self.periods, key=len, reverse=True)) + r")(?![\w-])"]
              if self.periods else []),
            r"\b(?P<sc>SC) kinds\b"]))

    def _word(self, match: re.Match) -> str:
        if match["sc"]:
            return "security-community kinds"
        if match["unit"]:
            return self.names.get(match["unit"], match["unit"])
        if match["kind"]:
            return self.kinds.get(match["kind"], match["kind"])
        return match[0][:match.start("period") - match.start()] + self.periods[match["period"]]

    def __call__(self, text: str) -> str:
        def count(match: re.Match) -> str:
            return f"({len(match[0].split(','))} pairs, listed in the tables)"

        text = re.sub(r"\(dyad:[^\s,()]+(?:, dyad:[^\s,()]+){%d,}\)" % LISTED_UNITS, count, " ".join(text.split()))
        return self._pattern.sub(self._word, text)


def _reason(words: Readable, row: MechanismRow) -> str:
    """The row's explanation without its opening `<unit> in <period>: ` (the brief says both already)."""
    text = " ".join(row.explanation.split())
    opening = words.facts.region if row.unit == "region" else row.unit.partition(":")[2]
    prefix = f"{opening} in {row.period}: " if row.period is not None else f"{opening}: "
    text = text.removeprefix(prefix)
    return upper_first(words(text))


def _why_not(facts: FactBase, diagnosis: Diagnosis, analysis: Judgements, mechanisms: tuple[str, ...],
             words: Readable) -> list[dict[str, Any]]:
    """Per declared unit (region, sub-regions, groups): why each mechanism is not active, period by period
    (periods that read the same named together), what its evidence lacks, and why no overlap concerns it."""
    by_unit: dict[str, dict[tuple, list[str | None]]] = defaultdict(dict)
    for item in analysis.why_not:
        row = item.row
        key = (row.mechanism, status_label(row), _reason(words, row), item.missing)
        by_unit[row.unit].setdefault(key, []).append(row.period)
    rows = _Rows(facts, diagnosis)
    out = []
    for unit in (u for u in facts.units() if u.kind != "dyad"):
        reasons = [{"mechanism": m, "status": status, "periods": [p for p in periods if p is not None],
                    "reason": reason, "missing": [k.replace("_", " ") for k in missing]}
                   for (m, status, reason, missing), periods in by_unit.get(unit.id, {}).items()]
        order = {m: i for i, m in enumerate(mechanisms)}
        reasons.sort(key=lambda r: order.get(r["mechanism"], len(order)))
        overlap = _no_overlap(facts, unit.id, rows, mechanisms) if unit.id in analysis.without_overlap else None
        if reasons or overlap:
            out.append({"unit": unit.id, "name": unit_name(facts, unit.id), "reasons": reasons, "overlap": overlap})
    return out


def _no_overlap(facts: FactBase, unit: str, rows: _Rows, mechanisms: tuple[str, ...]) -> str:
    """Why no overlap concerns a unit, from what holds there: each mechanism's statuses by period."""
    parts = []
    for mechanism in mechanisms:
        found: dict[str, list[str | None]] = {}
        for period in facts.period_ids:
            row = rows.get(unit, period, mechanism)
            if row is not None and row.status != "not_evident":
                found.setdefault(status_name(row.status), []).append(period)
        if not found:
            parts.append(f"{mechanism_name(mechanism)} is evident in no period" if facts.periods else
                         f"{mechanism_name(mechanism)} is not evident")
        for status, periods in found.items():
            named = [period_label(facts, p) for p in periods if p is not None]
            parts.append(f"{mechanism_name(mechanism)} is {status}" + (f" in {and_list(named)}" if named else ""))
    return f"No overlap concerns {unit_name(facts, unit)}: " + "; ".join(parts) + "."


# --- mechanisms, junctures and strategies -------------------------------------------------------------------

def _mechanisms(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase) -> list[dict[str, Any]]:
    declared_by = {m: pack.name for pack in rules.packs for m in pack.mechanisms}
    colours = mechanism_styles(rules.mechanisms)
    order = _period_order(facts)
    out = []
    for mechanism in rules.mechanisms:
        rows = sorted((r for r in diagnosis.mechanisms
                       if r.mechanism == mechanism and _whole_unit(r) and r.status != "not_evident"),
                      key=lambda r: (_unit_rank(r.unit), order.get(r.period, 0)))
        found = [{"unit": r.unit, "period": r.period, **_qualifiers(r)} for r in rows]
        # The same, read by period and status: the units that share a status (and its qualifiers) named together.
        where: dict[tuple, list[str]] = defaultdict(list)
        for r in rows:
            rank = STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else len(STATUS_ORDER)
            where[(order.get(r.period, 0), r.period, rank, status_label(r))].append(r.unit)
        # ... and a status that holds for the same units in several periods named once, with its periods.
        periods: dict[tuple, list[str | None]] = {}
        for (_, period, rank, label), units in sorted(where.items()):
            periods.setdefault((rank, label, _units_phrase(facts, units)), []).append(period)
        out.append({"name": mechanism, "pack": declared_by[mechanism], "colour": colours[mechanism].colour,
                    "found": found,
                    "where": [{"periods": [p for p in found_in if p is not None], "status": label, "units": units}
                              for (_, label, units), found_in in periods.items()]})
    return out


def _mechanism_table(diagnosis: Diagnosis, mechanisms: tuple[str, ...], words: Readable) -> list[dict[str, Any]]:
    """One row per unit and period, one cell per mechanism (the rows that count all practices)."""
    cells: dict[tuple, dict[str, MechanismRow]] = defaultdict(dict)
    for row in diagnosis.mechanisms:
        if _whole_unit(row):
            cells[(row.unit, row.period)][row.mechanism] = row
    order = {p: i for i, p in enumerate(diagnosis.periods)}
    table = []
    for (unit, period), found in sorted(cells.items(), key=lambda item: (_unit_rank(item[0][0]),
                                                                         order.get(item[0][1], 0))):
        table.append({"unit": unit, "period": period, "cells": [
            {"mechanism": m, **_qualifiers(found.get(m)),
             "explanation": words(found[m].explanation) if m in found else ""} for m in mechanisms]})
    return table


def _slice_table(facts: FactBase, diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """Rows that count one sector, agency or issue, where something is more than not evident."""
    order = _period_order(facts)
    rows = [r for r in diagnosis.mechanisms if not _whole_unit(r) and r.status != "not_evident"]
    rows.sort(key=lambda r: (_unit_rank(r.unit), order.get(r.period, 0), r.sector or "", r.agency or "",
                             r.issue or "", r.mechanism))
    return [{"unit": r.unit, "period": r.period, "dimension": dim, "value": getattr(r, dim),
             "mechanism": r.mechanism, **_qualifiers(r)}
            for r in rows for dim in DIMENSIONS if getattr(r, dim) is not None]


def _bearing(diagnosis: Diagnosis, fact_id: str, anchors: dict[int, str]) -> list[str]:
    return list(dict.fromkeys(anchors[i] for i, overlap in enumerate(diagnosis.overlaps) if fact_id in overlap.facts))


def _periods_of(facts: FactBase, item: Entry | Strategy | Juncture) -> dict[str, Any]:
    every = len(facts.periods) > 1 and tuple(item.periods) == facts.period_ids
    return {"periods": [p for p in item.periods if p is not None], "all_periods": every}


def _junctures(facts: FactBase, diagnosis: Diagnosis, anchors: dict[int, str]) -> list[dict[str, Any]]:
    return [{"id": j.id, "name": j.name, **_periods_of(facts, j), "source": _plain(j.source), "note": _plain(j.note),
             "bears_on": _bearing(diagnosis, j.id, anchors)} for j in facts.junctures]


def _strategies(facts: FactBase, diagnosis: Diagnosis, anchors: dict[int, str]) -> list[dict[str, Any]]:
    return [{"id": s.id, "name": s.name, "by": sorted(s.by), "combines": list(s.combines), **_periods_of(facts, s),
             "source": _plain(s.source), "note": _plain(s.note), "bears_on": _bearing(diagnosis, s.id, anchors)}
            for s in facts.strategies]


# --- evidence and method ------------------------------------------------------------------------------------

NAMED_STATES = 4
"""Up to this many states, the evidence names each; more, and they are named by the unit they make up."""


def _actors(facts: FactBase, codes: Iterable[str]) -> str:
    """States as the evidence table names them: `all 7 states of the region`, `NATO (group): 6 states`, or each."""
    codes = set(codes)
    if len(codes) > NAMED_STATES:
        if codes == set(facts.states):
            return f"all {len(codes)} states of the region"
        unit = next((u for u in facts.units() if u.kind != "dyad" and set(u.states) == codes), None)
        if unit is not None:
            return f"{unit_name(facts, unit.id)}: {len(codes)} states"
    return state_list(facts, codes)


def _entry_evidence(facts: FactBase, entry: Entry) -> dict[str, Any]:
    kinds = ", ".join(f"{kind} ({mechanism_name(facts.vocabulary.get(kind, 'unknown'))})" for kind in entry.kinds)
    if entry.level and not entry.kinds:  # a war or armed conflict: no kind of its own, it acts through violence
        kinds = f"{entry.level.replace('_', ' ')} (violence between the sides)"
    if entry.form == "sides":
        actors = " against ".join(_actors(facts, side) for side in entry.ends)
    elif entry.directed:
        actors = f"{_actors(facts, entry.ends[0])}, toward {_actors(facts, entry.ends[1])}"
    else:
        actors = _actors(facts, entry.actors) + (" (each pair against the others)" if entry.mutual else "")
    details = [f"{dim}: {entry.value(dim)}" for dim in DIMENSIONS if entry.value(dim) is not None]
    details += ["deliberate"] * entry.deliberate + ["not rooted (formal only)"] * (not entry.rooted)
    if entry.level and entry.kinds:
        details.append(f"level: {entry.level}")
    return {"what": kinds, "actors": actors, **_periods_of(facts, entry),
            "details": details, "source": _plain(entry.source), "note": _plain(entry.note)}


def _declaration_evidence(facts: FactBase, fact_id: str) -> dict[str, Any] | None:
    units = {u.declaration: u for u in facts.units() if u.declaration}
    if fact_id not in units:
        return None
    unit = units[fact_id]
    return {"what": f"declaration of {unit_name(facts, unit.id)}", "actors": state_list(facts, unit.states),
            "periods": [], "all_periods": False, "details": [], "source": None, "note": None}


def _evidence(facts: FactBase, diagnosis: Diagnosis, judgements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every fact id the diagnosis uses, in the file's order, with what it is and where it comes from."""
    used = {fact_id for conclusion in (*diagnosis.mechanisms, *diagnosis.overlaps) for fact_id in conclusion.facts}
    decisive_for: dict[str, list[int]] = defaultdict(list)
    for number, judgement in enumerate(judgements, 1):
        for item in judgement["decisive"]:
            decisive_for[item["id"]].append(number)
    described: dict[str, dict[str, Any]] = {}
    for entry in facts.entries:
        described[entry.id] = _entry_evidence(facts, entry)
    for strategy in facts.strategies:
        described[strategy.id] = {
            "what": f"strategy ‘{strategy.name}’ combining "
                    f"{and_list(mechanism_name(m) for m in strategy.combines)}",
            "actors": _actors(facts, strategy.by), **_periods_of(facts, strategy),
            "details": [], "source": _plain(strategy.source), "note": _plain(strategy.note)}
    for juncture in facts.junctures:
        described[juncture.id] = {"what": f"critical juncture ‘{juncture.name}’", "actors": "",
                                  **_periods_of(facts, juncture), "details": [],
                                  "source": _plain(juncture.source), "note": _plain(juncture.note)}
    lines = {item.id: item.line for item in (*facts.entries, *facts.strategies, *facts.junctures)}
    order = {fact_id: i for i, fact_id in enumerate(sorted(described, key=lambda i: lines[i]))}
    rows = []
    for fact_id in sorted(used, key=lambda i: (order.get(i, len(order)), i)):
        about = described.get(fact_id) or _declaration_evidence(facts, fact_id) or {
            "what": "named by a rule", "actors": "", "periods": [], "all_periods": False,
            "details": [], "source": None, "note": None}
        rows.append({"id": fact_id, **about, "decisive_for": decisive_for.get(fact_id, [])})
    return rows


def _method(diagnosis: Diagnosis, rules: RuleBase, judgements: list[dict[str, Any]]) -> dict[str, Any]:
    fired = {name for c in (*diagnosis.mechanisms, *diagnosis.overlaps) for name in c.rules}
    specs = rules.thresholds
    return {
        "packs": [{"name": p.name, "origin": p.origin, "rules": sum(1 for i in rules.rules() if i.pack == p.name)}
                  for p in rules.packs],
        "rules_fired": [{"name": i.name, "pack": i.pack, "concludes": i.concludes, "citation": i.citation}
                        for i in rules.rules() if i.name in fired],
        "judgement_rules": [{"number": n, "rules": j["rules"]} for n, j in enumerate(judgements, 1) if j["rules"]],
        "thresholds": [{"name": name, "value": value, "default": specs[name].default if name in specs else None,
                        "doc": specs[name].doc if name in specs else "", "section": specs[name].section
                        if name in specs else ""} for name, value in diagnosis.thresholds.items()],
        "citation": PAPER,
        "generator": f"diagnose {__version__}",
    }


def _figures(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase) -> list[dict[str, str]]:
    panels = "; one panel per period." if facts.periods else "."
    if network_view(facts) == "matrix":
        caption = ("Every pair of states, in a grid ordered by sub-region (outlined): each cell is split into one "
                   "part per mechanism, filled where it is active and patterned where a community is nascent, "
                   "decaying, formal only or broken down; light grey where the file names the pair and no "
                   "mechanism is evident. States that take part in no pair the file names are listed beneath"
                   + panels)
    else:
        caption = ("States in a circle; lines join pairs the file names, arcs span the region, its sub-regions and "
                   "groups (one arc, with both names, for units of the same states). Colour and line style say "
                   "which mechanism it is: a thick line where it is active; where a community is nascent, "
                   "decaying, formal only or broken down, a thin line of its own pattern, as the legend shows"
                   + (". Ticks pointing out of an arc mark states that balance outsiders together"
                      if ticked_facings(diagnosis) else "") + panels)
    figures = [{"name": "network", "title": "Who balances, who forms a community", "caption": caption,
                "svg": network_svg(facts, diagnosis, rules.mechanisms)}]
    timeline = timeline_svg(facts, diagnosis, rules.mechanisms)
    if timeline is not None:
        left_out = timeline_dyads_left_out(facts, diagnosis)
        figures.append({"name": "timeline", "title": "Mechanisms over time",
                        "caption": "Each unit's mechanisms period by period, with the status and what "
                                   "qualifies it (variant, facing, phase, coupling); each status has its own fill. "
                                   "Overlaps are named where they hold, critical junctures under the period they "
                                   "fall in."
                                   + (f" The {left_out} pairs of states with a mechanism evident are left out "
                                      f"here: figure 1 shows them." if left_out else ""),
                        "svg": timeline})
    return figures


# --- how much the judgements depend on the thresholds -------------------------------------------------------

LISTED_SETTINGS = 6
"""A conclusion's table row names up to this many settings it does not survive, then how many more."""
FRAGILE_FOR_POLICY = (
    "Fragile means that whether a conclusion holds depends on where the lines are drawn (how many kinds of "
    "practice make a mechanism, how much rivalry a community can contain) as much as on the evidence: for policy, "
    "treat a fragile judgement as a working hypothesis, prefer measures that are sound whether or not it holds, "
    "and watch for the practices that would settle it.")


def _dependence_title(facts: FactBase, bar: Dependence) -> str:
    """What the bar's conclusions say: `Security community: active, ascendant, loosely coupled (military sector)`."""
    first = bar.conclusions[0]
    if isinstance(first, OverlapRow):
        return f"{upper_first(first.type)} overlap: {first.character}"
    part = next((f" ({getattr(first, d)} {d})" for d in DIMENSIONS if getattr(first, d) is not None), "")
    return f"{upper_first(mechanism_name(first.mechanism))}: {status_label(first)}{part}"


def _dependence_where(facts: FactBase, bar: Dependence) -> str:
    """Whom and when: `North America (sub-region) and NAFTA (group), post cold war (1990 onwards)`."""
    units = list(dict.fromkeys(u for c in bar.conclusions
                               for u in (c.units if isinstance(c, OverlapRow) else (c.unit,))))
    if not isinstance(bar.conclusions[0], OverlapRow):  # an overlap's units keep their order
        units.sort(key=_unit_rank)
    wider = [u for u in units if not _is_dyad(u)]
    named = _units_phrase(facts, units) if len(wider) <= LISTED_UNITS else \
        f"{', '.join(unit_name(facts, u) for u in wider[:LISTED_UNITS])} and {len(units) - LISTED_UNITS} more units"
    period = bar.conclusions[0].period
    return named + (f", {period_label(facts, period)}" if period is not None else "")


def _sensitivity(facts: FactBase, rules: RuleBase, dependence: ThresholdDependence | None,
                 source: str) -> dict[str, Any] | None:
    """The section on how much the judgements depend on the thresholds: a figure, a table, what fragile means."""
    if dependence is None:
        return None
    settings = dependence.settings
    bars = []
    for bar in dependence.bars:
        title, where = _dependence_title(facts, bar), _dependence_where(facts, bar)
        not_under = list(bar.breaks[:LISTED_SETTINGS])
        bars.append({
            "judgement": bar.judgement, "title": title, "where": where, "share": bar.share,
            "percent": f"{bar.share:.0%}", "holds": round(bar.share * settings), "fragile": bar.fragile,
            "not_under": not_under, "more_not_under": len(bar.breaks) - len(not_under),
            "conclusions": len(bar.conclusions),
            "section": "Key judgements" if bar.judgement else "Other conclusions of the region, its sub-regions "
                                                                 "and groups",
            "lines": [f"{bar.judgement}. {title}" if bar.judgement else title, where],
            "mechanism": None if isinstance(bar.conclusions[0], OverlapRow) else bar.conclusions[0].mechanism,
            "evident": getattr(bar.conclusions[0], "status", None) != "not_evident"})
    swept = [{"name": name, "range": ", ".join(f"{v:g}" for v in values)} for name, values in dependence.swept]
    how = "every combination of the ranges given, the other thresholds as in force" if dependence.combined else \
        "each threshold over its documented range in turn, the others as in force"
    left_out = []
    if dependence.dyads_left_out:
        left_out.append(f"{dependence.dyads_left_out} conclusions about pairs of states outside the key judgements "
                        f"({dependence.dyads_fragile} of them fragile)")
    if dependence.beyond:
        left_out.append(f"{dependence.beyond} further conclusions of the region, its sub-regions and groups "
                        f"({dependence.beyond_fragile} of them fragile)")
    fragile = sum(bar.fragile for bar in dependence.bars)
    below = f"{dependence.fragile_below:.0%}"
    grid = "".join(f" --grid {name}={values[0]:g}:{values[-1]:g}"
                   + (f":{values[1] - values[0]:g}" if len(values) > 1 else "")
                   for name, values in dependence.swept if dependence.combined)
    return {
        "settings": settings, "how": how, "swept": swept, "fragile_below": below, "bars": bars,
        "fragile": fragile, "left_out": and_list(left_out),
        "command": f"diagnose sensitivity {source or 'FILE'}{grid}",
        "summary": (f"{fragile} of the {len(bars)} rows shown {'is' if fragile == 1 else 'are'} fragile: "
                    f"{'it holds' if fragile == 1 else 'they hold'} under less than {below} of the settings."
                    if fragile else f"None of the {len(bars)} rows shown is fragile: each holds under at least "
                                    f"{below} of the settings."),
        "policy": FRAGILE_FOR_POLICY,
        "figure": {"name": SENSITIVITY_FIGURE, "title": "How often each judgement holds",
                   "caption": f"For each key judgement and the other conclusions of the region, its sub-regions "
                              f"and groups, the share of the {settings} threshold settings under which it holds "
                              f"with the same verdict; hatched bars, marked fragile, hold under less than {below} "
                              f"of them (left of the dashed line). Colour says which mechanism a conclusion is about "
                              f"(faded where it is not evident; grey for an overlap). Conclusions that say the same "
                              f"of several units under the same settings share a bar.",
                   "svg": sensitivity_svg(bars, dependence.fragile_below, settings, rules.mechanisms)},
    }


def briefing_context(facts: FactBase, diagnosis: Diagnosis, rules: RuleBase, analysis: Judgements, *,
                     source: str = "", dependence: ThresholdDependence | None = None) -> dict[str, Any]:
    """Everything a briefing shows, as plain data: the templates read it and decide nothing.

    ``diagnosis`` is ``diagnose(facts, rules, thresholds=...)`` and
    ``analysis`` its `diagnose.judgements.analyse` (the key judgements with
    their decisive facts, and the why-not rows); ``source`` names the fact
    file in the brief; ``dependence`` (`diagnose.judgements.threshold_dependence`),
    where given, adds the section on how much the judgements depend on the
    thresholds (``sensitivity``, None without it).
    """
    anchors, cards = _anchors(diagnosis, analysis)
    words = Readable(facts)
    judgements = _key_judgements(facts, diagnosis, analysis, anchors)
    used = {i for c in (*diagnosis.mechanisms, *diagnosis.overlaps) for i in c.facts}
    return {
        "region": facts.region,
        "as_of": None if facts.as_of is None else str(facts.as_of),
        "summary": _plain(facts.summary),
        "source": source,
        "periods": [{"id": p.id, "start": p.start, "end": p.end} for p in facts.periods],
        "key_judgements": judgements,
        "more_judgements": len(analysis.ranked) - analysis.shown,
        "overlaps": _overlap_cards(facts, diagnosis, analysis, anchors, words),
        "overlap_table": _overlap_table(facts, diagnosis, cards, anchors, words),
        "overlap_kinds": _overlap_kinds(diagnosis, analysis),
        "why_not": _why_not(facts, diagnosis, analysis, rules.mechanisms, words),
        "mechanisms": _mechanisms(facts, diagnosis, rules),
        "mechanism_table": _mechanism_table(diagnosis, rules.mechanisms, words),
        "slice_table": _slice_table(facts, diagnosis),
        "junctures": _junctures(facts, diagnosis, anchors),
        "strategies": _strategies(facts, diagnosis, anchors),
        "evidence": _evidence(facts, diagnosis, judgements),
        "unused": [i.id for i in (*facts.entries, *facts.strategies, *facts.junctures) if i.id not in used],
        "method": _method(diagnosis, rules, judgements),
        "figures": _figures(facts, diagnosis, rules),
        "sensitivity": _sensitivity(facts, rules, dependence, source),
    }


def index_entry(facts: FactBase, diagnosis: Diagnosis) -> dict[str, Any]:
    """What `batch --report`'s index shows of one file, worded like its brief: the region and, per period (by
    label), the units where each mechanism is active and the overlaps, units by name."""
    rows = _Rows(facts, diagnosis)
    periods = []
    for period in facts.period_ids:
        active = []
        for mechanism in dict.fromkeys(r.mechanism for r in diagnosis.mechanisms):
            units = sorted((unit for (unit, p, m), row in rows.rows.items()
                            if p == period and m == mechanism and row.status == "active"), key=_unit_rank)
            if units:
                active.append({"mechanism": mechanism_name(mechanism), "units": _units_phrase(facts, units)})
        # Overlaps of several dyads in the same larger unit read as one line; any other overlap has its own.
        overlaps: dict[tuple, list[str]] = {}
        for o in diagnosis.overlaps:
            if o.period == period:
                key = (o.type, o.character, tuple(u for u in o.units if not _is_dyad(u)))
                overlaps.setdefault(key, []).extend(u for u in o.units if _is_dyad(u))
        periods.append({"label": period_label(facts, period), "active": active,
                        "overlaps": [f"{upper_first(kind)} overlap ({character}): "
                                     f"{_units_phrase(facts, [*dyads[:1], *others, *dyads[1:]])}"
                                     for (kind, character, others), dyads in overlaps.items()]})
    return {"region": facts.region, "periods": periods}
