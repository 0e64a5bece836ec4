"""The engine's shortcuts around experta keep experta's behaviour for facts they do not fit."""

from __future__ import annotations

import pytest

from diagnose._experta import W
from diagnose.api import _engines
from diagnose.facttypes import Note
from diagnose.packs import rulebase


@pytest.fixture
def engine():
    engine = _engines(rulebase(()))["mechanisms"]
    engine.reset()
    yield engine
    engine.reset()


def _note(**extra) -> Note:
    return Note(key=("unit", "region", None), ids=(), rules=(), because=("a remark",), **extra)


@pytest.mark.parametrize("running", [False, True])
def test_a_project_fact_holding_a_pattern_is_refused_as_experta_refuses_it(engine, running):
    engine.running = running
    with pytest.raises(TypeError, match="conditional elements"):
        engine.declare(Note(key=("unit", "region", None), ids=W(), rules=(), because=()))


def test_special_keys_are_left_out_of_a_facts_identity_as_experta_does(engine):
    first = engine.declare(_note(__tag__=1))
    assert first is not None
    assert engine.declare(_note(__tag__=2)) is None  # the same fact but for a special key: dropped
    assert engine.declare(_note()) is None


def test_a_plain_fact_is_declared_once(engine):
    assert engine.declare(_note()) is not None
    assert engine.declare(_note()) is None
