"""Tables: Diagnosis.rows()/overlap_rows() as plain dicts, `run --format csv`, formula cells neutralised."""

from __future__ import annotations

import csv
import io
import json

from conftest import EXAMPLES
from diagnose import diagnose, load_facts
from diagnose.cli import cli
from diagnose.render.tables import MECHANISM_COLUMNS, OVERLAP_COLUMNS, cell, conclusions, to_csv

SOUTHEAST_ASIA = next(e for e in EXAMPLES if e.stem == "southeast_asia")


def plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def test_rows_are_plain_dicts_with_the_same_columns_as_a_data_frame_needs():
    result = diagnose(load_facts(SOUTHEAST_ASIA))
    rows, overlaps = list(result.rows()), list(result.overlap_rows())
    assert len(rows) == len(result.mechanisms) and len(overlaps) == len(result.overlaps)
    assert all(type(r) is dict and tuple(r) == MECHANISM_COLUMNS for r in rows)
    assert all(type(r) is dict and set(r) == set(OVERLAP_COLUMNS) for r in overlaps)
    assert all(plain(r) for r in (*rows, *overlaps))
    assert json.loads(json.dumps(rows)) == rows  # nothing but JSON's types: any data frame library takes them
    functional = next(r for r in overlaps if r["type"] == "functional")
    assert isinstance(functional["on"], dict) and functional["dimension"]


def test_run_csv_has_one_line_per_row_or_per_overlap(cli_runner):
    result = diagnose(load_facts(SOUTHEAST_ASIA))
    out = cli_runner.invoke(cli, ["run", str(SOUTHEAST_ASIA), "--format", "csv"]).stdout
    lines = list(csv.DictReader(io.StringIO(out)))
    assert [(r["unit"], r["mechanism"], r["status"]) for r in lines] == \
        [(r.unit, r.mechanism, r.status) for r in result.mechanisms]
    assert lines[0]["facts"] == " ".join(result.mechanisms[0].facts)
    out = cli_runner.invoke(cli, ["run", str(SOUTHEAST_ASIA), "--format", "csv", "--overlaps"]).stdout
    lines = list(csv.DictReader(io.StringIO(out)))
    assert [(r["type"], r["units"], r["character"]) for r in lines] == \
        [(o.type, " ".join(o.units), o.character) for o in result.overlaps]


def test_overlaps_needs_csv(cli_runner):
    result = cli_runner.invoke(cli, ["run", str(SOUTHEAST_ASIA), "--overlaps"])
    assert result.exit_code == 2 and "--overlaps selects the lines of --format csv" in result.stderr


def test_cells_a_spreadsheet_would_run_are_text():
    assert [cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1")] == \
        ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1"]
    assert (cell(None), cell(["a", "b"]), cell({"x": "y"}), cell(0.5)) == ("", "a b", "x=y", "0.5")
    text = to_csv([{"a": "x\ry", "b": "plain"}], ("a", "b"))
    assert text == 'a,b\n"x\ry","plain"\n'


def test_a_formula_region_is_text_in_every_csv_cell(cli_runner, write_facts):
    path = write_facts("""\
        schema: 1
        region: '=HYPERLINK("http://x","y")'
        states: {AAA: A, BBB: B}
        practices:
          - {kind: deterrence, between: [AAA, BBB]}
          - {kind: arms_race, between: [AAA, BBB]}
        """)
    out = cli_runner.invoke(cli, ["run", str(path), "--format", "csv"]).stdout
    lines = list(csv.DictReader(io.StringIO(out)))
    region = next(r for r in lines if r["unit"] == "region")
    assert region["explanation"].startswith("'=HYPERLINK")
    assert not any(v.startswith(("=", "+", "-", "@")) for r in lines for v in r.values())


def test_conclusions_put_rows_and_overlaps_in_one_table():
    result = diagnose(load_facts(SOUTHEAST_ASIA))
    table = conclusions(result)
    assert [r["conclusion"] for r in table] == ["mechanism"] * len(result.mechanisms) + \
        ["overlap"] * len(result.overlaps)
    functional = next(r for r in table if r.get("type") == "functional")
    assert functional["unit"] == list(functional["units"]) and functional[functional["dimension"]]
