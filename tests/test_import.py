"""`diagnose import` on the project's own small tables (tests/data/import/): each coding rule, coverage,
the written file (valid, sourced, deterministic), the scheme's errors and the command line."""

from __future__ import annotations

import shutil

import pytest
import yaml

from diagnose import diagnose, load_facts
from diagnose.cli import cli
from diagnose.errors import DiagnoseError, FactFileError
from diagnose.importer import import_facts, periods_every, periods_from_list

from conftest import ROOT

DATA = ROOT / "tests" / "data" / "import"
TABLES = str(DATA / "tables")
SECTIONS = ("alliances", "deterrence", "consultation_norms", "unfortified_borders", "wars", "practices")


def imported(scheme: str | None = None, **selection):
    selection = selection or {"region": "Europe"}
    return import_facts([TABLES], periods=periods_every("1990-2019", 10), scheme=scheme, **selection)


@pytest.fixture(scope="module")
def europe() -> dict:
    return yaml.safe_load(imported().text)


def entries(document: dict) -> dict[str, dict]:
    return {e["id"]: {**e, "section": s} for s in SECTIONS for e in document.get(s, [])}


# -- the coding rules -------------------------------------------------------------


def test_a_threat_is_deterrence_by_the_side_that_made_it(europe):
    threat = entries(europe)["mid9001_p1990_1999_a"]
    assert (threat["section"], threat["by"], threat["against"], threat["year"]) == \
        ("deterrence", ["UKG"], ["RUS"], 1995)
    assert "mid9001_p1990_1999_b" not in entries(europe)  # Russia took no militarised action
    assert "mid9001_p1990_1999_mutual" not in entries(europe)


def test_a_reciprocated_display_is_deterrence_both_ways_and_a_crisis(europe):
    found = entries(europe)
    assert found["mid9002_p1990_1999_a"]["by"] == ["FRN"] and found["mid9002_p1990_1999_b"]["by"] == ["RUS"]
    crisis = found["mid9002_p1990_1999_mutual"]
    assert (crisis["section"], crisis["level"], crisis["between"]) == ("wars", "crisis", ["FRN", "RUS"])


def test_a_fatal_use_of_force_is_an_armed_conflict_between_the_sides(europe):
    fight = entries(europe)["mid9003_p2000_2009"]
    assert (fight["section"], fight["level"], fight["between"], fight["year"]) == \
        ("wars", "armed_conflict", ["ICE", "UKG"], 2001)
    assert "mid_use_of_force" in fight["note"]


def test_force_without_deaths_is_read_as_a_display(europe):
    found = entries(europe)
    assert "mid9004_p2000_2009" not in found
    display = found["mid9004_p2000_2009_a"]
    assert (display["section"], display["by"], display["against"]) == ("deterrence", ["NTH"], ["ICE"])
    assert "read as a display" in display["note"]


def test_a_dispute_of_two_against_one_keeps_its_sides(europe):
    crisis = entries(europe)["mid9005_p2010_2019_mutual"]
    assert crisis["sides"] == [["FRN", "UKG"], ["RUS"]]


def test_a_pact_with_an_integrated_command_is_a_collective_identity_alliance(europe):
    found = entries(europe)
    pact = found["atop9100_p1990_1999"]
    assert (pact["basis"], pact["members"], pact["source"]) == \
        ("collective_identity", ["FRN", "UKG"], "ATOP 4.01, atopid 9100")
    assert found["atop9100_integrated_command_p1990_1999"]["kind"] == "military_integration"


def test_a_pact_without_one_is_an_alliance_of_expediency_only_while_in_force(europe):
    found = entries(europe)
    assert found["atop9200_p1990_1999"]["basis"] == "expediency"
    assert found["atop9200_consultation_p1990_1999"]["section"] == "consultation_norms"
    assert "atop9200_p2000_2009" not in found  # it ended in 1999


def test_a_treaty_organisation_without_a_pledge_gives_practices_and_a_group_but_no_alliance(europe):
    found = entries(europe)
    assert "atop9300_p1990_1999" not in found
    assert found["atop9300_organisation_p1990_1999"]["kind"] == "multilateral_decision_making"
    assert found["atop9300_arms_reduction_p1990_1999"]["kind"] == "confidence_building"
    assert europe["groups"] == {"ATOP 9300": ["BEL", "FRN", "GMY", "NTH", "UKG"]}
    assert found["atop9300_organisation_p1990_1999"]["among"] == "ATOP 9300"


