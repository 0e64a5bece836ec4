"""Relational overlap: a dyad's balance of power nested inside a wider community."""

from diagnose._experta import AS, MATCH, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Contains, Overlap, Status

from .vocabulary import BALANCE_OF_POWER as BOP
from .vocabulary import SECURITY_COMMUNITY as SC


class RelationalRules:
    stage = "overlaps"

    @Rule(AS.bop << Status(unit=MATCH.dyad, unit_kind="dyad", period=MATCH.period, dim=None,
                           mechanism=BOP, status="active"),
          Contains(dyad=MATCH.dyad, unit=MATCH.container),
          AS.sc << Status(unit=MATCH.container, period=MATCH.period, dim=None, mechanism=SC, status="active"),
          salience=Stratum.OVERLAPS)
    def relational_overlap(self, bop, sc, dyad, container, period):
        """Two states balance each other while both belong to a wider security community.

        Adler & Greve (2009), Notions of relational variety and overlap:
        Greece and Turkey keep a military balance against each other inside
        NATO's community.
        """
        self.conclude(
            Overlap, ("relational", (dyad, container), period), type="relational", units=(dyad, container),
            period=period, mechanisms=(BOP, SC), dimension=None, on=(), cover_a=dyad, cover_b=dyad,
            ids=(*bop["ids"], *sc["ids"]), rules=(*bop["rules"], *sc["rules"]),
            deliberate=(*bop["deliberate"], *sc["deliberate"]),
            because=(f"The dyad {bop['label']} balances power between its two states while both belong to "
                     f"{sc['label']}, a security community" + (f" in {period}" if period else "") + ".",))
