"""Titles as canonical roles, and how a person's titles change over the stored articles.

    normalize_title("vice-chairman of the Central Military Commission of the WPK and "
                    "secretary of the C.C., WPK", "PRK")
    # ["Vice-Chairman of the Central Military Commission of the WPK",
    #  "Secretary of the WPK Central Committee"]

The rules are data (readout/data/titles_normal.yaml, which lists the steps); the title
vocabulary that says where a role starts is shared with extraction (titles.yaml).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import groupby

from sqlalchemy import and_, bindparam, func, select

from readout.domain import alternation, load_yaml
from readout.store.database import as_date
from readout.store.read import equals_unindexed, iso
from readout.store.tables import documents, entities, mentions

# A rule can expose a new split point (an abbreviation spelled out as "State Affairs
# Commission member" after a comma), so a title is normalised until it stops changing; real
# titles settle in one or two passes and this bound is never reached by them.
_MAX_PASSES = 4
_PROTECTED_COMMA = "\x00"


@dataclass(frozen=True)
class _Rewrite:
    id: str
    pattern: re.Pattern
    replace: str
    countries: frozenset[str] | None


@dataclass(frozen=True)
class _Rules:
    clean: tuple[tuple[str, str], ...]
    clause: re.Pattern
    opener: re.Pattern
    article: re.Pattern
    start_words: frozenset[str]
    role_nouns: frozenset[str]
    protected: re.Pattern
    separator: re.Pattern
    rewrites: tuple[_Rewrite, ...]
    own_names: dict[str, re.Pattern]
    own_leading: dict[str, re.Pattern]
    synonyms: dict[str, str]
    epithets: frozenset[str]
    small_words: frozenset[str]
    abbreviation_max: int


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The shipped normalisation rules, compiled once per process."""
    data, vocabulary = load_yaml("titles_normal.yaml"), load_yaml("titles.yaml")
    words = [w.lower() for w in vocabulary["title_start_words"] + data["extra_start_words"]]
    followers = alternation(data["qualifier_followers"])
    return _Rules(
        clean=tuple((r["find"], r["replace"]) for r in data["clean"]),
        clause=re.compile("|".join(map(re.escape, data["clause_markers"])), re.I),
        opener=re.compile(rf"^(?:{alternation(data['clause_openers'])})\s+", re.I),
        article=re.compile(rf"^(?:{alternation(data['articles'])})\s+(?=\S)", re.I),
        start_words=frozenset(words),
        role_nouns=frozenset(w.lower() for w in data["role_nouns"]),
        protected=re.compile(alternation(vocabulary["title_comma_phrases"]), re.I),
        separator=re.compile(r"(,\s+and\s+|,\s+|\s+and\s+)", re.I),
        rewrites=tuple(_rewrite(r) for r in data["rewrite"]),
        own_names={code: re.compile(
            rf"\s+of\s+(?:the\s+)?(?:{alternation(q['names'])})(?=$|,|\s+(?:{followers})\b)", re.I)
            for code, q in data["own_country"].items()},
        own_leading={code: re.compile(rf"^(?:the\s+)?(?:{alternation(q['leading'])})\s+(?=\S)", re.I)
                     for code, q in data["own_country"].items()},
        synonyms={_key(form): canonical for canonical, forms in data["synonyms"].items()
                  for form in [canonical, *forms]},
        epithets=frozenset(data["epithets"]),
        small_words=frozenset(data["small_words"]),
        abbreviation_max=int(data["abbreviation_max_letters"]),
    )


def _rewrite(rule: dict) -> _Rewrite:
    flags = 0 if rule.get("case") == "keep" else re.I
    countries = frozenset(rule["countries"]) if rule.get("countries") else None
    return _Rewrite(rule["id"], re.compile(rule["find"], flags), rule["replace"], countries)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


# --- normalisation ---------------------------------------------------------------------------

def normalize_title(title: str | None, country: str | None = None) -> list[str]:
    """The roles a title names, each in canonical form, in the order written, without repeats.

    `country` (ISO alpha-3) is the person's own: qualifiers naming it are dropped, since
    "minister of Foreign Affairs of the DPRK" and "Minister of Foreign Affairs" are one post
    for a DPRK official. Normalising a result again returns it unchanged.
    """
    return list(_normalize(title or "", country))


@lru_cache(maxsize=65_536)
def _normalize(title: str, country: str | None) -> tuple[str, ...]:
    roles = _one_pass((title,), country)
    for _ in range(_MAX_PASSES - 1):
        again = _one_pass(roles, country)
        if again == roles:
            break
        roles = again
    return roles


def _one_pass(titles: tuple[str, ...], country: str | None) -> tuple[str, ...]:
    """Steps 1-7 of titles_normal.yaml over each title, the roles found kept in order."""
    found: dict[str, None] = {}
    for title in titles:
        for clause in _clauses(_clean(title)):
            for part in _split_roles(clause):
                role = _canonical(part, country)
                if role:
                    found.setdefault(role, None)
    return tuple(found)


