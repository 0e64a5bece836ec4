"""Helpers the rule modules share: building keyed conclusions and phrases."""

from diagnose.facttypes import Status


def where(row) -> str:
    """`North America in post_cold_war, economic sector` for a Row or Status fact."""
    text = row["label"]
    if row["period"] is not None:
        text += f" in {row['period']}"
    if row["dim"] is not None:
        text += f" ({row['dim']} {row['value']})" if row["dim"] != "sector" else f" ({row['value']} sector)"
    return text


def kinds_list(kinds) -> str:
    return ", ".join(sorted(kinds)) or "none"


def conclude_status(engine, row, mechanism: str, status: str, *, variant=None, **provenance):
    """Assert (or merge into) the status of ``mechanism`` in ``row``."""
    return engine.conclude(
        Status, (row["row"], mechanism),
        row=row["row"], unit=row["unit"], unit_kind=row["unit_kind"], label=row["label"],
        period=row["period"], dim=row["dim"], value=row["value"], mechanism=mechanism,
        status=status, variant=variant, states=row["states"], **provenance)
