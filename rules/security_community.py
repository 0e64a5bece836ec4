"""Security community: status, phase and coupling of the mechanism per row.

These rules run in the `mechanisms` stage, per unit over all its periods,
after the relations: they read `Violence` (war between the unit's states)
and `Blocked` (its states prepare for violence against each other) of the
unit, and of the units that the states of each covering entry form.
"""

from diagnose._experta import AS, MATCH, NOT, TEST, L, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Blocked, Evidence, PeriodAfter, Row, Shortfall, Status, Tally, Threshold, Violence

from .common import conclude_status, count, kinds_list, refine_status, where
from .vocabulary import SECURITY_COMMUNITY as SC
from .vocabulary import TIGHT_KINDS

HELD_BACK = "security_community.held_back"
"""Rooted community kinds of entries whose own states prepare for violence against each other."""


def _tally(engine, row_key, name):
    """The row's count called ``name``, or None where nothing was counted (slice rows open none in advance)."""
    return engine._conclusions.get((Tally, (row_key, name)))


def counted_kinds(tally, held) -> tuple[str, ...]:
    """Rooted kinds of the row with at least one entry that is not held back: what can make a community."""
    if tally is None:
        return ()
    held_ids = set(held["ids"]) if held is not None else set()
    return tuple(sorted({kind for kind, id_ in tally["rooted_pairs"] if id_ not in held_ids}))


def _counted(engine, row_key) -> tuple[str, ...]:
    return counted_kinds(_tally(engine, row_key, SC), _tally(engine, row_key, HELD_BACK))


def _sc_kinds(evidence):
    return [k for k, m in zip(evidence["kinds"], evidence["mechanisms"]) if m == SC]


