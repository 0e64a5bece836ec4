"""One-line definitions of practice kinds: the built-in ones, a pack's own, and refusals."""

from __future__ import annotations

import textwrap
from pathlib import Path

from diagnose.cli import cli
from diagnose.packs import builtin_rulebase
from diagnose.rules import DEFINITIONS
from diagnose.rules.vocabulary import KINDS
from conftest import ROOT

HEGEMONY = ROOT / "examples" / "packs" / "hegemony"
WESTERN = ROOT / "facts" / "western_hemisphere.yaml"


def kinds_output(cli_runner, *args) -> dict[str, str]:
    """`diagnose kinds` parsed: kind -> its definition (the indented lines under it, joined)."""
    result = cli_runner.invoke(cli, ["kinds", *map(str, args)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["kind", "mechanism", "pack"]
    found: dict[str, list[str]] = {}
    current = None
    for line in lines[1:]:
        if line.startswith("    "):
            assert current is not None, line
            found[current].append(line.strip())
        else:
            current = line.split()[0]
            found[current] = []
        assert len(line) <= 80, line
    return {kind: " ".join(parts) for kind, parts in found.items()}


def write_pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pack.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_every_builtin_kind_has_exactly_one_line_of_definition():
    assert set(DEFINITIONS) == set(KINDS)
    for kind, text in DEFINITIONS.items():
        assert text.strip() and "\n" not in text, kind
        assert text[0].isupper() and text.endswith("."), kind
    assert builtin_rulebase().definitions == DEFINITIONS


def test_kinds_shows_a_definition_for_every_builtin_kind(cli_runner):
    shown = kinds_output(cli_runner)
    assert set(shown) == set(KINDS)
    for kind in KINDS:
        assert shown[kind] == DEFINITIONS[kind], kind


def test_kinds_shows_a_packs_definitions(cli_runner):
    shown = kinds_output(cli_runner, "--rules", HEGEMONY)
    assert shown["informal_empire"] == ("A dominant state steers a weaker one's policies through economic, "
                                        "political or military leverage, without formal rule.")
    assert all(shown[kind] and not shown[kind].startswith("(no definition") for kind in shown)
    assert shown["deterrence"] == DEFINITIONS["deterrence"]


def test_kinds_says_when_a_pack_gives_no_definition(cli_runner, tmp_path):
    pack = write_pack(tmp_path, 'RULES = ()\nKINDS = {"tribute": "indicator"}\n')
    shown = kinds_output(cli_runner, "--rules", pack)
    assert shown["tribute"] == "(no definition: its pack gives none in DEFINITIONS)"


def test_a_definition_of_a_kind_the_pack_does_not_define_is_refused(cli_runner, tmp_path):
    pack = write_pack(tmp_path, '''\
        RULES = ()
        KINDS = {"tribute": "indicator"}
        DEFINITIONS = {"tribute": "Gifts to a stronger power.", "deterrence": "My own reading."}
    ''')
    result = cli_runner.invoke(cli, ["kinds", "--rules", str(pack)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{pack}: DEFINITIONS defines kind 'deterrence', which is not among the "
                                     f"pack's KINDS; a pack defines only its own kinds")
    assert "Traceback" not in result.output


def test_a_misspelt_definition_is_refused_with_a_suggestion(cli_runner, tmp_path):
    pack = write_pack(tmp_path, 'RULES = ()\nKINDS = {"tribute": "indicator"}\nDEFINITIONS = {"tribte": "Gifts."}\n')
    result = cli_runner.invoke(cli, ["validate", str(WESTERN), "--rules", str(pack)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{pack}: DEFINITIONS defines kind 'tribte', which is not among the "
                                     f"pack's KINDS (did you mean 'tribute'?); a pack defines only its own kinds")


def test_a_definition_must_be_one_line_of_text(cli_runner, tmp_path):
    pack = write_pack(tmp_path, 'RULES = ()\nKINDS = {"tribute": "indicator"}\nDEFINITIONS = {"tribute": 3}\n')
    result = cli_runner.invoke(cli, ["kinds", "--rules", str(pack)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{pack}: DEFINITIONS['tribute'] must be one line of text, got 3"
