"""Property-based tests: random valid fact files never crash the diagnosis,
always give schema-valid, fully explained JSON, and give the same JSON
whatever the order of the entries.

The strategy `fact_files` builds a fact file as plain data (what a writer
would put in the YAML), which the tests dump with `yaml.safe_dump` (it quotes
every string that YAML could read as something else, e.g. `NO`), load with
`load_facts` and diagnose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnose import diagnose, load_facts
from diagnose.jsonschema import diagnosis_schema, fact_file_schema
from diagnose.packs import builtin_rulebase
from diagnose.rules.vocabulary import KINDS, MECHANISMS

from conftest import ROOT

jsonschema = pytest.importorskip("jsonschema")

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# State codes: ordinary ones, and `NO` / `ON`, which a YAML 1.1 reader would
# take for booleans (safe_dump quotes them; the loader must keep them codes).
CODES = ["USA", "CAN", "MEX", "GRC", "TUR", "ARG", "BRA", "NO", "ON", "Sg1"]
STATE_NAMES = {code: f"State {code}" for code in CODES}
SUBREGION_NAMES = ["North", "South", "East Coast", "Islands"]
GROUP_NAMES = ["NATO", "ASEAN", "Union of the South"]
PERIOD_IDS = ["early", "middle", "late"]
SECTION_NAMES = ("alliances", "deterrence", "consultation_norms", "unfortified_borders", "wars", "practices",
                 "strategies", "junctures")
SECTORS = ("military", "political", "economic", "societal", "environmental")
LABELS = st.sampled_from(["defence", "foreign", "economy", "terrorism", "minorities"])
TEXTS = st.sampled_from(["Adler & Greve (2009)", "A note.", "Évidence: ünïcode – text"])

DIAGNOSIS_VALIDATOR = jsonschema.Draft202012Validator(diagnosis_schema())
FACT_FILE_VALIDATOR = jsonschema.Draft202012Validator(fact_file_schema())


# -- the strategy ------------------------------------------------------------


@st.composite
def periods(draw) -> list[dict]:
    count = draw(st.integers(0, 3))
    ids = sorted(draw(st.sets(st.sampled_from(PERIOD_IDS), min_size=count, max_size=count)), key=PERIOD_IDS.index)
    with_years = draw(st.booleans())
    out = []
    for i, pid in enumerate(ids):
        period: dict = {"id": pid}
        if with_years:
            period["from"] = 1950 + 20 * i
            if i < len(ids) - 1 or draw(st.booleans()):
                period["to"] = 1950 + 20 * i + 19
        out.append(period)
    return out


@st.composite
def member_lists(draw, names: list[str], states: list[str], taken: set[str]) -> dict:
    """Sub-regions or groups: a few names, each with two or more states."""
    chosen = draw(st.lists(st.sampled_from([n for n in names if n not in taken]), unique=True, max_size=2))
    return {name: draw(st.lists(st.sampled_from(states), min_size=2, max_size=len(states), unique=True))
            for name in chosen}


@st.composite
def fact_files(draw, explicit_ids: bool = False, kinds: tuple[str, ...] = tuple(sorted(KINDS))) -> dict:
    """A random valid fact file, as plain data, with practices of ``kinds``."""
    states = draw(st.lists(st.sampled_from(CODES), min_size=2, max_size=6, unique=True))
    data: dict = {"schema": 1, "region": draw(st.sampled_from(["Testland", "Région d'essai"])),
                  "states": {code: STATE_NAMES[code] for code in states}}
    if draw(st.booleans()):
        data["as_of"] = draw(st.one_of(st.integers(1900, 2030), st.just("today")))
    if draw(st.booleans()):
        data["summary"] = draw(TEXTS)
    period_list = draw(periods())
    if period_list:
        data["periods"] = period_list
    subregions = draw(member_lists(SUBREGION_NAMES, states, set()))
    groups = draw(member_lists(GROUP_NAMES, states, set(subregions)))
    if subregions:
        data["subregions"] = subregions
    if groups:
        data["groups"] = groups
    names = list(subregions) + list(groups)

    state = st.sampled_from(states)
    pair = st.lists(state, min_size=2, max_size=2, unique=True)
    group_of_states = st.lists(state, min_size=2, max_size=len(states), unique=True)
    among = st.one_of(group_of_states, st.sampled_from(names)) if names else group_of_states
    one_or_more = st.one_of(state, st.lists(state, min_size=1, max_size=3, unique=True))

    @st.composite
    def directed(draw) -> dict:
        by = draw(one_or_more)
        by_set = {by} if isinstance(by, str) else set(by)
        others = [s for s in states if s not in by_set] or states
        against = draw(st.one_of(st.sampled_from(others), st.lists(st.sampled_from(others), min_size=1,
                                                                     max_size=3, unique=True)))
        against_set = {against} if isinstance(against, str) else set(against)
        if by_set == against_set and len(by_set) == 1:  # by and against the same single state
            against = [s for s in states if s not in by_set][0]
        return {"by": by, "against": against}

    def actors(forms: tuple[str, ...]):
        options = {"between": pair.map(lambda p: {"between": p}),
                   "among": among.map(lambda a: {"among": a}),
                   "directed": directed()}
        return st.one_of(*(options[f] for f in forms))

    def when() -> st.SearchStrategy[dict]:
        options = [st.just({})]
        if period_list:
            options.append(st.sampled_from([p["id"] for p in period_list]).map(lambda p: {"period": p}))
            if "from" in period_list[0]:
                options.append(st.sampled_from(period_list).flatmap(
                    lambda p: st.integers(p["from"], p.get("to", p["from"] + 30)).map(lambda y: {"year": y})))
            else:  # periods without years contain every year: the first one takes it
                options.append(st.integers(1900, 2030).map(lambda y: {"year": y}))
        else:
            options.append(st.integers(1900, 2030).map(lambda y: {"year": y}))
        return st.one_of(*options)

    @st.composite
    def common(draw) -> dict:
        out = dict(draw(when()))
        for key, value in (("sector", st.sampled_from(SECTORS)), ("agency", LABELS), ("issue", LABELS),
                           ("deliberate", st.booleans()), ("rooted", st.booleans()), ("source", TEXTS),
                           ("note", TEXTS)):
            if draw(st.integers(0, 3)) == 0:
                out[key] = draw(value)
        return out

    @st.composite
    def alliance(draw) -> dict:
        out = {"members": draw(among), "basis": draw(st.sampled_from(["expediency", "collective_identity"]))}
        if draw(st.booleans()):
            out["against"] = draw(st.one_of(st.just([]), one_or_more))
        return {**out, **draw(common())}

    @st.composite
    def deterrence(draw) -> dict:
        return {**draw(actors(("directed", "directed", "between"))), **draw(common())}

    @st.composite
    def consultation(draw) -> dict:
        out = draw(actors(("among", "between")))
        if draw(st.booleans()):
            out["multilateral"] = draw(st.booleans())
        return {**out, **draw(common())}

    @st.composite
    def border(draw) -> dict:
        return {**draw(actors(("among", "between"))), **draw(common())}

    @st.composite
    def sides(draw) -> dict:
        """Two sides of a coalition war: disjoint, non-empty lists of states."""
        fighting = draw(st.lists(state, min_size=2, max_size=len(states), unique=True))
        cut = draw(st.integers(1, len(fighting) - 1))
        return {"sides": [fighting[:cut], fighting[cut:]]}

    @st.composite
    def war(draw) -> dict:
        """Wars name two sides (`among` only of two states); `rooted` is not theirs."""
        two = pair.map(lambda p: {"among": p})
        found = draw(st.one_of(pair.map(lambda p: {"between": p}), two, directed(), sides()))
        return {**found, "level": draw(st.sampled_from(["war", "armed_conflict", "crisis"])),
                **{k: v for k, v in draw(common()).items() if k != "rooted"}}

    @st.composite
    def practice(draw) -> dict:
        kind = draw(st.sampled_from(kinds))
        out = {"kind": kind, **draw(actors(("between", "among", "directed"))), **draw(common())}
        if "among" in out and builtin_rulebase().kinds.get(kind) in builtin_rulebase().mutual_mechanisms \
                and draw(st.booleans()):
            out["mutual"] = draw(st.booleans())
        return out

    @st.composite
    def strategy(draw) -> dict:
        out = {"name": draw(st.sampled_from(["omni-enmeshment", "hedging"])), "by": draw(st.one_of(among, state)),
               "combines": draw(st.lists(st.sampled_from(MECHANISMS), min_size=1, max_size=2, unique=True))}
        out.update(draw(when()))
        if draw(st.booleans()):
            out["note"] = draw(TEXTS)
        if draw(st.booleans()):
            out["overlaps"] = draw(st.lists(st.sampled_from(["temporal", "functional", "spatial", "relational"]),
                                            min_size=1, max_size=2, unique=True))
        scope = draw(st.sampled_from([None, "sector", "agency", "issue"]))
        if scope is not None:
            out[scope] = draw(st.sampled_from(SECTORS) if scope == "sector" else LABELS)
        return out

    @st.composite
    def juncture(draw) -> dict:
        out = {"name": draw(st.sampled_from(["end of the Cold War", "9/11"]))}
        out.update(draw(when()))
        if draw(st.booleans()):
            out["source"] = draw(TEXTS)
        return out

    makers = {"alliances": alliance, "deterrence": deterrence, "consultation_norms": consultation,
              "unfortified_borders": border, "wars": war, "practices": practice, "strategies": strategy,
              "junctures": juncture}
    sizes = {"practices": 10, "strategies": 2, "junctures": 2}
    for section in SECTION_NAMES:
        entries = draw(st.lists(makers[section](), max_size=sizes.get(section, 4)))
        for i, entry in enumerate(entries):
            if explicit_ids or draw(st.integers(0, 3)) == 0:
                entry["id"] = f"{section}_{i}"
        if entries:
            data[section] = entries
    return data


# -- helpers -------------------------------------------------------------------


def run(data: dict):
    """Write ``data`` as YAML, load and diagnose it; return (facts, diagnosis)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        facts = load_facts(path)
        return facts, diagnose(facts)


