"""diff and whatif: conclusions added, removed and changed, with the entries behind them; exit statuses."""

from __future__ import annotations

import json

from conftest import EXAMPLES
from diagnose import diagnose, load_facts
from diagnose.cli import cli
from diagnose.decisive import LeaveOneOut, conclusion_key

GREECE_TURKEY = next(e for e in EXAMPLES if e.stem == "greece_turkey")


def invoke(cli_runner, *args):
    return cli_runner.invoke(cli, [str(a) for a in args])


def without_line(path, text, tmp_path):
    """A copy of ``path`` whose line holding ``text`` (and the entry lines under it) is gone."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if text in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- ") or not lines[i].strip()
               or not lines[i].startswith(" "))
    copy = tmp_path / "edited.yaml"
    copy.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    return copy


def test_diff_of_a_file_with_itself_prints_nothing_and_exits_0(cli_runner):
    for example in EXAMPLES:
        result = invoke(cli_runner, "diff", example, example)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), example


def test_diff_lists_changed_conclusions_with_the_entry_that_changed_them_and_exits_1(cli_runner, tmp_path):
    edited = without_line(GREECE_TURKEY, "- id: atlantic_alliance", tmp_path)
    result = invoke(cli_runner, "diff", GREECE_TURKEY, edited)
    assert result.exit_code == 1
    line = next(e.line for e in load_facts(GREECE_TURKEY).entries if e.id == "atlantic_alliance")
    assert (f"changed  security community of group:NATO in greek_withdrawal: active (loose) ({GREECE_TURKEY}) -> "
            f"nascent ({edited})") in result.stdout
    assert f"because of: atlantic_alliance (line {line})" in result.stdout
    data = json.loads(invoke(cli_runner, "diff", GREECE_TURKEY, edited, "--format", "json").stdout)
    assert data["entries"] == {"added": [], "removed": ["atlantic_alliance"], "edited": []}
    assert {c["change"] for c in data["changes"]} == {"changed", "removed"}
    assert all(c["causes"] == [{"id": "atlantic_alliance", "line": line}] for c in data["changes"])


def test_diff_of_two_periods_names_the_entries_of_one_period_only(cli_runner):
    result = invoke(cli_runner, "diff", GREECE_TURKEY, "--periods", "greek_withdrawal", "after_return", "--format",
                    "json")
    assert result.exit_code == 1
    changes = {(c["conclusion"].get("unit"), c["conclusion"].get("mechanism")): c
               for c in json.loads(result.stdout)["changes"] if c["conclusion"]["kind"] == "mechanism"}
    nato = changes[("group:NATO", "security_community")]
    assert (nato["before"]["coupling"], nato["after"]["coupling"]) == ("loose", "tight")
    assert [c["id"] for c in nato["causes"]] == ["integrated_command"]


def test_diff_refuses_bad_input_with_status_2(cli_runner, tmp_path):
    missing = tmp_path / "missing.yaml"
    for args in [(GREECE_TURKEY, missing), (GREECE_TURKEY,), (GREECE_TURKEY, "--periods", "greek_withdrawl", "x")]:
        result = invoke(cli_runner, "diff", *args)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
    result = invoke(cli_runner, "diff", GREECE_TURKEY, "--periods", "greek_withdrawl", "x")
    assert "unknown period 'greek_withdrawl' (did you mean 'greek_withdrawal'?); unknown period 'x'" in result.stderr


def test_whatif_drop_of_a_decisive_fact_changes_that_judgement(cli_runner):
    facts = load_facts(GREECE_TURKEY)
    result = diagnose(facts)
    nato = next(r for r in result.active("security_community") if r.unit == "group:NATO")
    decisive = LeaveOneOut(facts).decisive(nato)
    assert decisive
    for fact_id in decisive:
        out = invoke(cli_runner, "whatif", GREECE_TURKEY, "--drop", fact_id, "--format", "json")
        assert out.exit_code == 0
        changed = [c for c in json.loads(out.stdout)["changes"] if c["conclusion"]["kind"] == "mechanism"
                   and (c["conclusion"]["mechanism"], c["conclusion"]["unit"], c["conclusion"]["period"])
                   == conclusion_key(nato)[1:4]]
        assert changed and changed[0]["before"]["status"] == "active" and changed[0]["after"] != changed[0]["before"]


def test_whatif_threshold_changes_the_what_if_run_only(cli_runner):
    out = invoke(cli_runner, "whatif", GREECE_TURKEY, "--threshold", "sc_min_kinds=5").stdout
    assert out.startswith("What if: with sc_min_kinds = 5.\nthreshold sc_min_kinds: 3 -> 5\n")
    assert "security community of group:NATO in after_return: active (mature, tight) (original) -> nascent" in out
    assert "because of: the thresholds changed" in out
    assert invoke(cli_runner, "whatif", GREECE_TURKEY).stdout.endswith("No conclusion changes.\n")


def test_whatif_reports_every_bad_input_at_once_in_its_own_file(cli_runner, tmp_path):
    fragment = tmp_path / "fix.yaml"
    fragment.write_text("practices:\n  - kind: deterence\n    among: [GRC, TUR]\n", encoding="utf-8")
    result = invoke(cli_runner, "whatif", GREECE_TURKEY, "--add", fragment, "--drop", "atlantic_aliance",
                    "--drop", "groups.NATO")
    assert result.exit_code == 2
    assert f"{fragment}:2: practices[0].kind: unknown kind 'deterence' (did you mean 'deterrence'?)" in result.stderr
    assert "--drop atlantic_aliance: no entry, strategy or juncture has this id (did you mean " \
           "'atlantic_alliance'?)" in result.stderr
    assert "--drop groups.NATO: a declaration, not an entry" in result.stderr
    assert result.stdout == ""


def test_whatif_refuses_a_fragment_that_is_no_mapping_of_sections(cli_runner, tmp_path):
    fragment = tmp_path / "fix.yaml"
    fragment.write_text("practises:\n  - kind: deterrence\n", encoding="utf-8")
    result = invoke(cli_runner, "whatif", GREECE_TURKEY, "--add", fragment)
    assert result.exit_code == 2
    assert f"{fragment}:1: practises: not a section of entries (did you mean 'practices'?)" in result.stderr


def test_diff_reports_the_problems_of_both_files(cli_runner, tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("schema: 1\nregion: A\nstates: {AAA: A}\npractises: []\n", encoding="utf-8")
    second.write_text("schema: 1\nregion: B\nstates: {BBB: B}\nperiod: []\n", encoding="utf-8")
    result = invoke(cli_runner, "diff", first, second)
    assert result.exit_code == 2
    assert f"{first}:4: practises: unknown key" in result.stderr
    assert f"{second}:4: period: unknown key" in result.stderr
