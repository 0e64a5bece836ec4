"""`diagnose import` on the real tables, where they are (../shared/data beside the checkout, or the folder
DIAGNOSE_DATA names); skipped cleanly elsewhere: the tables are never part of the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from diagnose import diagnose, load_facts
from diagnose.importer import import_facts, periods_every

from conftest import ROOT

DATA = Path(os.environ.get("DIAGNOSE_DATA", ROOT.parent / "shared" / "data"))
pytestmark = pytest.mark.skipif(not (DATA / "peacesciencer" / "cw_system.csv").is_file(),
                                reason=f"no data tables in {DATA} (set DIAGNOSE_DATA)")
COLD_WAR = ("p1946_1955", "p1956_1965", "p1966_1975", "p1976_1985")


@pytest.fixture(scope="module")
def europe(tmp_path_factory) -> tuple[dict, dict]:
    result = import_facts([str(DATA / "peacesciencer"), str(DATA / "atop")], region="Europe",
                          periods=periods_every("1946-2014", 10))
    path = tmp_path_factory.mktemp("import") / "europe.yaml"
    path.write_text(result.text, encoding="utf-8")
    rows = diagnose(load_facts(path)).mechanisms
    statuses = {(r.unit, r.period, r.mechanism): r for r in rows if not (r.sector or r.agency or r.issue)}
    return yaml.safe_load(result.text), statuses


def test_europe_1946_2014_is_valid_and_every_entry_is_sourced(europe):
    document, _ = europe
    entries = [e for s in ("alliances", "deterrence", "consultation_norms", "unfortified_borders", "wars",
                           "practices") for e in document.get(s, [])]
    assert len(entries) > 1000
    assert all(e["source"] and e["note"] and ("year" in e or "period" in e) for e in entries)
    assert "COW inter-state war 4.0 covers 1816-2007: 2008-2014" in " ".join(document["summary"].split())


def test_the_cold_war_blocs_balance_across_the_bloc_line(europe):
    _, statuses = europe
    for period in COLD_WAR:
        assert statuses[("dyad:RUS-UKG", period, "balance_of_power")].status == "active"
    assert statuses[("dyad:GDR-GFR", "p1956_1965", "balance_of_power")].status == "active"


def test_the_cold_war_blocs_balance_each_other_as_groups(europe):
    """Rule bloc_confrontation: where the two pacts confront each other in disputes over several dyads, each
    balances outward as a group; where the data show too little (1966-1975: two dyads), it does not."""
    document, statuses = europe
    bop = {(g, p): statuses[(f"group:{g}", p, "balance_of_power")] for g in ("NATO", "Warsaw Pact")
           for p in COLD_WAR}
    for group in ("NATO", "Warsaw Pact"):
        assert (bop[(group, "p1956_1965")].status, bop[(group, "p1956_1965")].facing) == ("active", "outward")
    assert (bop[("NATO", "p1976_1985")].status, bop[("NATO", "p1976_1985")].facing) == ("active", "outward")
    assert bop[("NATO", "p1966_1975")].status == "not_evident"
    # the Warsaw Pact's group names Albania, which left in 1968: the later bloc entries do not cover it
    assert bop[("Warsaw Pact", "p1976_1985")].status == "not_evident"
    ids = {e["id"] for s in ("deterrence", "wars") for e in document.get(s, []) if e["id"].startswith("bloc")}
    assert {"bloc3180_3285_p1956_1965", "bloc3285_3180_p1956_1965", "bloc3180_3285_p1956_1965_mutual"} <= ids
    assert not any(p in i for i in ids for p in ("p1946_1955", "p1996_2005", "p2006_2014"))


def test_western_europes_community_takes_hold(europe):
    _, statuses = europe
    weu = [statuses[("group:Western European Union", p, "security_community")] for p in COLD_WAR]
    assert [r.status for r in weu] == ["active"] * 4 and weu[1].phase == "mature"
    eu = [statuses[("group:European Union", p, "security_community")].status
          for p in ("p1986_1995", "p1996_2005", "p2006_2014")]
    assert eu == ["nascent", "nascent", "active"]
