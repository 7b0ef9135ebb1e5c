"""The knowledge base of people: the one shipped in readout/data/people.yaml plus the
user's own (kb_user.yaml in $READOUT_HOME or ~/.readout), which wins where both speak.

Both use one YAML shape, a list of people:

    - id: kim-jong-un
      name: Kim Jong Un
      country: PRK
      aliases: {hangul: [김정은], other: [Kim Jong-un]}
      titles: [{title: General Secretary of the Workers' Party of Korea, from: 2021-01-10}]
      namesakes: [other-id]      # people who share a spelling with this one, on purpose
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import yaml

from readout.errors import KnowledgeBaseError
from readout.resolve.rules import read_data

# Alias systems a KB may use; generated variants use the same tags plus "canonical".
SYSTEMS = frozenset({
    "hangul", "kcna", "mr", "mr_ascii", "rr", "cyrillic", "bgn", "scientific", "passport",
    "kcna_misspelling", "hanzi", "kanji", "kana", "arabic", "other",
})
USER_KB_NAME = "kb_user.yaml"


@dataclass(frozen=True)
class Title:
    title: str
    start: str | None = None     # ISO date the title was first held, when known
    end: str | None = None


@dataclass(frozen=True)
class Person:
    entity_id: str
    name: str
    country: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()     # (system, spelling)
    titles: tuple[Title, ...] = ()
    namesakes: tuple[str, ...] = ()
    source: str = "shipped"                        # shipped | user

    def merged_with(self, other: "Person") -> "Person":
        """This entry completed by another of the same id; this one's name wins."""
        aliases = self.aliases + tuple(a for a in other.aliases if a not in self.aliases)
        titles = self.titles + tuple(t for t in other.titles if t not in self.titles)
        namesakes = tuple(dict.fromkeys(self.namesakes + other.namesakes))
        return replace(self, country=self.country or other.country, aliases=aliases,
                       titles=titles, namesakes=namesakes)


def person_from_dict(entry: dict, source: str) -> Person:
    aliases = tuple((system, str(text)) for system, texts in (entry.get("aliases") or {}).items()
                    for text in texts)
    titles = tuple(Title(str(t["title"]), _iso(t.get("from")), _iso(t.get("to")))
                   for t in entry.get("titles") or ())
    return Person(str(entry["id"]), str(entry["name"]), entry.get("country"), aliases, titles,
                  tuple(entry.get("namesakes") or ()), source)


def person_to_dict(person: Person) -> dict:
    entry: dict = {"id": person.entity_id, "name": person.name}
    if person.country:
        entry["country"] = person.country
    aliases: dict[str, list[str]] = {}
    for system, text in person.aliases:
        aliases.setdefault(system, []).append(text)
    if aliases:
        entry["aliases"] = aliases
    if person.titles:
        entry["titles"] = [_title_dict(t) for t in person.titles]
    if person.namesakes:
        entry["namesakes"] = list(person.namesakes)
    return entry


def _title_dict(title: Title) -> dict:
    out = {"title": title.title}
    if title.start:
        out["from"] = title.start
    if title.end:
        out["to"] = title.end
    return out


def _iso(value) -> str | None:
    return None if value is None else str(value)


@cache
def shipped_people() -> tuple[Person, ...]:
    """The KB shipped with readout (read once per process)."""
    return tuple(person_from_dict(e, "shipped") for e in read_data("people.yaml"))


def readout_home() -> Path:
    return Path(os.environ.get("READOUT_HOME") or Path.home() / ".readout")


def user_kb_path(home: Path | None = None) -> Path:
    return (home or readout_home()) / USER_KB_NAME


def load_user_people(path: Path) -> tuple[Person, ...]:
    """The user's KB, or nothing when the file does not exist yet. A file edited by hand
    into something unreadable is refused with the line of the problem."""
    if not path.exists():
        return ()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        raise KnowledgeBaseError(str(path), [(mark.line + 1 if mark else 0,
                                              f"unreadable: {error}")]) from None
    if not isinstance(entries, list):
        raise KnowledgeBaseError(str(path), [(1, "expected a list of people")])
    bad = [(0, f"entry {n}: needs an id and a name") for n, e in enumerate(entries, 1)
           if not isinstance(e, dict) or not e.get("id") or not e.get("name")]
    if bad:
        raise KnowledgeBaseError(str(path), bad)
    return tuple(person_from_dict(e, "user") for e in entries)


def merge_people(shipped: tuple[Person, ...], user: tuple[Person, ...]) -> list[Person]:
    """User entries first (they win ties between aliases), shipped ones completing them."""
    shipped_by_id = {p.entity_id: p for p in shipped}
    merged = [p.merged_with(shipped_by_id[p.entity_id]) if p.entity_id in shipped_by_id else p
              for p in user]
    user_ids = {p.entity_id for p in user}
    return merged + [p for p in shipped if p.entity_id not in user_ids]


def save_user_people(people: list[Person], path: Path) -> None:
    """Write the user KB in one step, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump([person_to_dict(p) for p in people], allow_unicode=True,
                          sort_keys=False, width=100)
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
