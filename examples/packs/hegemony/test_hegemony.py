"""Tests of the hegemony example pack (they run in CI with the project's tests)."""

from pathlib import Path

import pytest

from diagnose.errors import DiagnoseError
from diagnose.testing import assert_concludes, assert_not_concludes, run

HERE = Path(__file__).parent
FACTS = HERE / "facts" / "western_hemisphere_hegemony.yaml"


def test_hegemony_is_active_where_hierarchy_practices_cover_the_unit():
    result = run(FACTS, packs=[HERE])
    row = assert_concludes(result, mechanism="hegemony", unit="subregion:Central America and Caribbean",
                           status="active")
    assert set(row.facts) >= {"us_informal_empire", "us_interventions"}
    assert_concludes(result, mechanism="hegemony", unit="subregion:North America", status="active")


def test_one_hierarchy_practice_is_not_hegemony():
    result = run(FACTS, packs=[HERE])
    assert_concludes(result, mechanism="hegemony", unit="group:OAS", status="not_evident")


def test_hegemony_beside_community_is_named_in_the_explanation():
    result = run(FACTS, packs=[HERE])
    community = assert_concludes(result, mechanism="security_community", unit="subregion:North America",
                                 status="active")
    assert "Hegemony is active here beside the security community" in community.explanation
    assert "hegemony_beside_community" in community.rules


def test_threshold_of_the_pack_can_be_raised():
    result = run(FACTS, packs=[HERE], thresholds={"hegemony_min_kinds": 4})
    assert_not_concludes(result, mechanism="hegemony", status="active")


def test_without_the_pack_its_kinds_are_unknown():
    with pytest.raises(DiagnoseError, match="unknown kind 'informal_empire'"):
        run(FACTS)
