"""The smallest change that makes a mechanism active in a row, found by diagnosing the file again.

From the conditions that fail (`diagnose.analysis.whynot`), a candidate
change: entries of the missing kinds among the row's states (in its period
and slice), and the war or balancing that holds it back left out. The file
is diagnosed with the candidate; while the row is not active, the conditions
of that run extend it. Once it is active, each part is taken back in turn
wherever the row stays active without it. Every step is a real run of the
rules, so the change proposed is one that works, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..api import diagnose
from ..decisive import conclusion_key
from ..diagnosis import Diagnosis, MechanismRow, OverlapRow
from ..errors import DiagnoseError
from ..model import FactBase
from ..packs import RuleBase
from ..structure import DIMENSIONS
from ..yamlread import read_yaml
from .fragments import fragment_yaml, load_with_entries, without
from .proof import Recorder
from .whynot import Condition, conditions, unit_of

MAX_STEPS = 6
"""Rounds of extending a candidate change before giving up (the built-in rules need at most three)."""
SOURCE = "proposed by diagnose explain"


@dataclass(frozen=True)
class ProposedChange:
    """Entries to add (as a fragment) and entries to leave out; checked: with them, the row is active."""

    add: tuple[dict[str, Any], ...]
    drop: tuple[str, ...]
    result: MechanismRow | OverlapRow
    """The row (or the overlap) as the rules conclude it with the change."""

    @property
    def fragment(self) -> str:
        """The entries to add, as YAML to save for `whatif --add` or paste under the file's sections."""
        return fragment_yaml({"practices": list(self.add)}) if self.add else ""


@dataclass(frozen=True)
class Unreachable:
    """No change found: why."""

    reason: str


class _Trial:
    """Runs the fact file with candidate changes."""

    def __init__(self, facts: FactBase, rules: RuleBase, thresholds: Mapping[str, Any]):
        self.facts = facts
        self.rules = rules
        self.thresholds = dict(thresholds)
        self.document = read_yaml(facts.path)

    def run(self, add: list[dict[str, Any]], drop: list[str]) -> tuple[FactBase, Diagnosis, Recorder]:
        changed = load_with_entries(self.document, self.facts.path, {"practices": add}, self.rules) if add \
            else self.facts
        changed = without(changed, drop)
        recorder = Recorder()
        return changed, diagnose(changed, self.rules, thresholds=self.thresholds, trace=recorder), recorder


def _row(diagnosis: Diagnosis, key: tuple) -> MechanismRow | None:
    return next((r for r in diagnosis.mechanisms if conclusion_key(r) == key), None)


def _entry(kind: str, key: tuple, facts: FactBase, taken: set[str]) -> dict[str, Any]:
    _, _, unit_id, period, *slice_values = key
    unit = unit_of(facts, unit_id)
    assert unit is not None
    entry_id = f"proposed_{kind}"
    number = 1
    while entry_id in taken:
        number += 1
        entry_id = f"proposed_{kind}_{number}"
    taken.add(entry_id)
    states = sorted(unit.states)
    if unit.kind == "dyad":
        actors: dict[str, Any] = {"between": states}
    elif unit.kind in ("group", "subregion"):
        actors = {"among": unit.name}
    else:
        actors = {"among": states}
    entry: dict[str, Any] = {"id": entry_id, "kind": kind, **actors}
    if period is not None:
        entry["period"] = period
    for dim, value in zip(DIMENSIONS, slice_values):
        if value is not None:
            entry[dim] = value
    entry["source"] = SOURCE
    return entry


