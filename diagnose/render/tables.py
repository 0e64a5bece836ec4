"""Tables of a diagnosis: one CSV line per conclusion, for spreadsheets and data frames.

Every cell is fact text or derived from it, so a cell a spreadsheet would run
as a formula is written as text (see `cell`), and lists (rules, fact ids,
units) are joined with spaces, never with the separator.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Mapping

from ..diagnosis import Diagnosis

MECHANISM_COLUMNS = ("mechanism", "unit", "period", "sector", "agency", "issue", "status", "variant", "facing",
                     "phase", "coupling", "explanation", "rules", "facts")
OVERLAP_COLUMNS = ("type", "units", "period", "character", "mechanisms", "dimension", "on", "explanation", "rules",
                   "facts")
CONCLUSION_COLUMNS = ("conclusion", "unit", "period", "mechanism", "sector", "agency", "issue", "status", "variant",
                      "facing", "phase", "coupling", "type", "character", "explanation", "facts")
"""Mechanism rows and overlaps in one table: `conclusion` says which; an overlap's units and mechanisms are joined."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A value as CSV text: None empty, lists joined by spaces, mappings as `key=value`; a text a spreadsheet
    would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) begins with `'`."""
    if value is None:
        text = ""
    elif isinstance(value, Mapping):
        text = " ".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        text = " ".join(str(v) for v in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...]) -> str:
    """``rows`` as CSV with a header, LF line ends. A line holding a carriage return quotes every cell (the writer,
    ending lines in LF, would otherwise leave it bare)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        cells = [cell(row.get(column)) for column in columns]
        (quoted if any("\r" in text for text in cells) else writer).writerow(cells)
    return buffer.getvalue()


def conclusions(diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """Every mechanism row, then every overlap, as rows of `CONCLUSION_COLUMNS`."""
    out: list[dict[str, Any]] = [{"conclusion": "mechanism", **row} for row in diagnosis.rows()]
    for row in diagnosis.overlap_rows():
        out.append({**row, "conclusion": "overlap", "unit": row["units"], "mechanism": row["mechanisms"],
                    **({row["dimension"]: " ".join(sorted(set(row["on"].values())))} if row["on"] else {})})
    return out


def mechanisms_csv(diagnosis: Diagnosis) -> str:
    """`run --format csv`: one line per mechanism row."""
    return to_csv(diagnosis.rows(), MECHANISM_COLUMNS)


def overlaps_csv(diagnosis: Diagnosis) -> str:
    """`run --format csv --overlaps`: one line per overlap."""
    return to_csv(diagnosis.overlap_rows(), OVERLAP_COLUMNS)
