"""Counting practices: the constellation, never a single practice.

Adler & Greve (2009), "'Balance of power' and 'security community' as
mechanisms of security governance": what identifies a mechanism is the
repertoire (constellation) of practices, so each row counts the *distinct*
kinds of practice behind each mechanism before any threshold is applied.

Every mechanism, a pack's included, is counted this way, so these rules form
the `core` pack, loaded even with --no-builtin-rules.
"""

from diagnose._experta import AS, MATCH, NOT, TEST, Rule
from diagnose.engine import Stratum, merged
from diagnose.facttypes import Evidence, MechanismDecl, RivalDyad, Rivalries, Row, Tally


class EvidenceRules:
    @Rule(Row(row=MATCH.row_key), MechanismDecl(name=MATCH.mechanism),
          NOT(Tally(row=MATCH.row_key, mechanism=MATCH.mechanism)), salience=Stratum.STRUCTURE)
    def open_tally(self, row_key, mechanism):
        """Start an empty count of kinds for each mechanism of a row.

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: every mechanism is judged on its
        own repertoire, so each gets its own count.
        """
        self.declare(Tally(row=row_key, mechanism=mechanism, kinds=(), rooted_kinds=(), unrooted_kinds=(),
                           ids=(), deliberate=(), counted=(), rules=()))

    @Rule(AS.tally << Tally(row=MATCH.row_key, mechanism=MATCH.mechanism, counted=MATCH.counted),
          Evidence(row=MATCH.row_key, mechanism=MATCH.mechanism, kind=MATCH.kind, id=MATCH.id,
                   rooted=MATCH.rooted, deliberate=MATCH.deliberate),
          TEST(lambda id, kind, counted: (id, kind) not in counted), salience=Stratum.KINDS)
    def count_kinds(self, tally, kind, id, rooted, deliberate):
        """Add one entry's kind to its row's count: the kind, whether rooted, whether deliberate.

        An entry may carry two kinds (consultation norms with multilateral
        decision-making): each is counted.

        Adler & Greve (2009), Notions of functional variety and overlap: practices
        imported but not institutionalised (the Oslo multilaterals) do not carry
        a mechanism; a kind counts as rooted only if one of its entries is.
        """
        self.modify(
            tally,
            kinds=merged(tally["kinds"], (kind,), sort=True),
            rooted_kinds=merged(tally["rooted_kinds"], (kind,) if rooted else (), sort=True),
            unrooted_kinds=merged(tally["unrooted_kinds"], () if rooted else (kind,), sort=True),
            ids=merged(tally["ids"], (id,), sort=True),
            deliberate=merged(tally["deliberate"], (id,) if deliberate else (), sort=True),
            counted=(*tally["counted"], (id, kind)),
            rules=("count_kinds",),
        )

    @Rule(RivalDyad(row=MATCH.row_key), NOT(Rivalries(row=MATCH.row_key)), salience=Stratum.STRUCTURE)
    def open_rivalries(self, row_key):
        """Start the set of a larger unit's states that are caught in rival dyads.

        Adler & Greve (2009), Notions of relational variety and overlap.
        """
        self.declare(Rivalries(row=row_key, states=(), ids=(), rules=()))

    @Rule(AS.rivalries << Rivalries(row=MATCH.row_key, ids=MATCH.counted),
          AS.dyad << RivalDyad(row=MATCH.row_key, ids=MATCH.dyad_ids),
          TEST(lambda dyad_ids, counted: not set(dyad_ids) <= set(counted)), salience=Stratum.KINDS)
    def count_rival_dyads(self, rivalries, dyad):
        """Add the states of a rival dyad (BoP active between its two states) to the unit's count.

        Adler & Greve (2009), Notions of relational variety and overlap: a dyad's
        balance of power is a relation of its own, which may or may not extend
        to the unit around it.
        """
        self.modify(
            rivalries,
            states=merged(rivalries["states"], dyad["states"], sort=True),
            ids=merged(rivalries["ids"], dyad["ids"], sort=True),
            rules=merged(rivalries["rules"], (*dyad["rules"], "count_rival_dyads")),
        )


NAME = "core"
RULES = (EvidenceRules,)
