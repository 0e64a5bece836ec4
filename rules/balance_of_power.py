"""Balance of power: status and variant of the mechanism per row."""

from diagnose._experta import AS, MATCH, NOT, TEST, L, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Evidence, Rivalries, Row, Status, Tally, Threshold, Violence

from .common import conclude_status, kinds_list, where
from .vocabulary import ASSOCIATIONAL_KINDS
from .vocabulary import BALANCE_OF_POWER as BOP


class BalanceOfPowerRules:
    @Rule(AS.row << Row(row=MATCH.row_key), AS.tally << Tally(row=MATCH.row_key, mechanism=BOP),
          Threshold(name="bop_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["kinds"]) >= needed), salience=Stratum.STATUS)
    def bop_active(self, row, tally, needed):
        """BoP is active: the states face each other with several distinct balancing practices.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: deterrence, worst-case planning, monitoring capabilities,
        alliances of expediency, internal and external balancing make order
        through rational mistrust. For a dyad only its own practices count, so
        a group's outward-facing balancing does not make its members rivals.
        """
        kinds = tally["kinds"]
        conclude_status(
            self, row, BOP, "active", ids=tally["ids"], rules=tally["rules"], deliberate=tally["deliberate"],
            because=(f"{where(row)} shows {len(kinds)} distinct balance-of-power kinds "
                     f"(at least {needed} needed: {kinds_list(kinds)}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          Violence(unit=MATCH.unit, period=MATCH.period, ids=MATCH.war_ids), salience=Stratum.STATUS)
    def bop_active_by_war(self, row, war_ids):
        """BoP is active: war or armed conflict between the unit's states.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: the mechanism keeps war available as a tool of order; war
        between states is the mechanism at its most manifest.
        """
        conclude_status(
            self, row, BOP, "active", ids=war_ids,
            because=(f"{where(row)}: war or armed conflict between its states ({', '.join(war_ids)}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind=~L("dyad"), size=MATCH.size),
          AS.rivalries << Rivalries(row=MATCH.row_key),
          Threshold(name="bop_dyad_share", value=MATCH.share),
          TEST(lambda rivalries, share, size: len(rivalries["states"]) >= share * size), salience=Stratum.STATUS)
    def bop_active_by_rival_dyads(self, row, rivalries, share, size):
        """BoP is active for a larger unit whose states are (nearly) all caught in rival dyads.

        Adler & Greve (2009), Notions of relational variety and overlap: one
        rival pair nested in a community is relational overlap; only when
        rivalries run through the unit's states does the unit itself balance.
        """
        n = len(rivalries["states"])
        conclude_status(
            self, row, BOP, "active", ids=rivalries["ids"], rules=rivalries["rules"],
            because=(f"{where(row)}: rival dyads with balance of power active involve {n} of its {size} states "
                     f"(share {share:g} needed).",))

    @Rule(Status(row=MATCH.row_key, mechanism=BOP, status="active"),
          AS.row << Row(row=MATCH.row_key),
          Evidence(row=MATCH.row_key, mechanism=BOP, kind=MATCH.kind, id=MATCH.id),
          TEST(lambda kind: kind in ASSOCIATIONAL_KINDS), salience=Stratum.VARIANT)
    def bop_associational(self, row, kind, id):
        """The active balance is associational: great powers manage it together (an arch, not scales).

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices, after Little's two images: concerts and major peace
        conferences manage great-power relations on a shared idea of a just
        equilibrium.
        """
        conclude_status(self, row, BOP, "active", variant="associational", ids=(id,),
                        because=("Variant associational: great powers manage the balance together (a concert or "
                                 "peace conference).",))

    @Rule(AS.row << Row(row=MATCH.row_key), Status(row=MATCH.row_key, mechanism=BOP, status="active", variant=None),
          salience=Stratum.VARIANT_DEFAULT)
    def bop_adversarial(self, row):
        """Without concert or peace-conference practices the active balance is adversarial (weighing scales).

        Adler & Greve (2009), Balance of power mechanism and repertoire of practices.
        """
        conclude_status(self, row, BOP, "active", variant="adversarial",
                        because=("Variant adversarial: no concert or peace-conference practice.",))

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None, declared=MATCH.declared),
          AS.tally << Tally(row=MATCH.row_key, mechanism=BOP),
          TEST(lambda declared, tally: declared is not None or len(tally["kinds"]) > 0),
          Threshold(name="bop_min_kinds", value=MATCH.needed),
          NOT(Status(row=MATCH.row_key, mechanism=BOP)), salience=Stratum.NOT_EVIDENT)
    def bop_not_evident(self, row, tally, needed, declared):
        """BoP is not evident: too few balancing practices and no war.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: one practice is not a repertoire.
        Reported on a unit's row of all practices, for every declared unit and
        for any dyad with some evidence.
        """
        kinds = tally["kinds"]
        ids = (*tally["ids"], *((declared,) if declared else ()))
        conclude_status(
            self, row, BOP, "not_evident", ids=ids, rules=tally["rules"], deliberate=tally["deliberate"],
            because=(f"{where(row)}: {len(kinds)} of the {needed} BoP kinds needed"
                     + (f": {kinds_list(kinds)}" if kinds else "") + ", and no war or armed conflict.",))
