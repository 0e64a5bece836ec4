"""Decisive facts: which pieces of evidence a conclusion stands or falls on.

A conclusion is re-derived with each of its supporting entries (practices,
strategies, junctures) left out in turn; an entry is decisive when, without
it, the conclusion disappears or changes (another status, variant,
facing, phase, coupling or character). The engine is re-run for real, so the answer follows every rule
in force, thresholds included, rather than a guess from counting kinds; only
the partitions the entry reaches run again (`diagnose.api.diagnose_without`),
with the same answer as a whole new run.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .api import Stages, diagnose_keeping, diagnose_without
from .diagnosis import Diagnosis, MechanismRow, OverlapRow
from .model import FactBase
from .packs import RuleBase, rulebase

Conclusion = MechanismRow | OverlapRow


def conclusion_key(conclusion: Conclusion) -> tuple:
    """What identifies a conclusion across two runs (its evidence and wording may differ)."""
    if isinstance(conclusion, MechanismRow):
        return ("mechanism", conclusion.mechanism, conclusion.unit, conclusion.period, conclusion.sector,
                conclusion.agency, conclusion.issue)
    return ("overlap", conclusion.type, conclusion.units, conclusion.period, conclusion.dimension,
            tuple(sorted((conclusion.on or {}).items())))


def conclusion_verdict(conclusion: Conclusion) -> tuple:
    """What a conclusion says: a change here is a changed judgement.

    For a mechanism row, its status and every qualifier of it: a balance that
    faces inward instead of outward, a community that is ascendant instead of
    mature or loosely instead of tightly coupled says something else.
    """
    if isinstance(conclusion, MechanismRow):
        return conclusion.status, conclusion.variant, conclusion.facing, conclusion.phase, conclusion.coupling
    return (conclusion.character,)


class LeaveOneOut:
    """Counterfactual diagnoses of one fact base, each without one entry.

    Several conclusions usually share evidence: one `LeaveOneOut` for a whole
    report runs each partition once per entry left out, whichever conclusions
    ask for it. A caller that diagnosed the facts with `diagnose_keeping`
    passes what it kept (``kept``), which saves a run.
    """

    def __init__(self, facts: FactBase, packs: Iterable[str] | RuleBase | None = None, *,
                 thresholds: Mapping[str, float] | None = None, kept: Stages | None = None):
        self.facts = facts
        self.rules = packs if isinstance(packs, RuleBase) else rulebase(tuple(packs or ()))
        self.thresholds = dict(thresholds or {})
        self._removable = {item.id for item in (*facts.entries, *facts.strategies, *facts.junctures)}
        self._without: dict[tuple[str, tuple], dict[tuple, Conclusion]] = {}
        self._kept = kept  # from `diagnose_keeping` on the same facts, rules and thresholds, if the caller ran it
        self._partitions: dict[str, dict] = {}  # per entry left out: the partitions run so far without it

    def without(self, fact_id: str) -> Diagnosis:
        """The diagnosis of the fact base with the entry ``fact_id`` left out (ids of the others unchanged)."""
        return diagnose_without(self.facts, fact_id, self.rules, self._kept_run(), thresholds=self.thresholds)

    def _kept_run(self) -> Stages:
        if self._kept is None:
            self._kept = diagnose_keeping(self.facts, self.rules, thresholds=self.thresholds)[1]
        return self._kept

    def outcome(self, conclusion: Conclusion, fact_id: str) -> Conclusion | None:
        """The same conclusion drawn without ``fact_id``, or None when it is no longer drawn.

        Only what decides ``conclusion`` runs again (its unit's rows, or its
        overlap's partitions), once per entry and unit or overlap.
        """
        key = conclusion_key(conclusion)
        target = (key[0], key[2]) if isinstance(conclusion, MechanismRow) else key
        if (fact_id, target) not in self._without:
            result = diagnose_without(self.facts, fact_id, self.rules, self._kept_run(),
                                      thresholds=self.thresholds, only=conclusion,
                                      memo=self._partitions.setdefault(fact_id, {}))
            self._without[(fact_id, target)] = {conclusion_key(c): c for c in (*result.mechanisms, *result.overlaps)}
        return self._without[(fact_id, target)].get(key)

    def supporting(self, conclusion: Conclusion) -> tuple[str, ...]:
        """The conclusion's fact ids that can be left out: entries, strategies, junctures (not declarations)."""
        return tuple(i for i in conclusion.facts if i in self._removable)

    def decisive(self, conclusion: Conclusion) -> tuple[str, ...]:
        """Supporting ids without which ``conclusion`` disappears or changes, in the order of its facts."""
        decisive = []
        for fact_id in self.supporting(conclusion):
            after = self.outcome(conclusion, fact_id)
            if after is None or conclusion_verdict(after) != conclusion_verdict(conclusion):
                decisive.append(fact_id)
        return tuple(decisive)


def decisive_facts(facts: FactBase, conclusion: Conclusion, packs: Iterable[str] | RuleBase | None = None, *,
                   thresholds: Mapping[str, float] | None = None) -> tuple[str, ...]:
    """The ids of ``conclusion``'s supporting entries whose removal makes it disappear or change.

    ``conclusion`` is a row of ``diagnose(facts, packs, thresholds=thresholds)``;
    pass the same packs and thresholds. For many conclusions of one file, keep
    a `LeaveOneOut` instead: it runs the engine once per entry for all of them.
    """
    return LeaveOneOut(facts, packs, thresholds=thresholds).decisive(conclusion)
