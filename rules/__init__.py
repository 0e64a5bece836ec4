"""The built-in rule base, a rule pack like any other.

Theory from Adler & Greve (2009), "When security community meets balance of
power", Review of International Studies 35: each rule's docstring cites the
section it rests on. The counting of kinds (`evidence.py`) is the `core` pack,
loaded with every rule base.
"""

from .balance_of_power import BalanceOfPowerRules
from .character import CharacterRules
from .definitions import DEFINITIONS
from .functional import FunctionalRules
from .indicators import IndicatorRules
from .relational import RelationalRules
from .security_community import SecurityCommunityRules
from .spatial import SpatialRules
from .temporal import TemporalRules
from .thresholds import THRESHOLDS
from .vocabulary import ALWAYS_MUTUAL_KINDS, KINDS, MECHANISMS, MUTUAL_MECHANISMS, QUALIFIERS, RELATIONS_MECHANISMS, \
    SECTION_KINDS

NAME = "builtin"

RULES = (
    SecurityCommunityRules,
    BalanceOfPowerRules,
    IndicatorRules,
    TemporalRules,
    FunctionalRules,
    SpatialRules,
    RelationalRules,
    CharacterRules,
)

__all__ = ["ALWAYS_MUTUAL_KINDS", "DEFINITIONS", "KINDS", "MECHANISMS", "MUTUAL_MECHANISMS", "NAME", "QUALIFIERS", "RELATIONS_MECHANISMS",
           "RULES", "SECTION_KINDS", "THRESHOLDS"]
