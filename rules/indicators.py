"""Indicators: practices that count toward no threshold but are worth naming."""

from diagnose._experta import AS, MATCH, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Evidence, Note, Row

from .vocabulary import INDICATOR


class IndicatorRules:
    @Rule(Row(row=MATCH.row_key, unit=MATCH.unit, period=MATCH.period, dim=None),
          AS.evidence << Evidence(row=MATCH.row_key, covers=True, mechanisms=MATCH.mechanisms),
          TEST(lambda mechanisms: INDICATOR in mechanisms), salience=Stratum.NOTES)
    def note_indicator(self, evidence, unit, period, mechanisms):
        """Name an indicator practice (soft balancing) on every row and overlap of its unit and period.

        Adler & Greve (2009), Balance of power mechanism and repertoire of
        practices: soft balancing, arguments among allies inside shared
        institutions, is hard to tell from routine disputes; it fits an
        associational balance or a community and hints at overlap.
        """
        for kind, mechanism in zip(evidence["kinds"], mechanisms):
            if mechanism == INDICATOR:
                self.conclude(Note, ("unit", unit, period), ids=(evidence["id"],),
                              because=(f"Indicator of overlap: {kind.replace('_', ' ')} ({evidence['id']}).",))
