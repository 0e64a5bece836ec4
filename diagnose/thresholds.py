"""Named thresholds: declared by rule packs, overridden by the user, checked here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .errors import DiagnoseError
from .names import did_you_mean


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
        """Check a user's value (a number, or its text) against the threshold's type and bounds."""
        kind = int if isinstance(self.default, int) else float
        if isinstance(value, str):
            try:
                value = kind(value)
            except ValueError:
                raise ValueError(f"expected {'an integer' if kind is int else 'a number'}, got '{value}'") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
            raise ValueError(f"expected {'an integer' if kind is int else 'a number'}, got {value!r}")
        value = kind(value)
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            upper = f" and {self.maximum:g}" if self.maximum is not None else ""
            raise ValueError(f"expected a value between {self.minimum:g}{upper}, got {value:g}")
        return value


def resolve(specs: Mapping[str, ThresholdSpec], overrides: Mapping[str, Any], where: str = "") -> dict:
    """Defaults with ``overrides`` applied; a `DiagnoseError` for an unknown name or a bad value."""
    values = {name: spec.default for name, spec in specs.items()}
    problems = []
    for name, value in overrides.items():
        if name not in specs:
            problems.append(f"{where}unknown threshold '{name}'{did_you_mean(name, specs)}; "
                            f"see `diagnose rules thresholds`")
            continue
        try:
            values[name] = specs[name].parse(value)
        except ValueError as e:
            problems.append(f"{where}threshold '{name}': {e}")
    if problems:
        raise DiagnoseError("\n".join(problems))
    return values
