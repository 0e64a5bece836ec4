"""The command line: help with examples on every command, --version, the text
and JSON output of `run`, --trace, `validate`, `schema`, and a missing file."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from importlib.metadata import version

import click
import pytest

from diagnose import __version__, diagnose, load_facts
from diagnose.cli import cli
from diagnose.jsonschema import diagnosis_schema

from conftest import EXAMPLES, ROOT

HEGEMONY = ROOT / "examples" / "packs" / "hegemony"

jsonschema = pytest.importorskip("jsonschema")

# A region that shows every kind of overlap: a rival dyad inside an alliance
# community (relational), sub-regions that differ (spatial), sectors that differ
# (functional), a rivalry that persists as a community takes hold (temporal),
# with a strategy (manual), a deliberate practice (mixed) and a juncture.
RICH = """\
schema: 1
region: Euro-Atlantic area
as_of: 2008
summary: >
  A test region with every kind of overlap: a rival dyad inside an alliance
  community, sub-regions that differ, and sectors that differ.
states:
  GRC: Greece
  TUR: Turkey
  DEU: Germany
  FRA: France
  GBR: United Kingdom
  ITA: Italy
  NLD: Netherlands
periods:
  - {id: cold_war, from: 1950, to: 1989}
  - {id: post_cold_war, from: 1990}
subregions:
  Aegean: [GRC, TUR]
  Core: [DEU, FRA, GBR, ITA, NLD]
groups:
  NATO: [GRC, TUR, DEU, FRA, GBR, ITA, NLD]
alliances:
  - {id: nato_alliance, members: NATO, basis: collective_identity, period: post_cold_war}
consultation_norms:
  - {id: nato_consultation, among: NATO, multilateral: true, period: post_cold_war}
  - {id: core_consultation, among: Core, multilateral: true}
practices:
  - {id: nato_cbm, kind: confidence_building, among: NATO, period: post_cold_war}
  - {id: core_econ, kind: economic_integration, among: Core, sector: economic}
  - {id: core_policy, kind: policy_coordination, among: Core, sector: economic}
  - {id: core_common, kind: common_enterprise, among: Core, sector: economic}
  - {id: fg_monitoring, kind: capability_monitoring, between: [FRA, GBR], sector: military}
  - {id: fg_planning, kind: worst_case_planning, between: [FRA, GBR], sector: military, deliberate: true,
     period: cold_war}
  - {id: gt_arms_race, kind: arms_race, between: [GRC, TUR]}
  - {id: gt_soft, kind: soft_balancing, by: TUR, against: GRC, period: post_cold_war}
deterrence:
  - {id: gt_deterrence, by: GRC, against: TUR}
wars:
  - {id: cyprus_1974, between: [GRC, TUR], level: armed_conflict, year: 1974}
  - {id: imia_1996, between: [GRC, TUR], level: crisis, year: 1996}
strategies:
  - id: gt_enmeshment
    name: omni-enmeshment
    by: Aegean
    combines: [balance_of_power, security_community]
    period: post_cold_war
junctures:
  - {id: end_cold_war, name: end of the Cold War, period: post_cold_war}
"""

# Realistic official names, longer than a terminal line once paired in a dyad.
LONG_NAMES = """\
schema: 1
region: Organization for Security and Co-operation in Europe area and the Caucasus
states:
  GBR: United Kingdom of Great Britain and Northern Ireland
  PRK: Democratic People's Republic of Korea
  COD: Democratic Republic of the Congo
subregions:
  Northern and Western European Partners of the Euro-Atlantic Partnership: [GBR, COD]
practices:
  - {kind: arms_race, between: [GBR, PRK]}
  - {kind: deterrence, between: [GBR, PRK]}
