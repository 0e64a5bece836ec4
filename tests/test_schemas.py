"""The JSON Schemas: the example fact files and their diagnoses follow them, the
shipped fact-file schema is the generated one, and both schemas are valid."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from diagnose import FactFileError, load_facts
from diagnose.cli import cli
from diagnose.jsonschema import diagnosis_schema, fact_file_schema

from conftest import EXAMPLES, ROOT

jsonschema = pytest.importorskip("jsonschema")
Validator = jsonschema.Draft202012Validator

SHIPPED = ROOT / "diagnose" / "schemas"

# The keys of a mechanism row, in the order of the contract (fact-files.md, section 4).
MECHANISM_ROW = ("mechanism", "unit", "period", "sector", "agency", "issue", "status", "variant", "facing", "phase",
                 "coupling", "explanation", "rules", "facts")


def shipped(name: str) -> dict:
    return json.loads((SHIPPED / name).read_text(encoding="utf-8"))


def errors(schema: dict, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}"
            for e in Validator(schema).iter_errors(document)]


def test_there_are_examples():
    assert EXAMPLES, "no example fact files in facts/"


# -- the schemas themselves ----------------------------------------------------------


@pytest.mark.parametrize("schema", [fact_file_schema, diagnosis_schema], ids=["facts", "diagnosis"])
def test_schema_is_a_valid_draft_2020_12_schema(schema):
    document = schema()
    Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", ["fact-file.schema.json", "diagnosis.schema.json"])
def test_shipped_schema_is_valid_and_installed(name):
    document = shipped(name)
    Validator.check_schema(document)
    installed = json.loads(files("diagnose").joinpath("schemas", name).read_text(encoding="utf-8"))
    assert installed == document


def test_shipped_fact_file_schema_is_up_to_date():
    assert shipped("fact-file.schema.json") == fact_file_schema(), (
        "diagnose/schemas/fact-file.schema.json is out of date: regenerate it with "
        "`diagnose schema facts > diagnose/schemas/fact-file.schema.json`")


def test_shipped_diagnosis_schema_is_up_to_date():
    assert shipped("diagnosis.schema.json") == diagnosis_schema(), (
        "diagnose/schemas/diagnosis.schema.json is out of date: regenerate it with "
        "`diagnose schema diagnosis > diagnose/schemas/diagnosis.schema.json`")


# -- the examples ------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_fact_file_follows_the_fact_file_schema(path: Path):
    # safe_load reads YAML 1.1 (`NO` would become false): the examples use no such codes
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert not errors(fact_file_schema(), document)
    assert not errors(shipped("fact-file.schema.json"), document)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_diagnosis_follows_the_diagnosis_schema(cli_runner, path: Path):
    result = cli_runner.invoke(cli, ["run", str(path), "--format", "json"], prog_name="diagnose")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert not errors(diagnosis_schema(), document)
    assert document["schema"] == 2
    assert document["mechanisms"], "an example with no mechanism rows"
    for row in document["mechanisms"]:  # the contract's key order (section 4)
        assert list(row) == list(MECHANISM_ROW), row


# The example of the spec (section 2), as a researcher would copy it.
SPEC_EXAMPLE = """\
schema: 1
region: Western Hemisphere
as_of: 2008
summary: >
  Three sub-regions with different security practices.
states:
  USA: United States
  CAN: Canada
  MEX: Mexico
  ARG: Argentina
  BRA: Brazil
  VEN: Venezuela
  COL: Colombia
periods:
  - id: cold_war
    from: 1975
    to: 1989
  - id: post_cold_war
    from: 1990
subregions:
  North America: [USA, CAN, MEX]
  Southern Cone: [ARG, BRA]
  Andes: [VEN, COL]
groups:
  NAFTA: [USA, CAN, MEX]
  MERCOSUR: [ARG, BRA]
alliances:
  - id: nafta_security
    members: [USA, CAN]
    basis: collective_identity
deterrence:
  - by: VEN
    against: COL
consultation_norms:
  - among: [USA, CAN, MEX]
    multilateral: true
unfortified_borders:
  - among: North America
wars:
  - between: [VEN, COL]
    level: crisis
    year: 2008
practices:
  - kind: economic_integration
    among: North America
    sector: economic
  - kind: self_restraint
    among: [ARG, BRA]
    note: Abandoned the nuclear race.
strategies:
  - name: omni-enmeshment
    by: [USA, CAN]
    combines: [balance_of_power, security_community]
