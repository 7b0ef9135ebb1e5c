"""An article's text cut into pieces at the edges of its facts, for the document page.

Each piece knows which facts cover it: the person it names (a link to their page) and the
events whose evidence it lies in. The template escapes every piece, so text from the wild
is shown as text whatever it contains.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mark:
    start: int
    end: int
    kind: str               # "person" or "evidence"
    label: str              # a person's name, an event's type
    href: str | None = None


@dataclass
class Piece:
    text: str
    marks: list[Mark] = field(default_factory=list)

    @property
    def person(self) -> Mark | None:
        return next((m for m in self.marks if m.kind == "person"), None)

    @property
    def events(self) -> list[str]:
        return list(dict.fromkeys(m.label for m in self.marks if m.kind == "evidence"))


def pieces(text: str, marks: list[Mark]) -> list[Piece]:
    """`text` split at every mark's start and end; a mark outside the text is dropped."""
    inside = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in inside), *(m.end for m in inside)})
    return [Piece(text[a:b], [m for m in inside if m.start <= a and b <= m.end])
            for a, b in zip(cuts, cuts[1:])]


def document_marks(document: dict, person_href) -> list[Mark]:
    """The facts of a stored document: people where first named, attendees where listed,
    and the evidence of each event."""
    marks = [Mark(p["start"], p["end"], "person", p["name"], person_href(p["entity_id"]))
             for p in document["people"] if p.get("start") is not None and p.get("end") is not None]
    for event in document["events"]:
        marks += [Mark(p["start"], p["end"], "person", p["name"], person_href(p["entity_id"]))
                  for p in event["participants"]
                  if p.get("start") is not None and p.get("end") is not None]
        marks += [Mark(span["start"], span["end"], "evidence", event["type"])
                  for span in event["evidence"]]
    return marks


def snippet_pieces(snippet: str | None) -> list[tuple[str, bool]]:
    """A search snippet as (text, is_hit) pieces: the store marks hits with its SNIPPET_OPEN
    and SNIPPET_CLOSE characters, which the template turns into <mark> after escaping."""
    from readout.store.dialects import SNIPPET_CLOSE, SNIPPET_OPEN

    found, rest = [], snippet or ""
    while SNIPPET_OPEN in rest:
        before, _, after = rest.partition(SNIPPET_OPEN)
        hit, closed, rest = after.partition(SNIPPET_CLOSE)
        found += [(before, False), (hit, bool(closed))]
    return [piece for piece in found + [(rest, False)] if piece[0]]