def smallest_change(facts: FactBase, rules: RuleBase, thresholds: Mapping[str, Any],
                    row: MechanismRow) -> ProposedChange | Unreachable:
    """A change of the file with which ``row``'s mechanism is active in its unit, period and slice, or why none is
    found. ``thresholds`` are those in force (the change leaves them alone)."""
    key = conclusion_key(row)
    mechanism = row.mechanism
    trial = _Trial(facts, rules, thresholds)
    taken = {item.id for item in (*facts.entries, *facts.strategies, *facts.junctures)}
    add: list[dict[str, Any]] = []
    drop: list[str] = []
    tried_kinds: set[str] = set()
    for _ in range(MAX_STEPS):
        try:
            changed, diagnosis, recorder = trial.run(add, drop)
        except DiagnoseError as error:
            return Unreachable(f"the entries proposed are refused: {error}")
        now = _row(diagnosis, key)
        if now is not None and now.status == "active":
            return _minimal(trial, key, add, drop, now)
        failing = [c for c in conditions(key, diagnosis, changed, recorder, rules)
                   if c.holds is False]
        if not failing:
            return Unreachable(_no_reader(mechanism, now, add, drop))
        more_add, more_drop = extension(key, failing, facts, taken, tried_kinds, drop)
        if not more_drop and not more_add:
            return Unreachable("no entry can be added or left out to meet: " +
                               "; ".join(c.text for c in failing))
        drop += more_drop
        add += more_add
    return Unreachable(f"no change found in {MAX_STEPS} rounds of adding the kinds missing and leaving out what "
                       f"holds it back")


def extension(key: tuple, failing: list[Condition], facts: FactBase, taken: set[str], tried_kinds: set[str],
              drop: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """One round of extending a change toward ``key``'s mechanism being active, from the conditions that fail:
    the entries to leave out (not already in ``drop``) and entries of kinds missing (not tried before: each kind
    is added to ``tried_kinds``, each new id to ``taken``)."""
    mechanism = key[1]
    more_drop = list(dict.fromkeys(i for c in _needed(failing) for i in c.drop if i not in drop))
    more_add = []
    for condition in _needed(failing):
        kinds = [k for k, m in facts.vocabulary.items()
                 if m == mechanism and k not in condition.present and k not in tried_kinds]
        for kind in kinds[:condition.add]:
            tried_kinds.add(kind)
            more_add.append(_entry(kind, key, facts, taken))
    return more_add, more_drop


def _needed(failing: list[Condition]) -> list[Condition]:
    """The conditions to meet: all that fail, or of alternatives (any one suffices) the first."""
    required = [c for c in failing if not c.alternative]
    return required or failing[:1]


def _no_reader(mechanism: str, row: MechanismRow | None, add: list[dict[str, Any]], drop: list[str]) -> str:
    """Why the search stops: the row is still not active, and no condition it can read fails any more."""
    tried = []
    if drop:
        tried.append("leaving out " + ", ".join(drop))
    if add:
        tried.append("adding " + ", ".join(str(entry.get("kind", "an entry")) for entry in add))
    after = f"after {' and '.join(tried)}, " if tried else ""
    if row is None:
        return (f"{after}this row is no longer diagnosed (no entry left names or covers the unit in this period), "
                f"so no change of these entries makes {mechanism.replace('_', ' ')} active here.")
    return (f"{after}{mechanism.replace('_', ' ')} is still {row.status.replace('_', ' ')} here, and none of the "
            f"conditions read for this row fails any more, so no further change is proposed. "
            f"The rules say: {row.explanation}")


def _minimal(trial: _Trial, key: tuple, add: list[dict[str, Any]], drop: list[str],
             active: MechanismRow) -> ProposedChange:
    """Take back each part of a working change the row stays active without (a real run each)."""
    def still_active(add_: list[dict[str, Any]], drop_: list[str]) -> MechanismRow | None:
        try:
            _, diagnosis, _ = trial.run(add_, drop_)
        except DiagnoseError:
            return None
        found = _row(diagnosis, key)
        return found if found is not None and found.status == "active" else None

    return minimal(still_active, add, drop, active)


def minimal(check: Callable[[list[dict[str, Any]], list[str]], Any], add: list[dict[str, Any]], drop: list[str],
            result: Any) -> ProposedChange:
    """Take back each part of a working change (entries left out, then entries added) wherever ``check`` (a real
    run, returning what the change achieves or None) still finds the change working without it."""
    for fact_id in list(drop):
        fewer = [d for d in drop if d != fact_id]
        found = check(add, fewer)
        if found is not None:
            drop, result = fewer, found
    for entry in list(add):
        fewer = [a for a in add if a is not entry]
        found = check(fewer, drop)
        if found is not None:
            add, result = fewer, found
    return ProposedChange(tuple(add), tuple(drop), result)
