"""Shared fixtures: a CLI runner, and a way to diagnose a YAML string."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from diagnose import Diagnosis, diagnose, load_facts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "facts").glob("*.yaml"))
BAD_FACTS = Path(__file__).resolve().parent / "facts"


@pytest.fixture(scope="session")
def cli_runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write_facts(tmp_path):
    """Write a (dedented) YAML string to a file and return its path."""

    def write(text: str, name: str = "facts.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def diagnose_yaml(write_facts):
    """Load and diagnose a YAML string."""

    def run(text: str) -> Diagnosis:
        return diagnose(load_facts(write_facts(text)))

    return run
