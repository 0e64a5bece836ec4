"""The core pack: counting what covers a row, and saying so where nothing was concluded.

Adler & Greve (2009), "'Balance of power' and 'security community' as
mechanisms of security governance": what identifies a mechanism is the
repertoire (constellation) of practices, so each row counts the *distinct*
kinds of practice behind each mechanism, among the entries whose states
include every state of the unit, before any threshold is applied.

Every mechanism decided in the `mechanisms` stage, a pack's included, is
counted this way (a mechanism decided among the relations counts what it
needs itself), and every mechanism is reported `not_evident` where no rule
concluded anything, so these rules form the `core` pack, loaded even with
--no-builtin-rules.
"""

from diagnose._experta import AS, MATCH, NOT, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Evidence, MechanismDecl, Row, Shortfall, Status, Tally

from .common import conclude_status, count, kinds_list, open_tally, where


def _count_each_mechanism(engine, evidence, row_key, mechanisms):
    for mechanism in dict.fromkeys(mechanisms):
        count(engine, row_key, mechanism, evidence, [k for k, m in zip(evidence["kinds"], mechanisms) if m == mechanism])


class EvidenceRules:
    @Rule(Row(row=MATCH.row_key, dim=None), MechanismDecl(name=MATCH.mechanism, stage="mechanisms"),
          salience=Stratum.STRUCTURE)
    def open_tally(self, row_key, mechanism):
        """Start an empty count of kinds for each mechanism of a unit's row of all practices.

        A slice row's count starts with the first kind counted there: only the
        row of all practices must say what is missing.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: every mechanism is judged on its
        own repertoire, so each gets its own count.
        """
        open_tally(self, row_key, mechanism)

    @Rule(AS.evidence << Evidence(row=MATCH.row_key, covers=True, mechanisms=MATCH.mechanisms),
          TEST(lambda mechanisms: len(mechanisms) > 0), salience=Stratum.KINDS)
    def count_kinds(self, evidence, row_key, mechanisms):
        """Add an entry that covers the row's unit to the count of each mechanism its kinds belong to.

        An entry may carry two kinds (consultation norms with multilateral
        decision-making): each is counted. Adler & Greve (2009), Notions of
        functional variety and overlap: practices imported but not
        institutionalised (the Oslo multilaterals) do not carry a mechanism;
        the count keeps rooted and unrooted kinds apart.
        """
        _count_each_mechanism(self, evidence, row_key, mechanisms)

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None, declared=MATCH.declared),
          MechanismDecl(name=MATCH.mechanism),
          AS.shortfall << Shortfall(row=MATCH.row_key, mechanism=MATCH.mechanism),
          TEST(lambda declared, shortfall: declared is not None or len(shortfall["ids"]) > 0),
          NOT(Status(row=MATCH.row_key, mechanism=MATCH.mechanism)), salience=Stratum.NOT_EVIDENT)
    def not_evident(self, row, mechanism, shortfall, declared):
        """The mechanism is not evident in the row, for the reason its rules give.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: one practice is not a repertoire;
        we report what is missing instead of guessing. Reported on a unit's
        row of all practices, for the region, every declared group and
        sub-region, and any other unit with some evidence; names the
        declaration.
        """
        conclude_status(self, row, mechanism, "not_evident", ids=(*shortfall["ids"], *((declared,) if declared else ())),
                        rules=shortfall["rules"], because=shortfall["because"])

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None, declared=MATCH.declared),
          MechanismDecl(name=MATCH.mechanism, stage="mechanisms"),
          AS.tally << Tally(row=MATCH.row_key, mechanism=MATCH.mechanism),
          TEST(lambda declared, tally: declared is not None or len(tally["kinds"]) > 0),
          NOT(Shortfall(row=MATCH.row_key, mechanism=MATCH.mechanism)),
          NOT(Status(row=MATCH.row_key, mechanism=MATCH.mechanism)), salience=Stratum.NOT_EVIDENT)
    def not_evident_unexplained(self, row, mechanism, tally, declared):
        """The mechanism is not evident, and no rule says why: name what the row's covering entries show.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance.
        """
        kinds = tally["kinds"]
        conclude_status(self, row, mechanism, "not_evident", ids=(*tally["ids"], *((declared,) if declared else ())),
                        rules=tally["rules"],
                        because=(f"{where(row)}: no rule concludes {mechanism.replace('_', ' ')} from its "
                                 f"practices ({len(kinds)} kinds: {kinds_list(kinds)}).",))


class ReleaseRules:
    """Declare what the counting rules gathered for a row, once it is all counted (both first stages)."""

    @Rule(Row(row=MATCH.row_key), salience=Stratum.GATHERED)
    def release_counts(self, row_key):
        """Declare the row's counts once every piece of its evidence is counted.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: thresholds apply to the whole
        repertoire, so they are read only once it is complete.
        """
        self.release(row_key)


class RelationReleaseRules:
    """The same, in the relations stage."""

    stage = "relations"

    @Rule(Row(row=MATCH.row_key), salience=Stratum.GATHERED)
    def release_relation_counts(self, row_key):
        """Declare the row's counts (and rivalries) once every piece of its evidence is counted.

        Adler & Greve (2009), Notions of relational variety and overlap: the
        rival dyads inside a unit are weighed together.
        """
        self.release(row_key)


NAME = "core"
RULES = (EvidenceRules, ReleaseRules, RelationReleaseRules)
