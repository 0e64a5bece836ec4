"""JSON Schemas of the fact file (built from `diagnose.schema`) and of a diagnosis.

The fact-file schema is generated from the same field table that validation
uses, with the practice kinds of the rule packs in force; the diagnosis schema
(output schema 2) with their mechanisms. The copies shipped in
``diagnose/schemas/`` are the built-in ones (tests keep them in step).
"""

from __future__ import annotations

from typing import Any, Mapping

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
    "sides": {"type": "array", "minItems": 2, "maxItems": 2,
              "items": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    "overlap_types": {"type": "array", "items": {"enum": list(S.OVERLAP_TYPES)}, "minItems": 1},
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


OUTPUT_SCHEMA = 2
"""The version of the diagnosis JSON (its top-level ``schema``)."""
STATUSES = ("active", "nascent", "decaying", "formal_only", "broken_down", "not_evident")
MECHANISM_ROW = ("mechanism", "unit", "period", "sector", "agency", "issue", "status", "variant", "facing", "phase",
                 "coupling", "explanation", "rules", "facts")
"""The keys of a mechanism row, in the order the JSON gives them."""
QUALIFIERS = ("variant", "facing", "phase", "coupling")
"""Fields that qualify a status; a rule pack says which of them its mechanisms' rows carry (`QUALIFIERS`)."""


def _nulls(*keys: str) -> dict:
    return {"properties": {key: {"const": None} for key in keys}}


def _when(condition: dict, then: dict) -> dict:
    return {"if": {"properties": condition, "required": list(condition)}, "then": then}


def diagnosis_schema(mechanisms: Any = None, qualifiers: Mapping[str, tuple[str, ...]] | None = None) -> dict:
    """The JSON Schema of `diagnose run --format json` for the given rule base (the built-in one when omitted).

    Besides the shape of each row, it holds the pairing of fields with
    statuses: `variant`, `facing` and `coupling` only on active rows, `phase`
    on active rows (never `nascent`) and as `nascent` on nascent ones; and, for
    each mechanism whose pack names its ``qualifiers``, only those fields,
    each set on its active rows (`phase` may stay null there: no period before).
    """
    if mechanisms is None or qualifiers is None:
        from .packs import builtin_rulebase

        mechanisms = builtin_rulebase().mechanisms if mechanisms is None else mechanisms
        qualifiers = builtin_rulebase().qualifiers if qualifiers is None else qualifiers
    mechanism = {"enum": list(mechanisms)}
    properties = {
        "mechanism": mechanism,
        "unit": {"$ref": "#/$defs/unit"},
        "period": {"$ref": "#/$defs/period"},
        "sector": {"enum": [*S.SECTORS, None]},
        "agency": {"type": ["string", "null"]},
        "issue": {"type": ["string", "null"]},
        "status": {"enum": list(STATUSES)},
        "variant": {"enum": ["adversarial", "associational", None]},
        "facing": {"enum": ["inward", "outward", "both", None]},
        "phase": {"enum": ["nascent", "ascendant", "mature", None]},
        "coupling": {"enum": ["loose", "tight", None]},
        "explanation": {"type": "string", "minLength": 1},
        "rules": {"$ref": "#/$defs/ids"},
        "facts": {"$ref": "#/$defs/ids"},
    }
    assert tuple(properties) == MECHANISM_ROW
    not_active = {"status": {"not": {"const": "active"}}}
    rows = {
        "type": "object",
        "required": list(MECHANISM_ROW),
        "properties": properties,
        "allOf": [
            _when(not_active, _nulls("variant", "facing", "coupling")),
            _when({"status": {"not": {"enum": ["active", "nascent"]}}}, _nulls("phase")),
            _when({"status": {"const": "nascent"}}, {"properties": {"phase": {"const": "nascent"}}}),
            _when({"status": {"const": "active"}}, {"properties": {"phase": {"not": {"const": "nascent"}}}}),
            *(clause for mechanism, fields in sorted(qualifiers.items()) if mechanism in mechanisms
              for clause in (
                  _when({"mechanism": {"const": mechanism}}, _nulls(*(q for q in QUALIFIERS if q not in fields))),
                  _when({"mechanism": {"const": mechanism}, "status": {"const": "active"}},
                        {"properties": {q: {"type": "string"} for q in fields if q != "phase"}}))),
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://diagnose.invalid/schemas/diagnosis.schema.json",
        "title": "diagnose diagnosis",
        "description": f"The output of `diagnose run FILE --format json` (schema {OUTPUT_SCHEMA}).",
        "type": "object",
        "required": ["schema", "region", "mechanisms", "overlaps"],
        "properties": {
            "schema": {"const": OUTPUT_SCHEMA},
            "region": {"type": "string"},
            "as_of": {"type": ["string", "number", "null"]},
            "periods": {"type": "array", "items": {"type": "string"}},
            "thresholds": {"type": "object", "additionalProperties": {"type": "number"}},
            "mechanisms": {"type": "array", "items": {"$ref": "#/$defs/mechanism"}},
            "overlaps": {"type": "array", "items": {"$ref": "#/$defs/overlap"}},
        },
        "$defs": {
            "ids": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            "unit": {"type": "string",
                     "pattern": "^(region|subregion:.+|group:.+|dyad:[A-Za-z][A-Za-z0-9_]*-[A-Za-z][A-Za-z0-9_]*)$"},
            "period": {"type": ["string", "null"]},
            "mechanism": rows,
            "overlap": {
                "type": "object",
                "required": ["type", "units", "period", "character", "mechanisms", "explanation", "rules", "facts"],
                "properties": {
                    "type": {"enum": ["temporal", "functional", "spatial", "relational"]},
                    "units": {"type": "array", "items": {"$ref": "#/$defs/unit"}, "minItems": 1, "maxItems": 2},
                    "period": {"$ref": "#/$defs/period"},
                    "character": {"enum": ["automatic", "manual", "mixed"]},
                    "mechanisms": {"type": "array", "items": mechanism, "minItems": 2, "maxItems": 2},
                    "explanation": {"type": "string", "minLength": 1},
                    "rules": {"$ref": "#/$defs/ids"},
                    "facts": {"$ref": "#/$defs/ids"},
                    "dimension": {"enum": ["sector", "agency", "issue"]},
                    "on": {"type": "object", "propertyNames": mechanism, "additionalProperties": {"type": "string"},
                           "minProperties": 2, "maxProperties": 2},
                },
                "if": {"properties": {"type": {"const": "functional"}}},
                "then": {"required": ["dimension", "on"]},
            },
        },
    }
