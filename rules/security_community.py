"""Security community: status of the mechanism per row."""

from diagnose._experta import AS, MATCH, NOT, TEST, L, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import PeriodAfter, Row, Status, Tally, Threshold, Violence

from .common import conclude_status, kinds_list, where
from .vocabulary import SECURITY_COMMUNITY as SC


class SecurityCommunityRules:
    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC),
          Threshold(name="sc_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["rooted_kinds"]) >= needed),
          NOT(Violence(unit=MATCH.unit, period=MATCH.period)), salience=Stratum.STATUS)
    def sc_active(self, row, tally, needed):
        """SC is active: the unit's states share enough distinct, rooted community practices, at peace.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: dependable expectations of peaceful change rest on a
        repertoire (self-restraint, common enterprises, cooperative security,
        consultation, outreach, confidence building, coordination, open
        borders), and war between members is absent by definition.
        """
        kinds = tally["rooted_kinds"]
        conclude_status(
            self, row, SC, "active", ids=tally["ids"], rules=tally["rules"], deliberate=tally["deliberate"],
            because=(f"{where(row)} shares {len(kinds)} distinct rooted security-community kinds "
                     f"(at least {needed} needed: {kinds_list(kinds)}) and no war or armed conflict "
                     f"between its states.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          Violence(unit=MATCH.unit, period=MATCH.period, ids=MATCH.war_ids),
          PeriodAfter(earlier=MATCH.before, later=MATCH.period),
          AS.previous << Status(unit=MATCH.unit, period=MATCH.before, dim=MATCH.dim, value=MATCH.value,
                                mechanism=SC, status="active"),
          salience=Stratum.BREAKDOWN)
    def sc_broken_down(self, row, war_ids, before, previous):
        """SC has broken down: it was active in the previous period and its states now fight.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: war between members signals the breakdown of the community.
        """
        conclude_status(
            self, row, SC, "broken_down", ids=(*war_ids, *previous["ids"]), rules=previous["rules"],
            because=(f"{where(row)}: security community was active in {before}, and a war or armed conflict "
                     f"between its states ({', '.join(war_ids)}) now breaks it down.",))

    @Rule(AS.row << Row(row=MATCH.row_key),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC, unrooted_kinds=MATCH.unrooted),
          TEST(lambda unrooted: len(unrooted) > 0),
          NOT(Status(row=MATCH.row_key, mechanism=SC, status=~L("formal_only"))), salience=Stratum.FORMAL)
    def sc_formal_only_unrooted(self, row, tally, unrooted):
        """SC is formal only: community practices are present but imported, not institutionalised.

        Adler & Greve (2009), Notions of functional variety and overlap: in the
        Middle East of the Oslo years, community-building practices brought in
        from Europe never took root in bureaucracies, so the overlap existed
        only formally.
        """
        conclude_status(
            self, row, SC, "formal_only", ids=tally["ids"], rules=tally["rules"], deliberate=tally["deliberate"],
            because=(f"{where(row)} has security-community practices that are not rooted "
                     f"({kinds_list(unrooted)}): the community exists on paper only.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC, kinds=MATCH.kinds),
          TEST(lambda kinds: len(kinds) > 0),
          Violence(unit=MATCH.unit, period=MATCH.period, ids=MATCH.war_ids),
          NOT(Status(row=MATCH.row_key, mechanism=SC, status=~L("formal_only"))), salience=Stratum.FORMAL)
    def sc_formal_only_at_war(self, row, tally, kinds, war_ids):
        """SC is formal only: community practices coexist with war between the unit's states.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: the absence of war among members is a necessary condition,
        so practices alongside war cannot make the mechanism work.
        """
        conclude_status(
            self, row, SC, "formal_only", ids=(*tally["ids"], *war_ids), rules=tally["rules"],
            deliberate=tally["deliberate"],
            because=(f"{where(row)} has security-community practices ({kinds_list(kinds)}) alongside war or "
                     f"armed conflict between its states ({', '.join(war_ids)}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None, declared=MATCH.declared),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC),
          TEST(lambda declared, tally: declared is not None or len(tally["kinds"]) > 0),
          Threshold(name="sc_min_kinds", value=MATCH.needed),
          NOT(Status(row=MATCH.row_key, mechanism=SC)), salience=Stratum.NOT_EVIDENT)
    def sc_not_evident(self, row, tally, needed, declared):
        """SC is not evident: too few distinct rooted community practices to speak of a community.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: a single practice does not make a
        mechanism; we report what is missing instead of guessing. Reported on
        a unit's row of all practices, for every declared unit and for any
        dyad with some evidence.
        """
        kinds = tally["rooted_kinds"]
        ids = (*tally["ids"], *((declared,) if declared else ()))
        conclude_status(
            self, row, SC, "not_evident", ids=ids, rules=tally["rules"], deliberate=tally["deliberate"],
            because=(f"{where(row)}: {len(kinds)} of the {needed} SC kinds needed"
                     + (f": {kinds_list(kinds)}." if kinds else "."),))
