"""Indicators: practices that count toward no threshold but are worth naming."""

from diagnose._experta import AS, MATCH, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Evidence, Note, Row

from .vocabulary import INDICATOR


class IndicatorRules:
    @Rule(AS.row << Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=None),
          Evidence(row=MATCH.row_key, mechanism=INDICATOR, kind=MATCH.kind, id=MATCH.id), salience=Stratum.NOTES)
    def note_indicator(self, row, unit, period, kind, id):
        """Name an indicator practice (soft balancing) on every row and overlap of its unit and period.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: soft balancing, arguments among allies inside shared
        institutions, is hard to tell from routine disputes; it fits an
        associational balance or a community and hints at overlap.
        """
        self.conclude(Note, ("unit", unit, period), ids=(id,),
                      because=(f"Indicator of overlap: {kind.replace('_', ' ')} ({id}).",))
