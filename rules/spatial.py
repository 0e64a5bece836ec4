"""Spatial overlap: sub-regions of one region are governed differently."""

from diagnose._experta import AS, MATCH, NOT, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Overlap, Status

from .vocabulary import BALANCE_OF_POWER as BOP
from .vocabulary import SECURITY_COMMUNITY as SC


class SpatialRules:
    stage = "overlaps"

    @Rule(AS.sc << Status(unit=MATCH.community, unit_kind="subregion", period=MATCH.period, dim=None,
                          mechanism=SC, status="active"),
          AS.bop << Status(unit=MATCH.balance, unit_kind="subregion", period=MATCH.period, dim=None,
                           mechanism=BOP, status="active", facing=MATCH.facing),
          TEST(lambda community, balance, facing: community != balance and facing in ("inward", "both")),
          NOT(Status(unit=MATCH.balance, period=MATCH.period, dim=None, mechanism=SC, status="active")),
          salience=Stratum.OVERLAPS)
    def spatial_overlap(self, sc, bop, community, balance, period):
        """One sub-region is a security community while the states of another balance each other without one.

        Adler & Greve (2009), Notions of spatial variety and overlap: in the
        Western Hemisphere, North America and the Southern Cone are
        communities while Venezuela and Colombia came close to war.
        """
        self.conclude(
            Overlap, ("spatial", (community, balance), period), type="spatial", units=(community, balance),
            period=period, mechanisms=(BOP, SC), dimension=None, on=(), cover_a=community, cover_b=balance,
            ids=(*sc["ids"], *bop["ids"]), rules=(*sc["rules"], *bop["rules"]),
            deliberate=(*sc["deliberate"], *bop["deliberate"]),
            because=("Within the region" + (f" in {period}" if period else "") +
                     f", {sc['label']} is a security community while the states of {bop['label']} balance each "
                     f"other without one.",))
