"""The coding rule `bloc_confrontation` on the project's own small tables (tests/data/import/blocs/): two
alliances of five states (ATOP 9500 in the west, ATOP 9600 in the east, which ends in 1985) and a forum of
neutrals that is no alliance (ATOP 9700), with disputes across and within the bloc line in three decades."""

from __future__ import annotations

import pytest
import yaml

from diagnose import diagnose, load_facts
from diagnose.errors import FactFileError
from diagnose.importer import import_facts, periods_every
from diagnose.importer.blocs import SOURCE_IDS, _disputes
from diagnose.importer.scheme import DEFAULT

from conftest import ROOT

DATA = ROOT / "tests" / "data" / "import"
TABLES = str(DATA / "blocs")


def imported(scheme: str | None = None):
    return import_facts([TABLES], region="Europe", periods=periods_every("1960-1989", 10), scheme=scheme)


def blocs(text: str) -> dict[str, dict]:
    document = yaml.safe_load(text)
    return {e["id"]: {**e, "section": s} for s in ("deterrence", "wars") for e in document.get(s, [])
            if e["id"].startswith("bloc")}


@pytest.fixture(scope="module")
def found() -> dict[str, dict]:
    return blocs(imported().text)


def test_a_confrontation_above_the_thresholds_is_bloc_balancing_each_way_and_a_crisis(found):
    west = found["bloc9500_9600_p1960_1969"]
    assert (west["section"], west["by"], west["against"], west["period"]) == \
        ("deterrence", "ATOP 9500", "ATOP 9600", "p1960_1969")
    east = found["bloc9600_9500_p1960_1969"]
    assert (east["by"], east["against"]) == ("ATOP 9600", "ATOP 9500")
    crisis = found["bloc9500_9600_p1960_1969_mutual"]
    assert (crisis["section"], crisis["level"], crisis["sides"]) == ("wars", "crisis", [["ATOP 9500"], ["ATOP 9600"]])
    for entry in (west, east, crisis):
        assert entry["note"].startswith("Inferred (rule bloc_confrontation)")
        assert entry["source"] == "COW MID 5, disputes 8101, 8102, 8103 (cross-bloc); ATOP 4.01, atopids 9500 and 9600"
    assert "8104" not in west["source"]  # a dispute inside the western bloc


def test_below_the_thresholds_or_within_a_bloc_nothing_is_written(found):
    # 1970s: two cross-bloc dyads (below min_dyads 3); one eastern state against three western ones (below
    # two states a side); many disputes inside each bloc, which never count
    assert not any("p1970_1979" in e for e in found)


def test_a_one_sided_confrontation_is_balancing_one_way_without_a_crisis(found):
    assert found["bloc9500_9600_p1980_1989"]["by"] == "ATOP 9500"
    assert "bloc9600_9500_p1980_1989" not in found
    # the reciprocated disputes of 1987 come after the eastern alliance ended (1985): they do not count
    assert "bloc9500_9600_p1980_1989_mutual" not in found
    assert "8304" not in found["bloc9500_9600_p1980_1989"]["source"]


def test_only_alliances_are_blocs(found):
    # the neutrals' forum (an organisation without a pledge) is a group, and its members threaten eastern
    # states over three dyads in 1984, but it is no alliance
    assert not any("9700" in e for e in found)


def test_the_thresholds_are_the_schemes(tmp_path):
    scheme = tmp_path / "scheme.yaml"
    scheme.write_text(DEFAULT.read_text(encoding="utf-8").replace("min_dyads: 3", "min_dyads: 2"), encoding="utf-8")
    looser = blocs(imported(str(scheme)).text)
    assert looser["bloc9500_9600_p1970_1979"]["source"].startswith("COW MID 5, disputes 8201, 8202 (cross-bloc)")
    without = tmp_path / "without.yaml"
    text = DEFAULT.read_text(encoding="utf-8")
    start = text.index("  bloc_confrontation:")
    without.write_text(text[:start] + text[text.index("level: crisis}", start) + len("level: crisis}"):],
                       encoding="utf-8")
    assert blocs(imported(str(without)).text) == {}


def test_the_groups_balance_outward_where_the_blocs_confront_each_other(tmp_path):
    path = tmp_path / "blocs.yaml"
    path.write_text(imported().text, encoding="utf-8")
    rows = {(r.unit, r.period): r for r in diagnose(load_facts(path)).mechanisms
            if r.mechanism == "balance_of_power" and not (r.sector or r.agency or r.issue)}
    for group in ("group:ATOP 9500", "group:ATOP 9600"):
        assert (rows[(group, "p1960_1969")].status, rows[(group, "p1960_1969")].facing) == ("active", "outward")
        assert rows[(group, "p1970_1979")].status == "not_evident"
    # one kind (the western group's one-sided balancing) is below the two the rule base needs
    assert rows[("group:ATOP 9500", "p1980_1989")].status == "not_evident"
    assert rows[("group:ATOP 9700", "p1980_1989")].status == "not_evident"


def test_the_same_tables_give_the_same_bytes():
    assert imported().text == imported().text


def test_a_long_list_of_disputes_is_cut_in_the_source_line():
    numbers = set(range(100, 112))
    line = _disputes(numbers)
    assert line.startswith("disputes 100, 101,") and line.endswith(f"and {12 - SOURCE_IDS} more (12 in all)")
    assert _disputes({7}) == "dispute 7"


def test_a_bad_bloc_rule_says_which_key_and_what_it_takes(tmp_path):
    scheme = tmp_path / "bad.yaml"
    scheme.write_text("scheme: 1\nrules:\n  bloc_confrontation: {hostility_at_least: 6, min_dyad: 3, "
                      "min_states_per_side: 0, kind: deterence, level: crisis}\n", encoding="utf-8")
    with pytest.raises(FactFileError) as caught:
        imported(str(scheme))
    message = str(caught.value)
    assert "bad.yaml:3: rules.bloc_confrontation: missing min_dyads: a whole number, 1 or more" in message
    assert "rules.bloc_confrontation.min_dyad: unknown parameter (did you mean 'min_dyads'?)" in message
    assert "rules.bloc_confrontation.hostility_at_least: expected a hostility level from 1 to 5" in message
    assert "rules.bloc_confrontation.min_states_per_side: expected a whole number, 1 or more" in message
    assert "rules.bloc_confrontation.kind: unknown kind 'deterence' (did you mean 'deterrence'?)" in message