junctures:
  - name: end of the Cold War
    period: post_cold_war
"""


def test_spec_example_follows_the_schema_and_loads(write_facts):
    assert not errors(fact_file_schema(), yaml.safe_load(SPEC_EXAMPLE))
    load_facts(write_facts(SPEC_EXAMPLE))


def test_alliance_against_nothing_follows_the_schema(write_facts):
    document = yaml.safe_load(SPEC_EXAMPLE)
    document["alliances"][0]["against"] = []
    load_facts(write_facts(yaml.safe_dump(document)))  # the loader accepts it
    assert not errors(fact_file_schema(), document)


# -- invalid files are refused by the schema as by the loader --------------------------

VALID = {
    "schema": 1,
    "region": "Testland",
    "states": {"AAA": "A", "BBB": "B", "CCC": "C"},
    "groups": {"Trio": ["AAA", "BBB", "CCC"]},
    "practices": [{"kind": "deterrence", "between": ["AAA", "BBB"]}],
}

INVALID = {
    "unknown top-level key": {"alliance": [{"members": ["AAA", "BBB"], "basis": "expediency"}]},
    "unknown key in an entry": {"practices": [{"kind": "deterrence", "between": ["AAA", "BBB"], "sectr": "military"}]},
    "unknown kind": {"practices": [{"kind": "deterence", "between": ["AAA", "BBB"]}]},
    "missing kind": {"practices": [{"between": ["AAA", "BBB"]}]},
    "unknown war level": {"wars": [{"between": ["AAA", "BBB"], "level": "skirmish"}]},
    "unknown sector": {"practices": [{"kind": "deterrence", "between": ["AAA", "BBB"], "sector": "naval"}]},
    "unknown alliance basis": {"alliances": [{"members": ["AAA", "BBB"], "basis": "friendship"}]},
    "unknown key in a period": {"periods": [{"id": "early", "form": 1990}]},
    "bad period id": {"periods": [{"id": "Early Years"}]},
    "bad state code": {"states": {"1AB": "One", "BBB": "B"}},
    "group of one state": {"groups": {"Solo": ["AAA"]}},
    "dyad of three": {"practices": [{"kind": "deterrence", "between": ["AAA", "BBB", "CCC"]}]},
    "unknown mechanism in a strategy": {"strategies": [{"name": "s", "by": "Trio", "combines": ["hegemony"]}]},
    "strategy without by": {"strategies": [{"name": "s", "combines": ["balance_of_power"]}]},
    "unknown key in a juncture": {"junctures": [{"name": "j", "yr": 1990}]},
    "wrong schema type": {"schema": "one"},
}


def _variant(change: dict) -> dict:
    document = json.loads(json.dumps(VALID))
    document.update(change)
    return document


def test_the_valid_base_document_is_valid(write_facts):
    assert not errors(fact_file_schema(), VALID)
    load_facts(write_facts(yaml.safe_dump(VALID)))


@pytest.mark.parametrize("change", list(INVALID.values()), ids=list(INVALID))
def test_invalid_fact_file_is_refused_by_the_schema_and_the_loader(change, write_facts):
    document = _variant(change)
    assert errors(fact_file_schema(), document), "the JSON Schema accepts it"
    with pytest.raises(FactFileError):
        load_facts(write_facts(yaml.safe_dump(document)))


@pytest.mark.parametrize("missing", ["schema", "region", "states"])
def test_missing_required_top_level_key_is_refused(missing, write_facts):
    document = {k: v for k, v in VALID.items() if k != missing}
    if missing == "states":
        document = {k: v for k, v in document.items() if k not in ("groups", "practices")}
    assert errors(fact_file_schema(), document)
    with pytest.raises(FactFileError):
        load_facts(write_facts(yaml.safe_dump(document)))


# -- the diagnosis schema is not vacuous ------------------------------------------------


def _row(mechanism: str, unit: str, status: str, **fields) -> dict:
    row = dict.fromkeys(MECHANISM_ROW)
    row.update(mechanism=mechanism, unit=unit, period="late", status=status, explanation="Because.",
               rules=["some_rule"], facts=["practices[0]"], **fields)
    return row


# A diagnosis written by hand from the contract (section 4), one row of each shape.
DIAGNOSIS = {
    "schema": 2,
    "region": "Testland",
    "as_of": None,
    "periods": ["early", "late"],
    "thresholds": {"sc_min_kinds": 3, "bop_dyad_share": 1.0},
    "mechanisms": [
        _row("balance_of_power", "dyad:AAA-BBB", "active", variant="adversarial", facing="inward"),
        _row("balance_of_power", "group:Trio", "active", variant="associational", facing="outward"),
        _row("balance_of_power", "region", "not_evident"),
        _row("security_community", "group:Trio", "active", phase="mature", coupling="tight"),
        _row("security_community", "region", "active", sector="economic", phase=None, coupling="loose"),
        _row("security_community", "dyad:AAA-BBB", "nascent", phase="nascent"),
        _row("security_community", "subregion:North", "decaying"),
        _row("security_community", "subregion:South", "broken_down"),
    ],
    "overlaps": [],
}

ROW_BREAKAGES = {
    "status=maybe": (0, "status", "maybe"),
    "rules=[]": (0, "rules", []),
    "facts=[]": (0, "facts", []),
    "explanation=''": (0, "explanation", ""),
    "variant=scales": (0, "variant", "scales"),
    "unit=continent": (0, "unit", "continent:Europe"),
    "mechanism=unknown": (0, "mechanism", "hegemony"),
    "facing=sideways": (0, "facing", "sideways"),
    "phase=old": (3, "phase", "old"),
    "coupling=medium": (3, "coupling", "medium"),
    "active BoP without facing": (0, "facing", None),
    "active BoP without variant": (1, "variant", None),
    "BoP with a phase": (0, "phase", "mature"),
    "BoP with a coupling": (0, "coupling", "loose"),
    "SC with a variant": (3, "variant", "adversarial"),
    "SC with a facing": (3, "facing", "inward"),
    "active SC without coupling": (3, "coupling", None),
    "active SC in phase nascent": (3, "phase", "nascent"),
    "nascent SC without its phase": (5, "phase", None),
    "nascent SC with a coupling": (5, "coupling", "loose"),
    "decaying SC with a phase": (6, "phase", "mature"),
    "not-evident BoP with a facing": (2, "facing", "inward"),
    "missing facing": (0, "facing", KeyError),
    "missing phase": (3, "phase", KeyError),
    "missing coupling": (7, "coupling", KeyError),
}


def test_diagnosis_schema_requires_every_key_of_a_row_in_the_contract_order():
    rows = diagnosis_schema()["$defs"]["mechanism"]
    assert rows["required"] == list(rows["properties"]) == list(MECHANISM_ROW)


def test_the_hand_written_diagnosis_follows_the_diagnosis_schema():
    assert not errors(diagnosis_schema(), DIAGNOSIS)
    assert not errors(shipped("diagnosis.schema.json"), DIAGNOSIS)


@pytest.mark.parametrize("breakage", list(ROW_BREAKAGES.values()), ids=list(ROW_BREAKAGES))
def test_diagnosis_schema_rejects_broken_rows(breakage):
    document = json.loads(json.dumps(DIAGNOSIS))
    index, key, value = breakage
    if value is KeyError:
        del document["mechanisms"][index][key]
    else:
        document["mechanisms"][index][key] = value
    assert errors(diagnosis_schema(), document)


@pytest.mark.parametrize("change", [{"schema": 1}, {"region": 7}, {"thresholds": {"sc_min_kinds": "three"}}],
                         ids=["schema 1", "region", "thresholds"])
def test_diagnosis_schema_rejects_a_broken_document(change):
    assert errors(diagnosis_schema(), {**DIAGNOSIS, **change})


def test_a_pack_mechanism_is_valid_only_with_the_pack():
    document = json.loads(json.dumps(DIAGNOSIS))
    document["mechanisms"].append(_row("hegemony", "region", "active"))
    assert errors(diagnosis_schema(), document)
    assert not errors(diagnosis_schema(("balance_of_power", "security_community", "hegemony")), document)


def test_diagnosis_schema_requires_dimension_and_on_for_functional_overlaps():
    document = json.loads(json.dumps(DIAGNOSIS))
    document["overlaps"] = [{"type": "functional", "units": ["region"], "period": None, "character": "automatic",
                             "mechanisms": ["balance_of_power", "security_community"], "explanation": "x",
                             "rules": ["functional_overlap"], "facts": ["practices[0]"]}]
    assert errors(diagnosis_schema(), document)
    document["overlaps"][0].update(dimension="sector", on={"security_community": "economic",
                                                           "balance_of_power": "military"})
    assert not errors(diagnosis_schema(), document)
