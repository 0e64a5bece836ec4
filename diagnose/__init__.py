"""diagnose: an expert system for overlapping mechanisms of regional security governance.

    >>> from diagnose import load_facts, diagnose
    >>> result = diagnose(load_facts("facts/western_hemisphere.yaml"))
    >>> print(result.to_json())
"""


def _from_a_source_checkout() -> None:
    """Make `diagnose.rules` and `diagnose.reports` importable from a source checkout.

    The rule base (`rules/`) and the report templates (`reports/`) sit at the
    top of the checkout, beside this package; pyproject.toml installs them
    inside it (package-dir). Imported from a checkout (from its root, installed
    or not: the folder `diagnose/` there shadows an installed copy), the two
    subpackages resolve to those folders. An installed copy has them inside:
    then nothing is done.
    """
    import importlib.abc
    import importlib.util
    import sys
    from pathlib import Path

    package = Path(__file__).resolve().parent
    root = package.parent
    if not (root / "pyproject.toml").is_file():
        return
    folders = {f"{__name__}.{name}": root / name for name in ("rules", "reports")
               if (root / name / "__init__.py").is_file() and not (package / name).exists()}
    if not folders:
        return

    class SourceCheckoutFinder(importlib.abc.MetaPathFinder):
        """Finds `diagnose.rules` and `diagnose.reports` (and so their modules) in the checkout's folders."""

        def find_spec(self, fullname, path=None, target=None):
            folder = folders.get(fullname)
            if folder is None:
                return None
            return importlib.util.spec_from_file_location(fullname, folder / "__init__.py",
                                                          submodule_search_locations=[str(folder)])

    if not any(type(finder).__name__ == SourceCheckoutFinder.__name__ for finder in sys.meta_path):
        sys.meta_path.insert(0, SourceCheckoutFinder())  # first: the folders beside the package imported


_from_a_source_checkout()

from .api import diagnose  # noqa: E402  (the subpackages must resolve before the modules that use them load)
from .decisive import decisive_facts  # noqa: E402
from .diagnosis import Diagnosis, MechanismRow, OverlapRow  # noqa: E402
from .errors import DiagnoseError, FactFileError  # noqa: E402
from .load import load_facts  # noqa: E402
from .model import FactBase  # noqa: E402

__version__ = "0.1.0"  # pyproject.toml reads it from here

__all__ = ["Diagnosis", "DiagnoseError", "FactBase", "FactFileError", "MechanismRow", "OverlapRow", "decisive_facts",
           "diagnose", "load_facts", "__version__"]
