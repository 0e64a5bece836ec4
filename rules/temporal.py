"""Temporal overlap: old and new repertoires coexist through a transition."""

from diagnose._experta import AS, MATCH, NOT, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Adjacent, Overlap, Status

from .vocabulary import BALANCE_OF_POWER as BOP
from .vocabulary import SECURITY_COMMUNITY as SC

_BOTH_ACTIVE = (
    AS.sc << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=SC, status="active"),
    AS.bop << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=BOP, status="active"),
    Adjacent(period=MATCH.period, other=MATCH.other_period, relation=MATCH.relation),
)


def _conclude(engine, sc, bop, other, because):
    unit = sc["unit"]
    engine.conclude(
        Overlap, ("temporal", (unit,), sc["period"]), type="temporal", units=(unit,), period=sc["period"],
        mechanisms=(BOP, SC), dimension=None, on=(), cover_a=unit, cover_b=unit,
        ids=(*sc["ids"], *bop["ids"], *other["ids"]), rules=(*sc["rules"], *bop["rules"], *other["rules"]),
        deliberate=(*sc["deliberate"], *bop["deliberate"]), because=(because,))


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
        them at once (NATO moving into cooperative security in the 1990s while
        keeping its deterrent).
        """
        _conclude(self, sc, bop, other,
                  f"In {sc['label']}, balance of power and security community are both active in {sc['period']}, "
                  f"while in the {relation} period, {other['period']}, only security community is: the two "
                  f"repertoires coexist through a transition.")

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
        _conclude(self, sc, bop, other,
                  f"In {sc['label']}, balance of power and security community are both active in {sc['period']}, "
                  f"while in the {relation} period, {other['period']}, only balance of power is: the two "
                  f"repertoires coexist through a transition.")

    @Rule(AS.sc << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=SC, status="nascent"),
          AS.bop << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=BOP, status="active",
                           facing=MATCH.facing),
          TEST(lambda facing: facing in ("inward", "both")),
          Adjacent(period=MATCH.period, other=MATCH.next_period, relation="following"),
          AS.other << Status(unit=MATCH.unit, period=MATCH.next_period, dim=None, mechanism=SC, status="active"),
          salience=Stratum.OVERLAPS)
    def temporal_overlap_community_takes_hold(self, sc, bop, other, next_period):
        """A nascent community beside inward balancing takes hold in the next period.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: the CSCE's community-building practices began to change
        Europe's order from 1975 while the balance of power was still the only
        game in town, and took hold after 1989.
        """
        _conclude(self, sc, bop, other,
                  f"In {sc['label']} in {sc['period']}, community-building practices grow among states that still "
                  f"balance each other (security community nascent beside balance of power), and the community "
                  f"takes hold in {next_period}: the new repertoire is layered over the old.")

    @Rule(AS.sc << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=SC, status="decaying"),
          AS.bop << Status(unit=MATCH.unit, period=MATCH.period, dim=None, mechanism=BOP, status="active"),
          salience=Stratum.OVERLAPS)
    def temporal_overlap_balancing_returns(self, sc, bop):
        """A community decays while balance of power is active: balancing returns as the community fades.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: balance-of-power practices may reappear where the
        community's mechanisms weaken, never as a plain return to the past.
        """
        _conclude(self, sc, bop, sc,
                  f"In {sc['label']} in {sc['period']}, the security community decays while balance of power is "
                  f"active: balancing returns as the community fades.")
