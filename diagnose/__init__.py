"""diagnose: an expert system for overlapping mechanisms of regional security governance.

    >>> from diagnose import load_facts, diagnose
    >>> result = diagnose(load_facts("facts/western_hemisphere.yaml"))
    >>> print(result.to_json())
"""

from .api import diagnose
from .decisive import decisive_facts
from .diagnosis import Diagnosis, MechanismRow, OverlapRow
from .errors import DiagnoseError, FactFileError
from .load import load_facts
from .model import FactBase

__version__ = "0.1.0"  # pyproject.toml reads it from here

__all__ = ["Diagnosis", "DiagnoseError", "FactBase", "FactFileError", "MechanismRow", "OverlapRow", "decisive_facts",
           "diagnose", "load_facts", "__version__"]
