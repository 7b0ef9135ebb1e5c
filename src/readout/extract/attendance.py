"""Attendance lists: "Present at the talks from the DPRK side were ...", "He was accompanied by".

A list runs from the end of its trigger to the end of its sentence; the side is named in the
trigger or inside the list ("..., and from the Chinese side ..."), else it is each person's own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from readout.domain import group_numbers, load_yaml
from readout.extract.countries import country_in
from readout.extract.keywords import SentenceIndex, holds_any
from readout.model import Span


@dataclass
class AttendanceList:
    span: Span                    # the listed part of the sentence
    rule: str
    trigger: str                  # the words that open the list ("Present at the talks ...")
    sides: list[tuple[int, str]] = field(default_factory=list)   # (offset, country) side changes

    def side_at(self, offset: int) -> str | None:
        side = None
        for start, country in self.sides:
            if start <= offset:
                side = country
        return side


# The `regex` module, not `re`: it scans a sentence for these trigger phrases about twice as
# fast, with the same matches.
@lru_cache(maxsize=1)
def _rules():
    data = load_yaml("attendance.yaml")
    patterns = [(t["id"], regex.compile(t["pattern"]), tuple(t["keywords"])) for t in data["triggers"]]
    triggers = [(rule, pattern, keywords, *group_numbers(pattern, "side")) for rule, pattern, keywords in patterns]
    side_phrase = regex.compile(data["side_phrase"])
    spouse = regex.compile(data["spouse"]), tuple(data["spouse_keywords"])
    return triggers, (side_phrase, *group_numbers(side_phrase, "side")), spouse


def find_lists(text: str, index: SentenceIndex, since: int = 0) -> list[AttendanceList]:
    """The lists in the sentences that start at `since` or later."""
    triggers, side_phrase, _ = _rules()
    found, taken = [], []
    for rule, pattern, keywords, side in triggers:
        for sentence in index.with_keywords(keywords, since):
            for match in pattern.finditer(text, sentence.start, sentence.end):
                if not any(s <= match.start() < e for s, e in taken):
                    taken.append((match.start(), match.end()))
                    found.append(_list_from(text, match, (rule, side), sentence, side_phrase))
    found.sort(key=lambda item: item.span.start)
    return _cut_at_next(found)


def _list_from(text, match, rule_and_side, sentence, side_phrase) -> AttendanceList:
    """The list after a trigger match; `rule_and_side` is the rule's id and the number of
    its "side" group (None without one), `side_phrase` the pattern and its group's number."""
    rule, side_group = rule_and_side
    item = AttendanceList(Span(match.end(), sentence.end), rule, match.group())
    if side_group is not None and country_in(match.group(side_group)):
        item.sides.append((match.end(), country_in(match.group(side_group))))
    pattern, group = side_phrase
    for side in pattern.finditer(text, match.end(), sentence.end):
        if country_in(side.group(group)):
            item.sides.append((side.start(), country_in(side.group(group))))
    return item


def _cut_at_next(lists: list[AttendanceList]) -> list[AttendanceList]:
    """Two triggers in one sentence: the first list ends where the second begins."""
    for current, following in zip(lists, lists[1:]):
        if following.span.start < current.span.end:
            current.span = Span(current.span.start, following.span.start)
    return lists


def is_spouse(text: str, name_start: int) -> bool:
    _, _, (spouse, keywords) = _rules()
    # not max(): a Python-level builtin call is 150-260 ns, the conditional 25-50
    window = text[name_start - 20 if name_start > 20 else 0:name_start]
    return holds_any(window, keywords) and bool(spouse.search(window))
