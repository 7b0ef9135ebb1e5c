"""Loading the domain knowledge shipped in readout/data/ (read once, cached)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import re

import yaml


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads "No" and "On" as booleans; in name and word lists they are words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


@lru_cache(maxsize=None)
def load_yaml(name: str):
    """Parse readout/data/NAME once per process."""
    with resources.files("readout.data").joinpath(name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)


def group_numbers(pattern, *names: str) -> tuple[int | None, ...]:
    """The numbers of a compiled pattern's named groups (None for one it lacks), to read
    matches by: by name, the `regex` module looks a group up through a copy of the pattern's
    groupindex made at each look (2 us against 0.5 by number)."""
    return tuple(pattern.groupindex.get(name) for name in names)


def alternation(words) -> str:
    """A regex alternation of literal words, longest first so that prefixes never win."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