def test_a_war_is_written_with_its_two_sides(europe):
    war = entries(europe)["cowwar901_p1990_1999"]
    assert (war["level"], war["sides"], war["year"]) == ("war", [["FRN", "UKG"], ["YUG"]], 1999)


def test_a_state_that_changes_sides_within_a_period_is_written_pair_by_pair(europe):
    found = entries(europe)
    assert "cowwar902_p1990_1999" not in found  # Russia on both sides: no entry may say so
    assert found["cowwar902_p1990_1999_ICE_RUS"]["between"] == ["ICE", "RUS"]
    assert found["cowwar902_p1990_1999_BEL_RUS"]["between"] == ["BEL", "RUS"]


def test_ucdp_reads_gleditsch_ward_codes_as_cow_codes(europe):
    conflict = entries(europe)["ucdp9400_p1990_1999"]
    assert conflict["between"] == ["GMY", "RUS"]  # G-W 260 in 1995 is COW's 255
    assert not any(e.startswith("ucdp9401") for e in entries(europe))  # intra-state: not read


def test_arms_races_igos_and_long_peace_borders(europe):
    found = entries(europe)
    assert found["grh71_p1990_1999"]["kind"] == "arms_race"
    assert found["igo_210_211_p1990_1999"]["kind"] == "common_enterprise"
    assert not any(e.startswith("igo_200_365") for e in found)  # 12 shared IGOs: below the threshold
    assert "border_210_211_p1990_1999" in found
    assert "Inferred" in found["border_210_211_p1990_1999"]["note"]
    # Germany re-enters the system in 1990: its border with the Netherlands is 20 years at peace by 2009
    assert "border_210_255_p1990_1999" not in found and "border_210_255_p2000_2009" in found
    # a dispute in 2005 breaks the French-German count
    assert not any(e.startswith("border_220_255") for e in found)


# -- the file ---------------------------------------------------------------------------


def test_every_entry_has_a_source_a_rule_and_a_time(europe):
    for entry in entries(europe).values():
        assert entry["source"] and ("Rule " in entry["note"] or "(rule " in entry["note"])
        assert ("year" in entry) != ("period" in entry)


def test_only_states_of_the_selection_in_the_system_are_written(europe):
    assert "USA" not in europe["states"]  # outside Europe
    assert set(europe["states"]) == {"BEL", "FRN", "GMY", "ICE", "NTH", "RUS", "UKG", "YUG"}


def test_coverage_ends_are_unknown_in_the_summary_and_a_comment():
    text = imported().text
    summary = yaml.safe_load(text)["summary"]
    for said in (text, " ".join(summary.split())):
        assert "COW inter-state war 4.0 covers 1816-2007: 2008-2009 (p2000_2009) is unknown" in said
        assert "COW MID 5 covers 1816-2014: 2015-2019 (p2010_2019) is unknown" in said


def test_a_missing_table_is_unknown_in_every_period(tmp_path):
    (tmp_path / "cw_system.csv").write_bytes((DATA / "tables" / "cw_system.csv").read_bytes())
    result = import_facts([str(tmp_path)], periods=periods_from_list("1990-1999"), states="UKG,FRN")
    assert any("no cow_mid_ddydisps.csv" in line and "every period" in line for line in result.unknown)
    assert result.entries == 0


def test_the_file_loads_validates_and_diagnoses(tmp_path):
    path = tmp_path / "europe.yaml"
    path.write_text(imported().text, encoding="utf-8")
    facts = load_facts(path)
    assert len(facts.entries) == imported().entries
    result = diagnose(facts)
    dyad = {(r.unit, r.period, r.mechanism): r.status for r in result.mechanisms}
    assert dyad[("dyad:ICE-UKG", "p2000_2009", "balance_of_power")] == "active"


def test_the_same_tables_give_the_same_bytes():
    assert imported().text == imported().text


def test_a_group_name_or_state_name_with_yaml_syntax_stays_text(tmp_path):
    for name in ("cow_war_inter.csv",):
        (tmp_path / name).write_bytes((DATA / "tables" / name).read_bytes())
    system = (DATA / "tables" / "cw_system.csv").read_text().replace("Yugoslavia", '"NO: #1, [x]"')
    (tmp_path / "cw_system.csv").write_text(system)
    text = import_facts([str(tmp_path)], periods=periods_from_list("1990-1999"), region="Europe").text
    assert yaml.safe_load(text)["states"]["YUG"] == "NO: #1, [x]"


# -- the scheme ----------------------------------------------------------------------


