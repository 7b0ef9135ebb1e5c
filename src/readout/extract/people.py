"""People named in the body: their title, country, role and place in attendance lists.

1. names are found by shape (names.py) in the body, not in the headline;
2. each mention gets the title written after and before it (titles.py);
3. a mention inside an attendance list is a participant with the list's side and its order
   among the named people of that side; a delegation head keeps its place but is a principal;
4. a spouse who came along is a participant without an order;
5. a name in an eponym or memory ("statues of President Kim Il Sung") is only mentioned;
6. anyone else named in the first sentence that names people is a principal; the rest are
   mentioned;
7. mentions are grouped by their folded spelling, keeping the first as the person's mention.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from readout.domain import load_yaml
from readout.extract.attendance import AttendanceList, is_spouse
from readout.extract.countries import countries_in, country_in
from readout.extract.names import NameMatch
from readout.extract.titles import Titles, join_titles
from readout.model import PersonMention, Span, span_of
from readout.normalize import fold


@dataclass(slots=True)
class Mention:
    name: NameMatch
    sentence: Span
    title: str | None
    title_span: Span | None
    listing: int | None            # index of the attendance list holding it
    role: str
    delegation: str | None = None  # country of the delegation the person leads
    side: str | None = None
    order: int | None = None


@dataclass(frozen=True)
class _Contexts:
    # The phrases before a name are matched backwards, in the reversed window before the
    # name's (or its title's) start: one anchored match instead of a search at every offset
    # of the window. "\b" at the window's far end holds as it would at the start of a slice.
    mention_before: re.Pattern   # within 40 characters
    mention_after: re.Pattern    # matched at the end of a name
    head_after: tuple[str, ...]
    head_before: re.Pattern      # within 20 characters


@lru_cache(maxsize=1)
def _contexts() -> _Contexts:
    data = load_yaml("titles.yaml")
    return _Contexts(
        mention_before=_backwards(data["mention_only_before"], r"\s*(?:%s)"),
        mention_after=re.compile(r"[\s-]*(?:%s)\b" % "|".join(re.escape(p) for p in data["mention_only_after"])),
        head_after=tuple(data["delegation_head_after"]),
        head_before=_backwards(data["delegation_head_before"], r"\s*(?:%s)\b"))


def _backwards(phrases: list[str], pattern: str) -> re.Pattern:
    return re.compile(pattern % "|".join(re.escape(phrase[::-1]) for phrase in phrases))


def collect_people(text: str, names: list[NameMatch], sentences: list[Span],
                   lists: list[AttendanceList]) -> list[PersonMention]:
    mentions = _mentions(text, names, sentences, lists)
    _number_lists(mentions)
    return _group(mentions)


def _mentions(text, names, sentences, lists) -> list[Mention]:
    starts = [s.start for s in sentences]
    titles = Titles(text, [n.start for n in names])
    titles_first = [_titles_first(titles, listing, names) for listing in lists]
    rules = _contexts()
    # the list of each name, found once for the lead and the loop; half the bench articles have none
    listings = [_list_of(name, lists) for name in names] if lists else [None] * len(names)
    lead = _lead_sentence(names, sentences, starts, listings)
    delegated = DELEGATION in text   # three articles in four never say it: no search per name
    out, previous_end, previous_eponym = [], 0, False
    # conditional expressions, not max(): a builtin call costs 150-260 ns, a comparison 25-50
    for name, listing in zip(names, listings):
        index = bisect.bisect_right(starts, name.start)
        sentence = sentences[index - 1 if index else 0]
        bound = sentence.start if sentence.start > previous_end else previous_end
        if listing is not None and lists[listing].span.start > bound:
            bound = lists[listing].span.start
        before = titles.before(name.start, bound)
        after = None if listing is not None and titles_first[listing] else \
            titles.after(name.end, sentence.end)
        start = before.start if before else name.start   # of the name and the title before it
        memory, head, spouse = _before_name(text[start - 40 if start > 40 else 0:start])
        eponym = memory or _eponym(text, name, start, bound, previous_eponym, rules)
        role = _role(text, name, listing, eponym, sentence, lead, head, spouse, rules)
        title = join_titles(before.of(text) if before else None, after.of(text) if after else None)
        out.append(Mention(name, sentence, title, after or before, listing, role, delegation=
                           _delegation_country(text, sentence, name.start) if delegated else None))
        previous_end, previous_eponym = (after.end if after else name.end), eponym
    return out


def _titles_first(titles: Titles, listing: AttendanceList, names: list[NameMatch]) -> bool:
    """Is this a list of "Title Name, Title Name" (the Russian readout style) rather than
    "Name, title, Name, title"? Decided by whether words come before its first name."""
    first = next((n for n in names if listing.span.start <= n.start < listing.span.end), None)
    return first is not None and titles.before(first.start, listing.span.start) is not None


def _lead_sentence(names, sentences, starts, listings) -> Span | None:
    for name, listing in zip(names, listings):
        if listing is None:
            index = bisect.bisect_right(starts, name.start)
            return sentences[index - 1 if index else 0]
    return None


def _list_of(name: NameMatch, lists: list[AttendanceList]) -> int | None:
    for index, listing in enumerate(lists):
        if listing.span.start <= name.start < listing.span.end:
            return index
    return None


JOINED = re.compile(r"\s*(?:and|,)\s*")


@lru_cache(maxsize=65536)  # the words before a name recur ("attended by", "talks with")
def _before_name(window: str) -> tuple[bool, bool, bool]:
    """What the 40 characters before a name (or its title) say of it: (a memory, "statues
    of"; the head of a delegation, "led by", within 20; a spouse, "his wife"). One cached
    look where each name cost three calls and three regex matches."""
    rules, backwards = _contexts(), window[::-1]
    return (rules.mention_before.match(backwards) is not None,
            rules.head_before.match(backwards, 0, 20) is not None,
            is_spouse(window, len(window)))


def _eponym(text, name, start, bound, previous_eponym, rules: _Contexts) -> bool:
    """Named in a memory, by what follows the name, or joined to one named so."""
    if rules.mention_after.match(text, name.end, name.end + 40):
        return True
    return previous_eponym and bool(JOINED.fullmatch(text, bound, start))


def _role(text, name, listing, eponym, sentence, lead, head, spouse, rules: _Contexts) -> str:
    if eponym:
        return "mentioned"
    if head or text.startswith(rules.head_after, name.end + 1):
        return "principal"
    if listing is not None or spouse:
        return "participant"
    return "principal" if sentence == lead else "mentioned"


def _country(mention: Mention, lists: list[AttendanceList] | None = None) -> str | None:
    return country_in(mention.title) or mention.delegation or mention.name.country_hint


DELEGATION = "delegation"
DELEGATION_LED_BY = re.compile(rf"\b{DELEGATION}\b[^.]{{0,40}}?\b(?:led|headed) by\b")


def _delegation_country(text: str, sentence: Span, name_start: int) -> str | None:
    """"A South Korean delegation led by Unification Minister Jeong Se-hyon": the country
    named before the delegation is the leader's."""
    window_start = max(sentence.start, name_start - 120)
    if text.find(DELEGATION, window_start, name_start) < 0:
        return None    # most names: a substring search instead of a regex over the window
    led = None
    for led in DELEGATION_LED_BY.finditer(text, window_start, name_start):
        pass
    if led is None:
        return None
    cues = countries_in(text, sentence.start, led.start())
    return cues[-1][1] if cues else None


def _number_lists(mentions: list[Mention]) -> None:
    counters: dict[tuple, int] = {}
    for mention in mentions:
        if mention.listing is None:
            if mention.role == "participant":
                mention.side = _country(mention)
            continue
        mention.side = mention.side or _country(mention)
        key = (mention.listing, mention.side)
        counters[key] = counters.get(key, 0) + 1
        mention.order = counters[key]


# fold() transliterates and runs a regex; the same names recur from article to article
_folded = lru_cache(maxsize=65536)(fold)


def _group(mentions: list[Mention]) -> list[PersonMention]:
    people: dict[str, PersonMention] = {}
    titles: dict[str, list[str]] = {}
    for mention in mentions:
        key = _folded(mention.name.text)
        person = people.get(key)
        if person is None:
            person = people[key] = PersonMention(
                mention=mention.name.text, span=span_of(mention.name[:2]),
                country=mention.side or _country(mention), role=mention.role,
                side=mention.side, order=mention.order, list_index=mention.listing)
            titles[key] = []
        _merge(person, mention)
        if mention.title and mention.title not in titles[key]:
            titles[key].append(mention.title)
            person.title = person.title or mention.title
            if person.title_span is None and mention.title_span:
                person.title_span = mention.title_span
    for key, person in people.items():
        person.titles = titles[key]
    return list(people.values())


ROLE_RANK = {"participant": 3, "principal": 2, "mentioned": 1}


def _merge(person: PersonMention, mention: Mention) -> None:
    """A person listed anywhere is a participant; named in the lead, a principal."""
    if ROLE_RANK[mention.role] > ROLE_RANK[person.role] or (
            mention.role == "principal" and person.role == "participant" and mention.listing is not None):
        person.role = mention.role
    if mention.side and person.side is None:
        person.side, person.order = mention.side, mention.order
        person.list_index = mention.listing
