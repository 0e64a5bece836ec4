"""Helpers the rule modules share: building keyed conclusions and phrases."""

from diagnose.facttypes import Status, Tally


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


def conclude_status(engine, row, mechanism: str, status: str, *, variant=None, facing=None, phase=None,
                    coupling=None, **provenance):
    """Assert (or merge into) the status of ``mechanism`` in ``row``."""
    return engine.conclude(
        Status, (row["row"], mechanism),
        row=row["row"], unit=row["unit"], unit_kind=row["unit_kind"], label=row["label"],
        period=row["period"], dim=row["dim"], value=row["value"], mechanism=mechanism,
        status=status, variant=variant, facing=facing, phase=phase, coupling=coupling, states=row["states"],
        **provenance)


def refine_status(engine, status, **fields):
    """Merge fields (variant, facing, phase, coupling) and provenance into a status already concluded."""
    provenance = {k: fields.pop(k) for k in ("ids", "rules", "because", "deliberate") if k in fields}
    return engine.conclude(Status, status["key"], **{k: status[k] for k in Status.__fields__
                                                      if k not in ("key", "ids", "rules", "because", "deliberate")
                                                      and k not in fields}, **fields, **provenance)


def count(engine, row_key: str, name: str, evidence, kinds, *, because=()):
    """Add ``kinds`` of one evidence fact to the row's tally called ``name`` (declared once, when released)."""
    rooted = evidence["rooted"]
    engine.gather(
        Tally, (row_key, name), row=row_key, mechanism=name, kinds=tuple(kinds),
        rooted_kinds=tuple(kinds) if rooted else (), unrooted_kinds=() if rooted else tuple(kinds),
        rooted_pairs=tuple((kind, evidence["id"]) for kind in kinds) if rooted else (), ids=(evidence["id"],),
        deliberate=(evidence["id"],) if evidence["deliberate"] else (), because=because, union=_TALLY_SETS)


def open_tally(engine, row_key: str, name: str):
    """An empty tally, so that a row with nothing counted can say so."""
    engine.gather(Tally, (row_key, name), row=row_key, mechanism=name, kinds=(), rooted_kinds=(),
                  unrooted_kinds=(), rooted_pairs=(), union=_TALLY_SETS)


_TALLY_SETS = ("kinds", "rooted_kinds", "unrooted_kinds", "rooted_pairs")