# -- properties ----------------------------------------------------------------


@SETTINGS
@given(fact_files())
def test_random_valid_file_loads_and_diagnoses(data):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in FACT_FILE_VALIDATOR.iter_errors(data)]
    assert not errors, errors
    facts, result = run(data)
    # the loaded facts are what the file says ...
    assert set(facts.states) == set(data["states"])
    assert [p.id for p in facts.periods] == [p["id"] for p in data.get("periods", [])]
    declared = {f"subregion:{n}": set(m) for n, m in data.get("subregions", {}).items()}
    declared.update({f"group:{n}": set(m) for n, m in data.get("groups", {}).items()})
    assert {u.id: set(u.states) for u in (*facts.subregions, *facts.groups)} == declared
    sections = [s for s in SECTION_NAMES if s not in ("strategies", "junctures")]
    assert len(facts.entries) == sum(len(data.get(s, [])) for s in sections)
    assert (len(facts.strategies), len(facts.junctures)) == (len(data.get("strategies", [])),
                                                             len(data.get("junctures", [])))
    # ... and the diagnosis is of that region, over its periods, with the thresholds in force
    assert (result.region, list(result.periods)) == (data["region"], [p["id"] for p in data.get("periods", [])])
    assert result.thresholds == {name: spec.default for name, spec in builtin_rulebase().thresholds.items()}


