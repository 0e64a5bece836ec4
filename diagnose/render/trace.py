"""`--trace`: each rule as it fires, with the unit, period and file facts it matched."""

from __future__ import annotations

import click

from ..controls import visible


def describe(facts: list) -> tuple[str, str, list[str]]:
    """The unit, period and file fact ids among the facts an activation matched."""
    unit = period = ""
    ids: list[str] = []
    for fact in facts:
        unit = unit or str(fact.get("unit") or str(fact.get("row", "")).split("|")[0])
        if fact.get("period") is not None:
            period = period or str(fact["period"])
        if isinstance(fact.get("id"), str):
            ids.append(fact["id"])
        ids.extend(i for i in fact.get("ids", ()) if isinstance(i, str))
    return unit, period, list(dict.fromkeys(ids))


def trace_to_stderr(rule: str, facts: list) -> None:
    unit, period, ids = describe(facts)
    click.echo(visible(f"FIRE {rule} unit={unit or '-'} period={period or '-'} facts={','.join(ids) or '-'}"),
               err=True)  # ids and units name the file's states: shown, never obeyed by the terminal