class SecurityCommunityRules:
    @Rule(Row(row=MATCH.row_key, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          AS.evidence << Evidence(row=MATCH.row_key, covers=True, rooted=True, own_unit=MATCH.own),
          TEST(lambda evidence: bool(_sc_kinds(evidence))),
          Blocked(unit=MATCH.own, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          salience=Stratum.KINDS)
    def hold_back_community_practice(self, evidence, row_key):
        """A community practice of states that still balance each other builds a community at most.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: the CSCE's confidence-building practices were community
        building while balance of power was still the only game in town.
        """
        count(self, row_key, HELD_BACK, evidence, _sc_kinds(evidence))

    @Rule(Row(row=MATCH.row_key, period=MATCH.period),
          AS.evidence << Evidence(row=MATCH.row_key, covers=True, rooted=True, own_unit=MATCH.own),
          TEST(lambda evidence: bool(_sc_kinds(evidence))),
          Violence(unit=MATCH.own, period=MATCH.period), salience=Stratum.KINDS)
    def hold_back_community_practice_at_war(self, evidence, row_key):
        """A community practice of states at war with each other builds no community, in any slice.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: war between the states that share a practice is the
        opposite of dependable expectations of peaceful change.
        """
        count(self, row_key, HELD_BACK, evidence, _sc_kinds(evidence))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC),
          NOT(Tally(row=MATCH.row_key, mechanism=HELD_BACK)),
          Threshold(name="sc_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["rooted_kinds"]) >= needed),
          NOT(Violence(unit=MATCH.unit, period=MATCH.period)),
          NOT(Blocked(row=MATCH.row_key)), salience=Stratum.STATUS)
    def sc_active(self, row, tally, needed):
        """SC is active: the unit's states share enough distinct, rooted community practices, and neither fight nor prepare to.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: dependable expectations of peaceful change rest on a
        repertoire (self-restraint, common enterprises, cooperative security,
        consultation, outreach, confidence building, coordination, open
        borders), among states that neither expect nor prepare for organised
        violence against each other.
        """
        self._active(row, tally, tally["rooted_kinds"], needed)

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC),
          AS.held << Tally(row=MATCH.row_key, mechanism=HELD_BACK),
          Threshold(name="sc_min_kinds", value=MATCH.needed),
          TEST(lambda tally, held, needed: len(counted_kinds(tally, held)) >= needed),
          NOT(Violence(unit=MATCH.unit, period=MATCH.period)),
          NOT(Blocked(row=MATCH.row_key)), salience=Stratum.STATUS)
    def sc_active_beside_practices_held_back(self, row, tally, held, needed):
        """SC is active on the practices of its own, whatever it also shares with states that balance each other.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: NATO's own community stood beside the CSCE practices it
        shared with the Warsaw Pact, which built community at most.
        """
        self._active(row, tally, counted_kinds(tally, held), needed, held)

    def _active(self, row, tally, kinds, needed, held=None):
        held_ids = set(held["ids"]) if held is not None else set()
        conclude_status(
            self, row, SC, "active", ids=[i for i in tally["ids"] if i not in held_ids], rules=tally["rules"],
            deliberate=[i for i in tally["deliberate"] if i not in held_ids],
            because=(f"{where(row)} shares {len(kinds)} distinct rooted security-community kinds "
                     f"(at least {needed} needed: {kinds_list(kinds)}), and its states neither fight nor prepare "
                     f"for violence against each other.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          AS.war << Violence(unit=MATCH.unit, period=MATCH.period),
          PeriodAfter(earlier=MATCH.before, later=MATCH.period),
          AS.previous << Status(unit=MATCH.unit, period=MATCH.before, dim=MATCH.dim, value=MATCH.value,
                                mechanism=SC, status="active"),
          salience=Stratum.BREAKDOWN)
    def sc_broken_down(self, row, war, before, previous):
        """SC has broken down: it was active in the previous period and its states now fight.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: war between members signals the breakdown of the community.
        """
        conclude_status(
            self, row, SC, "broken_down", ids=(*war["ids"], *previous["ids"]), rules=(*war["rules"], *previous["rules"]),
            because=(f"{where(row)}: security community was active in {before}, and {'; '.join(war['because'])} "
                     f"now breaks it down.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          PeriodAfter(earlier=MATCH.before, later=MATCH.period),
          AS.previous << Status(unit=MATCH.unit, period=MATCH.before, dim=MATCH.dim, value=MATCH.value,
                                mechanism=SC, status="active"),
          NOT(Violence(unit=MATCH.unit, period=MATCH.period)),
          NOT(Status(row=MATCH.row_key, mechanism=SC, status=~L("decaying"))), salience=Stratum.DECAY)
    def sc_decaying_practices_lost(self, row, before, previous):
        """SC is decaying: active in the previous period, it has lost practices without war between its states.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: the maintenance, decay or breakdown of a community lies in
        the practices that sustain it; a community can fade without war.
        """
        now = _counted(self, row["row"])
        lost = sorted(set(_counted(self, previous["row"])) - set(now))
        if not lost:
            return  # nothing lost: what ended it is balancing (sc_decaying_balancing_returns)
        conclude_status(
            self, row, SC, "decaying", ids=previous["ids"], rules=previous["rules"],
            because=(f"{where(row)}: security community was active in {before} and is no longer: "
                     f"{kinds_list(lost)} no longer shared ({len(now)} kinds counted now), without war "
                     f"between its states.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          PeriodAfter(earlier=MATCH.before, later=MATCH.period),
          AS.previous << Status(unit=MATCH.unit, period=MATCH.before, dim=MATCH.dim, value=MATCH.value,
                                mechanism=SC, status="active"),
          AS.blocked << Blocked(row=MATCH.row_key),
          NOT(Violence(unit=MATCH.unit, period=MATCH.period)),
          NOT(Status(row=MATCH.row_key, mechanism=SC, status=~L("decaying"))), salience=Stratum.DECAY)
    def sc_decaying_balancing_returns(self, row, before, previous, blocked):
        """SC is decaying: active in the previous period, its states now balance each other, short of war.

        Adler & Greve (2009), Notions of temporal/evolutionary variety and
        overlap: balancing can return where the community weakens.
        """
        conclude_status(
            self, row, SC, "decaying", ids=(*previous["ids"], *blocked["ids"]),
            rules=(*previous["rules"], *blocked["rules"]),
            because=(f"{where(row)}: security community was active in {before}; now inward balancing blocks it: "
                     f"{' '.join(blocked['because'])}",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC, kinds=MATCH.kinds),
          TEST(lambda kinds: len(kinds) > 0),
          AS.war << Violence(unit=MATCH.unit, period=MATCH.period),
          NOT(Status(row=MATCH.row_key, mechanism=SC, status=~L("formal_only"))), salience=Stratum.FORMAL)
    def sc_formal_only_at_war(self, row, tally, kinds, war):
        """SC is formal only: community practices coexist with war between the unit's states.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices: the absence of war among members is a necessary condition,
        so practices alongside war cannot make the mechanism work.
        """
        conclude_status(
            self, row, SC, "formal_only", ids=(*tally["ids"], *war["ids"]), rules=(*tally["rules"], *war["rules"]),
            deliberate=tally["deliberate"],
            because=(f"{where(row)} has security-community practices ({kinds_list(kinds)}) alongside "
                     f"{'; '.join(war['because'])}.",))

    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC),
          Threshold(name="sc_nascent_min_kinds", value=MATCH.least),
          Threshold(name="sc_min_kinds", value=MATCH.needed),
          TEST(lambda tally, least: len(tally["rooted_kinds"]) >= least),
          NOT(Violence(unit=MATCH.unit, period=MATCH.period)),
          NOT(Status(row=MATCH.row_key, mechanism=SC)), salience=Stratum.NASCENT)
    def sc_nascent(self, row, tally, least, needed):
        """SC is nascent: the unit's states share community-building practices, but no community yet.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices (Adler and Barnett's phases: nascent, ascendant, mature);
        Notions of temporal/evolutionary variety and overlap: CSCE practices
        built community while the balance of power still ruled.
        """
        kinds = tally["rooted_kinds"]
        held = _tally(self, row["row"], HELD_BACK)
        counted = counted_kinds(tally, held)
        blocked = self._conclusions.get((Blocked, (row["row"],)))
        reasons = []
        if blocked is not None:
            reasons.append("inward balancing holds it back (confidence building among states that still prepare "
                           "for violence against each other): " + " ".join(b.rstrip(".") for b in blocked["because"]))
        if len(counted) < needed:
            reasons.append(f"{len(counted)} of the {needed} kinds needed count toward a community"
                           + (f" ({kinds_list(counted)})" if counted else ""))
        if held is not None:
            reasons.append(f"{', '.join(held['ids'])} ({kinds_list(held['kinds'])}) are shared with states that "
                           f"still prepare for violence against each other, so they count only toward a nascent community")
        conclude_status(
            self, row, SC, "nascent", phase="nascent", ids=(*tally["ids"], *(blocked["ids"] if blocked else ())),
            rules=(*tally["rules"], *(held["rules"] if held is not None else ())), deliberate=tally["deliberate"],
            because=(f"{where(row)} shares {len(kinds)} rooted security-community kinds ({kinds_list(kinds)}): "
                     f"community building, not yet a community; " + "; ".join(reasons) + ".",))

    @Rule(AS.row << Row(row=MATCH.row_key),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC, unrooted_kinds=MATCH.unrooted),
          TEST(lambda unrooted: len(unrooted) > 0),
          NOT(Status(row=MATCH.row_key, mechanism=SC, status=~L("formal_only"))), salience=Stratum.FORMAL_UNROOTED)
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

    # -- phase and coupling of an active community ----------------------------------------------
    @Rule(AS.status << Status(row=MATCH.row_key, mechanism=SC, status="active", phase=None),
          Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          PeriodAfter(earlier=MATCH.before, later=MATCH.period),
          AS.previous << Status(unit=MATCH.unit, period=MATCH.before, dim=MATCH.dim, value=MATCH.value,
                                mechanism=SC, status="active"),
          salience=Stratum.VARIANT)
    def sc_mature(self, status, before):
        """An active community that was active in the previous period too is mature.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices (phases of emergence: nascent, ascendant, mature).
        """
        refine_status(self, status, phase="mature", because=(f"Phase mature: a community already in {before}.",))

    @Rule(AS.status << Status(row=MATCH.row_key, mechanism=SC, status="active", phase=None),
          Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=MATCH.dim, value=MATCH.value),
          PeriodAfter(earlier=MATCH.before, later=MATCH.period),
          NOT(Status(unit=MATCH.unit, period=MATCH.before, dim=MATCH.dim, value=MATCH.value, mechanism=SC,
                     status="active")),
          salience=Stratum.VARIANT)
    def sc_ascendant(self, status, before):
        """An active community that was not active in the previous period is ascendant.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices (phases of emergence: nascent, ascendant, mature).
        """
        refine_status(self, status, phase="ascendant",
                      because=(f"Phase ascendant: newly a community, not one in {before}.",))

    @Rule(AS.status << Status(row=MATCH.row_key, mechanism=SC, status="active", coupling=None),
          Threshold(name="sc_tight_min_kinds", value=MATCH.needed), salience=Stratum.VARIANT)
    def sc_coupling(self, status, needed):
        """An active community is tightly coupled when it shares enough institutions of common security, else loosely.

        Adler & Greve (2009), Security community mechanism and repertoire of
        practices (loosely and tightly coupled pluralistic communities):
        cooperative security, military integration, policy coordination and
        shared decision-making mark the tight kind.
        """
        tight = sorted(set(_counted(self, status["row"])) & TIGHT_KINDS)
        coupling = "tight" if len(tight) >= needed else "loose"
        refine_status(self, status, coupling=coupling,
                      because=(f"Coupling {coupling}: {len(tight)} of the {needed} kinds of a tight community "
                               f"({kinds_list(tight)})." if tight else
                               "Coupling loose: none of the kinds of a tight community.",))

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None),
          AS.tally << Tally(row=MATCH.row_key, mechanism=SC),
          Threshold(name="sc_min_kinds", value=MATCH.needed),
          NOT(Status(row=MATCH.row_key, mechanism=SC)), salience=Stratum.SHORTFALL)
    def sc_shortfall(self, row, tally, needed):
        """Say what a row lacks for a community: too few distinct rooted community kinds.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: a single practice does not make a
        mechanism.
        """
        kinds = _counted(self, row["row"])
        self.conclude(Shortfall, (row["row"], SC), row=row["row"], mechanism=SC, ids=tally["ids"],
                      because=(f"{where(row)}: {len(kinds)} of the {needed} SC kinds needed"
                               + (f": {kinds_list(kinds)}." if kinds else "."),))
