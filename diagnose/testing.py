"""Helpers that make a rule test a few lines long (pytest or plain asserts).

    from diagnose.testing import run, assert_concludes, assert_not_concludes

    def test_greece_turkey():
        result = run("facts/greece_turkey.yaml")
        assert_concludes(result, type="relational", units=("dyad:GRC-TUR", "group:NATO"))
        assert_not_concludes(result, unit="dyad:GRC-TUR", status="broken_down")

``run`` takes a path or a YAML string; a failed assertion shows the whole
diagnosis as text, so you see what the rules did conclude.
"""

from __future__ import annotations

import dataclasses
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Iterable, Mapping

from .api import diagnose
from .diagnosis import Diagnosis, MechanismRow, OverlapRow
from .load import load_facts
from .names import did_you_mean
from .packs import rulebase
from .render.text import render_text

_OVERLAP_KEYS = {"type", "units", "character", "dimension", "on"}


def run(source: str | Path, packs: Iterable[str] = (), thresholds: Mapping[str, Any] | None = None,
        builtin: bool = True) -> Diagnosis:
    """Diagnose a fact file (a path) or a YAML string with the given packs and thresholds."""
    rules = rulebase(tuple(str(p) for p in packs), builtin=builtin)
    text = str(source)
    if "\n" in text or not Path(text).exists():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "facts.yaml"
            path.write_text(textwrap.dedent(text), encoding="utf-8")
            return diagnose(load_facts(path, rules), rules, thresholds=thresholds)
    return diagnose(load_facts(text, rules), rules, thresholds=thresholds)


def matching(diagnosis: Diagnosis, **expected: Any) -> list[MechanismRow | OverlapRow]:
    """Rows whose fields equal every ``expected`` value (overlaps when an overlap field is named).

    A keyword that is no field of the rows is an error, so a typo cannot make
    a negative assertion pass by matching nothing.
    """
    overlap = bool(_OVERLAP_KEYS & expected.keys())
    rows = diagnosis.overlaps if overlap else diagnosis.mechanisms
    fields = [f.name for f in dataclasses.fields(OverlapRow if overlap else MechanismRow)]
    for key in expected:
        if key not in fields:
            raise TypeError(f"no field '{key}' on {'overlap' if overlap else 'mechanism'} rows"
                            f"{did_you_mean(key, fields)}; fields: {', '.join(fields)}")
    wanted = {k: tuple(v) if k == "units" else v for k, v in expected.items()}
    return [row for row in rows if all(getattr(row, k, object()) == v for k, v in wanted.items())]


def _describe(expected: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in expected.items())


def assert_concludes(diagnosis: Diagnosis, **expected: Any) -> MechanismRow | OverlapRow:
    """Assert that some row matches ``expected``; return it."""
    rows = matching(diagnosis, **expected)
    if not rows:
        raise AssertionError(f"no conclusion with {_describe(expected)}; the diagnosis was:\n\n"
                             f"{render_text(diagnosis)}")
    return rows[0]


def assert_not_concludes(diagnosis: Diagnosis, **expected: Any) -> None:
    """Assert that no row matches ``expected``."""
    rows = matching(diagnosis, **expected)
    if rows:
        shown = "\n".join(f"  {row}" for row in rows)
        raise AssertionError(f"unexpected conclusion with {_describe(expected)}:\n{shown}\n\nthe diagnosis was:\n\n"
                             f"{render_text(diagnosis)}")
