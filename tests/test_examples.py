"""The example fact files, and the conclusions Adler & Greve (2009) support for each.

Every assertion below is written by hand from the paper, not copied from the
engine's output: if one fails, either the example file or the rule base has
stopped saying what the paper says. Each test names the section of the paper
it rests on. The golden files (tests/test_golden.py) pin the rest of the
output byte for byte.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import pytest

from diagnose import Diagnosis, diagnose, load_facts

FACTS = Path(__file__).resolve().parent.parent / "facts"
EXAMPLES = sorted(FACTS.glob("*.yaml"))
BOP, SC = "balance_of_power", "security_community"
BOTH = (BOP, SC)

# The section headings of the paper, which `source:` notes cite.
HEADINGS = (
    "Introduction",
    "Overlap",
    "Security governance",
    "'Balance of power' and 'security community' as mechanisms of security governance",
    "Balance of power mechanism and repertoire of practices",
    "Security community mechanism and repertoire of practices",
    "Conceptualising overlap of security mechanisms",
    "Notions of temporal/evolutionary variety and overlap",
    "Notions of functional variety and overlap",
    "Notions of spatial variety and overlap",
    "Notions of relational variety and overlap",
    "'Automatic' versus 'manual' overlap",
    "Thinking about regions",
    "Conclusion",
)


@lru_cache(maxsize=None)
def example(name: str) -> Diagnosis:
    return diagnose(load_facts(FACTS / f"{name}.yaml"))


def overlaps_of(result: Diagnosis, type_: str) -> list:
    return [o for o in result.overlaps if o.type == type_]


def the_overlap(result: Diagnosis, type_: str, units: tuple[str, ...], period: str | None):
    found = [o for o in result.overlaps if (o.type, o.units, o.period) == (type_, units, period)]
    assert len(found) == 1, (
        f"expected one {type_} overlap of {units} in {period}; the diagnosis has: "
        + "; ".join(f"{o.type} {o.units} {o.period}" for o in result.overlaps))
    return found[0]


def row(result: Diagnosis, mechanism: str, unit: str, period: str | None, **slice_):
    want = {"sector": None, "agency": None, "issue": None, **slice_}
    found = [r for r in result.mechanisms if (r.mechanism, r.unit, r.period) == (mechanism, unit, period)
             and all(getattr(r, k) == v for k, v in want.items())]
    assert len(found) == 1, f"expected one {mechanism} row for {unit} in {period} {slice_ or ''}"
    return found[0]


# --------------------------------------------------------------------------
# Every example
# --------------------------------------------------------------------------

def _ids(path: Path) -> str:
    return path.stem


def test_the_examples_are_all_here():
    assert {p.stem for p in EXAMPLES} >= {
        "western_hemisphere", "euro_atlantic", "greece_turkey", "southeast_asia",
        "middle_east_multilaterals", "bureaucratic_split"}


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
def test_every_conclusion_is_explained(path):
    # Spec section 4: no conclusion without its rules, facts and explanation;
    # every fact it names is an entry, strategy, juncture or declaration of the file.
    facts = load_facts(path)
    known = {e.id for e in facts.entries} | {s.id for s in facts.strategies} | {j.id for j in facts.junctures}
    known |= {"states"} | {u.declaration for u in (*facts.groups, *facts.subregions)}
    result = diagnose(facts)
    assert result.mechanisms
    for r in (*result.mechanisms, *result.overlaps):
        assert r.rules, f"{r} names no rule"
        assert r.facts, f"{r} names no fact"
        assert r.explanation.strip(), f"{r} has no explanation"
        assert set(r.facts) <= known, f"{r} names unknown facts {set(r.facts) - known}"


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
def test_examples_are_written_for_readers(path):
    # A summary, explicit ids, and citations by section heading of the paper.
    facts = load_facts(path)
    assert facts.summary and len(facts.summary) > 80
    for item in (*facts.entries, *facts.strategies, *facts.junctures):
        assert "[" not in item.id, f"{path.name}: give {item.id} an explicit id"
        if item.source is not None:
            source = item.source.replace("\u2018", "'").replace("\u2019", "'")
            assert source.startswith("Adler & Greve (2009), "), f"{path.name}: {item.id}: {item.source}"
            assert any(h in source for h in HEADINGS), f"{path.name}: {item.id} cites no section: {item.source}"


# --------------------------------------------------------------------------
# Western Hemisphere -- "Notions of spatial variety and overlap"
# --------------------------------------------------------------------------

def test_western_hemisphere_spatial_overlap():
    # Notions of spatial variety and overlap: North America and the Southern
    # Cone are security communities, the Andes (Venezuela-Colombia) are not.
    result = example("western_hemisphere")
    spatial = {(o.units, o.period) for o in overlaps_of(result, "spatial")}
    assert spatial == {
        (("subregion:North America", "subregion:Andes"), "post_cold_war"),
        (("subregion:Southern Cone", "subregion:Andes"), "post_cold_war"),
    }
    for o in overlaps_of(result, "spatial"):
        assert o.mechanisms == BOTH
        assert o.character == "automatic"  # no strategy, no deliberate practice in the file


def test_western_hemisphere_subregions():
    # Notions of spatial variety and overlap: a pluralistic SC in North
    # America, a recent one in the Southern Cone, a near-war in the Andes (2008).
    result = example("western_hemisphere")
    assert result.status(SC, "subregion:North America", "post_cold_war") == "active"
    assert result.status(SC, "subregion:Southern Cone", "post_cold_war") == "active"
    assert result.status(BOP, "subregion:Andes", "post_cold_war") == "active"
    assert result.status(SC, "subregion:Andes", "post_cold_war") != "active"


def test_western_hemisphere_is_not_one_community():
    # Notions of spatial variety and overlap: it would stretch the imagination
    # to call the whole hemisphere a security community.
    result = example("western_hemisphere")
    for period in ("cold_war", "post_cold_war"):
        assert result.status(SC, "region", period) == "not_evident"


def test_argentina_brazil_moved_from_balance_to_community():
    # Notions of spatial variety and overlap: Argentina and Brazil gave up
    # their nuclear race and replaced economic competition with integration.
    result = example("western_hemisphere")
    assert result.status(BOP, "dyad:ARG-BRA", "cold_war") == "active"
    assert result.status(BOP, "dyad:ARG-BRA", "post_cold_war") != "active"
    assert result.status(SC, "dyad:ARG-BRA", "post_cold_war") == "active"
    assert result.status(SC, "subregion:Southern Cone", "cold_war") != "active"
    # A replacement, not a coexistence: no temporal overlap.
    assert not overlaps_of(result, "temporal")


def test_north_american_consultation_counts_two_kinds():
    # Security community mechanism and repertoire of practices: norms of
    # consultation and multilateral decision-making are two practices, and a
    # consultation_norms entry with multilateral: true carries both (spec
    # section 2). Guards the count in rules/evidence.py (count_kinds), which
    # once counted one kind per entry.
    # na_consultation (multilateral: true) + na_borders + na_economic_integration
    # make four kinds, so North America stays a community even at a threshold of 4.
    facts = load_facts(FACTS / "western_hemisphere.yaml")
    result = diagnose(facts, thresholds={"sc_min_kinds": 4})
    assert result.status(SC, "subregion:North America", "post_cold_war") == "active"


# --------------------------------------------------------------------------
# Euro-Atlantic -- "Notions of temporal/evolutionary variety and overlap"
# --------------------------------------------------------------------------

def test_euro_atlantic_temporal_overlap():
    # Notions of temporal/evolutionary variety and overlap: from 1975 to 1989
    # CSCE community-building practices began to change the order while the
    # blocs still balanced each other; the new practices outlived the old balance.
    result = example("euro_atlantic")
    o = the_overlap(result, "temporal", ("region",), "helsinki_process")
    assert o.mechanisms == BOTH
    assert {"bloc_deterrence", "bloc_arms_race", "csce_confidence_building",
            "csce_cooperative_security", "csce_follow_up_meetings"} <= set(o.facts)
    assert "nato_transformation" in o.explanation
    assert {(x.type, x.units, x.period) for x in result.overlaps} == {
        ("temporal", ("region",), "helsinki_process")}


def test_euro_atlantic_old_balance_fades_new_practices_stay():
    # Notions of temporal/evolutionary variety and overlap.
    result = example("euro_atlantic")
    assert result.status(BOP, "region", "helsinki_process") == "active"
    assert result.status(SC, "region", "helsinki_process") == "active"
    assert result.status(BOP, "region", "nato_transformation") == "not_evident"
    assert result.status(SC, "region", "nato_transformation") == "active"


def test_nato_takes_up_cooperative_security_without_shedding_deterrence():
    # Notions of temporal/evolutionary variety and overlap: NATO moved into
    # cooperative security, partnership and enlargement in the 1990s while it
    # stayed a defence alliance; enlargement reads both as socialisation and
    # as a balancing move.
    result = example("euro_atlantic")
    sc = row(result, SC, "group:NATO", "nato_transformation")
    bop = row(result, BOP, "group:NATO", "nato_transformation")
    assert sc.status == bop.status == "active"
    assert {"nato_cooperative_security", "partnership_for_peace", "enlargement_conditionality"} <= set(sc.facts)
    assert {"nato_keeps_deterrent", "enlargement_as_balancing"} <= set(bop.facts)


# --------------------------------------------------------------------------
# Greece-Turkey -- "Notions of relational variety and overlap"
# --------------------------------------------------------------------------

def test_greece_turkey_relational_overlap():
    # Notions of relational variety and overlap: the Greek-Turkish balance is
    # nested in both states' community relations with the other NATO members,
    # also while Greece was out of NATO's integrated military structure.
    result = example("greece_turkey")
    for period in ("greek_withdrawal", "after_return"):
        o = the_overlap(result, "relational", ("dyad:GRC-TUR", "group:NATO"), period)
        assert o.mechanisms == BOTH
        assert {"greek_internal_balancing", "aegean_arms_race", "nato_consultation"} <= set(o.facts)
    assert {o.type for o in result.overlaps} == {"relational"}


def test_greece_turkey_rivalry_does_not_make_nato_a_balance():
    # Notions of relational variety and overlap: Greece and Turkey stayed inside
    # NATO's community; one rival pair does not turn NATO into a balance.
    result = example("greece_turkey")
    for period in ("greek_withdrawal", "after_return"):
        assert result.status(SC, "group:NATO", period) == "active"
        assert result.status(BOP, "group:NATO", period) == "not_evident"
        assert result.status(BOP, "dyad:GRC-TUR", period) == "active"


def test_greece_turkey_overlap_is_not_a_strategy():
    # 'Automatic' versus 'manual' overlap: Greek balancing is deliberate, but
    # nobody chose to combine balance and community; the 1974 invasion is a
    # critical juncture named with the overlap of its period.
    result = example("greece_turkey")
    withdrawal = the_overlap(result, "relational", ("dyad:GRC-TUR", "group:NATO"), "greek_withdrawal")
    assert withdrawal.character == "mixed"
    assert "cyprus_1974" in withdrawal.facts
    later = the_overlap(result, "relational", ("dyad:GRC-TUR", "group:NATO"), "after_return")
    assert "cyprus_1974" not in later.facts


# --------------------------------------------------------------------------
# Southeast Asia -- "Notions of functional variety and overlap",
#                   "'Automatic' versus 'manual' overlap"
# --------------------------------------------------------------------------

def test_southeast_asia_functional_overlap_is_manual():
    # Notions of functional variety and overlap: ASEAN builds community in the
    # economic realm while balancing persists in the military one.
    # 'Automatic' versus 'manual' overlap: omni-enmeshment makes it a strategy.
    result = example("southeast_asia")
    o = the_overlap(result, "functional", ("group:ASEAN",), None)
    assert o.dimension == "sector"
    assert o.on == {SC: "economic", BOP: "military"}
    assert o.character == "manual"
    assert "omni_enmeshment" in o.facts
    assert {"afta", "apec", "regional_capability_watch"} <= set(o.facts)


def test_southeast_asia_sectors():
    # Notions of functional variety and overlap.
    result = example("southeast_asia")
    assert result.status(SC, "group:ASEAN", None, sector="economic") == "active"
    assert result.status(BOP, "group:ASEAN", None, sector="military") == "active"
    assert result.status(SC, "group:ASEAN", None, sector="military") != "active"
    assert result.status(BOP, "group:ASEAN", None, sector="economic") != "active"


def test_southeast_asia_balance_with_the_major_powers():
    # Notions of functional variety and overlap: balancing still governs
    # Southeast Asia's security ties with Washington, Beijing, Tokyo and
    # Pyongyang; the wider Asia-Pacific is no security community.
    result = example("southeast_asia")
    assert result.status(BOP, "dyad:CHN-USA", None) == "active"
    assert result.status(BOP, "dyad:PRK-USA", None) == "active"
    assert result.status(SC, "dyad:CHN-USA", None) != "active"
    assert result.status(SC, "region", None) == "not_evident"
    assert result.status(BOP, "region", None) == "active"
    assert {(o.type, o.units) for o in result.overlaps} == {("functional", ("group:ASEAN",))}


# --------------------------------------------------------------------------
# Middle East -- "Notions of functional variety and overlap" (the Oslo multilaterals)
# --------------------------------------------------------------------------

def test_oslo_multilaterals_are_formal_only():
    # Notions of functional variety and overlap: community practices imported
    # from Europe never took root in a region engulfed in war; the overlap did
    # not exist, or existed only formally.
    result = example("middle_east_multilaterals")
    assert result.status(SC, "group:Multilaterals", "oslo_years") == "formal_only"
    assert result.status(BOP, "group:Multilaterals", "oslo_years") == "active"
    assert result.status(SC, "region", "oslo_years") != "active"
    assert result.status(BOP, "region", "oslo_years") == "active"
    assert result.overlaps == ()


def test_oslo_multilaterals_stay_formal_even_without_the_wars():
    # Notions of functional variety and overlap: the practices failed because
    # they found no roots, not only because of the fighting.
    facts = load_facts(FACTS / "middle_east_multilaterals.yaml")
    at_peace = dataclasses.replace(facts, entries=tuple(e for e in facts.entries if not e.violent))
    result = diagnose(at_peace)
    assert result.status(SC, "group:Multilaterals", "oslo_years") == "formal_only"


def test_oslo_multilaterals_explanation_says_they_never_took_root():
    # Notions of functional variety and overlap: the row gives the paper's
    # reason, practices that never took root, beside the war (both formal-only
    # rules explain it, not only the first to fire).
    result = example("middle_east_multilaterals")
    formal = row(result, SC, "group:Multilaterals", "oslo_years")
    assert "not rooted" in formal.explanation


# --------------------------------------------------------------------------
# Bureaucracies -- "Notions of functional variety and overlap"
# --------------------------------------------------------------------------

def test_defence_ministries_balance_while_diplomats_build_community():
    # Notions of functional variety and overlap: balance-of-power practice is
    # expected to be stronger in defence ministries than in foreign ministries.
    result = example("bureaucratic_split")
    o = the_overlap(result, "functional", ("dyad:RUS-USA",), "after_cold_war")
    assert o.dimension == "agency"
    assert o.on == {SC: "foreign", BOP: "defence"}
    assert o.character == "automatic"


def test_germany_shows_no_agency_split():
    # Notions of functional variety and overlap: a civilian power's defence
    # establishment itself projects normative rather than military power.
    result = example("bureaucratic_split")
    for agency in ("foreign", "defence"):
        assert result.status(SC, "dyad:DEU-FRA", "after_cold_war", agency=agency) == "active"
    german = [r for r in result.mechanisms if r.unit.startswith("dyad:") and "DEU" in r.unit]
    assert german and not [r for r in german if r.mechanism == BOP and r.status == "active"]
    assert not [o for o in result.overlaps if any("DEU" in u for u in o.units)]
    assert len(result.overlaps) == 1
