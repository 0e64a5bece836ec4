"""The practice vocabulary: each kind and the mechanism it belongs to.

Adler & Greve (2009), "Balance of power mechanism and repertoire of practices"
and "Security community mechanism and repertoire of practices", list the
practices of each repertoire; `soft_balancing` is the indicator of overlap that
the first of those sections discusses: it counts toward no threshold.
"""

BALANCE_OF_POWER = "balance_of_power"
SECURITY_COMMUNITY = "security_community"
INDICATOR = "indicator"

MECHANISMS = (BALANCE_OF_POWER, SECURITY_COMMUNITY)

QUALIFIERS = {BALANCE_OF_POWER: ("variant", "facing"), SECURITY_COMMUNITY: ("phase", "coupling")}
"""The fields that qualify each mechanism's status: a balance's variant and facing, a community's phase and coupling."""

RELATIONS_MECHANISMS = (BALANCE_OF_POWER,)
"""Decided in the relations stage, before any community: whether states balance, fight or prepare to."""

MUTUAL_MECHANISMS = (BALANCE_OF_POWER,)
"""Entries `among` states of these mechanisms may say `mutual: true` (every pair balances each other)."""

ASSOCIATIONAL_KINDS = frozenset({"great_power_concert", "peace_conference"})
"""Practices of the associational (arch) variant of the balance of power; they always act among their participants."""

ALWAYS_MUTUAL_KINDS = tuple(sorted(ASSOCIATIONAL_KINDS))

ALLIANCE_KINDS = frozenset({"alliance_of_expediency"})
"""Balancing together against others: an alliance never sets its own members against each other."""

TIGHT_KINDS = frozenset({"cooperative_security", "military_integration", "policy_coordination",
                         "multilateral_decision_making"})
"""Practices of a tightly coupled community (shared institutions, pooled security), after Adler and Barnett."""

VIOLENT_LEVELS = frozenset({"war", "armed_conflict"})
"""Levels of a `wars` entry that are organised violence between its sides (a crisis is not)."""

SECTION_KINDS = {
    "alliances": (({"basis": "expediency"}, ("alliance_of_expediency",)),
                  ({"basis": "collective_identity"}, ("collective_identity_alliance",))),
    "deterrence": (({}, ("deterrence",)),),
    "consultation_norms": (({}, ("consultation",)), ({"multilateral": True}, ("multilateral_decision_making",))),
    "unfortified_borders": (({}, ("unfortified_border",)),),
    "wars": (({"level": "crisis"}, ("crisis",)),),
}
"""The kinds that entries of the sections other than `practices` carry (a war or armed conflict carries none:
it acts through violence)."""

KINDS = {
    "alliance_of_expediency": BALANCE_OF_POWER,
    "deterrence": BALANCE_OF_POWER,
    "worst_case_planning": BALANCE_OF_POWER,
    "capability_monitoring": BALANCE_OF_POWER,
    "internal_balancing": BALANCE_OF_POWER,
    "arms_race": BALANCE_OF_POWER,
    "bandwagoning": BALANCE_OF_POWER,
    "crisis": BALANCE_OF_POWER,
    "great_power_concert": BALANCE_OF_POWER,
    "peace_conference": BALANCE_OF_POWER,
    "soft_balancing": INDICATOR,
    "self_restraint": SECURITY_COMMUNITY,
    "common_enterprise": SECURITY_COMMUNITY,
    "cooperative_security": SECURITY_COMMUNITY,
    "consultation": SECURITY_COMMUNITY,
    "multilateral_decision_making": SECURITY_COMMUNITY,
    "socialization": SECURITY_COMMUNITY,
    "confidence_building": SECURITY_COMMUNITY,
    "military_integration": SECURITY_COMMUNITY,
    "doctrine_revision": SECURITY_COMMUNITY,
    "policy_coordination": SECURITY_COMMUNITY,
    "unfortified_border": SECURITY_COMMUNITY,
    "economic_integration": SECURITY_COMMUNITY,
    "collective_identity_alliance": SECURITY_COMMUNITY,
    "representational_force": SECURITY_COMMUNITY,
}