"""


@pytest.fixture(params=[*EXAMPLES, "rich"], ids=[*(p.stem for p in EXAMPLES), "rich"])
def fact_file(request, write_facts):
    """Every example fact file, and the inline file with every overlap type."""
    return str(request.param) if request.param != "rich" else str(write_facts(RICH, "rich.yaml"))


def invoke(runner, *args: str):
    return runner.invoke(cli, list(args), prog_name="diagnose")


def normalized(text: str) -> str:
    """Text with line breaks and indentation folded into single spaces."""
    return " ".join(text.split())


# -- help ----------------------------------------------------------------------


def _commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, path + (name,))


COMMANDS = list(_commands(cli))


def test_every_command_is_listed():
    names = {path[0] for path, _ in COMMANDS if path}
    assert {"run", "validate", "schema"} <= names


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) or "diagnose" for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(cli_runner, path, command, flag):
    result = invoke(cli_runner, *path, flag)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Usage: diagnose" + "".join(" " + p for p in path)), out
    assert (command.help or "").strip(), f"`diagnose {' '.join(path)}` has no help text"
    assert "-h, --help" in out
    assert re.search(r"^\s*Examples?:\s*$", out, re.M), f"no Examples section in:\n{out}"
    example = re.search(r"^\s+diagnose " + re.escape(" ".join(path)), out, re.M)
    assert example, f"no example of `diagnose {' '.join(path)}` in:\n{out}"
    assert max(len(line) for line in out.splitlines()) <= 100


def _defined_commands() -> list[click.Command]:
    """Every click command defined in a module of diagnose/cli/, found by reading the modules."""
    import diagnose.cli as package

    modules = [importlib.import_module(f"{package.__name__}.{m.name}") for m in pkgutil.iter_modules(package.__path__)]
    return [obj for module in modules for obj in vars(module).values()
            if isinstance(obj, click.Command) and obj.callback.__module__ == module.__name__]


def test_help_lists_every_command(cli_runner):
    """A command written in diagnose/cli/ is registered, and its group's help lists it with a summary."""
    defined = _defined_commands()
    assert len(defined) >= 10
    registered = {id(command): path for path, command in COMMANDS}
    for command in defined:
        assert id(command) in registered, f"`{command.name}` is defined but never added to a group"
        path = registered[id(command)]
        out = invoke(cli_runner, *path[:-1], "--help").stdout
        assert re.search(rf"^  {re.escape(path[-1])} +\S", out, re.M), f"`{path[-1]}` missing from:\n{out}"


# -- --version -------------------------------------------------------------------


def test_version(cli_runner):
    result = invoke(cli_runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"diagnose, version {__version__}"
    assert __version__ == version("diagnose")


# -- run: text -------------------------------------------------------------------


def test_run_text_fits_80_columns(cli_runner, fact_file):
    result = invoke(cli_runner, "run", fact_file)
    assert result.exit_code == 0, result.output
    long = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert not long, long


def test_run_text_fits_80_columns_with_long_names(cli_runner, write_facts):
    result = invoke(cli_runner, "run", str(write_facts(LONG_NAMES)))
    assert result.exit_code == 0, result.output
    long = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert not long, long


def test_run_text_shows_overlaps_before_mechanisms_with_explanations_and_evidence(cli_runner, fact_file):
    text = invoke(cli_runner, "run", fact_file).stdout
    document = json.loads(invoke(cli_runner, "run", fact_file, "--format", "json").stdout)
    assert re.search(r"^Overlaps \(\d+\)$", text, re.M), text
    assert "Mechanisms by unit" in text
    overlaps_at = text.index("Overlaps (")
    mechanisms_at = text.index("Mechanisms by unit")
    assert overlaps_at < mechanisms_at
    overlap_part = normalized(text[overlaps_at:mechanisms_at])
    mechanism_part = normalized(text[mechanisms_at:])
    for row in document["overlaps"]:
        # the explanation, followed by the fact ids behind it
        assert normalized(f"{row['explanation']} evidence: {', '.join(row['facts'])}") in overlap_part, row
        assert f"{row['type']} overlap" in overlap_part
    for row in document["mechanisms"]:
        assert normalized(row["explanation"]) in mechanism_part, row
        if row["status"] != "not_evident":  # a not_evident row's facts are only the unit's declaration
            assert normalized(f"{row['explanation']} evidence: {', '.join(row['facts'])}") in mechanism_part, row


def test_run_text_names_units_and_statuses(cli_runner, write_facts):
    text = invoke(cli_runner, "run", str(write_facts(RICH))).stdout
    assert text.startswith("Euro-Atlantic area (as of 2008)\n")
    for label in ("Greece–Turkey (dyad)", "NATO (group)", "Aegean (sub-region)", "Euro-Atlantic area (region)"):
        assert label in text
    for kind in ("relational", "spatial", "functional", "temporal"):
        assert f"* {kind} overlap" in text, kind
    assert "ACTIVE" in text and "manual" in text and "mixed" in text and "automatic" in text


# -- run: JSON ---------------------------------------------------------------------


def test_run_json_is_valid_deterministic_and_matches_the_api(cli_runner, fact_file):
    first = invoke(cli_runner, "run", fact_file, "--format", "json")
    second = invoke(cli_runner, "run", fact_file, "--format", "json")
    assert first.exit_code == 0, first.output
    assert first.stdout_bytes == second.stdout_bytes
    document = json.loads(first.stdout)
    jsonschema.Draft202012Validator(diagnosis_schema()).validate(document)
    assert first.stdout == diagnose(load_facts(fact_file)).to_json()
    assert first.stderr == ""


def test_run_json_of_the_rich_file_has_every_overlap_type(cli_runner, write_facts):
    document = json.loads(invoke(cli_runner, "run", str(write_facts(RICH)), "--format", "json").stdout)
    assert {row["type"] for row in document["overlaps"]} == {"temporal", "functional", "spatial", "relational"}
    assert {row["character"] for row in document["overlaps"]} == {"automatic", "manual", "mixed"}


# -- run --trace ----------------------------------------------------------------------

FIRE = re.compile(r"^FIRE (?P<rule>\w+) unit=(?P<unit>.+?) period=(?P<period>\S+) facts=(?P<facts>.*)$")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_trace_goes_to_stderr_and_leaves_stdout_alone(cli_runner, fact_file, fmt):
    plain = invoke(cli_runner, "run", fact_file, "--format", fmt)
    traced = invoke(cli_runner, "run", fact_file, "--format", fmt, "--trace")
    assert traced.exit_code == 0, traced.output
    assert traced.stdout_bytes == plain.stdout_bytes
    assert plain.stderr == ""
    lines = traced.stderr.splitlines()
    assert lines
    matches = [FIRE.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches) if not m][:5]
    fired = {m["rule"] for m in matches}
    if fmt == "json":
        document = json.loads(plain.stdout)
        concluded = {rule for row in document["mechanisms"] + document["overlaps"] for rule in row["rules"]}
        assert concluded <= fired, concluded - fired
        units = {m["unit"] for m in matches}
        assert {row["unit"] for row in document["mechanisms"]} <= units
        periods = set(document["periods"]) or {"-"}
        assert {m["period"] for m in matches} <= periods | {"-"}
        named = {i for m in matches if m["facts"] != "-" for i in m["facts"].split(",")}
        assert named, "no FIRE line names a fact"


