"""What changed between two diagnoses: conclusions added, removed and changed, each with the entries behind it.

Conclusions are matched by `conclusion_key` and compared by
`conclusion_verdict` (status, variant, facing, phase, coupling; an
overlap's character), the same identity the brief's decisive facts use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from ..controls import visible
from ..decisive import Conclusion, conclusion_key, conclusion_verdict
from ..diagnosis import Diagnosis
from ..errors import DiagnoseError
from ..model import FactBase
from ..names import did_you_mean
from .conclusions import entry_lines, identity, label, verdict, verdict_text, with_lines


@dataclass(frozen=True)
class Change:
    """One conclusion that is new, gone, or says something else."""

    change: str  # added | removed | changed
    before: Conclusion | None
    after: Conclusion | None
    causes: tuple[str, ...]
    """Ids of the entries behind the change: between two files, its evidence that was added, removed or edited;
    between two periods, the entries behind one of the two conclusions only."""

    @property
    def conclusion(self) -> Conclusion:
        return self.after if self.after is not None else self.before  # type: ignore[return-value]


@dataclass(frozen=True)
class EntryChanges:
    """Entries (with strategies and junctures) of the new file that are new, gone or edited, by id."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.edited)


@dataclass(frozen=True)
class DiagnosisDiff:
    """The changes between an old and a new diagnosis, with what differs in their inputs."""

    changes: tuple[Change, ...]
    entries: EntryChanges = field(default_factory=EntryChanges)
    thresholds: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Thresholds whose value differs: name -> (old, new)."""
    lines: dict[str, int] = field(default_factory=dict)
    """The line of every entry named, in the new file (or the old one, for entries it alone has)."""
    sides: tuple[str, str] = ("old", "new")

    def __bool__(self) -> bool:
        """Whether any conclusion changed (what `diagnose diff`'s exit status says)."""
        return bool(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sides": list(self.sides),
            "changes": [{"change": c.change, "conclusion": identity(c.conclusion),
                         "before": verdict(c.before) if c.before is not None else None,
                         "after": verdict(c.after) if c.after is not None else None,
                         "causes": [{"id": i, "line": self.lines.get(i)} for i in c.causes]}
                        for c in self.changes],
            "entries": {"added": list(self.entries.added), "removed": list(self.entries.removed),
                        "edited": list(self.entries.edited)},
            "thresholds": {name: {"before": old, "after": new} for name, (old, new) in self.thresholds.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """One block per change; nothing at all when no conclusion changed (like `diff`)."""
        if not self.changes:
            return ""
        old, new = self.sides
        out = []
        for name, (before, after) in self.thresholds.items():
            out.append(f"threshold {name}: {before} -> {after}")
        for c in self.changes:
            if c.change == "changed":
                head = f"changed  {label(c.conclusion)}: {verdict_text(c.before)} ({old}) -> "  # type: ignore[arg-type]
                head += f"{verdict_text(c.after)} ({new})"  # type: ignore[arg-type]
            elif c.change == "added":
                head = f"added    {label(c.conclusion)}: {verdict_text(c.conclusion)} (only in {new})"
            else:
                head = f"removed  {label(c.conclusion)}: {verdict_text(c.conclusion)} (only in {old})"
            out.append(head)
            if c.causes:
                out.append("         because of: " + with_lines(c.causes, self.lines))
            else:
                out.append("         because of: " + ("the thresholds changed" if self.thresholds else
                                                      "no entry of its own evidence changed (an effect through "
                                                      "other conclusions)"))
        return "".join(visible(line) + "\n" for line in out)


def _comparable(item: Any) -> Any:
    """An entry as compared across files: everything but where it stands in the file."""
    return replace(item, line=0)


def entry_changes(old: FactBase, new: FactBase) -> EntryChanges:
    """Entries, strategies and junctures added, removed or edited between two fact bases, by id."""
    def by_id(facts: FactBase) -> dict[str, Any]:
        return {item.id: item for item in (*facts.entries, *facts.strategies, *facts.junctures)}

    before, after = by_id(old), by_id(new)
    return EntryChanges(tuple(sorted(after.keys() - before.keys())), tuple(sorted(before.keys() - after.keys())),
                        tuple(sorted(i for i in before.keys() & after.keys()
                                     if _comparable(before[i]) != _comparable(after[i]))))


def _changes(before: dict[tuple, Conclusion], after: dict[tuple, Conclusion],
             causes_of: Callable[[set[str], set[str]], set[str]]) -> tuple[Change, ...]:
    """The changes from ``before`` to ``after``; ``causes_of(old ids, new ids)`` picks the causes of each."""
    out = []
    for key in dict.fromkeys((*before, *after)):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and conclusion_verdict(old) == conclusion_verdict(new):
            continue
        causes = tuple(sorted(causes_of(set(old.facts if old else ()), set(new.facts if new else ()))))
        kind = "changed" if old is not None and new is not None else ("added" if old is None else "removed")
        out.append(Change(kind, old, new, causes))
    return tuple(out)


def _keyed(conclusions: Iterable[Conclusion]) -> dict[tuple, Conclusion]:
    return {conclusion_key(c): c for c in conclusions}


def compare(old: Diagnosis, new: Diagnosis, old_facts: FactBase, new_facts: FactBase,
            sides: tuple[str, str] = ("old", "new")) -> DiagnosisDiff:
    """The conclusions of ``new`` against those of ``old``, with the entries edited between their files.

    A change's causes are the ids of its evidence that were added, removed or
    edited between the two files.
    """
    entries = entry_changes(old_facts, new_facts)
    touched = {*entries.added, *entries.removed, *entries.edited}
    before = _keyed((*old.mechanisms, *old.overlaps))
    after = _keyed((*new.mechanisms, *new.overlaps))
    thresholds = {name: (old.thresholds.get(name), new.thresholds.get(name))
                  for name in dict.fromkeys((*old.thresholds, *new.thresholds))
                  if old.thresholds.get(name) != new.thresholds.get(name)}
    return DiagnosisDiff(_changes(before, after, lambda old_ids, new_ids: (old_ids | new_ids) & touched),
                         entries, thresholds,
                         {**entry_lines(old_facts), **entry_lines(new_facts)}, sides)


def compare_periods(diagnosis: Diagnosis, facts: FactBase, first: str, second: str) -> DiagnosisDiff:
    """The conclusions of period ``second`` against those of ``first`` in one diagnosis.

    Conclusions are matched on everything but their period; a change's
    causes are the entries behind one of the two conclusions only.
    """
    known = [p for p in facts.period_ids if p is not None]
    problems = [f"unknown period '{p}'" + (did_you_mean(p, known) if known else " (the file declares no periods)")
                for p in dict.fromkeys((first, second)) if p not in known]
    if problems:
        raise DiagnoseError(f"{facts.path}: " + "; ".join(problems))

    def of(period: str) -> dict[tuple, Conclusion]:
        return {conclusion_key(replace(c, period=None)): c for c in (*diagnosis.mechanisms, *diagnosis.overlaps)
                if c.period == period}

    before, after = of(first), of(second)
    lines = entry_lines(facts)
    return DiagnosisDiff(_changes(before, after, lambda old_ids, new_ids: (old_ids ^ new_ids) & lines.keys()),
                         lines=lines, sides=(first, second))
