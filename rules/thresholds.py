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
        "smallest number that is more than a pair and is the spec's clear case 1.",
        "Adler & Greve (2009), 'Balance of power' and 'security community' as mechanisms of "
        "security governance; Security community mechanism and repertoire of practices",
        minimum=1,
    ),
    ThresholdSpec(
        "bop_min_kinds",
        2,
        "Distinct balance-of-power kinds between a dyad's two states (or covering a larger unit) "
        "for BoP to be active. BoP practices come in pairs (deterrence with planning, alliances "
        "with balancing); two is the spec's clear case 4.",
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
)