def _clean(text: str) -> str:
    for find, replace in rules().clean:
        text = text.replace(find, replace)
    return " ".join(text.split())


def _clauses(text: str) -> list[str]:
    """The title, cut at "who is"-like markers; a later clause counts only when it is a role
    ("... who is chairman of ..."), not an errand ("... who is leading its delegation")."""
    first, *rest = rules().clause.split(text)
    later = [rules().opener.sub("", clause) for clause in rest]
    return [first, *(clause for clause in later if _starts_role(clause))]


def _split_roles(clause: str) -> list[str]:
    """`clause` cut at commas and "and" where the next part starts a new role."""
    r = rules()
    hidden = r.protected.sub(lambda m: m.group(0).replace(",", _PROTECTED_COMMA), clause)
    pieces = r.separator.split(hidden)
    roles, current = [], pieces[0]
    for separator, piece in zip(pieces[1::2], pieces[2::2]):
        if _starts_role(piece):
            roles.append(current)
            current = piece
        else:
            current += separator + piece
    roles.append(current)
    return [role.replace(_PROTECTED_COMMA, ",") for role in roles]


def _starts_role(text: str) -> bool:
    """Opens with a title start word (after an article) and names a role noun somewhere."""
    r = rules()
    words = r.article.sub("", text.strip()).lower().split()
    if not words:
        return False
    first = words[0].strip("'\"(")
    starts = first in r.start_words or first.split("-")[0] in r.start_words
    pieces = (piece for word in words for piece in word.strip(",.;:()").split("-"))
    return starts and any(piece in r.role_nouns for piece in pieces)


def _canonical(part: str, country: str | None) -> str:
    """Steps 4-7 for one role: rewrites, own country dropped, synonyms, case."""
    role = _trim(part)
    for rule in rules().rewrites:
        if rule.countries is None or country in rule.countries:
            role = rule.pattern.sub(rule.replace, role)
    role = _trim(_without_own_country(" ".join(role.split()), country))
    role = rules().synonyms.get(_key(role), role)
    return _title_case(role)


_EDGES = re.compile(r"^[\s,;:]+|[\s,;:]+$|(?<=[^\W\d_]{2})\.$")


def _trim(text: str) -> str:
    """Outer spaces and punctuation off (a final full stop, but not that of "U.S."), and a
    leading article ("the chairperson of ...")."""
    while True:
        trimmed = rules().article.sub("", _EDGES.sub("", text))
        if trimmed == text:
            return text
        text = trimmed


def _without_own_country(role: str, country: str | None) -> str:
    r = rules()
    if country not in r.own_names:
        return role
    while (shorter := r.own_names[country].sub("", role)) != role:
        role = shorter
    while (match := r.own_leading[country].match(role)) and _starts_role(role[match.end():]):
        role = role[match.end():]
    return role


def _title_case(role: str) -> str:
    """Title Case: small words lower-case inside, abbreviations (DPRK, U.S.) and mixed-case
    words kept, every hyphenated piece capitalised ("Vice-Chairman", "Commander-in-Chief")."""
    words = []
    for i, word in enumerate(role.split(" ")):
        pieces = word.split("-")
        words.append("-".join(_case_piece(piece, i == 0 and j == 0)
                              for j, piece in enumerate(pieces)))
    return " ".join(words)


def _case_piece(piece: str, first: bool) -> str:
    r = rules()
    letters = [c for c in piece if c.isalpha()]
    if not letters:
        return piece
    if not first and piece.lower() in r.small_words:
        return piece.lower()
    if piece.isupper() and len(letters) <= r.abbreviation_max:
        return piece
    if not piece.isupper() and any(c.isupper() for c in letters[1:]):
        return piece
    at = next(i for i, c in enumerate(piece) if c.isalpha())
    return piece[:at] + piece[at].upper() + piece[at + 1:].lower()


# --- title histories -----------------------------------------------------------------------

def title_history(store, entity_id: str, documents: list[int] | None = None) -> list[dict]:
    """Each normalised title a person was given in stored articles (in `documents` only, when
    given): first and last publication date, the documents, and the raw forms written. Oldest
    first; titles only seen in undated articles last."""
    history: dict[str, dict] = {}
    condition = mentions.c.entity_id == entity_id
    if documents is not None:  # by the documents' keys, not the person's index (a leader has 100,000s)
        condition = and_(equals_unindexed(mentions.c.entity_id, entity_id), mentions.c.document_id.in_(documents))
    for row in _appearances(store, condition):
        for raw in row["titles"]:
            for title in normalize_title(raw, row["country"]):
                _note(history.setdefault(title, _new_entry(title)), row, raw)
    return sorted(history.values(), key=lambda h: (h["first_seen"] is None,
                                                   h["first_seen"] or "", h["title"]))


def _new_entry(title: str) -> dict:
    return {"title": title, "first_seen": None, "last_seen": None, "documents": [], "raw": []}


def _note(entry: dict, row: dict, raw: str) -> None:
    published = row["published"]
    if published:
        entry["first_seen"] = min(filter(None, [entry["first_seen"], published]))
        entry["last_seen"] = max(filter(None, [entry["last_seen"], published]))
    if row["document_id"] not in entry["documents"]:
        entry["documents"].append(row["document_id"])
    if raw not in entry["raw"]:
        entry["raw"].append(raw)


