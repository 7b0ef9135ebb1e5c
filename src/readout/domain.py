"""Loading the domain knowledge shipped in readout/data/ (read once, cached)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=None)
def load_yaml(name: str):
    """Parse readout/data/NAME once per process."""
    with resources.files("readout.data").joinpath(name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def alternation(words) -> str:
    """A regex alternation of literal words, longest first so that prefixes never win."""
    import re

    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
