"""The tables `diagnose import` reads: file names, layouts, versions, coverage, and a CSV reader that names
the file, line and column of any value it cannot read."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import DiagnoseError, FactFileError, Problem


ATOP_PROVISIONS = ("defense", "offense", "neutral", "nonagg", "consul", "milcon", "intcom", "base", "milaid",
                   "organ1", "armred", "specthrt", "ecaid")
"""The ATOP treaty provisions a coding scheme may read (ATOP codebook names; a blank cell reads as 0)."""


@dataclass(frozen=True)
class Dataset:
    """One source table in the layout that peacesciencer (or ATOP) exports."""

    key: str
    label: str
    version: str
    file: str
    columns: tuple[str, ...]
    first: int
    last: int
    """The years the source covers: outside them a fact is unknown, not absent."""


DATASETS: dict[str, Dataset] = {d.key: d for d in (
    Dataset("states", "COW state system", "2016", "cw_system.csv", ("ccode", "cw_abb", "cw_name", "start", "end"),
            1816, 2016),
    Dataset("atop", "ATOP", "4.01", "atop-member-level.csv",
            ("atopid", "member", "yrent", "yrexit", "phase", *ATOP_PROVISIONS), 1815, 2016),
    Dataset("mids", "COW MID", "5", "cow_mid_ddydisps.csv",
            ("dispnum", "ccode1", "ccode2", "year", "sidea1", "hostlev1", "hostlev2", "fatality"), 1816, 2014),
    Dataset("wars", "COW inter-state war", "4.0", "cow_war_inter.csv",
            ("warnum", "ccode1", "ccode2", "year", "sidea1", "sidea2"), 1816, 2007),
    Dataset("ucdp", "UCDP/PRIO armed conflict", "25.1", "ucdp_acd.csv",
            ("conflict_id", "year", "gwno_a", "gwno_b", "intensity_level", "type_of_conflict"), 1946, 2024),
    Dataset("arms_races", "Gibler-Rider-Hutchison arms races", "2005", "grh_arms_races.csv",
            ("race_id", "ccode1", "ccode2", "styear", "endyear"), 1816, 1993),
    Dataset("igos", "COW IGO", "3", "cow_igo_ndy.csv", ("ccode1", "ccode2", "year", "dyadigos"), 1816, 2014),
    Dataset("contiguity", "COW direct contiguity", "3.2", "cow_contdir.csv",
            ("ccode1", "ccode2", "conttype", "stdate", "enddate"), 1816, 2016),
)}

GW_TO_COW: tuple[tuple[int, int, int], ...] = (
    # (Gleditsch-Ward code, first year it applies, COW code): only where the two systems differ for a state
    # that both have; every other G-W code is read as the same COW code.
    (260, 1990, 255),   # G-W keeps 260 for united Germany; COW returns to 255 in October 1990
    (340, 2006, 345),   # G-W's Serbia from 2006 is COW's 345 (Yugoslavia, then Serbia)
    (678, 1990, 679),   # G-W keeps 678 for united Yemen; COW gives it 679 from May 1990
)
_DATE = re.compile(r"(-?[0-9]{1,4})-[0-9]{2}-[0-9]{2}")
MAX_PROBLEMS = 20
"""Problems listed per table before the import gives up on it (a table in another layout has thousands)."""


def gw_to_cow(code: int, year: int) -> int:
    for gw, since, cow in GW_TO_COW:
        if code == gw and year >= since:
            return cow
    return code


def find_tables(folders: list[str]) -> dict[str, Path]:
    """The path of each known table in the folders, by file name; a table found twice is an error (which
    copy would be meant is not clear)."""
    found: dict[str, Path] = {}
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            raise DiagnoseError(f"--data {folder}: not a folder; expected a folder of CSV tables "
                                f"(e.g. {', '.join(sorted(d.file for d in DATASETS.values())[:3])}, ...)")
        for dataset in DATASETS.values():
            candidate = path / dataset.file
            if candidate.is_file():
                if dataset.key in found:
                    raise DiagnoseError(f"{candidate}: {dataset.file} is also in {found[dataset.key].parent}; "
                                        f"give only one folder that holds it")
                found[dataset.key] = candidate
    if "states" not in found:
        raise DiagnoseError(f"--data: no {DATASETS['states'].file} (the COW state system) in "
                            f"{', '.join(folders)}; it says which states exist when, and is required")
    return found


class Table:
    """Rows of one CSV table: only the dataset's columns, in its order, with each row's line number.

    Values that cannot be read are collected (file, line, column, what was expected) and raised together
    by `check` once the table is read, or as soon as there are `MAX_PROBLEMS` of them."""

    def __init__(self, path: Path, dataset: Dataset):
        self.path = path
        self.dataset = dataset
        self.problems: list[Problem] = []

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = None
        try:
            with open(self.path, newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                header = next(reader, None) or []
                missing = [c for c in self.dataset.columns if c not in header]
                if missing:
                    raise FactFileError(str(self.path), [Problem(
                        f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}: expected the "
                        f"{self.dataset.label} layout with {', '.join(self.dataset.columns)}", 1)])
                where = [header.index(c) for c in self.dataset.columns]
                width = max(where) + 1
                try:
                    for row in reader:
                        if not row:
                            continue
                        if len(row) < width:
                            self.problem(reader.line_num, None,
                                         f"expected at least {width} values, found {len(row)}")
                            continue
                        yield reader.line_num, [row[i] for i in where]
                except csv.Error as error:
                    self.problem(reader.line_num, None, f"not CSV: {error}")
        except UnicodeDecodeError as error:  # a table saved in another encoding (Latin-1, say)
            read = reader.line_num if reader is not None else 0  # text is decoded ahead of the rows read
            where = f"after line {read}" if read else "in its first lines"
            raise FactFileError(str(self.path), [Problem(
                f"not UTF-8 text: byte {error.object[error.start]:#04x} {where}; save the table as UTF-8",
                read + 1)]) from None
        self.check()

    def problem(self, line: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(message, line, column))
        if len(self.problems) >= MAX_PROBLEMS:
            self.check()

    def check(self) -> None:
        if self.problems:
            raise FactFileError(str(self.path), self.problems)

    def integer(self, text: str, line: int, column: str, *, blank: int | None = None) -> int | None:
        """The value as an integer (`1`, `4.0`); a blank cell is ``blank`` (a missing value)."""
        text = text.strip()
        if not text or text == "NA":
            return blank
        try:
            return int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                value = float("nan")
            if value.is_integer():
                return int(value)
        self.problem(line, column, f"expected a whole number, found '{text}'")
        return None

    def year_of(self, text: str, line: int, column: str) -> int | None:
        """The year of a date written YYYY-MM-DD."""
        match = _DATE.fullmatch(text.strip())
        if not match:
            self.problem(line, column, f"expected a date YYYY-MM-DD, found '{text}'")
            return None
        return int(match.group(1))
