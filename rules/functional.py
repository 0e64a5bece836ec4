"""Functional overlap: the mechanisms differ by sector, by agency or by issue."""

from diagnose._experta import AS, MATCH, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Overlap, Status

from .vocabulary import BALANCE_OF_POWER as BOP
from .vocabulary import SECURITY_COMMUNITY as SC

_WHAT = {"sector": "sector", "agency": "part of the bureaucracy", "issue": "issue"}


class FunctionalRules:
    stage = "overlaps"

    @Rule(AS.sc << Status(unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.sc_value,
                          mechanism=SC, status="active"),
          AS.bop << Status(unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.bop_value,
                           mechanism=BOP, status="active"),
          TEST(lambda dim, sc_value, bop_value: dim is not None and sc_value != bop_value),
          salience=Stratum.OVERLAPS)
    def functional_overlap(self, sc, bop, unit, dim, sc_value, bop_value):
        """Security community on the practices of one sector, agency or issue; balance of power on another's.

        Adler & Greve (2009), Notions of functional variety and overlap:
        mechanisms vary across sectors (ASEAN's economic community beside
        balancing in security), across parts of the bureaucracy (defence
        ministries readier to balance than foreign ministries) and across
        issues (coalitions of the willing inside a wider community).
        """
        self.conclude(
            Overlap, ("functional", (unit,), sc["period"], dim, sc_value, bop_value), type="functional",
            units=(unit,), period=sc["period"], mechanisms=(BOP, SC), dimension=dim,
            on=((BOP, bop_value), (SC, sc_value)), cover_a=unit, cover_b=unit,
            ids=(*sc["ids"], *bop["ids"]), rules=(*sc["rules"], *bop["rules"]),
            deliberate=(*sc["deliberate"], *bop["deliberate"]),
            because=(f"In {sc['label']}" + (f" in {sc['period']}" if sc["period"] else "") +
                     f", security community is active on the {_WHAT[dim]} {sc_value} while balance of power is "
                     f"active on the {_WHAT[dim]} {bop_value}.",))
