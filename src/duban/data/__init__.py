"""Versioned rule data shipped in the wheel (units, lexicons, patterns, departments) and the
bundled sample report."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE = "qingyang-2023-excerpt.txt"
SAMPLE_GOVERNMENT = "成都市青羊区"
SAMPLE_YEAR = 2023
# who leads the sample's tasks the rules could not place (the district government's office)
SAMPLE_LEAD = "区政府办"


def sample_path() -> Path:
    """The sample report bundled with the package (an excerpt of 成都市青羊区's 2023 report)."""
    return Path(str(resources.files("duban.data").joinpath("sample", SAMPLE)))
