"""Running a rule only where its keywords are: a regex scan of a whole article costs about a
hundred times a plain substring search, so rules first find their sentences by keyword."""
from __future__ import annotations

import bisect

from readout.model import Span


class SentenceIndex:
    """Sentences in text order, with the lower-cased text for keyword search."""

    def __init__(self, text: str, sentences: list[Span]):
        self.lower = text.lower()
        self.ordered = sorted(sentences, key=lambda s: s.start)
        self.starts = [s.start for s in self.ordered]

    def containing(self, offset: int) -> Span | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.ordered[index].end:
            return self.ordered[index]
        return None

    def with_keywords(self, keywords) -> list[Span]:
        """The sentences holding any of the (lower-case) keywords, in text order."""
        hits = {}
        for keyword in keywords:
            at = self.lower.find(keyword)
            while at >= 0:
                sentence = self.containing(at)
                if sentence is not None:
                    hits[sentence.start] = sentence
                at = self.lower.find(keyword, at + 1)
        return [hits[start] for start in sorted(hits)]