def title_changes(store, since: date | str | None = None) -> list[dict]:
    """People whose set of normalised titles differs between two consecutive dated
    appearances, by date of the later one. An appearance is a day: the titles all of that
    day's articles give, so that two outlets listing a person differently on one day do not
    make changes back and forth.

    Articles that name a person without a title say nothing about their posts and are
    skipped; so are undated articles, which cannot be put in order, and epithets such as
    "Supreme Leader" (titles_normal.yaml), which writers add and drop at will. `since` keeps
    changes on or after that date; the comparison still uses earlier appearances."""
    since = as_date(since, "since")
    changes: list[dict] = []
    previous: dict | None = None
    for current in (_days(store) if since is None else _days_since(store, since)):
        if previous and previous["entity_id"] == current["entity_id"] \
                and previous["titles"] != current["titles"]:
            changes.append(_change(previous, current))
        previous = current
    if since is not None:
        changes = [c for c in changes if c["date"] >= since.isoformat()]
    return sorted(changes, key=lambda c: (c["date"], c["entity_id"], c["document_id"]))


def _days(store):
    """Per entity, oldest first, each day they were named with a title: the set of normalised
    titles (epithets aside) and which document gave which."""
    dated = (mentions.c.entity_id.is_not(None)) & (documents.c.published.is_not(None))
    return _grouped(_appearances(store, dated))


def _grouped(rows):
    """Rows by entity then date as days with titles (see _days); untitled days left out."""
    for (entity_id, _), same_day in groupby(rows, key=lambda r: (r["entity_id"], r["published"])):
        day = None
        for row in same_day:
            titles = _post_titles(row)
            if titles:
                day = day or {**row, "titles": set(), "by_document": {}}
                day["titles"] |= titles
                day["by_document"].setdefault(row["document_id"], set()).update(titles)
        if day:
            yield day


def _days_since(store, since: date):
    """As _days, for the people named with a title on or after `since` only: each one's days
    from `since` on, after the last titled day before it (what the first change is measured
    against). Found by the documents' date index and the person's timeline index, so that a
    recent window does not read every naming of the archive."""
    window = (mentions.c.entity_id.is_not(None)) & (documents.c.published >= since)
    people: dict[str, list[dict]] = {}
    for day in _grouped(_appearances(store, window)):
        people.setdefault(day["entity_id"], []).append(day)
    with store.engine.connect() as conn:
        for entity_id, days in people.items():
            before = _titled_day_before(conn, store, entity_id, since)
            yield from ([before] if before else []) + days


def _titled_day_before(conn, store, entity_id: str, until: date) -> dict | None:
    """The person's latest day before `until` with a title that names a post, or None."""
    latest = (select(func.max(mentions.c.published))
              .where(mentions.c.entity_id == entity_id, mentions.c.published < bindparam("until")))
    while (day := conn.scalar(latest, {"until": until})) is not None:
        same_day = (mentions.c.entity_id == entity_id) & (mentions.c.published == day)
        found = list(_grouped(_appearances(store, same_day & documents.c.published.is_not(None))))
        if found:
            return found[0]
        until = day
    return None


def _post_titles(row: dict) -> set[str]:
    titles = {t for raw in row["titles"] for t in normalize_title(raw, row["country"])}
    return titles - rules().epithets


def _change(before: dict, after: dict) -> dict:
    # Sets have no stable order; sorted lists print and compare the same every run.
    gained = after["titles"] - before["titles"]
    return {"entity_id": after["entity_id"], "name": after["name"],
            "country": after["country"], "date": after["published"],
            "document_id": _first_giving(after, gained), "documents": list(after["by_document"]),
            "previous_date": before["published"],
            "previous_document_id": _first_giving(before, before["titles"] - after["titles"]),
            "before": sorted(before["titles"]), "after": sorted(after["titles"]),
            "gained": sorted(gained), "lost": sorted(before["titles"] - after["titles"])}


def _first_giving(day: dict, titles: set[str]) -> int:
    """The day's first document giving one of `titles` (its first document if none)."""
    given_by = day["by_document"]
    return next((d for d, given in given_by.items() if given & titles), next(iter(given_by)))


def _appearances(store, condition):
    """Mentions matching `condition` with their document's date, by entity then date."""
    query = (select(mentions.c.entity_id, mentions.c.document_id, mentions.c.titles,
                    func.coalesce(mentions.c.country, entities.c.country).label("country"),
                    documents.c.published,
                    entities.c.name.label("name"))
             .join(documents, documents.c.id == mentions.c.document_id)
             .outerjoin(entities, entities.c.entity_id == mentions.c.entity_id)
             .where(condition)
             .order_by(mentions.c.entity_id, documents.c.published.nulls_last(),
                       documents.c.id, mentions.c.seq))
    with store.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            yield {**row, "published": iso(row["published"]),
                   "titles": json.loads(row["titles"] or "[]")}
