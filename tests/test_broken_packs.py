"""Broken and unlucky packs (issue 13): each ends in one line naming the pack and the rule, never a traceback.

- `--rules NAME` is the installed pack of that name, never a folder of the current directory;
- a rule (or a condition) that raises, a rule that fires without end, a conclusion outside the
  output's contract: a `RuleError` (exit 2 from the command line) naming the pack and the rule;
- `rules check` runs the pack's example fact files too.
"""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import diagnose.engine as engine
from diagnose import diagnose as run_rules, load_facts
from diagnose.cli import cli
from diagnose.engine import FIRINGS_FLOOR, FIRINGS_PER_FACT, RuleError
from diagnose.errors import DiagnoseError
from diagnose.packs import PackError, builtin_rulebase, rulebase
from diagnose.testing import run
from conftest import EXAMPLES, ROOT

WESTERN = ROOT / "facts" / "western_hemisphere.yaml"

RULE_HEAD = '''
from diagnose._experta import AS, MATCH, TEST, Fact, Field, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Character, Note, Overlap, Row, Status
from diagnose.rules.common import conclude_status

NAME = "broken"
'''


def write_pack(folder: Path, body: str, name: str = "broken.py") -> Path:
    path = folder / name
    path.write_text(RULE_HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def invoke(cli_runner, *args):
    return cli_runner.invoke(cli, [str(a) for a in args])


# --- 1. --rules NAME: the installed pack, never ./NAME --------------------------------------------------------

@pytest.fixture
def evil_here(tmp_path, monkeypatch):
    """A folder `evil/` in the current directory that leaves a mark when imported, and an installed pack `evil`."""
    here = tmp_path / "here"
    (here / "evil").mkdir(parents=True)
    (here / "evil" / "__init__.py").write_text(
        "from pathlib import Path\nPath(__file__).with_name('IMPORTED').write_text('yes')\n"
        "NAME = 'local_evil'\nRULES = ()\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "evil_installed_pack.py").write_text("NAME = 'evil'\nRULES = ()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.chdir(here)
    return here / "evil"


def fake_installed(monkeypatch, packs: dict[str, str]) -> None:
    import diagnose.packs

    monkeypatch.setattr(diagnose.packs, "installed_packs", lambda: dict(packs))


def test_a_bare_name_is_the_installed_pack_not_a_folder_of_the_current_directory(evil_here, monkeypatch,
                                                                                  cli_runner):
    fake_installed(monkeypatch, {"evil": "evil_installed_pack"})
    assert rulebase(["evil"]).packs[-1].name == "evil"
    result = invoke(cli_runner, "run", WESTERN, "--rules", "evil", "--format", "json")
    assert result.exit_code == 0, result.output
    assert not (evil_here / "IMPORTED").exists()  # ./evil/ never ran


def test_a_bare_name_not_installed_is_refused_with_the_path_to_write(evil_here, monkeypatch, cli_runner):
    fake_installed(monkeypatch, {})
    result = invoke(cli_runner, "run", WESTERN, "--rules", "evil")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("evil: no such rule pack: no installed pack of that name (installed: none), "
                                     "and not a path (a path contains '/' or ends in '.py'): to load the folder "
                                     "'evil' here, write ./evil")
    assert not (evil_here / "IMPORTED").exists()


@pytest.mark.parametrize("spec", ["./evil", "evil/"])
def test_a_path_that_looks_like_one_loads_the_folder(evil_here, monkeypatch, spec):
    fake_installed(monkeypatch, {"evil": "evil_installed_pack"})
    assert rulebase([spec]).packs[-1].name == "local_evil"
    assert (evil_here / "IMPORTED").exists()


def test_a_path_that_does_not_exist_is_refused(tmp_path, cli_runner):
    result = invoke(cli_runner, "run", WESTERN, "--rules", tmp_path / "missing.py")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'missing.py'}: no such rule pack: no such file or folder"


def test_rules_check_takes_a_path_even_without_a_slash(tmp_path, monkeypatch, cli_runner):
    assert invoke(cli_runner, "rules", "new", "mypack", "--directory", tmp_path).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = invoke(cli_runner, "rules", "check", "mypack")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "mypack: ok (1 example fact file run)"


# --- 2. a rule that raises ---------------------------------------------------------------------------------------

RAISES = '''
class Broken:
    @Rule(AS.row << Row(dim=None), salience=Stratum.NOTES)
    def breaks(self, row):
        """Fails on every row. Someone (2024), Somewhere."""
        return {}["no such key"]

RULES = (Broken,)
'''

CONDITION_RAISES = '''
class Broken:
    @Rule(AS.row << Row(dim=None),
          TEST(lambda row: row["size"] / 0),
          salience=Stratum.NOTES)
    def divides(self, row):
        """Never fires. Someone (2024), Somewhere."""

RULES = (Broken,)
'''


def test_a_rule_that_raises_is_one_line_naming_pack_rule_and_exception(tmp_path, cli_runner):
    pack = write_pack(tmp_path, RAISES)
    result = invoke(cli_runner, "run", WESTERN, "--rules", pack)
    assert result.exit_code == 2, result.output
    line = line_of(pack, 'return {}["no such key"]')
    assert result.stderr == f"{pack}:{line}: rule 'breaks' of pack 'broken' raised KeyError: 'no such key'\n"
    assert "Traceback" not in result.output


def test_a_rule_that_raises_is_a_diagnose_error_for_python_callers_with_its_cause(tmp_path):
    pack = write_pack(tmp_path, RAISES)
    with pytest.raises(RuleError) as caught:
        run(WESTERN, packs=[pack])
    assert isinstance(caught.value, PackError) and isinstance(caught.value, DiagnoseError)
    assert isinstance(caught.value.__cause__, KeyError)  # the traceback is there for whoever debugs the pack
    copy = pickle.loads(pickle.dumps(caught.value))  # crosses from a worker process intact
    assert type(copy) is RuleError and str(copy) == str(caught.value)


def test_a_condition_that_raises_names_its_rule(tmp_path, cli_runner):
    pack = write_pack(tmp_path, CONDITION_RAISES)
    result = invoke(cli_runner, "run", WESTERN, "--rules", pack)
    assert result.exit_code == 2, result.output
    line = line_of(pack, "TEST(lambda row")
    assert result.stderr == (f"{pack}:{line}: a condition of rule 'divides' of pack 'broken' raised "
                             f"ZeroDivisionError: division by zero\n")


# --- 3. a rule that fires without end ------------------------------------------------------------------------

LOOPS = '''
class Tick(Fact):
    n = Field(int, mandatory=True)


class Broken:
    @Rule(Row(dim=None, unit="region"), salience=Stratum.NOTES)
    def starts(self):
        """Starts a count. Someone (2024), Somewhere."""
        self.declare(Tick(n=0))

    @Rule(Tick(n=MATCH.n), salience=Stratum.NOTES)
    def counts_on(self, n):
        """Counts for ever: a new fact every time it fires. Someone (2024), Somewhere."""
        self.declare(Tick(n=n + 1))

RULES = (Broken,)
'''


def test_a_rule_that_fires_without_end_stops_with_the_pack_and_rule(tmp_path):
    """In a process of its own, with the real limit: without one, it would run until the timeout."""
    pack = write_pack(tmp_path, LOOPS)
    done = subprocess.run([sys.executable, "-c", "from diagnose.cli import main; main()", "run", str(WESTERN),
                           "--rules", str(pack)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    line = line_of(pack, "@Rule(Tick(n=MATCH.n)")
    message = done.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert re.fullmatch(
        rf"{re.escape(str(pack))}:{line}: rule 'counts_on' of pack 'broken' fired [\d,]+ times on region and "
        rf"the rules did not stop: [\d,]+ firings in one partition, over the limit of [\d,]+ "
        rf"\({FIRINGS_FLOOR:,} \+ {FIRINGS_PER_FACT} per fact given\); a rule that declares a new fact every "
        rf"time it fires never ends", message), message


def test_the_builtin_rules_stay_far_below_the_firing_limit(tmp_path, monkeypatch):
    """The examples and a generated world of 50 states and 5 periods: at most a few firings per fact given."""
    world = tmp_path / "world.yaml"
    with world.open("w", encoding="utf-8") as out:
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--states", "50", "--periods", "5",
                        "--seed", "1"], stdout=out, check=True)
    partitions: list[list[int]] = []

    def limit(facts: int) -> int:
        partitions.append([facts, 0])
        return engine.FIRINGS_FLOOR + engine.FIRINGS_PER_FACT * facts

    def trace(name, facts):
        partitions[-1][1] += 1

    monkeypatch.setattr(engine, "firing_limit", limit)
    rules = builtin_rulebase()
    for path in [*EXAMPLES, world]:
        run_rules(load_facts(path, rules), rules, trace=trace)
    assert len(partitions) > 500
    most_per_fact = max(fired / facts for facts, fired in partitions)
    most = max(fired for _, fired in partitions)
    assert most_per_fact < 3, most_per_fact  # the limit allows 50 per fact, plus 100,000
    assert most < FIRINGS_FLOOR / 50, most


# --- 4. conclusions outside the contract ---------------------------------------------------------------------

def concluding(status="active", **fields) -> str:
    qualifiers = "".join(f", {k}={v!r}" for k, v in fields.items())
    return f'''
MECHANISMS = ("order",)
KINDS = {{"patrol": "order"}}
QUALIFIERS = {{"order": ("variant",)}}

class Broken:
    @Rule(AS.row << Row(dim=None, unit="region"), salience=Stratum.STATUS)
    def concludes_badly(self, row):
        """Concludes a status. Someone (2024), Somewhere."""
        conclude_status(self, row, "order", {status!r}{qualifiers}, because=("Because.",))

RULES = (Broken,)
'''


@pytest.mark.parametrize("body, problem", [
    (concluding("activ"), "status 'activ' for order (region, None); expected one of active, nascent, decaying, "
                          "formal_only, broken_down, not_evident"),
    (concluding(variant="sideways"), "variant 'sideways' for order (region, None); expected None or one of "
                                     "adversarial, associational"),
    (concluding(facing="upward"), "facing 'upward' for order (region, None); expected None or one of inward, "
                                  "outward, both"),
    (concluding(phase="old"), "phase 'old' for order (region, None); expected None or one of nascent, ascendant, "
                              "mature"),
    (concluding(coupling="glued"), "coupling 'glued' for order (region, None); expected None or one of loose, "
                                   "tight"),
    (concluding(coupling="tight"), "coupling 'tight' for order (region, None), but its pack's QUALIFIERS give "
                                   "order variant"),
    (concluding().replace('row, "order"', 'row, "disorder"'),
     "a status of mechanism 'disorder' (region, None), which no pack in force declares in MECHANISMS"),
], ids=["status", "variant", "facing", "phase", "coupling", "qualifier-of-another", "mechanism"])
def test_a_status_outside_the_contract_names_the_rule(tmp_path, cli_runner, write_facts, body, problem):
    pack = write_pack(tmp_path, body)
    facts = write_facts("schema: 1\nregion: R\nstates: {A: a, B: b}\n")
    result = invoke(cli_runner, "run", facts, "--rules", pack)
    assert result.exit_code == 2, result.output
    line = line_of(pack, "@Rule(AS.row")
    assert result.stderr == f"{pack}:{line}: rule 'concludes_badly' of pack 'broken' concluded {problem}\n"


def test_a_status_declared_directly_is_checked_too(tmp_path, write_facts):
    body = '''
    class Broken:
        @Rule(AS.row << Row(dim=None, unit="region"), salience=Stratum.STATUS)
        def declares_badly(self, row):
            """Declares a status itself. Someone (2024), Somewhere."""
            self.declare(Status(key=(row["row"], "security_community"), row=row["row"], unit=row["unit"],
                                unit_kind=row["unit_kind"], label=row["label"], period=row["period"], dim=None,
                                value=None, mechanism="security_community", status="thriving", variant=None,
                                facing=None, phase=None, coupling=None, states=row["states"], ids=(),
                                deliberate=(), rules=("declares_badly",), because=("Because.",)))

    RULES = (Broken,)
    '''
    pack = write_pack(tmp_path, body)
    with pytest.raises(RuleError, match=r"rule 'declares_badly' of pack 'broken' concluded status 'thriving' for "
                                        r"security_community \(region, None\); expected one of active"):
        run(write_facts("schema: 1\nregion: R\nstates: {A: a, B: b}\n"), packs=[pack])


OVERLAP_TYPE = '''
class Broken:
    stage = "overlaps"

    @Rule(AS.status << Status(dim=None, unit=MATCH.unit, period=MATCH.period), salience=Stratum.OVERLAPS + 1)
    def overlaps_oddly(self, status, unit, period):
        """Every row overlaps diagonally. Someone (2024), Somewhere."""
        self.conclude(Overlap, ("diagonal", (unit,), period), type="diagonal", units=(unit,), period=period,
                      mechanisms=(status["mechanism"], status["mechanism"]), dimension=None, on=(), cover_a=unit,
                      cover_b=unit, ids=status["ids"], because=("Diagonal.",))

RULES = (Broken,)
'''

CHARACTER = '''
class Broken:
    stage = "overlaps"

    @Rule(Overlap(key=MATCH.key), salience=Stratum.CHARACTER + 1)
    def characterises_oddly(self, key):
        """Every overlap is accidental. Someone (2024), Somewhere."""
        self.conclude(Character, key, character="accidental", because=("Accidental.",))

RULES = (Broken,)
'''


@pytest.mark.parametrize("body, rule, problem", [
    (OVERLAP_TYPE, "overlaps_oddly", r"an overlap of type 'diagonal' \(.*\); expected one of temporal, functional, "
                                     r"spatial, relational"),
    (CHARACTER, "characterises_oddly", r"character 'accidental' for the overlap \(.*\); expected one of automatic, "
                                       r"manual, mixed"),
], ids=["overlap-type", "character"])
def test_an_overlap_or_character_outside_the_contract_names_the_rule(tmp_path, cli_runner, body, rule, problem):
    pack = write_pack(tmp_path, body)
    result = invoke(cli_runner, "run", WESTERN, "--rules", pack)
    assert result.exit_code == 2, result.output
    assert re.fullmatch(rf"{re.escape(str(pack))}:\d+: rule '{rule}' of pack 'broken' concluded {problem}\n",
                        result.stderr), result.stderr


# --- 5. rules check runs the examples ----------------------------------------------------------------------

def pack_folder(tmp_path: Path, body: str, facts: str) -> Path:
    folder = tmp_path / "brokenpack"
    (folder / "facts").mkdir(parents=True)
    write_pack(folder, body, "__init__.py")
    (folder / "facts" / "example.yaml").write_text(textwrap.dedent(facts), encoding="utf-8")
    return folder


def test_rules_check_runs_the_example_fact_files(tmp_path, cli_runner):
    folder = pack_folder(tmp_path, RAISES, "schema: 1\nregion: R\nstates: {A: a, B: b}\n")
    result = invoke(cli_runner, "rules", "check", folder)
    assert result.exit_code == 1, result.output
    line = line_of(folder / "__init__.py", 'return {}["no such key"]')
    assert result.stderr.splitlines() == [
        f"{folder / 'facts' / 'example.yaml'}: {folder}/__init__.py:{line}: rule 'breaks' of pack 'broken' "
        f"raised KeyError: 'no such key'"]


def test_rules_check_reports_an_example_that_does_not_load(tmp_path, cli_runner):
    folder = pack_folder(tmp_path, "RULES = ()\n", "schema: 1\nregion: R\nstates: {A: a}\npractices:\n"
                                                   "  - {kind: patrolling, among: [A]}\n")
    result = invoke(cli_runner, "rules", "check", folder)
    assert result.exit_code == 1
    assert any(line.startswith(f"{folder / 'facts' / 'example.yaml'}:5: practices[0].kind: unknown kind "
                               f"'patrolling'") for line in result.stderr.splitlines()), result.stderr


def test_rules_check_reports_an_example_whose_output_breaks_the_schema(tmp_path, cli_runner):
    """Values each allowed, paired wrongly: a variant on a row that is not active."""
    pytest.importorskip("jsonschema")
    body = concluding("nascent", variant="adversarial").replace('QUALIFIERS = {"order": ("variant",)}', "")
    folder = pack_folder(tmp_path, body, "schema: 1\nregion: R\nstates: {A: a, B: b}\n")
    result = invoke(cli_runner, "rules", "check", folder)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"{folder / 'facts' / 'example.yaml'}: the diagnosis breaks its JSON Schema at "
                                    f"mechanisms/"), result.stderr