def test_a_scheme_that_leaves_rules_out_applies_only_the_others():
    found = entries(yaml.safe_load(imported(scheme=str(DATA / "schemes" / "only_wars.yaml")).text))
    assert {e.split("_")[0] for e in found} == {"cowwar901", "cowwar902"}


def test_a_bad_scheme_lists_every_problem_with_line_key_and_suggestion():
    with pytest.raises(FactFileError) as caught:
        imported(scheme=str(DATA / "schemes" / "unknown_rule_and_kind.yaml"))
    message = str(caught.value)
    assert "unknown_rule_and_kind.yaml:3: rules.mid_treat_or_display: unknown rule (did you mean " \
           "'mid_threat_or_display'?)" in message
    assert ":4: rules.grh_arms_race.kind: unknown kind 'arms_rase' (did you mean 'arms_race'?)" in message
    assert ":5: rules.cow_war.colour: unknown parameter" in message


def test_a_scheme_rule_without_a_parameter_says_what_it_takes():
    with pytest.raises(FactFileError, match=r"missing_parameter.yaml:3: rules.igo_common_enterprise: missing "
                                            r"at_least: a whole number"):
        imported(scheme=str(DATA / "schemes" / "missing_parameter.yaml"))


# -- bad tables and arguments ---------------------------------------------------------


def test_a_table_in_another_layout_names_its_missing_columns():
    with pytest.raises(FactFileError, match=r"cw_system.csv:1: missing column end: expected the COW state system"):
        import_facts([str(DATA / "missing_column")], periods=periods_from_list("1990-1999"), region="Europe")


def test_a_table_saved_in_another_encoding_is_one_line_not_a_traceback(tmp_path):
    shutil.copytree(DATA / "tables", tmp_path / "tables")
    latin = (DATA / "tables" / "cw_system.csv").read_text(encoding="utf-8") + "999,XYZ,Cura\xe7ao,1900,2000\n"
    (tmp_path / "tables" / "cw_system.csv").write_bytes(latin.encode("latin-1"))
    with pytest.raises(FactFileError, match=r"cw_system.csv:\d+: not UTF-8 text: byte 0xe7 .*save the table as UTF-8"):
        import_facts([str(tmp_path / "tables")], periods=periods_from_list("1990-1999"), region="Europe")


def test_bad_numbers_are_listed_with_line_and_column():
    with pytest.raises(FactFileError) as caught:
        import_facts([str(DATA / "bad_number")], periods=periods_from_list("1990-1999"), states="UKG,RUS")
    assert "grh_arms_races.csv:2: styear: expected a whole number, found 'nineteen'" in str(caught.value)
    assert "grh_arms_races.csv:3: endyear: expected a whole number, found '19x3'" in str(caught.value)


@pytest.mark.parametrize("selection,message", [
    ({"region": "Europa"}, "unknown COW region (did you mean 'Europe'?)"),
    ({"states": "UKG,FRNN"}, "unknown state 'FRNN' (did you mean 'FRN'?)"),
    ({"states": "UKG,GMY"}, None),
])
def test_states_are_checked(selection, message):
    if message is None:
        assert imported(**selection).states == 2
        return
    with pytest.raises(DiagnoseError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        imported(**selection)


@pytest.mark.parametrize("text", ["1990-1980", "1990-1999,1995-2000", "nineties"])
def test_bad_periods_are_refused(text):
    with pytest.raises(DiagnoseError, match="--periods"):
        periods_from_list(text)


def test_the_command_writes_the_file_and_keeps_an_existing_one(cli_runner, tmp_path):
    target = tmp_path / "europe.yaml"
    args = ["import", "--data", TABLES, "--region", "Europe", "--years", "1990-2019", "--every", "10",
            "-o", str(target)]
    result = cli_runner.invoke(cli, args, prog_name="diagnose")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == imported().text
    again = cli_runner.invoke(cli, args, prog_name="diagnose")
    assert again.exit_code == 2 and "already exists; use --force" in again.output
    assert "Traceback" not in again.output


@pytest.mark.parametrize("extra,message", [
    ([], "name the states"),
    (["--region", "Europe"], "give the periods"),
    (["--region", "Europe", "--years", "1990-1999"], "--years needs --every"),
])
def test_the_command_says_what_is_missing(cli_runner, tmp_path, extra, message):
    result = cli_runner.invoke(cli, ["import", "--data", TABLES, *extra, "-o", str(tmp_path / "x.yaml")],
                               prog_name="diagnose")
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x.yaml").exists()
