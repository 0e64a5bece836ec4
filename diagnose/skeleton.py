"""The files `diagnose rules new NAME` writes: a pack that passes its own test as written."""

from __future__ import annotations

PACK = '''"""{name}: a rule pack for diagnose.

It adds the mechanism `{name}`, diagnosed from one practice kind,
`{name}_practice`. Replace both with your own theory, cite your source in
every rule's docstring, and run `pytest {name}`.
"""

from diagnose._experta import AS, MATCH, TEST, Rule
from diagnose.engine import Stratum
from diagnose.facttypes import Row, Tally
from diagnose.rules.common import conclude_status

NAME = "{name}"
MECHANISMS = ("{name}",)
KINDS = {{"{name}_practice": "{name}"}}
DEFINITIONS = {{"{name}_practice": "Say in one line what to look for before recording this practice."}}


class {cls}Rules:
    @Rule(AS.row << Row(row=MATCH.row_key, dim=None), AS.tally << Tally(row=MATCH.row_key, mechanism="{name}"),
          TEST(lambda tally: len(tally["kinds"]) >= 1), salience=Stratum.STATUS)
    def {name}_active(self, row, tally):
        """{cls} is active: the unit's states share a {name} practice.

        Author (2024), Section heading: say here, in your own words, why this
        practice makes the mechanism work.
        """
        conclude_status(
            self, row, "{name}", "active", ids=tally["ids"], rules=tally["rules"], deliberate=tally["deliberate"],
            because=(f"{{row['label']}} shares a {name} practice ({{', '.join(tally['ids'])}}).",))


RULES = ({cls}Rules,)
'''

FACTS = '''schema: 1
region: Example region
states:
  AAA: State A
  BBB: State B
practices:
  - id: example
    kind: {name}_practice
    among: [AAA, BBB]
    source: Where the evidence comes from.
'''

TEST = '''from pathlib import Path

from diagnose.testing import assert_concludes, assert_not_concludes, run

HERE = Path(__file__).parent


def test_{name}_active_on_the_example():
    result = run(HERE / "facts" / "example.yaml", packs=[HERE])
    row = assert_concludes(result, mechanism="{name}", unit="region", status="active")
    assert "example" in row.facts


def test_{name}_needs_its_practice():
    result = run(
        """
        schema: 1
        region: Empty
        states: {{AAA: State A, BBB: State B}}
        """,
        packs=[HERE],
    )
    assert_not_concludes(result, mechanism="{name}", status="active")
'''
