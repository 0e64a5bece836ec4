"""hegemony: a worked example of a rule pack for diagnose.

Adds the mechanism `hegemony` (order through hierarchy: a dominant state
provides security and sets the rules; protectorates, informal empire), which
Adler & Greve (2009) keep distinct from security community: in the Western
Hemisphere, calling the whole region a community would confuse the two.

Load it with `diagnose run FILE --rules examples/packs/hegemony`.
"""

from diagnose._experta import AS, MATCH, NOT, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Note, Row, Shortfall, Status, Tally, Threshold
from diagnose.rules.common import conclude_status
from diagnose.thresholds import ThresholdSpec

NAME = "hegemony"
MECHANISMS = ("hegemony",)
KINDS = {
    "protectorate": "hegemony",
    "informal_empire": "hegemony",
    "hegemonic_security_provision": "hegemony",
    "hegemonic_intervention": "hegemony",
}
DEFINITIONS = {  # one line each, shown by `diagnose kinds`
    "protectorate":
        "A dominant state formally takes charge of a weaker one's defence and, in return, directs "
        "its foreign and security policy.",
    "informal_empire":
        "A dominant state steers a weaker one's policies through economic, political or military "
        "leverage, without formal rule.",
    "hegemonic_security_provision":
        "A dominant power guarantees weaker states' security (bases, guarantees, policing) and sets "
        "the rules of that order.",
    "hegemonic_intervention":
        "A dominant power intervenes, by force or political pressure, in a weaker state's affairs to "
        "uphold its order.",
}
THRESHOLDS = (
    ThresholdSpec(
        "hegemony_min_kinds",
        2,
        "Distinct hierarchy practices covering a unit for hegemony to be active: like the other "
        "mechanisms, a constellation rather than one practice.",
        "Adler & Greve (2009), Overlap (Lake's continuum from alliance through protectorate and "
        "informal empire to empire)",
        minimum=1,
    ),
)


class HegemonyRules:
    @Rule(AS.row << Row(row=MATCH.row_key), AS.tally << Tally(row=MATCH.row_key, mechanism="hegemony"),
          Threshold(name="hegemony_min_kinds", value=MATCH.needed),
          TEST(lambda tally, needed: len(tally["kinds"]) >= needed), salience=Stratum.STATUS)
    def hegemony_active(self, row, tally, needed):
        """Hegemony is active: the unit is ordered through hierarchy (protection, informal empire).

        Adler & Greve (2009), Overlap: Lake arranges security relations on a
        continuum of hierarchy, from alliance to protectorate, informal empire
        and empire; a dominant power's provision of order is a mechanism of
        its own, not a community.
        """
        kinds = tally["kinds"]
        conclude_status(self, row, "hegemony", "active", ids=tally["ids"], rules=tally["rules"], deliberate=tally["deliberate"],
                because=(f"{row['label']} is ordered through hierarchy: {len(kinds)} distinct hegemony kinds "
                         f"(at least {needed} needed: {', '.join(kinds)}).",))

    @Rule(AS.row << Row(row=MATCH.row_key, dim=None),
          AS.tally << Tally(row=MATCH.row_key, mechanism="hegemony"),
          Threshold(name="hegemony_min_kinds", value=MATCH.needed),
          NOT(Status(row=MATCH.row_key, mechanism="hegemony")), salience=Stratum.SHORTFALL)
    def hegemony_shortfall(self, row, tally, needed):
        """Say what hegemony lacks: too few hierarchy practices (the core reports the row not evident).

        Adler & Greve (2009), 'Balance of power' and 'security community' as
        mechanisms of security governance: a mechanism is a repertoire, never
        one practice.
        """
        self.conclude(Shortfall, (row["row"], "hegemony"), row=row["row"], mechanism="hegemony", ids=tally["ids"],
                      because=(f"{row['label']}: {len(tally['kinds'])} of the {needed} hegemony kinds needed.",))

    @Rule(AS.hegemony << Status(row=MATCH.row_key, mechanism="hegemony", status="active"),
          AS.community << Status(row=MATCH.row_key, mechanism="security_community", status="active"),
          salience=Stratum.NOTES)
    def hegemony_beside_community(self, hegemony, community):
        """Hegemony and security community are both active: tell them apart before calling it a community.

        Adler & Greve (2009), Notions of spatial variety and overlap: the OAS
        moved from hegemonic toward community-building practices, yet the
        Western Hemisphere as a whole is no community unless hegemony is
        mistaken for one.
        """
        self.conclude(Note, ("unit", hegemony["unit"], hegemony["period"]),
                      ids=(*hegemony["ids"], *community["ids"]), rules=(*hegemony["rules"], *community["rules"]),
                      because=("Hegemony is active here beside the security community: the order rests on a "
                               "dominant power as well as on peaceful expectations.",))


RULES = (HegemonyRules,)
