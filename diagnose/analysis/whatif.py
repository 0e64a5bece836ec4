"""What if: the diagnosis of a fact file with entries left out, entries added and thresholds changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..api import diagnose, diagnose_keeping, diagnose_without
from ..diagnosis import Diagnosis
from ..errors import DiagnoseError
from ..model import FactBase
from ..packs import RuleBase, rulebase
from ..thresholds import resolve
from .diff import DiagnosisDiff, compare
from .fragments import drop_problems, load_with_fragments, without


@dataclass(frozen=True)
class WhatIf:
    """The original diagnosis, the one with the changes, and what differs between them."""

    original: Diagnosis
    changed: Diagnosis
    changed_facts: FactBase
    diff: DiagnosisDiff


def what_if(facts: FactBase, packs: Iterable[str] | RuleBase | None = None, *,
            thresholds: Mapping[str, Any] | None = None, drop: Iterable[str] = (), add: Iterable[str] = (),
            changed_thresholds: Mapping[str, Any] | None = None) -> WhatIf:
    """Diagnose ``facts`` as they are and with the changes, and compare.

    ``drop`` names entries (strategies, junctures) to leave out; ``add``
    names fragment files whose entries join the file's sections (see
    `diagnose.analysis.fragments`); ``changed_thresholds`` overrides
    thresholds for the changed run only, on top of ``thresholds``. Bad
    input (an unknown id, a bad fragment, an unknown threshold) raises a
    `DiagnoseError` before anything runs.
    """
    rules = packs if isinstance(packs, RuleBase) else rulebase(tuple(packs or ()))
    before = resolve(rules.thresholds, thresholds or {})
    after = resolve(rules.thresholds, {**before, **(changed_thresholds or {})})
    drop, add = list(drop), list(add)
    problems = drop_problems(facts, drop)
    try:
        added = load_with_fragments(facts.path, add, rules) if add else facts
    except DiagnoseError as error:  # reported with the ids that cannot be dropped, all at once
        raise DiagnoseError("\n".join([error.message, *problems])) from None
    changed_facts = without(added, drop)
    if len(drop) == 1 and not add and after == before:  # the incremental re-run of leaving one entry out
        original, kept = diagnose_keeping(facts, rules, thresholds=before)
        changed = diagnose_without(facts, drop[0], rules, kept, thresholds=before)
    else:
        original = diagnose(facts, rules, thresholds=before)
        changed = diagnose(changed_facts, rules, thresholds=after)
    return WhatIf(original, changed, changed_facts, compare(original, changed, facts, changed_facts,
                                                            sides=("original", "what if")))
