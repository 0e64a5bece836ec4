"""JSON Schemas of the fact file (built from `diagnose.schema`) and of a diagnosis.

The fact-file schema is generated from the same field table that validation
uses, with the practice kinds of the rule packs in force; the copy shipped in
``diagnose/schemas/`` is the built-in one (a test keeps it in step).
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from . import schema as S

_SCALARS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer"},
    "year": {"type": "integer"},
    "text": {"type": "string", "minLength": 1},
    "label": {"type": ["string", "number"]},
    "bool": {"type": "boolean"},
    "code": {"type": "string", "pattern": S.CODE_PATTERN},
    "pair": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
    "actors": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
    "threat": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "sector": {"enum": list(S.SECTORS)},
    "level": {"enum": list(S.WAR_LEVELS)},
    "basis": {"enum": list(S.ALLIANCE_BASES)},
    "period_id": {"type": "string", "pattern": S.PERIOD_PATTERN},
}


def _object(fields: dict[str, S.FieldSpec], shapes: dict[str, dict]) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, f in fields.items() if f.required],
        "properties": {k: {**shapes[f.shape], "description": f.doc} for k, f in fields.items()},
    }


def fact_file_schema(kinds: Any = None, mechanisms: Any = None) -> dict:
    """The fact-file JSON Schema for the given vocabulary (built-in when omitted)."""
    if kinds is None or mechanisms is None:
        from .packs import builtin_rulebase

        rulebase = builtin_rulebase()
        kinds, mechanisms = rulebase.kinds, rulebase.mechanisms
    shapes = dict(_SCALARS)
    shapes["kind"] = {"enum": sorted(kinds)}
    shapes["mechanisms"] = {"type": "array", "items": {"enum": list(mechanisms)}, "minItems": 1}
    shapes["names"] = {"type": "object", "minProperties": 1, "propertyNames": {"pattern": S.CODE_PATTERN},
                       "additionalProperties": {"type": ["string", "number"]}}
    shapes["members"] = {"type": "object",
                         "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 2}}
    shapes["periods"] = {"type": "array", "items": _object(S.PERIOD, shapes)}
    top = _object(S.TOP, {**shapes, "entries": {"type": "array"}})
    for section, fields in S.ENTRY_SPECS.items():
        top["properties"][section] = {"type": "array", "description": S.TOP[section].doc,
                                      "items": _object(fields, shapes)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://diagnose.invalid/schemas/fact-file.schema.json",
        "title": "diagnose fact file",
        "description": "A region's states and security practices, one region per file (schema 1).",
        **top,
    }


def diagnosis_schema() -> dict:
    """The JSON Schema of `diagnose run --format json`."""
    return json.loads(files("diagnose").joinpath("schemas/diagnosis.schema.json").read_text(encoding="utf-8"))
