"""Named thresholds: declared by rule packs, overridden by the user, checked here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import DiagnoseError
from .names import did_you_mean
from .controls import visible


@dataclass(frozen=True)
class ThresholdSpec:
    """A named, documented threshold of a rule pack."""

    name: str
    default: int | float
    doc: str
    section: str
    """The paper's section it rests on."""
    minimum: float = 0
    maximum: float | None = None

    def parse(self, value: Any) -> int | float:
        """Check a user's value (a number, or its text) against the threshold's type and bounds.

        NaN and infinities are refused: they pass no comparison (so no range
        check), and JSON cannot write them.
        """
        kind = int if isinstance(self.default, int) else float
        given = f"'{value}'" if isinstance(value, str) else repr(value)
        if isinstance(value, str):
            try:
                value = kind(value)
            except ValueError:
                raise ValueError(f"expected {'an integer' if kind is int else 'a number'}, got {given}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected {'an integer' if kind is int else 'a finite number'}, got {given}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
            raise ValueError(f"expected {'an integer' if kind is int else 'a number'}, got {given}")
        value = kind(value)
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            expected = (f"a value between {self.minimum:g} and {self.maximum:g}" if self.maximum is not None
                        else f"at least {self.minimum:g}")
            raise ValueError(f"expected {expected}, got {value:g}")
        return value


def resolve(specs: Mapping[str, ThresholdSpec], overrides: Mapping[str, Any], where: str = "") -> dict:
    """Defaults with ``overrides`` applied; a `DiagnoseError` for an unknown name or a bad value."""
    values = {name: spec.default for name, spec in specs.items()}
    problems = [f"threshold '{name}': its pack declares a default of {spec.default!r}, not a finite number"
                for name, spec in specs.items()
                if isinstance(spec.default, float) and not math.isfinite(spec.default)]
    for name, value in overrides.items():
        if name not in specs:
            problems.append(f"{where}unknown threshold '{name}'{did_you_mean(name, specs)}; "
                            f"see `diagnose rules thresholds`")
            continue
        try:
            values[name] = specs[name].parse(value)
        except ValueError as e:
            problems.append(f"{where}threshold '{name}': {e}")
    if problems:  # one line each: names and values from a file or the command line are shown escaped
        raise DiagnoseError("\n".join(visible(p) for p in problems))
    return values