@SETTINGS
@given(fact_files())
def test_diagnosis_follows_the_schema_and_every_conclusion_is_explained(data):
    facts, result = run(data)
    document = json.loads(result.to_json())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in DIAGNOSIS_VALIDATOR.iter_errors(document)]
    assert not errors, errors
    assert document["schema"] == 2
    periods = [p["id"] for p in data.get("periods", [])]
    known_ids = {e.id for e in facts.entries} | {s.id for s in facts.strategies} | {j.id for j in facts.junctures}
    declarations = {"states"} | {f"subregions.{n}" for n in data.get("subregions", {})} | \
        {f"groups.{n}" for n in data.get("groups", {})}
    for row in document["mechanisms"]:
        assert row["rules"] and row["facts"] and row["explanation"].strip(), row
        assert row["mechanism"] in MECHANISMS
        assert row["status"] in ("active", "nascent", "decaying", "formal_only", "broken_down", "not_evident")
        assert row["variant"] in ("adversarial", "associational", None)
        assert row["period"] in (periods or [None])
        assert set(row["facts"]) <= known_ids | declarations, row
        assert sum(row[d] is not None for d in ("sector", "agency", "issue")) <= 1, row
        if row["mechanism"] == "security_community":
            assert row["variant"] is None, row
    for row in document["overlaps"]:
        assert row["rules"] and row["facts"] and row["explanation"].strip(), row
        assert row["type"] in ("temporal", "functional", "spatial", "relational")
        assert row["character"] in ("automatic", "manual", "mixed")
        assert sorted(row["mechanisms"]) == ["balance_of_power", "security_community"]
        assert row["period"] in (periods or [None])
        assert set(row["facts"]) <= known_ids | declarations, row
        if row["type"] == "functional":
            assert row["dimension"] in ("sector", "agency", "issue")
            assert set(row["on"]) == set(row["mechanisms"])
    # the region and every declared unit are diagnosed, if only as not_evident
    units = {row["unit"] for row in document["mechanisms"]}
    assert units >= {"region"} | {f"subregion:{n}" for n in data.get("subregions", {})} | \
        {f"group:{n}" for n in data.get("groups", {})}
    # a war or armed conflict between two of a unit's states (across its sides)
    # leaves no row of that unit (in that period) with SC active
    states_of = {u.id: u.states for u in facts.units()}
    for row in document["mechanisms"]:
        if row["mechanism"] == "security_community" and row["status"] == "active":
            wars = [e.id for e in facts.entries if e.level in ("war", "armed_conflict") and row["period"] in e.periods
                    and any(set(p) <= states_of[row["unit"]] for p in e.pairs)]
            assert not wars, (row, wars)
    # facing, phase and coupling only where they apply
    for row in document["mechanisms"]:
        if row["status"] != "active":
            assert row["facing"] is None and row["coupling"] is None and row["variant"] is None, row
            assert row["phase"] in (("nascent",) if row["status"] == "nascent" else (None,)), row


