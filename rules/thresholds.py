"""Thresholds of the built-in rule base: the only numbers in the theory.

Each is asserted into the engine as a `Threshold` fact, so rules read the value
in force and a diagnosis can record it.
"""

from diagnose.thresholds import ThresholdSpec

THRESHOLDS = (
    ThresholdSpec(
        "sc_min_kinds",
        3,
        "Distinct security-community kinds, each backed by a rooted entry, that a unit's states "
        "must share for SC to be active. A constellation, never a single practice: three is the "
        "smallest number that is more than a pair.",
        "Adler & Greve (2009), 'Balance of power' and 'security community' as mechanisms of "
        "security governance; Security community mechanism and repertoire of practices",
        minimum=1,
    ),
    ThresholdSpec(
        "bop_min_kinds",
        2,
        "Distinct balance-of-power kinds between a dyad's two states (or covering a larger unit) "
        "for BoP to be active. BoP practices come in pairs (deterrence with planning, alliances "
        "with balancing); two is the smallest constellation.",
        "Adler & Greve (2009), Balance of power mechanism and repertoire of practices",
        minimum=1,
    ),
    ThresholdSpec(
        "bop_dyad_share",
        1.0,
        "Share of a larger unit's states that rival dyads (BoP active) must involve for BoP to be "
        "active for the unit itself. 1.0 = every state: a lone rival dyad inside a community is "
        "relational overlap, not balance of power of the community.",
        "Adler & Greve (2009), Notions of relational variety and overlap",
        minimum=0,
        maximum=1,
    ),
    ThresholdSpec(
        "sc_block_share",
        0.5,
        "Largest share of a larger unit's states that rival dyads may involve while the unit can still "
        "be a community. Above it, its states prepare for violence against each other too widely for "
        "dependable expectations of peaceful change; at or below it, a rivalry inside the community "
        "is relational overlap.",
        "Adler & Greve (2009), Security community mechanism and repertoire of practices; Notions of "
        "relational variety and overlap",
        minimum=0,
        maximum=1,
    ),
    ThresholdSpec(
        "sc_nascent_min_kinds",
        2,
        "Distinct rooted security-community kinds a unit's states must share for a community that is "
        "not active to be nascent: community-building under way, more than a single gesture.",
        "Adler & Greve (2009), Security community mechanism and repertoire of practices (phases of "
        "emergence); Notions of temporal/evolutionary variety and overlap",
        minimum=1,
    ),
    ThresholdSpec(
        "sc_tight_min_kinds",
        2,
        "Counted kinds of an active community among cooperative security, military integration, "
        "policy coordination and multilateral decision-making that make it tightly coupled; fewer "
        "leave it loosely coupled.",
        "Adler & Greve (2009), Security community mechanism and repertoire of practices (loosely and "
        "tightly coupled communities)",
        minimum=1,
    ),
)
