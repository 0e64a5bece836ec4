"""Explanations as terminal text and as Graphviz DOT; fact text shown, never obeyed (control characters escaped)."""

from __future__ import annotations

import shlex

from ..controls import visible
from ..diagnosis import OverlapRow
from ..model import FactBase
from ..render.terminal import wrap
from .change import ProposedChange, Unreachable
from .conclusions import entry_lines, label, with_lines
from .explain import Explanation
from .overlaps import AbsentOverlap
from .proof import ProofNode

WIDTH = 100


def _wrapped(text: str, indent: int, hanging: int = 2) -> list[str]:
    return wrap(visible(text, keep="\n\t"), WIDTH, initial_indent=" " * indent,
                subsequent_indent=" " * (indent + hanging), break_on_hyphens=False) or [" " * indent]


def _tree(node: ProofNode, indent: int) -> list[str]:
    lines = _wrapped(("- " if node.kind != "conclusion" else "") + node.text, indent, 4)
    for child in node.children:
        lines += _tree(child, indent + 2)
    return lines


def _change(change: ProposedChange | Unreachable, facts: FactBase, lines: dict[str, int],
            goal: str = "makes it active") -> list[str]:
    if isinstance(change, Unreachable):
        return [f"  No change found that {goal}:", *_wrapped(change.reason, 4)]
    out = [f"  Smallest change that {goal} (checked: the file diagnosed again with it):"]
    if change.drop:
        out += _wrapped("leave out: " + with_lines(change.drop, lines), 4)
    if change.add:
        out += _wrapped("add these entries (save them as fix.yaml, or paste them under the file's "
                        "`practices:`):", 4)
        out += ["      " + visible(line) for line in change.fragment.splitlines()]
    command = ["diagnose", "whatif", facts.path, *(a for d in change.drop for a in ("--drop", d)),
               *(["--add", "fix.yaml"] if change.add else [])]
    out += _wrapped("try it: " + " ".join(shlex.quote(part) for part in command), 4, 4)
    result = change.result
    if isinstance(result, OverlapRow):
        out += _wrapped(f"with it: {label(result)}: {result.character}", 4)
        return out
    out += _wrapped(f"with it: {result.status}" + "".join(f", {q}" for q in (result.phase, result.coupling,
                                                                              result.variant, result.facing) if q),
                    4)
    return out


def _absent(absent: AbsentOverlap, facts: FactBase, lines: dict[str, int]) -> list[str]:
    """An overlap the rules did not conclude: each rule that would, its conditions, and a change."""
    out = _wrapped(absent.text, 0)
    if absent.note:
        out += _wrapped(absent.note, 2)
    if absent.readings:
        out += ["", "  Why not" + (" (any one of these rules suffices):" if len(absent.readings) > 1 else ":")]
    for reading in absent.readings:
        out += _wrapped(f"rule {reading.rule}" + (f" ({reading.scope})" if reading.scope else "") +
                        (f": {reading.concludes}" if reading.concludes else ""), 4, 4)
        for requirement in reading.requirements:
            out += _wrapped(f"{'[holds]' if requirement.holds else '[fails]'} {requirement.text}", 6, 8)
            if requirement.entries:
                out += _wrapped("entries: " + with_lines(requirement.entries, lines), 14)
    if absent.change is not None:
        out += [""] + _change(absent.change, facts, lines, "makes the rules conclude it")
    return out


def to_text(explanations: list[Explanation | AbsentOverlap], facts: FactBase) -> str:
    """Each conclusion: its explanation, how the rules reached it, and for a row not active why not and a change."""
    lines = entry_lines(facts)
    out: list[str] = []
    for explanation in explanations:
        if out:
            out.append("")
        if isinstance(explanation, AbsentOverlap):
            out += _absent(explanation, facts, lines)
            continue
        out += _wrapped(explanation.proof.text, 0)
        out += _wrapped(explanation.conclusion.explanation, 2)
        out += ["", "  How the rules concluded it:"]
        for child in explanation.proof.children:
            out += _tree(child, 4)
        if explanation.conditions:
            out += ["", "  Why not active" + (" (any one of these suffices):" if all(
                c.alternative for c in explanation.conditions) else ":")]
            for condition in explanation.conditions:
                mark = {True: "[holds]", False: "[fails]", None: "[note] "}[condition.holds]
                out += _wrapped(f"{mark} {condition.text}", 4, 8)
                if condition.entries:
                    out += _wrapped("entries: " + with_lines(condition.entries, lines), 12)
        if explanation.change is not None:
            out += [""] + _change(explanation.change, facts, lines)
    return "".join(line.rstrip() + "\n" for line in out)


def _dot_text(text: str) -> str:
    """A DOT label: quoted, backslashes and quotes escaped, control characters spelled out, long lines broken."""
    escaped = visible(text).replace("\\", "\\\\").replace('"', '\\"')
    return "\\n".join(wrap(escaped, 60, break_on_hyphens=False)) or " "


_SHAPES = {"conclusion": "box, style=bold", "rule": "ellipse", "fact": "box, style=rounded", "entry": "note",
           "threshold": "plaintext", "relation": "plaintext", "see_above": "box, style=dashed"}


def to_dot(explanations: list[Explanation | AbsentOverlap]) -> str:
    """The proof trees as one Graphviz digraph (`dot -Tsvg`), each conclusion at a root; conditions that fail for
    a row not active hang from it in red. An overlap not concluded is a dashed root, the rules that would conclude
    it under it, each with its conditions (those that fail in red)."""
    out = ["digraph explain {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=10];']
    counter = iter(range(1_000_000))

    def add(node: ProofNode) -> str:
        name = f"n{next(counter)}"
        out.append(f'  {name} [shape={_SHAPES.get(node.kind, "box")}, label="{_dot_text(node.text)}"];')
        for child in node.children:
            out.append(f"  {name} -> {add(child)};")
        return name

    def node(shape: str, text: str) -> str:
        name = f"n{next(counter)}"
        out.append(f'  {name} [shape={shape}, label="{_dot_text(text)}"];')
        return name

    for explanation in explanations:
        if isinstance(explanation, AbsentOverlap):
            root = node("box, style=\"bold,dashed\"", explanation.text)
            for reading in explanation.readings:
                rule = node("ellipse", f"rule {reading.rule}" + (f" ({reading.scope})" if reading.scope else ""))
                out.append(f"  {root} -> {rule} [style=dashed];")
                for requirement in reading.requirements:
                    shape = "box" if requirement.holds else "box, color=red"
                    name = node(shape, ("holds: " if requirement.holds else "fails: ") + requirement.text)
                    out.append(f"  {rule} -> {name}" + ("" if requirement.holds else " [color=red]") + ";")
            continue
        root = add(explanation.proof)
        for condition in explanation.conditions:
            if condition.holds is False:
                name = f"n{next(counter)}"
                out.append(f'  {name} [shape=box, color=red, label="{_dot_text("fails: " + condition.text)}"];')
                out.append(f"  {root} -> {name} [color=red, style=dashed];")
    out.append("}")
    return "\n".join(out) + "\n"