def _shuffled(data: dict, draw) -> dict:
    out = dict(data)
    for section in SECTION_NAMES:
        if section in out:
            out[section] = draw(st.permutations(out[section]))
    return out


@SETTINGS
@given(fact_files(explicit_ids=True), st.data())
def test_entry_order_changes_nothing(data, draws):
    _, first = run(data)
    _, second = run(_shuffled(data, draws.draw))
    assert second.to_json() == first.to_json()


# Rules that add one sentence per entry (the associational variant, the
# soft-balancing indicator) once appended them in the order the entries were
# declared: the shrunk cases of test_entry_order_changes_nothing, kept as
# regression tests.
ORDER_REPROS = {
    "associational": ["great_power_concert", "peace_conference"],
    "soft_balancing": ["soft_balancing", "soft_balancing", "arms_race", "deterrence"],
}


@pytest.mark.parametrize("kinds", list(ORDER_REPROS.values()), ids=list(ORDER_REPROS))
def test_explanation_does_not_depend_on_entry_order(kinds):
    data = {"schema": 1, "region": "R", "states": {"AAA": "A", "BBB": "B"},
            "practices": [{"id": f"p{i}", "kind": kind, "between": ["AAA", "BBB"]} for i, kind in enumerate(kinds)]}
    _, forward = run(data)
    _, backward = run({**data, "practices": data["practices"][::-1]})
    assert backward.to_json() == forward.to_json()


@SETTINGS
@given(fact_files())
def test_to_json_is_deterministic(data):
    facts, result = run(data)
    again = diagnose(facts)
    assert again.to_json() == result.to_json()
    _, reloaded = run(data)
    assert reloaded.to_json() == result.to_json()


def test_the_same_files_give_the_same_bytes_whatever_the_hash_seed():
    """String hashes, so set and dict orders, change between processes: the output must not (spec, section 4)."""
    script = ("import sys\nfrom diagnose import diagnose, load_facts\n"
              "for path in sys.argv[1:]:\n    print(diagnose(load_facts(path)).to_json())\n")
    examples = sorted(str(p) for p in (ROOT / "facts").glob("*.yaml"))
    assert examples
    outputs = {subprocess.run([sys.executable, "-c", script, *examples], cwd=ROOT, capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("0", "1", "2")}
    assert len(outputs) == 1
