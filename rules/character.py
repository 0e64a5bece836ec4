"""Character of an overlap: automatic, manual or mixed."""

from diagnose._experta import AS, MATCH, NOT, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Character, Covered, Includes, JunctureAt, Note, Overlap, StrategyAt


def _in_scope(overlap, strategy) -> bool:
    """Whether the overlap's type and slice are among those the strategy names (all, where it names none)."""
    if strategy["overlaps"] and overlap["type"] not in strategy["overlaps"]:
        return False
    if strategy["dim"] is None:
        return True
    return overlap["type"] == "functional" and overlap["dimension"] == strategy["dim"] and \
        strategy["value"] in dict(overlap["on"]).values()


class CharacterRules:
    stage = "overlaps"

    @Rule(AS.overlap << Overlap(key=MATCH.key, period=MATCH.period, cover_a=MATCH.a, cover_b=MATCH.b,
                                mechanisms=MATCH.mechanisms),
          AS.strategy << StrategyAt(strategy=MATCH.strategy_id, period=MATCH.period),
          Includes(strategy=MATCH.strategy_id, unit=MATCH.a),
          Includes(strategy=MATCH.strategy_id, unit=MATCH.b),
          TEST(lambda overlap, strategy: _in_scope(overlap, strategy)),
          salience=Stratum.COVERAGE)
    def strategy_covers_overlap(self, key, mechanisms, overlap, strategy):
        """A strategy pursued by the overlap's states, in its period and within its scope, covers the overlap.

        Adler & Greve (2009), 'Automatic' versus 'manual' overlap: overlap can
        be a chosen strategy, not only a by-product; a strategy aimed at one
        type of overlap, or at one sector, agency or issue, shapes only that.
        """
        combines = strategy["combines"]
        both = set(mechanisms) <= set(combines)
        scope = f" on the {strategy['dim']} {strategy['value']}" if strategy["dim"] else ""
        self.conclude(
            Covered, (key, strategy["strategy"]), overlap=key, strategy=strategy["strategy"], combines_both=both,
            ids=(strategy["strategy"],),
            because=(f"The strategy '{strategy['name']}' ({strategy['strategy']}) is pursued by these states"
                     f"{scope} and combines {' and '.join(c.replace('_', ' ') for c in combines)}.",))

    @Rule(Overlap(key=MATCH.key), AS.covered << Covered(overlap=MATCH.key, combines_both=True),
          salience=Stratum.CHARACTER)
    def character_manual(self, key, covered):
        """Manual overlap: the states deliberately combine both mechanisms as a strategy.

        Adler & Greve (2009), 'Automatic' versus 'manual' overlap: Southeast
        Asia's omni-enmeshment draws all major powers into regional
        institutions so that their balancing happens inside norms.
        """
        self.conclude(Character, key, character="manual", ids=covered["ids"], rules=covered["rules"],
                      because=(*covered["because"], "The overlap is manual: a deliberate strategy."))

    @Rule(Overlap(key=MATCH.key, deliberate=()), NOT(Covered(overlap=MATCH.key)),
          salience=Stratum.CHARACTER_DEFAULT)
    def character_automatic(self, key):
        """Automatic overlap: no contributing practice is deliberate and no strategy covers it.

        Adler & Greve (2009), 'Automatic' versus 'manual' overlap: like Claude's
        automatic balance, overlap can arise without anyone willing it, from
        the sediment of practices and habit.
        """
        self.conclude(Character, key, character="automatic",
                      because=("The overlap is automatic: no contributing practice is deliberate and no "
                               "strategy of these states covers it.",))

    @Rule(AS.overlap << Overlap(key=MATCH.key), NOT(Character(key=MATCH.key)), salience=Stratum.CHARACTER_LAST)
    def character_mixed(self, key, overlap):
        """Mixed overlap: deliberate practices or strategies contribute, but none combines both mechanisms.

        Adler & Greve (2009), 'Automatic' versus 'manual' overlap: most cases
        mix habit and design.
        """
        deliberate = overlap["deliberate"]
        reason = (f"deliberate practices contribute ({', '.join(deliberate)})" if deliberate
                  else "a strategy covers it without combining both mechanisms")
        self.conclude(Character, key, character="mixed", ids=deliberate,
                      because=(f"The overlap is mixed: {reason}, but no covering strategy combines both "
                               f"mechanisms.",))

    @Rule(Overlap(key=MATCH.key, period=MATCH.period), JunctureAt(period=MATCH.period, id=MATCH.id, name=MATCH.name),
          salience=Stratum.NOTES)
    def juncture_favours_manual(self, key, id, name):
        """A critical juncture in the overlap's period makes its manual side more likely.

        Adler & Greve (2009), 'Automatic' versus 'manual' overlap: after major
        wars or shocks, strategy is reviewed and design gains on habit.
        """
        self.conclude(Note, ("overlap", key), ids=(id,),
                      because=(f"The critical juncture '{name}' ({id}) in this period favours the manual side.",))
