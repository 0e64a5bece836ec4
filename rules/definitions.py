"""One-line definitions of the built-in practice kinds, for `diagnose kinds` and coders.

Each says what to look for in the evidence before recording an entry of that
kind, in the project's own words. The repertoires follow Adler & Greve (2009),
"Balance of power mechanism and repertoire of practices" and "Security
community mechanism and repertoire of practices"; `docs/fact-files.md` gives
an example of each.
"""

DEFINITIONS = {
    # --- balance of power -------------------------------------------------
    "alliance_of_expediency":
        "A pact of mutual military support held for convenience against a common threat, lasting "
        "only while interests coincide.",
    "deterrence":
        "Threatening military retaliation, conventional or nuclear, so that another state will not "
        "attack or coerce.",
    "worst_case_planning":
        "Military plans, procurement or force design built on the worst that a named rival could do.",
    "capability_monitoring":
        "Staff or agencies paid to track another state's forces: their size, quality, deployment "
        "and the balance they strike.",
    "internal_balancing":
        "Arms build-up, modernisation or defence spending justified by a rival's capabilities.",
    "arms_race":
        "Two or more states adding arms in answer to each other, each build-up answering the other's.",
    "bandwagoning":
        "Aligning with a threatening or rising power, to escape its hostility or share its gains, "
        "instead of opposing it.",
    "crisis":
        "A confrontation short of fighting (mobilisation, ultimatum, troops massed at a border) in "
        "which war is threatened or openly feared.",
    "great_power_concert":
        "Great powers jointly managing their relations and the system by consensus, on a shared "
        "idea of a just equilibrium.",
    "peace_conference":
        "A congress of the powers that settles territorial or other disputes among them by "
        "negotiated agreement.",
    # --- indicator ----------------------------------------------------------
    "soft_balancing":
        "Non-military means (institutions, economic statecraft, diplomatic obstruction) used to "
        "delay or frustrate a stronger power's policies, often an ally's; an indicator of overlap, "
        "counted nowhere.",
    # --- security community -----------------------------------------------
    "self_restraint":
        "Forgoing force or its threat in disputes with each other as a settled disposition, e.g. "
        "abandoning a nuclear race.",
    "common_enterprise":
        "A joint project or partnership the states pursue as a shared undertaking, beyond trade "
        "(a common European project, a joint mission).",
    "cooperative_security":
        "Security pursued with, not against, the others: treated as indivisible and comprehensive, "
        "through arrangements open to all participants.",
    "consultation":
        "A standing norm of consulting the others before acting on matters that affect them.",
    "multilateral_decision_making":
        "Security decisions taken together in a shared forum, by consensus or an agreed procedure, "
        "not only discussed.",
    "socialization":
        "Teaching the community's practices to outsiders: partnerships, security dialogues, "
        "outreach, membership conditional on adopting them.",
    "confidence_building":
        "Making military activity transparent and predictable to the others: joint planning and "
        "exercises, notifications, intelligence exchange.",
    "military_integration":
        "Armed forces placed under a joint command or pooled in common units.",
    "doctrine_revision":
        "Military doctrine and training rewritten from fighting each other toward peacekeeping "
        "and post-conflict reconstruction.",
    "policy_coordination":
        "National policies in a field (economic, foreign, security) adjusted to each other through "
        "regular joint work.",
    "unfortified_border":
        "A shared border kept without fortifications or forces aimed at the neighbour.",
    "economic_integration":
        "A free-trade area, customs union or common market binding the economies together in place "
        "of economic rivalry.",
    "collective_identity_alliance":
        "An alliance held together by mutual trust and a shared sense of 'we', whatever its origin "
        "in expediency.",
    "representational_force":
        "Bringing a member back into line by threatening the story of who 'we' are, instead of "
        "with physical force.",
}