# -- validate ---------------------------------------------------------------------------


def test_validate_prints_a_one_line_summary(cli_runner, fact_file):
    result = invoke(cli_runner, "validate", fact_file)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    assert result.stdout.endswith("\n")
    assert lines[0].startswith(f"{fact_file}: valid")
    facts = load_facts(fact_file)
    assert facts.region in lines[0] and f"{len(facts.states)} states" in lines[0]


def test_validate_refuses_a_bad_file_without_traceback(cli_runner, write_facts):
    path = write_facts("""\
        schema: 1
        region: R
        states: {AAA: A, BBB: B}
        practices:
          - {kind: deterence, between: [AAA, BBB]}
        """)
    result = invoke(cli_runner, "validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:5: practices[0].kind: unknown kind 'deterence' (did you mean 'deterrence'?)" in result.stderr
    assert "Traceback" not in result.output


# -- schema -------------------------------------------------------------------------------


@pytest.mark.parametrize("which,shipped", [("facts", "fact-file.schema.json"), ("diagnosis", "diagnosis.schema.json")])
def test_schema_prints_the_shipped_json_schema(cli_runner, which, shipped):
    result = invoke(cli_runner, "schema", which)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document == json.loads((ROOT / "diagnose" / "schemas" / shipped).read_text(encoding="utf-8"))


def _mechanism_enum(document: dict) -> list[str]:
    return document["$defs"]["mechanism"]["properties"]["mechanism"]["enum"]


def test_schema_diagnosis_follows_the_packs_in_force(cli_runner):
    builtin = json.loads(invoke(cli_runner, "schema", "diagnosis").stdout)
    assert _mechanism_enum(builtin) == ["balance_of_power", "security_community"]
    with_pack = invoke(cli_runner, "schema", "diagnosis", "--rules", str(HEGEMONY))
    assert with_pack.exit_code == 0, with_pack.output
    assert _mechanism_enum(json.loads(with_pack.stdout)) == ["balance_of_power", "security_community", "hegemony"]
    alone = invoke(cli_runner, "schema", "diagnosis", "--rules", str(HEGEMONY), "--no-builtin-rules")
    assert _mechanism_enum(json.loads(alone.stdout)) == ["hegemony"]


def test_a_pack_diagnosis_follows_the_schema_of_its_rule_base(cli_runner):
    """What `run --rules PACK` prints is valid under `schema diagnosis --rules PACK`, not under the built-in one."""
    facts = str(HEGEMONY / "facts" / "western_hemisphere_hegemony.yaml")
    result = invoke(cli_runner, "run", facts, "--rules", str(HEGEMONY), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert "hegemony" in {row["mechanism"] for row in document["mechanisms"]}
    schema = json.loads(invoke(cli_runner, "schema", "diagnosis", "--rules", str(HEGEMONY)).stdout)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert not jsonschema.Draft202012Validator(diagnosis_schema()).is_valid(document)


# -- rule options: offered where they mean something, checked where given -----------------

THRESHOLD_COMMANDS = {("run",), ("batch",), ("report",), ("rules", "thresholds"), ("explain",), ("whatif",), ("diff",),
                      ("sensitivity",)}
RULE_COMMANDS = THRESHOLD_COMMANDS | {("validate",), ("schema",), ("kinds",), ("rules", "list"), ("rules", "show")}


def _options(command: click.Command) -> set[str]:
    return {option for param in command.params for option in param.opts}


@pytest.mark.parametrize("path,command", [c for c in COMMANDS if not isinstance(c[1], click.Group)],
                         ids=[" ".join(p) for p, c in COMMANDS if not isinstance(c, click.Group)])
def test_rule_options_are_offered_where_they_mean_something(path, command):
    options = _options(command)
    assert ("--threshold" in options) == (path in THRESHOLD_COMMANDS), options
    for option in ("--rules", "--no-builtin-rules", "--config"):
        assert (option in options) == (path in RULE_COMMANDS), (option, options)


@pytest.mark.parametrize("which", ["facts", "diagnosis"])
def test_schema_refuses_a_threshold(cli_runner, which):
    result = invoke(cli_runner, "schema", which, "--threshold", "x=9")
    assert result.exit_code == 2
    assert "No such option" in result.stderr and "--threshold" in result.stderr
    assert result.stdout == ""


def _arguments(path: tuple[str, ...], tmp_path) -> list[str]:
    """Arguments that make the command at ``path`` run, when its options are fine."""
    western = str(EXAMPLES[0])
    extra = {("run",): [western], ("batch",): [western, "--output-dir", str(tmp_path / "out")],
             ("report",): [western], ("validate",): [western], ("schema",): ["diagnosis"],
             ("rules", "show"): ["sc_active"], ("explain",): [western, "--unit", "region"], ("whatif",): [western],
             ("diff",): [western, western], ("sensitivity",): [western, "--jobs", "1"]}
    return [*path, *extra.get(path, [])]


@pytest.mark.parametrize("path", sorted(THRESHOLD_COMMANDS), ids=" ".join)
def test_an_unknown_threshold_is_refused_with_a_suggestion(cli_runner, tmp_path, path):
    result = invoke(cli_runner, *_arguments(path, tmp_path), "--threshold", "sc_min_kind=4")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == ("unknown threshold 'sc_min_kind' (did you mean 'sc_min_kinds'?); "
                                     "see `diagnose rules thresholds`")
    assert result.stdout == "" and not (tmp_path / "out").exists()


@pytest.mark.parametrize("path", sorted(RULE_COMMANDS), ids=" ".join)
def test_a_config_file_is_checked_by_every_command_that_takes_one(cli_runner, tmp_path, path):
    config = tmp_path / "config.yaml"
    config.write_text("thresholds:\n  sc_min_kind: 4\n", encoding="utf-8")
    result = invoke(cli_runner, *_arguments(path, tmp_path), "--config", str(config))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (f"{config}: unknown threshold 'sc_min_kind' (did you mean 'sc_min_kinds'?); "
                                     "see `diagnose rules thresholds`")


@pytest.mark.parametrize("path", sorted(RULE_COMMANDS), ids=" ".join)
def test_an_unknown_pack_is_refused_by_every_command_that_takes_packs(cli_runner, tmp_path, path):
    result = invoke(cli_runner, *_arguments(path, tmp_path), "--rules", "hegemny")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("hegemny: no such rule pack"), result.stderr


def test_schema_refuses_an_unknown_name(cli_runner):
    result = invoke(cli_runner, "schema", "fact")
    assert result.exit_code == 2
    assert "facts" in result.stderr and "diagnosis" in result.stderr
    assert "Traceback" not in result.output


# -- a missing file -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["run"], ["run", "--format", "json"], ["run", "--trace"], ["validate"]],
                         ids=["run", "run-json", "run-trace", "validate"])
def test_missing_file_exits_2_with_a_clear_message(cli_runner, tmp_path, args):
    missing = tmp_path / "no_such_region.yaml"
    result = invoke(cli_runner, *args[:1], str(missing), *args[1:])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(str(missing)), lines
    assert re.search(r"no such file|does not exist|cannot (read|open)|not found", lines[0], re.I), lines
    assert "Traceback" not in result.output
    assert not missing.exists()


def test_import_help_names_every_region_the_importer_knows(cli_runner):
    # the command names them itself, so that `diagnose --help` need not load the importer
    from diagnose.importer import REGIONS

    result = cli_runner.invoke(cli, ["import", "--help"])
    assert result.exit_code == 0
    for name in REGIONS:
        assert name in " ".join(result.output.split())
