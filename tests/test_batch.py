"""`diagnose batch`: many files, a bad one among them, the same output whatever --jobs."""

from __future__ import annotations

import csv
import json
import shutil

from conftest import EXAMPLES

from diagnose.cli import cli


def make_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, folder / example.name)
    (folder / "broken.yaml").write_text("schema: 1\nregion: Nowhere\nstates: {AAA: A}\npractises: []\n",
                                        encoding="utf-8")
    return sorted(str(p) for p in folder.glob("*.yaml"))


def run_batch(cli_runner, paths, out, *extra):
    return cli_runner.invoke(cli, ["batch", *paths, "--output-dir", str(out), *extra])


def test_batch_writes_every_good_file_and_reports_the_bad_one(cli_runner, tmp_path):
    paths = make_inputs(tmp_path)
    result = run_batch(cli_runner, paths, tmp_path / "out", "--jobs", "2")
    assert result.exit_code == 2
    broken = next(p for p in paths if p.endswith("broken.yaml"))
    assert f"{broken}:4: practises: unknown key in the fact file (did you mean 'practices'?)" in result.stderr
    assert f"{len(paths) - 1} of {len(paths)} files diagnosed" in result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted([f"{e.stem}.json" for e in EXAMPLES] + ["summary.csv", "summary.json"])
    for example in EXAMPLES:
        assert json.loads((tmp_path / "out" / f"{example.stem}.json").read_text())["mechanisms"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert [f["ok"] for f in summary["files"]].count(False) == 1
    rows = list(csv.DictReader((tmp_path / "out" / "summary.csv").open()))
    assert {row["region"] for row in rows} >= {"Western Hemisphere"}
    assert any((row["conclusion"], row["type"], row["unit"], row["character"])
               == ("overlap", "spatial", "subregion:North America subregion:Andes", "automatic") for row in rows)


def test_jobs_do_not_change_the_output(cli_runner, tmp_path):
    paths = make_inputs(tmp_path)
    run_batch(cli_runner, paths, tmp_path / "one", "--jobs", "1")
    run_batch(cli_runner, paths, tmp_path / "two", "--jobs", "2")
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two


def test_batch_refuses_to_overwrite_without_force(cli_runner, tmp_path):
    paths = [p for p in make_inputs(tmp_path) if not p.endswith("broken.yaml")][:1]
    out = tmp_path / "out"
    assert run_batch(cli_runner, paths, out).exit_code == 0
    again = run_batch(cli_runner, paths, out)
    assert again.exit_code == 2
    assert again.stderr.strip().endswith("already exists; use --force to overwrite it")
    assert run_batch(cli_runner, paths, out, "--force").exit_code == 0


def test_same_names_in_two_folders_do_not_collide(cli_runner, tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(EXAMPLES[0], tmp_path / sub / "region.yaml")
    result = run_batch(cli_runner, [str(tmp_path / "a" / "region.yaml"), str(tmp_path / "b" / "region.yaml")],
                       tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert {"region.json", "region-2.json"} <= {p.name for p in (tmp_path / "out").iterdir()}


def test_batch_writes_a_brief_per_file_and_an_index(cli_runner, tmp_path):
    paths = make_inputs(tmp_path)
    out = tmp_path / "out"
    result = run_batch(cli_runner, paths, out, "--jobs", "2", "--report", "html")
    assert result.exit_code == 2  # the broken file
    index = (out / "index.html").read_text(encoding="utf-8")
    for example in EXAMPLES:
        brief = out / f"{example.stem}.html"
        assert brief.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
        assert f'href="{example.stem}.html"' in index and f'href="{example.stem}.json"' in index
    assert "refused:" in index and "practises: unknown key" in index
