"""Balance of power: which way entries face, who balances whom, and where states are no community.

These rules run in the `relations` stage, per unit over all its periods:
dyads first, then the larger units with the conclusions of the dyads inside
them. Besides the balance's status, facing and variant they conclude
`Violence` (war between a unit's states) and `Blocked` (its states prepare
for violence against each other), which the community rules read.
"""

from diagnose._experta import AS, MATCH, NOT, TEST, L, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Balancing, Blocked, Contains, Evidence, Rivalries, Row, Shortfall, Status, Tally, \
    Threshold, Violence

from .common import conclude_status, count, kinds_list, open_tally, refine_status, where
from .vocabulary import ALLIANCE_KINDS, ASSOCIATIONAL_KINDS, VIOLENT_LEVELS
from .vocabulary import BALANCE_OF_POWER as BOP

INWARD = "balance_of_power.inward"
OUTWARD = "balance_of_power.outward"
SEEN = "balance_of_power.seen"
PAIR_FORMS = ("between", "directed", "sides")
COLLECTIVE_FORMS = ("among", "members")
AIMED_FORMS = ("directed", "sides")  # entries that name who acts against whom


def _bop_kinds(evidence, only=None):
    return [k for k, m in zip(evidence["kinds"], evidence["mechanisms"]) if m == BOP and (only is None or k in only)]


def _has_bop(evidence):
    return bool(_bop_kinds(evidence))


def _rivalry_kinds(evidence):
    """The balancing kinds an entry can set its states against each other with: never an alliance."""
    return [k for k in _bop_kinds(evidence) if k not in ALLIANCE_KINDS]


def _violent(evidence):
    return evidence["section"] == "wars" and evidence["level"] in VIOLENT_LEVELS


