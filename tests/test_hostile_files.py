"""Files and batches under attack or bad luck (issue 13): output names a batch keeps for itself, results
written as they come, a dead or stuck worker that costs only its file, no temporary file left behind, and OS
errors (a full disk, a read-only one, a parent that is a file, standard output to /dev/full) as one line."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES

from diagnose import output
from diagnose.batch import output_names
from diagnose.cli import cli
from diagnose.output import write_atomically

SCRIPT = Path(sys.executable).parent / "diagnose"

# A pack whose rules misbehave on purpose, for the region named in the fact file. Each firing is logged (with its
# process id) to the file named by $HOSTILE_LOG, so a test can see how often a file was tried, and where.
HOSTILE_PACK = '''
"""Rules that misbehave on purpose: kill their own process, crash it, or hang, by the region's name."""

import os
import signal
import time

from diagnose._experta import Rule
from diagnose.facttypes import Row

NAME = "hostile"


def _log(what):
    if os.environ.get("HOSTILE_LOG"):
        with open(os.environ["HOSTILE_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{what} {os.getpid()}\\n")


class Hostile:
    @Rule(Row(unit_kind="region", label="boom"))
    def boom(self):
        """The process is killed (SIGKILL). A test rule."""
        _log("boom")
        os.kill(os.getpid(), signal.SIGKILL)

    @Rule(Row(unit_kind="region", label="segfault"))
    def segfault(self):
        """The process crashes (SIGSEGV). A test rule."""
        _log("segfault")
        signal.signal(signal.SIGSEGV, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGSEGV)

    @Rule(Row(unit_kind="region", label="slow"))
    def slow(self):
        """The rule takes a minute. A test rule."""
        _log("slow")
        time.sleep(60)


RULES = (Hostile,)
'''


def fact_file(folder: Path, name: str, region: str) -> Path:
    path = folder / name
    path.write_text(f"schema: 1\nregion: {region}\nstates: {{A: a, B: b}}\n", encoding="utf-8")
    return path


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """The hostile pack, its log, and a folder of inputs: good.yaml (a real example), and boom, segfault, slow."""
    pack = tmp_path / "hostile.py"
    pack.write_text(HOSTILE_PACK, encoding="utf-8")
    log = tmp_path / "hostile.log"
    monkeypatch.setenv("HOSTILE_LOG", str(log))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES[0], folder / "good.yaml")
    for region in ("boom", "segfault", "slow"):
        fact_file(folder, f"{region}.yaml", region)
    return pack, log, folder


def single_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def subprocess_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONFAULTHANDLER": "", **extra}


# 1. Output names the batch keeps for itself are checked before anything is written.

@pytest.mark.parametrize("name, extra, taken", [
    ("summary.yaml", (), "summary.json"),
    ("summary.yaml", ("--force",), "summary.json"),
    ("Summary.yml", (), "summary.json"),
    ("index.yaml", ("--report", "html"), "index.html"),
])
def test_an_input_that_would_be_written_over_a_summary_is_refused_up_front(cli_runner, tmp_path, name, extra, taken):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES[0], folder / name)
    shutil.copy(EXAMPLES[1], folder / "other.yaml")
    out = tmp_path / "out"
    result = cli_runner.invoke(cli, ["batch", str(folder / name), str(folder / "other.yaml"), "--output-dir", str(out),
                                     "--jobs", "1", *extra])
    assert result.exit_code == 2, result.output
    line = single_line(result.stderr)
    assert line.startswith(f"{folder / name}: ") and taken in line and "rename" in line
    assert not out.exists()


def test_two_inputs_never_share_an_output_name_even_on_a_case_insensitive_disk():
    names = output_names(["a/Region.yaml", "b/region.yaml", "c/REGION.yml", "d/région.yaml", "e/re\u0301gion.yaml"],
                         ".json")
    keys = [name.casefold() for name in names.values()]
    assert len(set(keys)) == len(keys), names
    import unicodedata

    assert len({unicodedata.normalize("NFC", key) for key in keys}) == len(keys), names


# 2. Each result is written as soon as it is ready: a batch interrupted part-way keeps what it finished.

def test_an_interrupted_batch_keeps_the_results_it_finished(hostile, tmp_path):
    pack, _, folder = hostile
    out = tmp_path / "out"
    stderr = tmp_path / "stderr"
    with stderr.open("w") as errors:  # a file, not a pipe: a stray worker must not keep the test waiting
        process = subprocess.Popen([str(SCRIPT), "batch", str(folder / "good.yaml"), str(folder / "slow.yaml"),
                                    "--rules", str(pack), "--output-dir", str(out), "--jobs", "2"],
                                   stdout=subprocess.DEVNULL, stderr=errors, env=subprocess_env(),
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not (out / "good.json").exists() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert (out / "good.json").exists(), "good.json was not written while slow.yaml was still running"
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a terminal sends it: to the batch and its workers
        process.wait(timeout=20)  # not the minute that slow.yaml's rule sleeps
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the batch and any worker it left behind
        except ProcessLookupError:
            pass
        process.wait()
    message = stderr.read_text(encoding="utf-8")
    assert process.returncode == 130, message
    assert "Traceback" not in message and "interrupted" in message
    assert json.loads((out / "good.json").read_text(encoding="utf-8"))["mechanisms"]
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]  # no summary of a half batch, no temporary file


# 3. A dead worker (SIGKILL, a crash) costs only its file: tried once more in a fresh process, then reported.

@pytest.mark.parametrize("region, signal_name", [("boom", "SIGKILL"), ("segfault", "SIGSEGV")])
def test_a_dead_worker_costs_only_its_file(cli_runner, hostile, tmp_path, region, signal_name):
    pack, log, folder = hostile
    out = tmp_path / "out"
    paths = [str(folder / "good.yaml"), str(folder / f"{region}.yaml")]
    result = cli_runner.invoke(cli, ["batch", *paths, "--rules", str(pack), "--output-dir", str(out), "--jobs", "2"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert "1 of 2 files diagnosed" in result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith(f"{paths[1]}: "))
    assert signal_name in line and "twice" in line
    attempts = log.read_text(encoding="utf-8").split()
    assert attempts[0::2] == [region, region] and attempts[1] != attempts[3]  # twice, in two processes
    assert json.loads((out / "good.json").read_text(encoding="utf-8"))["mechanisms"]
    assert not (out / f"{region}.json").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(f["file"], f["ok"]) for f in summary["files"]] == [(paths[0], True), (paths[1], False)]
    assert signal_name in summary["files"][1]["errors"][0]


def test_a_dead_worker_costs_only_its_file_with_one_job_too(hostile, tmp_path):
    pack, _, folder = hostile
    out = tmp_path / "out"
    done = subprocess.run([str(SCRIPT), "batch", str(folder / "boom.yaml"), str(folder / "good.yaml"),
                           "--rules", str(pack), "--output-dir", str(out), "--jobs", "1"],
                          capture_output=True, text=True, timeout=120, env=subprocess_env())
    assert done.returncode == 2, done.stderr
    assert "1 of 2 files diagnosed" in done.stderr and "SIGKILL" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good.json", "summary.csv", "summary.json"]


# 4. A file that takes longer than --timeout is reported as failed; the batch goes on.

def test_a_file_over_the_timeout_is_reported_and_the_batch_goes_on(cli_runner, hostile, tmp_path):
    pack, log, folder = hostile
    out = tmp_path / "out"
    paths = [str(folder / "slow.yaml"), str(folder / "good.yaml")]
    started = time.monotonic()
    result = cli_runner.invoke(cli, ["batch", *paths, "--rules", str(pack), "--output-dir", str(out), "--jobs", "1",
                                     "--timeout", "2"])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2, result.output
    assert "1 of 2 files diagnosed" in result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith(f"{paths[0]}: "))
    assert "2 s" in line and "--timeout" in line
    assert log.read_text(encoding="utf-8").split()[0::2] == ["slow"]  # not tried again
    assert sorted(p.name for p in out.iterdir()) == ["good.json", "summary.csv", "summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [f["ok"] for f in summary["files"]] == [False, True]


def test_the_timeout_is_documented(cli_runner):
    result = cli_runner.invoke(cli, ["batch", "--help"])
    assert "--timeout SECONDS" in result.output and "600" in result.output
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert any(line.startswith("| `diagnose batch") and "--timeout" in line for line in readme.splitlines())


@pytest.mark.parametrize("seconds", ["0", "-1", "nan"])
def test_a_timeout_must_be_positive(cli_runner, tmp_path, seconds):
    result = cli_runner.invoke(cli, ["batch", str(EXAMPLES[0]), "--output-dir", str(tmp_path / "out"),
                                     "--timeout", seconds])
    assert result.exit_code == 2 and "Invalid value for '--timeout'" in result.stderr
    assert not (tmp_path / "out").exists()


# 5. Temporary files of write_atomically are cleaned up on every exit path.

@pytest.mark.parametrize("failure", [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch, failure):
    def fail(fd):
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(type(failure)):
        write_atomically(tmp_path / "result.json", b"{}", force=False)
    assert list(tmp_path.iterdir()) == []


KILLED_WRITER = """\
import os, signal, sys
from pathlib import Path
from diagnose.output import write_atomically
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
write_atomically(Path(sys.argv[1]), b"half", force=False)
"""


def test_the_temporary_file_of_a_killed_writer_is_removed_by_the_next_write(tmp_path):
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(tmp_path / "a.json")])
    assert killed.returncode == -signal.SIGKILL
    [left] = tmp_path.iterdir()
    assert left.name.startswith(".a.json.") and left.name.endswith(".tmp")
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    output._cleaned.clear()  # a new process, as far as the stale files of this folder are concerned
    write_atomically(tmp_path / "b.json", b"{}", force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json"]


def test_only_stale_temporary_files_of_our_own_pattern_are_removed(tmp_path):
    an_hour_ago = time.time() - 3600
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    kept = {
        f".a.json.abcdefgh.{os.getpid()}.tmp": an_hour_ago,  # its writer is alive
        f".a.json.abcdefgh.{dead}.tmp": time.time(),  # written just now: perhaps by a process we cannot see
        ".a.json.abcdefgh.tmp": an_hour_ago,  # not our pattern
        f"a.json.abcdefgh.{dead}.tmp": an_hour_ago,  # not hidden: not ours
        "notes.txt": an_hour_ago,
    }
    for name, when in kept.items():
        (tmp_path / name).write_text("x", encoding="utf-8")
        os.utime(tmp_path / name, (when, when))
    (tmp_path / f".a.json.abcdefgh.{dead}.tmp").write_text("x", encoding="utf-8")
    stale = tmp_path / f".b.json.x_1y2z3w.{dead}.tmp"
    stale.write_text("x", encoding="utf-8")
    os.utime(stale, (an_hour_ago, an_hour_ago))
    output._cleaned.clear()
    write_atomically(tmp_path / "c.json", b"{}", force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "c.json"])


def test_a_long_name_still_fits_its_temporary_file(tmp_path):
    target = tmp_path / ("x" * 250 + ".json")
    write_atomically(target, b"{}", force=False)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# 6. OS errors are one line on stderr and exit status 2, never a traceback.

def test_a_full_disk_is_one_line(cli_runner, tmp_path, monkeypatch):
    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    out = tmp_path / "out"
    result = cli_runner.invoke(cli, ["batch", str(EXAMPLES[0]), "--output-dir", str(out), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"{out / (EXAMPLES[0].stem + '.json')}: No space left on device"
    assert list(out.iterdir()) == []


def test_a_read_only_disk_is_one_line(cli_runner, tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    out = tmp_path / "out"
    result = cli_runner.invoke(cli, ["batch", str(EXAMPLES[0]), "--output-dir", str(out), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == \
        f"{out / (EXAMPLES[0].stem + '.json')}: Read-only file system"


@pytest.mark.parametrize("command", ["batch", "report"])
def test_an_output_whose_parent_is_a_file_is_refused_up_front(cli_runner, tmp_path, command):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    if command == "batch":
        arguments = ["batch", str(EXAMPLES[0]), "--output-dir", str(blocker / "out")]
    else:
        arguments = ["report", str(EXAMPLES[0]), "--output", str(blocker / "out" / "brief.html")]
    result = cli_runner.invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert single_line(result.stderr).startswith(f"{blocker}: is a file, not a folder")
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_a_parent_that_becomes_a_file_during_the_write_is_one_line(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError) as caught:
        write_atomically(blocker / "out" / "a.json", b"{}", force=False)
    assert caught.value.filename == str(blocker) and "not a folder" in caught.value.strerror


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["run"], ["run", "--format", "json"], ["validate"]])
def test_standard_output_to_a_full_device_is_one_line(command):
    with open("/dev/full", "w") as full:
        done = subprocess.run([str(SCRIPT), *command[:1], str(EXAMPLES[0]), *command[1:]], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert single_line(done.stderr) == "standard output: No space left on device"


def test_a_closed_pipe_stays_quiet():
    done = subprocess.run(f"'{SCRIPT}' run '{EXAMPLES[0]}' | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}",
                          shell=True, executable="/bin/bash", stderr=subprocess.PIPE, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


# The hostile pack is a pack like any other: loaded by path, diagnoses an ordinary file.

def test_the_hostile_pack_leaves_ordinary_files_alone(hostile):
    pack, log, folder = hostile
    from diagnose import diagnose, load_facts
    from diagnose.packs import rulebase

    rules = rulebase((str(pack),))
    assert diagnose(load_facts(folder / "good.yaml", rules), rules).mechanisms
    assert load_facts(folder / "boom.yaml", rules).region == "boom"
    assert not log.exists()
