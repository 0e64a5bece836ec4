"""From the root of a source checkout, the command line and the README's snippet
work whether the package is installed or not: `diagnose.rules` and
`diagnose.reports` are the top-level `rules/` and `reports/` folders.

Each check runs in a fresh Python whose current folder is the root (so the
`diagnose/` folder there is the package imported), once as it is and once with
an installed copy's import hooks removed, as on a machine where the package
was never installed (an editable install would otherwise supply the two
subpackages itself).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

# Drop the import hooks of an editable install (setuptools names their modules
# `__editable__...`), then run the rest of the command line as `python -m MODULE
# ...` or `python -c CODE ...` would, from the current folder.
NOT_INSTALLED = (
    "import runpy, sys\n"
    "sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, '__module__', '').startswith('__editable__')]\n"
    "sys.path_hooks[:] = [h for h in sys.path_hooks if '__editable__' not in getattr(h, '__module__', '')]\n"
    "sys.path_importer_cache.clear()\n"
    "flag, what = sys.argv.pop(1), sys.argv.pop(1)\n"
    "if flag == '-m':\n"
    "    runpy.run_module(what, run_name='__main__', alter_sys=True)\n"
    "else:\n"
    "    exec(compile(what, '<string>', 'exec'), {'__name__': '__main__'})\n"
)

README_SNIPPET = ("from diagnose import load_facts, diagnose\n"
                  "result = diagnose(load_facts('facts/greece_turkey.yaml'))\n"
                  "import diagnose.rules, diagnose.reports\n"
                  "print(result.region, diagnose.rules.__file__, diagnose.reports.__file__, sep='|')\n")

COMMANDS = {
    "run": ["-m", "diagnose", "run", "facts/western_hemisphere.yaml"],
    "report": ["-m", "diagnose", "report", "facts/western_hemisphere.yaml", "--format", "markdown"],
    "readme snippet": ["-c", README_SNIPPET],
}


def _python(args: list[str], installed: bool, cwd=ROOT) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` in ``cwd``; with the installed copy's hooks removed unless ``installed``."""
    command = [sys.executable, *args] if installed else [sys.executable, "-c", NOT_INSTALLED, *args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("installed", [True, False], ids=["as-installed", "not-installed"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_works_from_the_root_of_the_checkout(name, installed):
    done = _python(COMMANDS[name], installed)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip()
    if name == "readme snippet":
        region, rules, reports = done.stdout.strip().split("|")
        assert region == "Eastern Mediterranean and NATO"
        assert rules == str(ROOT / "rules" / "__init__.py")
        assert reports == str(ROOT / "reports" / "__init__.py")


PROBE = ("import sys, diagnose, diagnose.rules, diagnose.reports\n"
         "finders = sum(type(f).__name__ == 'SourceCheckoutFinder' for f in sys.meta_path)\n"
         "print(finders, diagnose.rules.__file__, diagnose.reports.__file__, sep='|')\n")


def test_an_installed_layout_uses_its_own_subpackages(tmp_path):
    """Where `rules/` and `reports/` are inside the package (as installed), nothing is redirected."""
    site = tmp_path / "site-packages"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "diagnose", site / "diagnose", ignore=ignore)
    for name in ("rules", "reports"):
        shutil.copytree(ROOT / name, site / "diagnose" / name, ignore=ignore)
    done = _python(["-c", PROBE], installed=False, cwd=site)
    assert done.returncode == 0, done.stderr[-3000:]
    finders, rules, reports = done.stdout.strip().split("|")
    assert finders == "0"
    assert (rules, reports) == (str(site / "diagnose" / "rules" / "__init__.py"),
                                str(site / "diagnose" / "reports" / "__init__.py"))


def test_the_checkout_finder_is_installed_once():
    done = _python(["-c", "import importlib, diagnose; importlib.reload(diagnose)\n" + PROBE], installed=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("|")[0] == "1"