class BalanceOfPowerRules:
    stage = "relations"

    @Rule(Row(row=MATCH.row_key, dim=None), salience=Stratum.STRUCTURE)
    def open_balance_counts(self, row_key):
        """Start the counts of balancing kinds that face inward and outward from a unit's row of all practices.

        (A slice row's counts start with the first kind counted there: only the
        row of all practices must say what is missing.)

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: states balance one another (weighing scales among them) or
        together against others (external balancing, alliances).
        """
        open_tally(self, row_key, INWARD)
        open_tally(self, row_key, OUTWARD)
        open_tally(self, row_key, SEEN)

    # -- which way an entry faces ---------------------------------------------------------------
    @Rule(AS.evidence << Evidence(row=MATCH.row_key, covers=True, rooted=True, form=MATCH.form, size=MATCH.size),
          TEST(lambda evidence, form, size: _rivalry_kinds(evidence) and (form in PAIR_FORMS or size == 2)),
          salience=Stratum.KINDS)
    def inward_pair_practice(self, evidence, row_key):
        """A balancing practice between two states, or directed from some states at others, sets them against each other.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: deterrence, worst-case planning and arms racing are
        practised by states against each other, from rational mistrust.
        """
        count(self, row_key, INWARD, evidence, _rivalry_kinds(evidence))

    @Rule(AS.evidence << Evidence(row=MATCH.row_key, covers=True, rooted=True, mutual=True),
          TEST(lambda evidence: bool(_rivalry_kinds(evidence))), salience=Stratum.KINDS)
    def inward_mutual_practice(self, evidence, row_key):
        """A balancing practice the file declares mutual sets every pair of its states against each other.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: the weighing scales, each state balancing the others.
        """
        count(self, row_key, INWARD, evidence, _rivalry_kinds(evidence))

    @Rule(AS.evidence << Evidence(row=MATCH.row_key, covers=True, rooted=True),
          TEST(lambda evidence: bool(_bop_kinds(evidence, ASSOCIATIONAL_KINDS))), salience=Stratum.KINDS)
    def inward_arch_practice(self, evidence, row_key):
        """A concert or peace conference manages the balance among its own participants (the arch).

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices, after Little's two images: great powers jointly manage
        their relations on a shared idea of a just equilibrium; on its own
        this makes no pair of them rivals.
        """
        count(self, row_key, INWARD, evidence, _bop_kinds(evidence, ASSOCIATIONAL_KINDS))

    @Rule(Row(row=MATCH.row_key, unit_kind=~L("dyad")),
          AS.evidence << Evidence(row=MATCH.row_key, acting_covers=True, rooted=True),
          TEST(lambda evidence: bool(_bop_kinds(evidence, ALLIANCE_KINDS))), salience=Stratum.KINDS)
    def outward_alliance(self, evidence, row_key):
        """An alliance faces outward: its members balance together, never against each other.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: alliances of expediency are external balancing against a
        common threat.
        """
        count(self, row_key, OUTWARD, evidence, _bop_kinds(evidence, ALLIANCE_KINDS))

    @Rule(Row(row=MATCH.row_key, unit_kind=~L("dyad")),
          AS.evidence << Evidence(row=MATCH.row_key, form=MATCH.form, mutual=False, acting_covers=True, rooted=True,
                                  size=MATCH.size),
          TEST(lambda evidence, form, size: form in COLLECTIVE_FORMS and size > 2 and _rivalry_kinds(evidence)
               and not _bop_kinds(evidence, ASSOCIATIONAL_KINDS)), salience=Stratum.KINDS)
    def outward_collective_practice(self, evidence, row_key):
        """A balancing practice shared by three or more states, not declared mutual, is theirs together, facing outward.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: bloc deterrence and joint planning balance outsiders.
        """
        count(self, row_key, OUTWARD, evidence, _rivalry_kinds(evidence))

    @Rule(Row(row=MATCH.row_key, unit_kind=~L("dyad")),
          AS.evidence << Evidence(row=MATCH.row_key, form=MATCH.form, acting_covers=True, target_outside=True,
                                  rooted=True),
          TEST(lambda evidence, form: form in AIMED_FORMS and _has_bop(evidence)), salience=Stratum.KINDS)
    def outward_directed_practice(self, evidence, row_key):
        """A practice directed from all of a unit's states at states outside it faces outward from the unit.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: NATO's deterrence of the Warsaw Pact was balancing by the
        allies together.
        """
        count(self, row_key, OUTWARD, evidence, _bop_kinds(evidence))

    @Rule(Row(row=MATCH.row_key, dim=None), AS.evidence << Evidence(row=MATCH.row_key, covers=True),
          TEST(lambda evidence: _has_bop(evidence)), salience=Stratum.KINDS - 1)
    def count_balancing_seen(self, evidence, row_key):
        """Count every balancing practice that covers a unit, whichever way it faces, to name it if nothing balances.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: what states do together toward others is no balance
        between them, but it is evidence the diagnosis must show.
        """
        count(self, row_key, SEEN, evidence, _bop_kinds(evidence))

    # -- war and rivalry ------------------------------------------------------------------------
    @Rule(Row(row=MATCH.row_key, unit=MATCH.unit, unit_kind="dyad", period=MATCH.period, dim=None),
          AS.evidence << Evidence(row=MATCH.row_key, covers=True, section="wars", level=MATCH.level),
          TEST(lambda level: level in VIOLENT_LEVELS), salience=Stratum.KINDS)
    def war_between_dyad(self, evidence, unit, period):
        """A war or armed conflict across two states: organised violence between them.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: war between states is the very opposite of dependable
        expectations of peaceful change. Allies on one side of a coalition war
        are not at war with each other.
        """
        self.conclude(Violence, (unit, period), unit=unit, period=period, ids=(evidence["id"],),
                      because=(f"war or armed conflict between its states ({evidence['id']})",))

    @Rule(Row(unit=MATCH.unit, unit_kind=~L("dyad"), period=MATCH.period, dim=None),
          Contains(dyad=MATCH.dyad, unit=MATCH.unit),
          AS.war << Violence(unit=MATCH.dyad, period=MATCH.period), salience=Stratum.KINDS)
    def war_inside_unit(self, war, unit, period):
        """A war between two of a larger unit's states is violence inside the unit.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: war between members signals the community's breakdown.
        """
        self.conclude(Violence, (unit, period), unit=unit, period=period, ids=war["ids"], rules=war["rules"],
                      because=war["because"])

    @Rule(Row(row=MATCH.row_key, unit=MATCH.unit, unit_kind=~L("dyad"), period=MATCH.period, dim=MATCH.dim,
              value=MATCH.value),
          Contains(dyad=MATCH.dyad, unit=MATCH.unit),
          AS.rival << Status(unit=MATCH.dyad, period=MATCH.period, dim=MATCH.dim, value=MATCH.value, mechanism=BOP,
                             status="active"),
          salience=Stratum.KINDS)
    def rival_dyad_inside(self, row_key, rival):
        """Count the states of a rival dyad (its own balance active) inside a larger unit.

        Adler & Greve (2009), Notions of relational variety and overlap: a
        dyad's balance of power is a relation of its own, which may or may
        not extend to the unit around it.
        """
        self.gather(Rivalries, (row_key,), row=row_key, states=rival["states"], dyads=(rival["unit"],),
                    ids=rival["ids"], rules=rival["rules"], union=("states", "dyads"))

    # -- reasons to balance ---------------------------------------------------------------------
    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind="dyad"),
          AS.tally << Tally(row=MATCH.row_key, mechanism=INWARD),
          Threshold(name="bop_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["kinds"]) >= needed and set(tally["kinds"]) - ASSOCIATIONAL_KINDS),
          salience=Stratum.BALANCING)
    def dyad_balances_by_practices(self, row, tally, needed):
        """A dyad balances: its two states face each other with several distinct balancing practices.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: deterrence, worst-case planning, monitoring of
        capabilities and arms racing make order through rational mistrust; a
        concert or conference alone manages a balance, it makes no rivals.
        """
        kinds = tally["kinds"]
        self._balance(row, "inward", ids=tally["ids"],
                      rules=tally["rules"], deliberate=tally["deliberate"],
                      because=(f"{where(row)}: its two states balance each other with {len(kinds)} distinct "
                               f"balance-of-power kinds (at least {needed} needed: {kinds_list(kinds)}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind="dyad"),
          AS.evidence << Evidence(row=MATCH.row_key, covers=True, section="wars", level=MATCH.level),
          TEST(lambda level: level in VIOLENT_LEVELS), salience=Stratum.BALANCING)
    def dyad_balances_by_war(self, row, evidence):
        """A dyad balances: its two states fight a war or armed conflict.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: the mechanism keeps war available as a tool of order; war
        between two states is the mechanism at its most manifest.
        """
        self._balance(row, "inward", ids=(evidence["id"],),
                      because=(f"{where(row)}: war or armed conflict between its two states ({evidence['id']}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind=~L("dyad"), size=MATCH.size),
          AS.rivalries << Rivalries(row=MATCH.row_key),
          Threshold(name="bop_dyad_share", value=MATCH.share),
          TEST(lambda rivalries, share, size: len(rivalries["states"]) >= share * size), salience=Stratum.BALANCING)
    def unit_balances_by_rival_dyads(self, row, rivalries, share, size):
        """A larger unit balances inward: rival dyads run through (nearly) all of its states.

        Adler & Greve (2009), Notions of relational variety and overlap: one
        rival pair nested in a community is relational overlap; only when
        rivalries run through the unit's states do they balance each other as
        a whole.
        """
        n = len(rivalries["states"])
        self._balance(row, "inward", ids=rivalries["ids"],
                      rules=rivalries["rules"],
                      because=(f"{where(row)}: rival dyads involve {n} of its {size} states (share {share:g} "
                               f"needed), so its states balance each other.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind=~L("dyad")),
          AS.tally << Tally(row=MATCH.row_key, mechanism=INWARD),
          Threshold(name="bop_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["kinds"]) >= needed), salience=Stratum.BALANCING)
    def unit_balances_inward_by_practices(self, row, tally, needed):
        """A larger unit balances inward: practices shared by all its states set them against each other.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: mutual deterrence and arms racing among all the unit's
        states, or the concert and conferences by which its great powers
        manage their balance.
        """
        kinds = tally["kinds"]
        self._balance(row, "inward", ids=tally["ids"],
                      rules=tally["rules"], deliberate=tally["deliberate"],
                      because=(f"{where(row)}: its states balance each other with {len(kinds)} distinct "
                               f"balance-of-power kinds (at least {needed} needed: {kinds_list(kinds)}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind=~L("dyad")),
          AS.tally << Tally(row=MATCH.row_key, mechanism=OUTWARD),
          Threshold(name="bop_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["kinds"]) >= needed), salience=Stratum.BALANCING)
    def unit_balances_outward_by_practices(self, row, tally, needed):
        """A larger unit balances outward: its states together balance others.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: alliances of expediency, bloc deterrence and joint
        worst-case planning against a common threat (NATO facing the Warsaw
        Pact).
        """
        kinds = tally["kinds"]
        self._balance(row, "outward", ids=tally["ids"],
                      rules=tally["rules"], deliberate=tally["deliberate"],
                      because=(f"{where(row)}: its states balance outsiders together with {len(kinds)} distinct "
                               f"balance-of-power kinds (at least {needed} needed: {kinds_list(kinds)}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind=~L("dyad")),
          AS.evidence << Evidence(row=MATCH.row_key, section="wars", form=MATCH.form, acting_covers=True,
                                  target_outside=True, level=MATCH.level),
          TEST(lambda form, level: form in AIMED_FORMS and level in VIOLENT_LEVELS), salience=Stratum.BALANCING)
    def unit_balances_outward_by_war(self, row, evidence):
        """A larger unit balances outward: all its states fight on one side of a war against outsiders.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: war remains an instrument against those outside; allies
        who fight together are not at war with each other.
        """
        self._balance(row, "outward", ids=(evidence["id"],),
                      because=(f"{where(row)}: all its states fight on one side of a war or armed conflict "
                               f"against outsiders ({evidence['id']}).",))

    # -- status, facing, variant ----------------------------------------------------------------
    @Rule(AS.row << Row(row=MATCH.row_key), AS.inward << Balancing(row=MATCH.row_key, facing="inward"),
          NOT(Balancing(row=MATCH.row_key, facing="outward")), salience=Stratum.STATUS)
    def bop_active_inward(self, row, inward):
        """Balance of power is active, facing inward: the unit's own states balance each other.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices (the weighing scales).
        """
        conclude_status(self, row, BOP, "active", facing="inward", ids=inward["ids"], rules=inward["rules"],
                        deliberate=inward["deliberate"], because=inward["because"])

    @Rule(AS.row << Row(row=MATCH.row_key), AS.outward << Balancing(row=MATCH.row_key, facing="outward"),
          NOT(Balancing(row=MATCH.row_key, facing="inward")), salience=Stratum.STATUS)
    def bop_active_outward(self, row, outward):
        """Balance of power is active, facing outward: the unit's states balance others together.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: NATO kept its deterrent, outward-facing functions while a
        community grew inside it.
        """
        conclude_status(self, row, BOP, "active", facing="outward", ids=outward["ids"], rules=outward["rules"],
                        deliberate=outward["deliberate"], because=outward["because"])

    @Rule(AS.row << Row(row=MATCH.row_key), AS.inward << Balancing(row=MATCH.row_key, facing="inward"),
          AS.outward << Balancing(row=MATCH.row_key, facing="outward"), salience=Stratum.STATUS)
    def bop_active_both_ways(self, row, inward, outward):
        """Balance of power is active both ways: the unit's states balance each other and, together, others.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: internal and external balancing.
        """
        conclude_status(self, row, BOP, "active", facing="both", ids=(*inward["ids"], *outward["ids"]),
                        rules=(*inward["rules"], *outward["rules"]),
                        deliberate=(*inward["deliberate"], *outward["deliberate"]),
                        because=(*inward["because"], *outward["because"]))

    @Rule(AS.status << Status(row=MATCH.row_key, mechanism=BOP, status="active", variant=None),
          Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.evidence << Evidence(row=MATCH.row_key, covers=True, rooted=True),
          TEST(lambda evidence: bool(_bop_kinds(evidence, ASSOCIATIONAL_KINDS))),
          NOT(Violence(unit=MATCH.unit, period=MATCH.period)), salience=Stratum.VARIANT)
    def bop_associational(self, status, evidence):
        """The active balance is associational: great powers manage it together (an arch, not scales).

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices, after Little's two images: concerts and major peace
        conferences manage great-power relations, which holds only where they
        have taken root and no war divides the unit's states.
        """
        refine_status(self, status, variant="associational", ids=(evidence["id"],),
                      because=(f"Variant associational: a rooted concert or peace conference ({evidence['id']}) "
                               f"manages the balance, and no war divides these states.",))

    @Rule(AS.status << Status(row=MATCH.row_key, mechanism=BOP, status="active", variant=None),
          salience=Stratum.VARIANT_DEFAULT)
    def bop_adversarial(self, status):
        """Without a rooted concert or peace conference, or with war among its states, the balance is adversarial.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices (the weighing scales).
        """
        refine_status(self, status, variant="adversarial",
                      because=("Variant adversarial: no rooted concert or peace conference manages it in peace.",))

    # -- where no community can be active -------------------------------------------------------
    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.war << Violence(unit=MATCH.unit, period=MATCH.period), salience=Stratum.BLOCKED)
    def blocked_by_war(self, row, war):
        """States at war with each other are no community, in every slice of their practices.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: the absence of war between members is a necessary
        condition of the mechanism.
        """
        self._block(row, war["ids"], war["rules"], tuple(f"{where(row)}: {b}." for b in war["because"]))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind="dyad"),
          AS.status << Status(row=MATCH.row_key, mechanism=BOP, status="active"), salience=Stratum.BLOCKED)
    def blocked_by_dyad_balance(self, row, status):
        """Two states that balance each other prepare for violence against each other: no community between them.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: peaceful change means neither expecting nor preparing for
        organised violence between the states.
        """
        self._block(row, status["ids"], status["rules"],
                    (f"{where(row)}: its two states still balance each other.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind=~L("dyad"), size=MATCH.size),
          AS.rivalries << Rivalries(row=MATCH.row_key),
          Threshold(name="sc_block_share", value=MATCH.share),
          TEST(lambda rivalries, share, size: len(rivalries["states"]) > share * size), salience=Stratum.BLOCKED)
    def blocked_by_rival_dyads(self, row, rivalries, share, size):
        """Rivalries run through too many of a larger unit's states for it to be a community.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices; Notions of relational variety and overlap: a lone rival
        pair inside a community is relational overlap, rivalries among most
        of its states are preparation for violence.
        """
        n = len(rivalries["states"])
        self._block(row, rivalries["ids"], rivalries["rules"],
                    (f"{where(row)}: rival dyads ({', '.join(rivalries['dyads'])}) involve {n} of its {size} states, "
                     f"more than the share of {share:g} a community can hold.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit_kind=~L("dyad")),
          AS.tally << Tally(row=MATCH.row_key, mechanism=INWARD),
          Threshold(name="bop_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["kinds"]) >= needed), salience=Stratum.BLOCKED)
    def blocked_by_inward_practices(self, row, tally, needed):
        """States that all balance each other (mutual deterrence, arms racing) are no community.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices.
        """
        self._block(row, tally["ids"], tally["rules"],
                    (f"{where(row)}: its states balance each other ({kinds_list(tally['kinds'])}).",))

    def _balance(self, row, facing, **provenance):
        self.conclude(Balancing, (row["row"], facing), row=row["row"], facing=facing, **provenance)

    def _block(self, row, ids, rules, because):
        self.conclude(Blocked, (row["row"],), row=row["row"], unit=row["unit"], period=row["period"], dim=row["dim"],
                      value=row["value"], ids=ids, rules=rules, because=because)

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None),
          AS.inward << Tally(row=MATCH.row_key, mechanism=INWARD),
          AS.outward << Tally(row=MATCH.row_key, mechanism=OUTWARD),
          AS.seen << Tally(row=MATCH.row_key, mechanism=SEEN),
          Threshold(name="bop_min_kinds", value=MATCH.needed),
          NOT(Status(row=MATCH.row_key, mechanism=BOP)), salience=Stratum.SHORTFALL)
    def bop_shortfall(self, row, inward, outward, seen, needed):
        """Say what a row lacks for balance of power: too few balancing kinds either way, and no war.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: one practice is not a repertoire.
        """
        kinds = inward["kinds"]
        text = f"{where(row)}: {len(kinds)} of the {needed} balance-of-power kinds needed between its states"
        text += f" ({kinds_list(kinds)})" if kinds else ""
        if row["unit_kind"] != "dyad":
            text += f", {len(outward['kinds'])} facing outward" + (
                f" ({kinds_list(outward['kinds'])})" if outward["kinds"] else "")
        self.conclude(Shortfall, (row["row"], BOP), row=row["row"], mechanism=BOP,
                      ids=(*inward["ids"], *outward["ids"], *seen["ids"]),
                      because=(text + ", and no war or armed conflict.",))
