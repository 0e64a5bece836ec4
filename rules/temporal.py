"""Temporal overlap: old and new repertoires coexist through a transition."""

from diagnose._experta import AS, MATCH, NOT, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Adjacent, Overlap, Status

from .vocabulary import BALANCE_OF_POWER as BOP
from .vocabulary import SECURITY_COMMUNITY as SC

_BOTH_ACTIVE = (
    AS.sc << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=SC, status="active"),
    AS.bop << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=BOP, status="active"),
    Adjacent(period=MATCH.period, other=MATCH.other_period, relation=MATCH.relation),
)


def _conclude(engine, sc, bop, other, relation, only):
    unit = sc["unit"]
    engine.conclude(
        Overlap, ("temporal", (unit,), sc["period"]), type="temporal", units=(unit,), period=sc["period"],
        mechanisms=(BOP, SC), dimension=None, on=(), cover_a=unit, cover_b=unit,
        ids=(*sc["ids"], *bop["ids"], *other["ids"]), rules=(*sc["rules"], *bop["rules"]),
        deliberate=(*sc["deliberate"], *bop["deliberate"]),
        because=(f"In {sc['label']}, balance of power and security community are both active in {sc['period']}, "
                 f"while in the {relation} period, {other['period']}, only {only} is: the two repertoires "
                 f"coexist through a transition.",))


class TemporalRules:
    stage = "overlaps"

    @Rule(*_BOTH_ACTIVE,
          AS.other << Status(unit=MATCH.unit, period=MATCH.other_period, dim=None, mechanism=SC, status="active"),
          NOT(Status(unit=MATCH.unit, period=MATCH.other_period, dim=None, mechanism=BOP, status="active")),
          salience=Stratum.OVERLAPS)
    def temporal_overlap_sc_alone_next_door(self, sc, bop, other, relation):
        """Both mechanisms in one period, only security community in an adjacent one.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: change layers new practices over old ones without replacing
        them at once (CSCE community-building while the Cold War balance was
        still the only game; NATO moving into cooperative security while
        keeping its deterrent).
        """
        _conclude(self, sc, bop, other, relation, "security community")

    @Rule(*_BOTH_ACTIVE,
          AS.other << Status(unit=MATCH.unit, period=MATCH.other_period, dim=None, mechanism=BOP, status="active"),
          NOT(Status(unit=MATCH.unit, period=MATCH.other_period, dim=None, mechanism=SC, status="active")),
          salience=Stratum.OVERLAPS)
    def temporal_overlap_bop_alone_next_door(self, sc, bop, other, relation):
        """Both mechanisms in one period, only balance of power in an adjacent one.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: old mind-sets and practices can outlast the conditions that
        bred them while new ones are still being tried out.
        """
        _conclude(self, sc, bop, other, relation, "balance of power")
