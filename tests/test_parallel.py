"""A large file diagnosed on several processes gives the very same diagnosis."""

from __future__ import annotations

import importlib.util

import yaml
from conftest import ROOT

from diagnose import api, diagnose, load_facts


def generated_world(tmp_path, states: int, periods: int):
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(generate.generate(states, periods, seed=3), sort_keys=False), encoding="utf-8")
    return load_facts(path)


def test_jobs_change_nothing_in_the_diagnosis(tmp_path):
    facts = generated_world(tmp_path, 40, 5)
    dyads = [u for u in facts.units() if u.kind == "dyad"]
    assert len(dyads) * len(facts.period_ids) >= api.PARALLEL_FROM  # the forked path is taken
    assert diagnose(facts, jobs=2).to_json() == diagnose(facts, jobs=1).to_json()


def test_run_jobs_option_gives_the_same_bytes(cli_runner, tmp_path):
    from diagnose.cli import cli

    facts = generated_world(tmp_path, 40, 5)
    one = cli_runner.invoke(cli, ["run", facts.path, "--format", "json", "--jobs", "1"])
    two = cli_runner.invoke(cli, ["run", facts.path, "--format", "json", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
