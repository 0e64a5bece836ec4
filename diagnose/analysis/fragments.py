"""YAML fragments: entries written apart from a fact file and read as if pasted at the end of its sections.

A fragment is a mapping of list sections (`practices`, `wars`, `alliances`,
…, `strategies`, `junctures`) to entries, exactly as in a fact file. It is
read with the file and validated with it, so every problem is reported at
the line of the file it is in: the fact file's, or the fragment's.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Mapping

from ..errors import DiagnoseError, FactFileError, Problem
from ..load import LIST_SECTIONS, load_document
from ..model import FactBase
from ..names import did_you_mean
from ..yamlread import Document, read_yaml, refused

FRAGMENT_SHAPE = "a mapping of sections (practices, wars, alliances, ...) to lists of entries"
_INDEXED = re.compile(r"^([a-z_]+)\[(\d+)\]")


def read_fragment(path: str) -> Document:
    """A fragment file, its shape checked: every key a list section, every value a list."""
    document = read_yaml(path, expected=FRAGMENT_SHAPE)
    data = document.data
    if not isinstance(data, dict):
        raise FactFileError(path, [Problem(f"expected {FRAGMENT_SHAPE}", document.line(()) or 1)])
    problems = []
    for key, value in data.items():
        if key not in LIST_SECTIONS:
            problems.append(Problem(f"not a section of entries{did_you_mean(key, LIST_SECTIONS)}; expected one of "
                                    f"{', '.join(LIST_SECTIONS)}", document.line((key,)), str(key)))
        elif not isinstance(value, list):
            problems.append(Problem("expected a list of entries", document.line((key,)), key))
    if problems:
        raise refused(path, problems)
    return document


def _merge(base: Document, fragment: Document) -> Document:
    """``base`` with the fragment's entries after those of each section; each path keeps its own line."""
    data = dict(base.data)
    lines = dict(base.lines)
    for section, entries in fragment.data.items():
        before = data.get(section) if isinstance(data.get(section), list) else []
        data[section] = [*before, *entries]
        for path, line in fragment.lines.items():
            if len(path) >= 2 and path[0] == section and isinstance(path[1], int):
                lines[(section, path[1] + len(before), *path[2:])] = line
            elif path == (section,) and (section,) not in lines:
                lines[path] = line
    return Document(data, lines)


def load_with_fragments(path: str, fragments: Iterable[str], rulebase: Any) -> FactBase:
    """The fact file ``path`` with the entries of each fragment file appended to its sections, validated together.

    Problems are reported against the file they are in: an entry of a
    fragment by its index in the fragment (``practices[0]``) and its line there.
    """
    document = read_yaml(path)
    if not isinstance(document.data, dict):  # the loader says what is wrong with it
        return load_document(path, document, rulebase)
    owners: list[tuple[str, dict[str, int]]] = []  # (fragment path, where its entries start in each section)
    for fragment_path in fragments:
        fragment = read_fragment(fragment_path)
        starts = {section: len(document.data.get(section) or []) if isinstance(document.data.get(section), list)
                  else 0 for section in fragment.data}
        owners.append((fragment_path, starts))
        document = _merge(document, fragment)
    try:
        return load_document(path, document, rulebase)
    except FactFileError as error:
        raise _attributed(path, error.problems, owners) from None


def load_with_entries(document: Document, path: str, sections: Mapping[str, list[Mapping[str, Any]]],
                      rulebase: Any) -> FactBase:
    """The fact file read as ``document`` (from ``path``) with ``sections``' entries appended, validated."""
    fragment = Document({section: [dict(e) for e in entries] for section, entries in sections.items()}, {})
    return load_document(path, _merge(document, fragment), rulebase)


def _attributed(path: str, problems: list[Problem], owners: list[tuple[str, dict[str, int]]]) -> DiagnoseError:
    """The problems of a merged load, each under the file its entry came from, renumbered within it."""
    by_file: dict[str, list[Problem]] = {path: []}
    for problem in problems:
        owner, key = path, problem.key
        match = _INDEXED.match(problem.key or "")
        if match:
            section, index = match[1], int(match[2])
            for fragment_path, starts in reversed(owners):
                if section in starts and index >= starts[section]:
                    owner = fragment_path
                    key = f"{section}[{index - starts[section]}]{problem.key[match.end():]}"  # type: ignore[index]
                    break
        by_file.setdefault(owner, []).append(Problem(problem.message, problem.line, key))
    return DiagnoseError("\n".join(FactFileError(name, found).message for name, found in by_file.items() if found))


def drop_problems(facts: FactBase, ids: Iterable[str]) -> list[str]:
    """Why each of ``ids`` cannot be left out of ``facts`` (a declaration, an unknown id), one line each."""
    known = [item.id for item in (*facts.entries, *facts.strategies, *facts.junctures)]
    declarations = {"states", *(u.declaration for u in (*facts.subregions, *facts.groups) if u.declaration)}
    problems = []
    for fact_id in dict.fromkeys(ids):
        if fact_id in declarations:
            problems.append(f"{facts.path}: --drop {fact_id}: a declaration, not an entry; only entries, "
                            f"strategies and junctures can be left out")
        elif fact_id not in known:
            problems.append(f"{facts.path}: --drop {fact_id}: no entry, strategy or juncture has this id"
                            f"{did_you_mean(fact_id, known)}")
    return problems


def without(facts: FactBase, ids: Iterable[str]) -> FactBase:
    """``facts`` without the entries, strategies and junctures ``ids`` (a `DiagnoseError` for an unknown id)."""
    ids = list(ids)
    problems = drop_problems(facts, ids)
    if problems:
        raise DiagnoseError("\n".join(problems))
    return facts.without(ids)


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return text if _PLAIN.match(text) and text.lower() not in _RESERVED else json.dumps(text, ensure_ascii=False)


def fragment_yaml(sections: Mapping[str, list[Mapping[str, Any]]]) -> str:
    """Entries as a fragment a user can save (for `whatif --add`) or paste under the sections of a fact file.

    Lists are written inline (`among: [GRC, TUR]`); texts quoted wherever
    they could read as something else (JSON quoting, which YAML reads too).
    """
    out = []
    for section, entries in sections.items():
        out.append(f"{section}:")
        for entry in entries:
            for i, (key, value) in enumerate(entry.items()):
                shown = "[" + ", ".join(_scalar(v) for v in value) + "]" if isinstance(value, (list, tuple)) \
                    else _scalar(value)
                out.append(f"{'  - ' if i == 0 else '    '}{key}: {shown}")
    return "\n".join(out) + "\n"
