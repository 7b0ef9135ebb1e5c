"""analyze: the questions analysts ask of the store — timelines, protocol rank, networks,
comparisons of reports, absences, title histories — each a function taking a Store.

    from readout.analyze.timeline import timeline
    timeline(store, "Choe Son-hui")     # any spelling the resolver knows

Every analysis returns plain data (dicts and lists; the network a networkx.Graph), so the CLI,
the API and the web pages show the same numbers for the same question.
"""
from __future__ import annotations

from readout.domain import load_yaml
from readout.errors import ReadoutError


class AnalysisError(ReadoutError):
    """A question the store cannot answer as asked: an unknown person or document, a bad path."""


def settings(section: str) -> dict:
    """One section of data/analysis.yaml (thresholds such as the absence factor)."""
    return load_yaml("analysis.yaml")[section]
