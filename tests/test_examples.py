"""The example fact files, and the conclusions Adler & Greve (2009) support for each.

Every assertion below is written by hand from the paper and from version 2 of
the contract (`../shared/spec/fact-files.md`, section 3), not copied from the
engine's output: if one fails, either the example file or the rule base has
stopped saying what the paper says. Each test names the section of the paper
it rests on; where a conclusion is not obvious, a comment beside it gives the
derivation (which entries, which kinds, which threshold, at the default
thresholds: sc_min_kinds 3, sc_nascent_min_kinds 2, sc_tight_min_kinds 2,
sc_block_share 0.5, bop_min_kinds 2, bop_dyad_share 1.0). The golden files
(tests/test_golden.py) pin the rest of the output byte for byte.

Two readings of the contract these derivations rely on:
- Blocking is read per row, for a unit and for the states of an SC entry
  alike: a slice row (one sector or agency) counts only the entries of that
  slice, so a community practice in the economic sector is not discounted by
  balancing that names only the military sector.
- Rows are reported only for dyads that some entry names, so a dyad that no
  entry names has no row (`status` is None) and no dyad row is asserted to be
  `not_evident` where `!= "active"` says what matters.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from itertools import product
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagnose import Diagnosis, diagnose, load_facts
from diagnose.cli import cli

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


def dyad(a: str, b: str) -> str:
    return "dyad:" + "-".join(sorted((a, b)))


def mentions(text: str, name: str) -> bool:
    """Whether an explanation names a kind (as written, or in words: `common_enterprise`, `common enterprise`)."""
    text = text.lower()
    return name in text or name.replace("_", " ") in text or name.replace("_", "-") in text


def overlap_keys(result: Diagnosis) -> set:
    return {(o.type, o.units, o.period) for o in result.overlaps}


# --------------------------------------------------------------------------
# Every example
# --------------------------------------------------------------------------

def _ids(path: Path) -> str:
    return path.stem


def test_the_examples_are_all_here():
    assert {p.stem for p in EXAMPLES} >= {
        "western_hemisphere", "euro_atlantic", "greece_turkey", "southeast_asia",
        "middle_east_multilaterals", "bureaucratic_split", "decay_without_war", "iraq_coalition"}


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


@pytest.mark.parametrize("path", EXAMPLES, ids=_ids)
def test_examples_validate_without_warnings(path):
    # Spec section 2, well-formedness: `validate` warns when a mutual entry sets
    # two allies against each other, or a collective balance-of-power entry
    # names every state of the region. The examples record who balances whom
    # with `by` + `against` (or a collective that faces outsiders), so none warns.
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "", result.stderr


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
    andes = row(result, BOP, "subregion:Andes", "post_cold_war")
    # VEN-COL: deterrence, capability_monitoring and the 2008 crisis act on the
    # pair (3 kinds >= 2): a rival dyad holding both Andean states (2 of 2).
    assert (andes.status, andes.facing, andes.variant) == ("active", "inward", "adversarial")
    # No SC practice names the Andes or either of its states.
    assert result.status(SC, "subregion:Andes", "post_cold_war") == "not_evident"


def test_western_hemisphere_communities_are_loosely_coupled_and_new():
    # Notions of spatial variety and overlap: the Southern Cone "has recently
    # become" a pluralistic security community.
    result = example("western_hemisphere")
    cone = row(result, SC, "subregion:Southern Cone", "post_cold_war")
    # self_restraint, economic_integration, confidence_building: none of the
    # tightly coupling kinds; SC was not active in cold_war (no SC practice then).
    assert (cone.phase, cone.coupling) == ("ascendant", "loose")
    north = row(result, SC, "subregion:North America", "post_cold_war")
    # Before 1990 the file records only open borders (1 kind): not active then.
    # Of the tightly coupling kinds only multilateral_decision_making (from
    # na_consultation) is present: 1 < sc_tight_min_kinds 2.
    assert (north.phase, north.coupling) == ("ascendant", "loose")


def test_western_hemisphere_is_not_one_community():
    # Notions of spatial variety and overlap: it would stretch the imagination
    # to call the whole hemisphere a security community.
    result = example("western_hemisphere")
    for period in ("cold_war", "post_cold_war"):
        assert result.status(SC, "region", period) == "not_evident"
        # ARG-BRA (cold war) and VEN-COL (after) never hold all seven states.
        assert result.status(BOP, "region", period) == "not_evident"


def test_argentina_brazil_moved_from_balance_to_community():
    # Notions of spatial variety and overlap: Argentina and Brazil gave up
    # their nuclear race and replaced economic competition with integration.
    result = example("western_hemisphere")
    rivalry = row(result, BOP, "dyad:ARG-BRA", "cold_war")
    assert (rivalry.status, rivalry.facing) == ("active", "inward")  # arms_race + internal_balancing
    assert result.status(BOP, "dyad:ARG-BRA", "post_cold_war") != "active"
    community = row(result, SC, "dyad:ARG-BRA", "post_cold_war")
    assert (community.status, community.phase) == ("active", "ascendant")
    assert result.status(SC, "subregion:Southern Cone", "cold_war") != "active"
    # A replacement, not a coexistence: no temporal overlap. In cold_war SC is
    # not_evident (no SC practice at all), so neither 10a (both active in one
    # period) nor 10b (SC nascent beside inward balancing) applies.
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

NATO_COLD_WAR = ("USA", "GBR", "FRA", "DEU")
WARSAW_PACT = ("RUS", "POL", "HUN")
CROSS_BLOC = tuple(sorted(dyad(a, b) for a, b in product(NATO_COLD_WAR, WARSAW_PACT)))


def test_euro_atlantic_region_is_a_nascent_community_beside_bloc_balancing():
    # Notions of temporal/evolutionary variety and overlap: from 1975 to 1989
    # CSCE practices were community-building while balance of power was still
    # the only game in town.
    result = example("euro_atlantic")
    bop = row(result, BOP, "region", "helsinki_process")
    # bloc_deterrence, warsaw_pact_deterrence and bloc_arms_race act on every
    # cross-bloc pair (deterrence + arms_race, 2 kinds): 12 rival dyads holding
    # all 7 states (>= bop_dyad_share 1.0). No entry faces outward from the
    # whole region (the alliance is NATO's alone); no concert or conference.
    assert (bop.status, bop.facing, bop.variant) == ("active", "inward", "adversarial")
    sc = row(result, SC, "region", "helsinki_process")
    # The four CSCE kinds (consultation, confidence_building,
    # cooperative_security, socialization) are shared by all seven, but the
    # seven prepare for violence against each other (rival dyads 7/7 > 0.5),
    # so they count only toward nascent: 4 rooted kinds >= 2, no war.
    assert (sc.status, sc.phase, sc.coupling) == ("nascent", "nascent", None)
    assert "inward" in sc.explanation or "prepare for violence" in sc.explanation


def test_euro_atlantic_old_balance_fades_new_practices_take_hold():
    # Notions of temporal/evolutionary variety and overlap.
    result = example("euro_atlantic")
    assert result.status(BOP, "region", "nato_transformation") == "not_evident"
    sc = row(result, SC, "region", "nato_transformation")
    # partnership_council, nato_cooperative_security, partnership_for_peace,
    # partnership_exercises: 4 kinds shared by all seven, and nothing acts on a
    # pair of them (NATO's deterrent is collective, enlargement an alliance).
    # Not active in the previous period: ascendant. Of the tightly coupling
    # kinds only cooperative_security: loose.
    assert (sc.status, sc.phase, sc.coupling) == ("active", "ascendant", "loose")


def test_euro_atlantic_temporal_overlap():
    # Notions of temporal/evolutionary variety and overlap: from 1975 to 1989
    # CSCE community-building practices began to change the order while the
    # blocs still balanced each other; the community took hold after 1990.
    # Case 10b: BoP active facing inward and SC nascent, SC active next period.
    result = example("euro_atlantic")
    o = the_overlap(result, "temporal", ("region",), "helsinki_process")
    assert o.mechanisms == BOTH
    assert {"bloc_deterrence", "bloc_arms_race", "csce_confidence_building",
            "csce_cooperative_security", "csce_follow_up_meetings"} <= set(o.facts)
    assert "nato_transformation" in o.explanation
    assert o.character == "automatic"  # no strategy, no deliberate practice, no juncture in 1975-89


def test_euro_atlantic_overlaps_are_all_temporal():
    # Notions of temporal/evolutionary variety and overlap: the paper's two
    # temporal overlaps, the end of the Cold War and NATO's transformation.
    result = example("euro_atlantic")
    assert overlap_keys(result) == {
        # 10b for the region, and for each of the 12 cross-bloc dyads the
        # directed bloc entries name: BoP inward (deterrence + arms_race) and
        # SC nascent (the CSCE kinds, discounted) in 1975-89, SC active (the
        # four partnership kinds, no balancing left) in the 1990s.
        ("temporal", ("region",), "helsinki_process"),
        *(("temporal", (d,), "helsinki_process") for d in CROSS_BLOC),
        # 10a for NATO: both mechanisms active in the 1990s, only BoP in 1975-89.
        ("temporal", ("group:NATO",), "nato_transformation"),
    }
    # No relational overlap: in 1975-89 no unit holding a cross-bloc dyad is a
    # community (NATO holds none; the region is nascent); in the 1990s no dyad
    # balances. No functional one: no sector has 3 SC kinds in either period.


def test_nato_balances_outward_not_against_its_members():
    # Overlap; Notions of temporal/evolutionary variety and overlap: NATO
    # started as an alliance in a bipolar balance against the Warsaw Pact and
    # kept its deterrent after 1990; its members never balanced each other.
    result = example("euro_atlantic")
    for period in ("helsinki_process", "nato_transformation"):
        nato = row(result, BOP, "group:NATO", period)
        # 1975-89: bloc_deterrence and bloc_arms_race are directed by all of
        # NATO at outsiders (2 kinds). 1990s: nato_keeps_deterrent (collective)
        # and enlargement_as_balancing (an alliance), 2 kinds. No entry acts on
        # a pair of NATO members: nothing inward.
        assert (nato.status, nato.facing, nato.variant) == ("active", "outward", "adversarial"), period
    inside = [r for r in result.mechanisms if r.mechanism == BOP and r.status == "active"
              and r.unit.startswith("dyad:") and set(r.unit[5:].split("-")) <= set(NATO_COLD_WAR)]
    assert inside == []
    for d in CROSS_BLOC:
        cold = row(result, BOP, d, "helsinki_process")
        assert (cold.status, cold.facing) == ("active", "inward"), d
        assert result.status(SC, d, "helsinki_process") == "nascent", d
        assert result.status(BOP, d, "nato_transformation") != "active", d
        later = row(result, SC, d, "nato_transformation")
        assert (later.status, later.phase) == ("active", "ascendant"), d


def test_nato_takes_up_cooperative_security_without_shedding_deterrence():
    # Notions of temporal/evolutionary variety and overlap: NATO moved into
    # cooperative security, partnership and enlargement in the 1990s while it
    # stayed a defence alliance; enlargement reads both as socialisation and
    # as a balancing move. NATO's transformation is the paper's second example
    # of temporal overlap.
    result = example("euro_atlantic")
    # 1975-89: only atlantic_alliance (collective_identity_alliance) counts
    # toward active (1 of 3); the CSCE kinds cover NATO but are shared with
    # the Warsaw Pact states NATO deters, so they count only toward nascent.
    assert result.status(SC, "group:NATO", "helsinki_process") == "nascent"
    sc = row(result, SC, "group:NATO", "nato_transformation")
    bop = row(result, BOP, "group:NATO", "nato_transformation")
    assert sc.status == bop.status == "active"
    assert sc.phase == "ascendant"
    assert {"nato_cooperative_security", "partnership_for_peace", "enlargement_conditionality"} <= set(sc.facts)
    assert {"nato_keeps_deterrent", "enlargement_as_balancing"} <= set(bop.facts)
    o = the_overlap(result, "temporal", ("group:NATO",), "nato_transformation")
    assert o.mechanisms == BOTH
    # 'Automatic' versus 'manual' overlap: the end of the Cold War is a
    # critical juncture named with the overlap of its period; nobody chose the
    # combination (no strategy, no deliberate practice).
    assert "end_of_cold_war" in o.facts
    assert o.character == "automatic"
    assert "end_of_cold_war" not in the_overlap(result, "temporal", ("region",), "helsinki_process").facts


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
    # One row per containing community: the region (with Cyprus) is none.
    assert overlap_keys(result) == {
        ("relational", ("dyad:GRC-TUR", "group:NATO"), "greek_withdrawal"),
        ("relational", ("dyad:GRC-TUR", "group:NATO"), "after_return")}


def test_greece_turkey_rivalry_does_not_make_nato_a_balance():
    # Notions of relational variety and overlap: Greece and Turkey stayed inside
    # NATO's community; one rival pair does not turn NATO into a balance.
    result = example("greece_turkey")
    for period in ("greek_withdrawal", "after_return"):
        # GRC-TUR involves 2 of NATO's 6 states: <= sc_block_share 0.5 (no
        # block) and < bop_dyad_share 1.0 (no balance); no inward entry covers NATO.
        assert result.status(SC, "group:NATO", period) == "active"
        assert result.status(BOP, "group:NATO", period) == "not_evident"
        pair = row(result, BOP, "dyad:GRC-TUR", period)
        assert (pair.status, pair.facing) == ("active", "inward")


def test_greece_and_turkey_are_no_community_as_a_pair():
    # Notions of relational variety and overlap, with the definition in
    # Security community mechanism and repertoire of practices (no preparation
    # for organised violence): NATO's practices cover the pair, but the two arm
    # against each other (internal_balancing, arms_race, capability_monitoring
    # act on the pair: its own BoP is active), so those practices count only
    # toward nascent. At least 2 rooted SC kinds; the 1974 confrontation is a
    # crisis, not a war: nascent, never active.
    result = example("greece_turkey")
    for period in ("greek_withdrawal", "after_return"):
        pair = row(result, SC, "dyad:GRC-TUR", period)
        assert (pair.status, pair.phase, pair.coupling) == ("nascent", "nascent", None), period


def test_greek_withdrawal_loosens_nato():
    # Notions of relational variety and overlap: Greece left NATO's integrated
    # military structure in protest (1974-1980).
    result = example("greece_turkey")
    during = row(result, SC, "group:NATO", "greek_withdrawal")
    # integrated_command_without_greece lacks Greece, so it does not cover
    # NATO: the counted kinds are collective_identity_alliance, consultation,
    # multilateral_decision_making (3); one tightly coupling kind: loose. The
    # first period has no previous one: no phase.
    assert (during.phase, during.coupling) == (None, "loose")
    after = row(result, SC, "group:NATO", "after_return")
    # integrated_command (military_integration) covers NATO again: with
    # multilateral_decision_making 2 tightly coupling kinds. Active before too.
    assert (after.phase, after.coupling) == ("mature", "tight")


def test_greece_turkey_overlap_is_not_a_strategy():
    # 'Automatic' versus 'manual' overlap: Greek balancing is deliberate, but
    # nobody chose to combine balance and community; the 1974 invasion is a
    # critical juncture named with the overlap of its period.
    result = example("greece_turkey")
    withdrawal = the_overlap(result, "relational", ("dyad:GRC-TUR", "group:NATO"), "greek_withdrawal")
    assert withdrawal.character == "mixed"
    assert "cyprus_1974" in withdrawal.facts
    later = the_overlap(result, "relational", ("dyad:GRC-TUR", "group:NATO"), "after_return")
    assert later.character == "mixed"  # greek_internal_balancing holds in every period
    assert "cyprus_1974" not in later.facts


def test_a_stricter_block_share_dissolves_the_nesting():
    # Near miss on sc_block_share: GRC-TUR involves 2 of 6 NATO states (0.33).
    # Below that share, one rival pair blocks NATO's community: NATO is then
    # nascent in both periods (never active, so never decaying), and with no
    # community to nest in there is no relational overlap.
    facts = load_facts(FACTS / "greece_turkey.yaml")
    result = diagnose(facts, thresholds={"sc_block_share": 0.3})
    for period in ("greek_withdrawal", "after_return"):
        assert result.status(SC, "group:NATO", period) == "nascent"
    assert result.overlaps == ()


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
    economic = row(result, SC, "group:ASEAN", None, sector="economic")
    # The economic row counts only economic entries: afta and apec
    # (economic_integration), asean_economic_coordination (policy_coordination),
    # asem (consultation): 3 kinds. No balance-of-power entry names the
    # economic sector, so nothing blocks in this row, not even for APEC and
    # ASEM, whose states balance each other militarily. One tightly coupling
    # kind (policy_coordination): loose. No periods: no phase.
    assert (economic.status, economic.phase, economic.coupling) == ("active", None, "loose")
    military = row(result, BOP, "group:ASEAN", None, sector="military")
    # regional_capability_watch and regional_arms_buildup: every ASEAN state
    # acts, at China, outside ASEAN: 2 kinds facing outward.
    assert (military.status, military.facing) == ("active", "outward")
    assert result.status(SC, "group:ASEAN", None, sector="military") != "active"
    assert result.status(BOP, "group:ASEAN", None, sector="economic") != "active"


def test_asean_is_an_incipient_community_balancing_outward():
    # Introduction: what some see as an 'incipient' security community with
    # ASEAN at its core; Notions of functional variety and overlap: balancing
    # governs Southeast Asia's security relations with the major powers.
    result = example("southeast_asia")
    sc = row(result, SC, "group:ASEAN", None)
    # The row of all practices counts every entry. ASEAN's own: afta
    # (economic_integration), asean_economic_coordination (policy_coordination):
    # 2 of 3. Consultation comes only from apec/asem/arf_dialogue, whose states
    # include China and its rivals (every one of them in a rival dyad: share 1 >
    # 0.5), so it counts only toward nascent. ASEAN itself is not blocked: no
    # entry acts on a pair of its members.
    assert (sc.status, sc.phase) == ("nascent", "nascent")
    bop = row(result, BOP, "group:ASEAN", None)
    assert (bop.status, bop.facing, bop.variant) == ("active", "outward", "adversarial")


def test_southeast_asia_balance_with_the_major_powers():
    # Introduction (hub-and-spoke alliances and realist dynamics between the
    # region's states); Notions of functional variety and overlap: balancing
    # still governs Southeast Asia's security ties with the major powers; the
    # wider Asia-Pacific is no security community.
    result = example("southeast_asia")
    for pair in ("dyad:CHN-USA", "dyad:PRK-USA"):
        rivals = row(result, BOP, pair, None)  # deterrence + capability_monitoring
        assert (rivals.status, rivals.facing) == ("active", "inward")
    assert result.status(SC, "dyad:CHN-USA", None) != "active"
    # Rival dyads: China with each ASEAN state and Japan, the US with China and
    # North Korea: all 9 states (bop_dyad_share 1.0). Only arf_dialogue covers
    # all nine on the SC side: 1 kind < 2, not even nascent.
    assert result.status(SC, "region", None) == "not_evident"
    region = row(result, BOP, "region", None)
    assert (region.status, region.facing) == ("active", "inward")
    # The hub-and-spoke alliances never set the allies against each other.
    for pair in ("dyad:JPN-USA", "dyad:PHL-USA", "dyad:THA-USA"):
        assert result.status(BOP, pair, None) != "active", pair
    assert overlap_keys(result) == {("functional", ("group:ASEAN",), None)}


# --------------------------------------------------------------------------
# Middle East -- "Notions of functional variety and overlap" (the Oslo multilaterals)
# --------------------------------------------------------------------------

def test_oslo_multilaterals_are_formal_only():
    # Notions of functional variety and overlap: community practices imported
    # from Europe never took root in a region engulfed in war; the overlap did
    # not exist, or existed only formally.
    result = example("middle_east_multilaterals")
    assert result.status(SC, "group:Multilaterals", "oslo_years") == "formal_only"
    # The Israeli-Palestinian fighting makes that dyad balance and blocks the
    # group's community, but a war between two members alone does not make
    # the group balance: ISR-PAL is its only rival dyad (2 of 5 states).
    assert result.status(BOP, "group:Multilaterals", "oslo_years") == "not_evident"
    assert result.status(SC, "region", "oslo_years") != "active"
    # Rival dyads ISR-PAL, ISR-LBN, ISR-SYR hold 4 of the 7 states (< 1.0) and
    # no entry covers the region: the file records too little to call the
    # whole region a balance.
    assert result.status(BOP, "region", "oslo_years") == "not_evident"
    assert result.overlaps == ()


def test_israel_balances_its_neighbours_at_war_or_under_deterrence():
    # Notions of functional variety and overlap: war, asymmetric warfare and
    # state collapse.
    result = example("middle_east_multilaterals")
    for pair in ("dyad:ISR-PAL", "dyad:ISR-LBN", "dyad:ISR-SYR"):
        # ISR-PAL, ISR-LBN: armed conflict; ISR-SYR: deterrence + capability_monitoring.
        rivals = row(result, BOP, pair, "oslo_years")
        assert (rivals.status, rivals.facing, rivals.variant) == ("active", "inward", "adversarial"), pair
    # The multilaterals' practices cover ISR-PAL, unrooted, beside armed conflict.
    assert result.status(SC, "dyad:ISR-PAL", "oslo_years") == "formal_only"


def test_a_war_without_a_sector_balances_only_the_whole_row():
    # Spec case 9: a war that names no sector blocks SC in every slice row but
    # makes BoP active only in the row of all practices.
    result = example("middle_east_multilaterals")
    for sector in ("political", "military", "economic", "environmental"):
        assert result.status(BOP, "dyad:ISR-PAL", "oslo_years", sector=sector) != "active", sector
        assert result.status(SC, "dyad:ISR-PAL", "oslo_years", sector=sector) != "active", sector
        assert result.status(BOP, "group:Multilaterals", "oslo_years", sector=sector) != "active", sector


def test_oslo_multilaterals_stay_formal_even_without_the_wars():
    # Notions of functional variety and overlap: the practices failed because
    # they found no roots, not only because of the fighting.
    facts = load_facts(FACTS / "middle_east_multilaterals.yaml")
    at_peace = dataclasses.replace(facts, entries=tuple(e for e in facts.entries if e.section != "wars"))
    result = diagnose(at_peace)
    # No rooted SC kind at all: not nascent (needs 2); unrooted practices: formal only.
    assert result.status(SC, "group:Multilaterals", "oslo_years") == "formal_only"


def test_oslo_multilaterals_explanation_says_they_never_took_root():
    # Notions of functional variety and overlap: the row gives the paper's
    # reason, practices that never took root, beside the war (both formal-only
    # conditions hold, and the row says what is missing).
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


def test_us_russia_diplomacy_builds_only_a_nascent_community():
    # Balance of power and security community as mechanisms of security
    # governance (confidence building means one thing among states that still
    # deter each other, another in a community); Notions of functional variety
    # and overlap.
    result = example("bureaucratic_split")
    whole_bop = row(result, BOP, "dyad:RUS-USA", "after_cold_war")
    assert (whole_bop.status, whole_bop.facing) == ("active", "inward")
    whole_sc = row(result, SC, "dyad:RUS-USA", "after_cold_war")
    # The row of all practices counts the defence ministries' deterrence,
    # worst_case_planning and capability_monitoring: the pair's own BoP is
    # active, so the diplomats' three kinds count only toward nascent.
    assert (whole_sc.status, whole_sc.phase) == ("nascent", "nascent")
    foreign = row(result, SC, "dyad:RUS-USA", "after_cold_war", agency="foreign")
    # The foreign-ministry row counts only foreign entries: consultation,
    # policy_coordination, socialization (3), nothing blocks there. One tightly
    # coupling kind: loose.
    assert (foreign.status, foreign.coupling) == ("active", "loose")
    assert result.status(BOP, "dyad:RUS-USA", "after_cold_war", agency="defence") == "active"


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
    whole = row(result, SC, "dyad:DEU-FRA", "after_cold_war")
    # policy_coordination (diplomats) and military_integration (joint units):
    # 2 tightly coupling kinds. Only one period: no phase.
    assert (whole.status, whole.phase, whole.coupling) == ("active", None, "tight")


# --------------------------------------------------------------------------
# A community that decays without war (invented) -- "Security community
# mechanism and repertoire of practices", "Thinking about regions", "Conclusion"
# --------------------------------------------------------------------------

LOST_IN_DRIFT = ("consultation", "multilateral_decision_making", "policy_coordination", "common_enterprise")


def test_the_compact_was_a_tightly_coupled_community():
    result = example("decay_without_war")
    sc = row(result, SC, "region", "consolidation")
    # compact_council (consultation + multilateral_decision_making),
    # open_borders, customs_union, joint_policy, joint_missions: 6 kinds.
    # multilateral_decision_making + policy_coordination: tight. First period: no phase.
    assert (sc.status, sc.phase, sc.coupling) == ("active", None, "tight")


def test_the_compact_decays_without_war():
    # Security community mechanism and repertoire of practices: decay (no war
    # between members) is not breakdown (war between them). Conclusion:
    # communities may decay through the balance between sets of practices.
    result = example("decay_without_war")
    sc = row(result, SC, "region", "drift")
    # Left in drift: open_borders (unfortified_border), customs_union_in_drift
    # (economic_integration): 2 < 3. Active in the previous period, no war: decaying.
    assert (sc.status, sc.phase, sc.coupling) == ("decaying", None, None)
    for kind in LOST_IN_DRIFT:
        assert mentions(sc.explanation, kind), f"the decaying row does not say that {kind} was lost"
    # Decaying only in the first period after: in estrangement only
    # open_borders is rooted (1 < sc_nascent_min_kinds 2) and the customs union
    # is kept on paper (rooted: false): formal only.
    assert result.status(SC, "region", "estrangement") == "formal_only"


def test_decay_is_not_balancing_and_not_an_overlap():
    # Notions of temporal/evolutionary variety and overlap: one mechanism alone
    # gives no overlap; nobody here arms against anybody.
    result = example("decay_without_war")
    for period in ("consolidation", "drift", "estrangement"):
        assert result.status(BOP, "region", period) == "not_evident"
        assert result.status(SC, "region", period) != "broken_down"
    assert result.overlaps == ()


def test_a_lower_community_threshold_moves_the_decay_one_period_on():
    # Near miss on sc_min_kinds: at 2, the two kinds left in drift still make a
    # community (mature: active before too); in estrangement one rooted kind is
    # left, so that is the first period after, and the one that decays.
    facts = load_facts(FACTS / "decay_without_war.yaml")
    result = diagnose(facts, thresholds={"sc_min_kinds": 2})
    drift = row(result, SC, "region", "drift")
    assert (drift.status, drift.phase) == ("active", "mature")
    assert result.status(SC, "region", "estrangement") == "decaying"


# --------------------------------------------------------------------------
# The 2003 Iraq war -- "Thinking about regions", "Notions of functional
# variety and overlap"
# --------------------------------------------------------------------------

COALITION = ("USA", "GBR", "AUS", "POL")


def test_a_coalition_war_sets_each_member_against_iraq_only():
    # Thinking about regions: allies who go to war together are not at war
    # with each other. The dyads at war are the pairs across the two sides.
    result = example("iraq_coalition")
    for state in COALITION:
        at_war = row(result, BOP, dyad(state, "IRQ"), "iraq_war")
        assert (at_war.status, at_war.facing) == ("active", "inward"), state
        assert result.status(BOP, dyad(state, "IRQ"), "before_the_war") != "active", state
    allies = [r for r in result.mechanisms if r.mechanism == BOP and r.status == "active"
              and r.unit.startswith("dyad:") and set(r.unit[5:].split("-")) <= set(COALITION)]
    assert allies == []
    # special_relationship names the US-UK pair: through the war it stays a
    # community (NATO's kinds, military_integration, confidence_building),
    # mature because it was one before.
    uk_us = row(result, SC, "dyad:GBR-USA", "iraq_war")
    assert (uk_us.status, uk_us.phase) == ("active", "mature")
    assert result.status(BOP, "dyad:GBR-USA", "iraq_war") != "active"


def test_nato_stays_a_community_through_the_iraq_war():
    # Thinking about regions: over Iraq the US and Europe disagreed about which
    # practices to use, but never balanced each other's material capabilities.
    result = example("iraq_coalition")
    for period in ("before_the_war", "iraq_war"):
        # Iraq is outside NATO: no war between two members. No entry acts on
        # a pair of members; the war's coalition side lacks France and Germany,
        # so it does not face outward from NATO either.
        assert result.status(BOP, "group:NATO", period) == "not_evident"
    sc = row(result, SC, "group:NATO", "iraq_war")
    # collective_identity_alliance, consultation, multilateral_decision_making,
    # cooperative_security (integrated_command lacks France: it does not cover
    # NATO). Active before too: mature, not broken down. Tightly coupling:
    # multilateral_decision_making and cooperative_security.
    assert (sc.status, sc.phase, sc.coupling) == ("active", "mature", "tight")


def test_franco_german_opposition_is_soft_balancing_not_balance():
    # Notions of functional variety and overlap: what France and Germany did
    # was soft balancing of American policy, an indicator that counts toward
    # no threshold but is named in the explanation of its unit's rows.
    result = example("iraq_coalition")
    for state in ("FRA", "DEU"):
        pair = dyad(state, "USA")
        assert result.status(BOP, pair, "iraq_war") != "active", state
        sc = row(result, SC, pair, "iraq_war")
        assert (sc.status, sc.phase) == ("active", "mature"), state
        assert mentions(sc.explanation, "soft_balancing") or "franco_german_opposition" in sc.explanation


def test_the_coalition_balances_outward():
    # Notions of functional variety and overlap: a coalition of the willing is
    # a flexible grouping against one threat.
    result = example("iraq_coalition")
    war = row(result, BOP, "group:Coalition", "iraq_war")
    # coalition_of_the_willing (an alliance, against Iraq) and a war with the
    # whole coalition on one side and none of it on the other: outward only.
    assert (war.status, war.facing) == ("active", "outward")
    assert result.status(BOP, "group:Coalition", "before_the_war") != "active"
    # coalition_command (military_integration) is its only shared SC kind.
    assert result.status(SC, "group:Coalition", "iraq_war") != "active"


def test_iraq_war_region_and_overlaps():
    result = example("iraq_coalition")
    # Rival dyads hold 5 of 7 states (France and Germany are in none); a war
    # between two of the region's states blocks its community.
    assert result.status(BOP, "region", "iraq_war") != "active"
    assert result.status(SC, "region", "iraq_war") != "active"
    # No relational overlap: only the region holds Iraq, and it is no
    # community. No temporal one: wherever the balance changes (the
    # coalition, the dyads with Iraq) SC is never active.
    assert result.overlaps == ()
