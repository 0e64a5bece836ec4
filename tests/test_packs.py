"""Rule packs: loading, refusals (exact messages), thresholds, kinds, the rules commands."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from diagnose.cli import cli
from diagnose.packs import builtin_rulebase, rulebase
from conftest import ROOT

HEGEMONY = ROOT / "examples" / "packs" / "hegemony"
HEGEMONY_FACTS = HEGEMONY / "facts" / "western_hemisphere_hegemony.yaml"
WESTERN = ROOT / "facts" / "western_hemisphere.yaml"

GOOD_RULE = '''
from diagnose._experta import AS, MATCH, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Note, Row

class Extra:
    @Rule(AS.row << Row(row=MATCH.row_key, dim=None), salience=Stratum.NOTES)
    def {name}(self, row):
        """Say hello on every row. Someone (2024), Somewhere."""
        self.conclude(Note, ("unit", row["unit"], row["period"]), ids=(), because=("hello",))

RULES = (Extra,)
'''


def write_pack(tmp_path: Path, body: str, name: str = "pack.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def invoke(cli_runner, *args: str):
    return cli_runner.invoke(cli, [str(a) for a in args])


def test_every_builtin_rule_has_a_citation_and_a_plain_words_summary():
    for info in builtin_rulebase().rules():
        assert info.citation.startswith("Adler & Greve (2009), "), info.name
        assert info.concludes and info.concludes[0].isupper(), info.name


def _rules_in_the_source() -> dict[str, str]:
    """Every method decorated with ``@Rule(...)`` in rules/*.py, read from the source: name -> its pack."""
    found = {}
    for path in sorted((ROOT / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "Rule"
                    for d in node.decorator_list):
                assert node.name not in found, f"rule '{node.name}' defined twice in rules/"
                found[node.name] = "core" if path.stem == "evidence" else "builtin"
    return found


def test_rules_list_shows_every_builtin_rule_with_its_citation(cli_runner):
    """Every rule written in rules/ is in force (its class is in RULES) and listed, with its pack and citation."""
    result = invoke(cli_runner, "rules", "list")
    assert result.exit_code == 0
    listed = dict(re.findall(r"^(\w+)  \[(\w+), (?:relations|mechanisms|overlaps)\]$", result.output, re.M))
    written = _rules_in_the_source()
    assert len(written) > 10
    assert listed == written
    assert result.output.count("Adler & Greve (2009)") == len(written)


def test_rules_show_gives_docstring_conditions_and_location(cli_runner):
    result = invoke(cli_runner, "rules", "show", "relational_overlap")
    assert result.exit_code == 0
    assert "relational.py:" in result.output and "Conditions:" in result.output
    assert "Contains(dyad=W('dyad'), unit=W('container'))" in result.output


def test_rules_show_unknown_name_suggests(cli_runner):
    result = invoke(cli_runner, "rules", "show", "sc_activ")
    assert result.exit_code == 2
    assert result.stderr.strip() == "no rule named 'sc_activ' (did you mean 'sc_active'?); see `diagnose rules list`"


def test_hegemony_pack_adds_a_mechanism_to_the_json(cli_runner):
    result = invoke(cli_runner, "run", HEGEMONY_FACTS, "--rules", HEGEMONY, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["mechanisms"]
    active = {r["unit"] for r in rows if r["mechanism"] == "hegemony" and r["status"] == "active"}
    assert active == {"subregion:Central America and Caribbean", "subregion:North America"}
    assert all(r["rules"] and r["facts"] and r["explanation"] for r in rows)


def test_packs_come_from_the_environment_too(cli_runner, monkeypatch):
    monkeypatch.setenv("DIAGNOSE_RULES", str(HEGEMONY))
    result = invoke(cli_runner, "validate", HEGEMONY_FACTS)
    assert result.exit_code == 0, result.output


def test_kinds_lists_the_vocabulary_with_packs(cli_runner):
    result = invoke(cli_runner, "kinds", "--rules", HEGEMONY)
    lines = result.stdout.splitlines()
    assert any(line.split() == ["informal_empire", "hegemony", "hegemony"] for line in lines)
    assert any(line.split() == ["soft_balancing", "indicator", "builtin"] for line in lines)


def test_schema_facts_honours_pack_kinds(cli_runner):
    result = invoke(cli_runner, "schema", "facts", "--rules", HEGEMONY)
    kinds = json.loads(result.stdout)["properties"]["practices"]["items"]["properties"]["kind"]["enum"]
    assert "informal_empire" in kinds and "deterrence" in kinds


def test_pack_that_fails_to_import_is_refused_at_its_line(cli_runner, tmp_path):
    pack = write_pack(tmp_path, "RULES = ()\nimport no_such_module_here\n")
    result = invoke(cli_runner, "run", WESTERN, "--rules", pack)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{pack}:2: the rule pack failed to load: ModuleNotFoundError: "
                                     f"No module named 'no_such_module_here'")


def test_pack_with_a_syntax_error_is_refused_at_its_line(cli_runner, tmp_path):
    pack = write_pack(tmp_path, "RULES = (\n\ndef broken(:\n")
    result = invoke(cli_runner, "run", WESTERN, "--rules", pack)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{pack}:3: the rule pack failed to load: SyntaxError: ")
    assert "Traceback" not in result.output


def test_pack_naming_a_kind_twice_is_refused(cli_runner, tmp_path):
    pack = write_pack(tmp_path, 'RULES = ()\nKINDS = {\n    "x": "hegemony",\n    "x": "indicator",\n}\n')
    result = invoke(cli_runner, "validate", WESTERN, "--rules", pack)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{pack}:4: kind 'x' is named twice in KINDS"


def test_pack_redefining_a_builtin_kind_is_refused(cli_runner, tmp_path):
    pack = write_pack(tmp_path, 'RULES = ()\nKINDS = {"deterrence": "indicator"}\n')
    result = invoke(cli_runner, "validate", WESTERN, "--rules", pack)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{pack}: kind 'deterrence' is already defined by pack 'builtin'"


def test_pack_redefining_a_builtin_rule_without_replaces_is_refused(cli_runner, tmp_path):
    pack = write_pack(tmp_path, GOOD_RULE.format(name="sc_active"))
    result = invoke(cli_runner, "run", WESTERN, "--rules", pack)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{pack}:7: rule 'sc_active' is already defined by pack 'builtin'; "
                                     f"say replaces = \"sc_active\" on its class to replace it")


def test_pack_may_replace_a_builtin_rule_when_it_says_so(tmp_path):
    body = GOOD_RULE.format(name="sc_active").replace("class Extra:", "class Extra:\n    replaces = 'sc_active'")
    rules = rulebase([str(write_pack(tmp_path, body))])
    in_force = {info.name: info.pack for info in rules.rules()}
    assert in_force["sc_active"] == "pack"
    from diagnose.testing import assert_not_concludes, run

    assert_not_concludes(run(WESTERN, packs=[str(tmp_path / "pack.py")]), mechanism="security_community",
                         status="active")


def test_unknown_pack_name_is_refused(cli_runner):
    result = invoke(cli_runner, "run", WESTERN, "--rules", "hegemon")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("hegemon: no such rule pack: no installed pack of that name (installed: "
                                     "none), and not a path (a path contains '/' or ends in '.py')")


def test_no_builtin_rules_runs_a_pack_alone(cli_runner, write_facts):
    facts = write_facts("""
        schema: 1
        region: Caribbean
        states: {USA: United States, HTI: Haiti, PAN: Panama}
        practices:
          - {kind: informal_empire, among: [USA, HTI, PAN]}
          - {kind: hegemonic_intervention, among: [USA, HTI, PAN]}
        """)
    result = invoke(cli_runner, "run", facts, "--rules", HEGEMONY, "--no-builtin-rules", "--format", "json")
    assert result.exit_code == 0, result.output
    mechanisms = {r["mechanism"] for r in json.loads(result.stdout)["mechanisms"]}
    assert mechanisms == {"hegemony"}


def test_builtin_kinds_are_unknown_without_the_builtin_rules(cli_runner):
    result = invoke(cli_runner, "validate", WESTERN, "--rules", HEGEMONY, "--no-builtin-rules")
    assert result.exit_code == 2
    assert "practices[0].kind: unknown kind 'economic_integration'" in result.stderr


def test_no_builtin_rules_needs_a_pack(cli_runner):
    result = invoke(cli_runner, "run", WESTERN, "--no-builtin-rules")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--no-builtin-rules needs at least one pack (--rules PATH_OR_NAME)"


def test_threshold_override_changes_the_diagnosis_and_is_recorded(cli_runner):
    result = invoke(cli_runner, "run", WESTERN, "--threshold", "sc_min_kinds=5", "--format", "json")
    data = json.loads(result.stdout)
    assert data["thresholds"]["sc_min_kinds"] == 5
    assert not [r for r in data["mechanisms"] if r["mechanism"] == "security_community" and r["status"] == "active"]


@pytest.mark.parametrize("option, message", [
    ("sc_min_kind=2", "unknown threshold 'sc_min_kind' (did you mean 'sc_min_kinds'?); "
                      "see `diagnose rules thresholds`"),
    ("sc_min_kinds=two", "threshold 'sc_min_kinds': expected an integer, got 'two'"),
    ("sc_min_kinds=2.5", "threshold 'sc_min_kinds': expected an integer, got '2.5'"),
    ("bop_dyad_share=1.5", "threshold 'bop_dyad_share': expected a value between 0 and 1, got 1.5"),
    ("sc_min_kinds=0", "threshold 'sc_min_kinds': expected at least 1, got 0"),
    ("sc_min_kinds", "--threshold 'sc_min_kinds': expected NAME=VALUE, e.g. --threshold sc_min_kinds=4"),
])
def test_bad_threshold_is_refused(cli_runner, option, message):
    result = invoke(cli_runner, "run", WESTERN, "--threshold", option)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert result.stdout == ""


def test_config_file_sets_thresholds_and_packs(cli_runner, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"rules: [{HEGEMONY}]\nthresholds:\n  hegemony_min_kinds: 4\n", encoding="utf-8")
    result = invoke(cli_runner, "run", HEGEMONY_FACTS, "--config", config, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["thresholds"]["hegemony_min_kinds"] == 4


def test_config_file_errors_name_file_line_and_key(cli_runner, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("thresholds:\n  sc_min_kinds: 3\nrule: []\n", encoding="utf-8")
    result = invoke(cli_runner, "run", WESTERN, "--config", config)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{config}:3: rule: unknown key in the config file (did you mean 'rules'?)"


def test_rules_thresholds_lists_defaults_values_and_sections(cli_runner):
    result = invoke(cli_runner, "rules", "thresholds", "--threshold", "sc_min_kinds=4")
    assert "sc_min_kinds = 4 (default 3)" in result.output
    assert "Notions of relational variety and overlap" in result.output


def test_rules_check_passes_the_example_and_fails_a_bad_pack(cli_runner, tmp_path):
    assert invoke(cli_runner, "rules", "check", HEGEMONY).exit_code == 0
    body = GOOD_RULE.format(name="greet").replace('"""Say hello on every row. Someone (2024), Somewhere."""', "")
    pack = write_pack(tmp_path, body + '\nKINDS = {"odd": "nowhere"}\nMECHANISMS = ("lonely",)\n')
    result = invoke(cli_runner, "rules", "check", pack)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{pack}:7: rule 'greet': no docstring (say what it concludes, in plain words)",
        f"{pack}: kind 'odd' maps to unknown mechanism 'nowhere'",
        f"{pack}: mechanism 'lonely' has no practice kind",
    ]


def test_rules_new_writes_a_pack_whose_test_passes_unedited(cli_runner, tmp_path):
    result = invoke(cli_runner, "rules", "new", "mypack", "--directory", tmp_path)
    assert result.exit_code == 0, result.output
    assert invoke(cli_runner, "rules", "check", tmp_path / "mypack").exit_code == 0
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "mypack"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


def test_rules_new_refuses_to_overwrite(cli_runner, tmp_path):
    (tmp_path / "mypack").mkdir()
    result = invoke(cli_runner, "rules", "new", "mypack", "--directory", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'mypack'}: already exists; choose another name or remove it"


def test_installed_packs_are_listed_not_loaded(cli_runner, monkeypatch):
    import diagnose.packs as packs

    monkeypatch.setattr(packs, "installed_packs", lambda: {"hierarchy": "no_such_module_installed"})
    monkeypatch.setattr(sys.modules["diagnose.cli.rules"], "installed_packs", packs.installed_packs)
    result = invoke(cli_runner, "rules", "list")
    assert result.exit_code == 0  # listed, never imported
    assert "Installed packs (load with --rules NAME): hierarchy" in result.output
    named = invoke(cli_runner, "run", WESTERN, "--rules", "hierarchy")
    assert named.exit_code == 2
    assert "the rule pack failed to load: ModuleNotFoundError" in named.stderr


def test_testing_helpers_refuse_unknown_fields():
    from diagnose.testing import assert_not_concludes, run

    result = run(WESTERN)
    with pytest.raises(TypeError, match=r"no field 'perod' on mechanism rows \(did you mean 'period'\?\)"):
        assert_not_concludes(result, mechanism="security_community", perod="cold_war")


def test_a_pack_may_declare_facts_of_its_own_with_deffacts(tmp_path):
    # the engine finds deffacts once per class instead of on every reset: they must still be declared each time
    body = '''
from diagnose._experta import AS, MATCH, DefFacts, Fact, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Note, Row

class Greeting(Fact):
    """A word the pack's rule repeats."""

class Extra:
    @DefFacts()
    def greeting(self):
        yield Greeting(word="hello from deffacts")

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None), Greeting(word=MATCH.word), salience=Stratum.NOTES)
    def greet_every_row(self, row, word):
        """Say hello on every row. Someone (2024), Somewhere."""
        self.conclude(Note, ("unit", row["unit"], row["period"]), ids=(), because=(word,))

RULES = (Extra,)
'''
    from diagnose.testing import run

    result = run(WESTERN, packs=[str(write_pack(tmp_path, body))])
    greeted = [row for row in result.mechanisms if "hello from deffacts" in row.explanation]
    units = {row.unit for row in result.mechanisms}
    assert {row.unit for row in greeted} == units
