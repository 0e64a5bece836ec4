"""The Diagnosis: what the rules concluded, each conclusion with its evidence."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from .errors import DiagnoseError


@dataclass(frozen=True)
class MechanismRow:
    """A mechanism's status for one unit, period and slice of practices."""

    mechanism: str
    unit: str
    period: str | None
    sector: str | None
    agency: str | None
    issue: str | None
    status: str
    variant: str | None
    facing: str | None
    phase: str | None
    coupling: str | None
    explanation: str
    rules: tuple[str, ...]
    facts: tuple[str, ...]


@dataclass(frozen=True)
class OverlapRow:
    """Two mechanisms shaping the same actors at once, and how it came about."""

    type: str
    units: tuple[str, ...]
    period: str | None
    character: str
    mechanisms: tuple[str, ...]
    explanation: str
    rules: tuple[str, ...]
    facts: tuple[str, ...]
    dimension: str | None = None
    on: dict[str, str] | None = None


@dataclass(frozen=True)
class Diagnosis:
    """The result of `diagnose`: rows sorted so that one file gives one output."""

    region: str
    mechanisms: tuple[MechanismRow, ...]
    overlaps: tuple[OverlapRow, ...]
    periods: tuple[str, ...] = ()
    thresholds: dict[str, Any] = field(default_factory=dict)
    as_of: str | int | None = None
    schema: int = 2

    def active(self, mechanism: str | None = None) -> list[MechanismRow]:
        """Rows whose status is active, optionally of one mechanism."""
        return [r for r in self.mechanisms if r.status == "active" and mechanism in (None, r.mechanism)]

    def status(self, mechanism: str, unit: str, period: str | None = None, **slice_: str | None) -> str | None:
        """The status of ``mechanism`` for ``unit`` in ``period`` (all practices unless a slice is named)."""
        want = {"sector": None, "agency": None, "issue": None, **slice_}
        for row in self.mechanisms:
            if (row.mechanism, row.unit, row.period) == (mechanism, unit, period) and \
                    all(getattr(row, k) == v for k, v in want.items()):
                return row.status
        return None

    def rows(self) -> Iterator[dict[str, Any]]:
        """One plain dict per mechanism row (``pandas.DataFrame(result.rows())`` in a notebook)."""
        for row in self.mechanisms:
            yield {**asdict(row), "rules": list(row.rules), "facts": list(row.facts)}

    def overlap_rows(self) -> Iterator[dict[str, Any]]:
        """One plain dict per overlap: units and mechanisms as lists, ``dimension``/``on`` None unless functional."""
        for row in self.overlaps:
            yield {**asdict(row), "units": list(row.units), "mechanisms": list(row.mechanisms),
                   "rules": list(row.rules), "facts": list(row.facts), "on": dict(row.on) if row.on else None}

    def to_dict(self) -> dict[str, Any]:
        return {**self._header(), "mechanisms": [asdict(r) for r in self.mechanisms],
                "overlaps": list(self._overlap_items())}

    def _header(self) -> dict[str, Any]:
        return {"schema": self.schema, "region": self.region, "as_of": self.as_of, "periods": list(self.periods),
                "thresholds": dict(self.thresholds)}

    def _overlap_items(self) -> Iterator[dict[str, Any]]:
        for row in self.overlaps:
            item = asdict(row)
            if row.type != "functional":
                del item["dimension"], item["on"]
            yield item

    def to_json(self) -> str:
        """The diagnosis as JSON (see `diagnose schema diagnosis`): deterministic, same file, same bytes.

        Strict JSON: a NaN or an infinity (which inputs are checked never to
        bring) raises a `DiagnoseError` naming where it is, never `NaN` in the output.
        """
        return "".join(self.json_chunks())

    def json_chunks(self) -> Iterator[str]:
        """`to_json`'s text in pieces, one per row, for writing a large diagnosis without holding it twice.

        A non-finite number (a pack's, say) raises a `DiagnoseError` naming where
        it is; in a row, after the rows before it were yielded: callers that
        must not write half a file (`to_json`) join the pieces first.
        """
        def encode(value: Any) -> str:
            return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)

        def checked(value: Any, where: str) -> str:
            try:
                return encode(value)
            except ValueError:
                at, found = next(_non_finite(value, where), (where, "a number"))
                raise DiagnoseError(f"the diagnosis holds {found} at {at}, which JSON cannot represent: "
                                    "no JSON written") from None

        header = checked(self._header(), "")
        yield header[:-2]  # without its closing "\n}": the rows follow
        for name, items in (("mechanisms", (asdict(r) for r in self.mechanisms)),
                            ("overlaps", self._overlap_items())):
            yield f',\n  "{name}": ['
            separator = "\n    "
            for index, item in enumerate(items):  # each row as json.dumps(indent=2) nests it: two levels deeper
                yield separator + checked(item, f"{name}[{index}]").replace("\n", "\n    ")
                separator = ",\n    "
            yield "]" if separator == "\n    " else "\n  ]"
        yield "\n}\n"


def _non_finite(value: Any, path: str = ""):
    """(path, value) of every float in ``value`` that is NaN or infinite, e.g. ("thresholds.x", nan)."""
    if isinstance(value, float) and not math.isfinite(value):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{path}[{index}]")
