"""Reports of the same story, and edited versions of one article, linked as they are stored.

`link` runs inside the transaction that stores a batch (store/write.py), so a document is never
stored without its links, and makes two kinds of link for each new document, oldest first:

1. Versions. A text stored under the URL of an earlier, different text is a new version of it:
   documents.version_of names the previous version; document_changes keeps the unified diff and
   change_people the people added or removed (by entity, from the mentions of both versions).
2. Stories. The KCNA and the Rodong Sinmun (or Uriminzokkiri, redstartv) reports of one event
   are worded differently, sometimes translated apart, but name the same people, places and
   bodies. So a report is fingerprinted by its names (capitalised words), and:
   a. candidates are found through LSH: a MinHash of the names (datasketch) is cut into bands,
      and each band's hash is a row of story_buckets. Documents sharing a bucket are looked up
      by index, newest first and at most BUCKET_DEPTH per bucket, so a bucket that thousands of
      articles share costs no more than a rare one, and no document is compared to them all;
   b. the candidates sharing most buckets are checked (`same_story`): dates that cannot be
      the same occasion rule a pair out; then mostly the same names, and either much of the
      same wording or the same headline. The candidates of a whole batch are read together,
      their dates first and the texts only of those whose dates allow a story;
   c. the first that passes, and whose story's first document has dates that agree with the
      report's too (a story is one occasion, not a chain of similar daily reports), gives its
      story: documents.story_id is the id of the story's first document, on every document of
      the story, the first included; a lone report keeps NULL.
   The rule's thresholds are data: data/stories.yaml.

`story_documents`, `story_reports` and `list_changes` read the links back; `backfill` links
documents stored before this module existed (migration 0002 runs it).
"""
from __future__ import annotations

import bisect
import dataclasses
import difflib
import hashlib
import json
import re
import threading
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from functools import cache, cached_property, lru_cache
from itertools import chain

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from sqlalchemy import Connection, bindparam, func, insert, select, union_all, update

from readout.domain import load_yaml
from readout.errors import StoreError
from readout.store.bulk import insert_values, run_prepared
from readout.store.read import iso
from readout.store.rows import Rows
from readout.store.tables import (change_people, document_changes, documents, entities, events, mentions,
                                  story_buckets)

# Capitalised words: the names of people, places and bodies (and sentence openings, which
# matter little). ASCII on purpose: English-language state media write names in ASCII, and
# a Unicode class makes the scan three times slower.
NAME = re.compile(r"[A-Z][A-Za-z]+")
WORD = re.compile(r"\w+")

# LSH: 16 bands of 2 MinHash values. Two reports whose name sets have a Jaccard similarity
# of 0.55 share at least one band with probability 1 - (1 - 0.55**2)**16, about 0.997.
BANDS, ROWS = 16, 2
SEED = 20241128  # the stored buckets depend on it, and on the MinHash scheme: never change them
# The MinHash scheme. It premixes each word's hash, so CRC-32 serves, and costs far less than
# datasketch's default SHA-1.
SCHEME = "affine32"
BUCKET_DEPTH = 32  # documents read per bucket, newest first
VERIFY = 5  # candidates checked, those sharing most buckets first
# A candidate shares at least this many buckets. A pair of reports with names 0.55 alike
# shares fewer with probability 0.7**16 + 16 * 0.3 * 0.7**15, about 0.03; a pair 0.3 alike,
# typical of two unrelated articles naming the same leaders, about 0.6.
MIN_SHARED = 2


@dataclass(frozen=True)
class StoryRule:
    """When two reports tell the same story, and how far a story reaches: data/stories.yaml
    says what each threshold means."""

    names: float
    wording: float
    title: float
    days: int
    min_names: int
    story_days: int


def load_rule(name: str = "stories.yaml") -> StoryRule:
    """The rule of data/NAME; StoreError naming the file if a threshold is missing or unknown."""
    data = load_yaml(name)
    expected = [f.name for f in dataclasses.fields(StoryRule)]
    if not isinstance(data, dict) or sorted(data) != sorted(expected):
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise StoreError(f"readout/data/{name}: expected the keys {', '.join(expected)}; found {found}")
    return StoryRule(**data)


RULE = load_rule()


@dataclass
class Report:
    """What linking needs to know of one stored document."""

    id: int
    text: str | None  # None for a candidate whose dates rule it out: its text is never read
    title: str | None = None
    url: str | None = None
    dates: frozenset[date] = frozenset()
    story_id: int | None = None

    @property
    def names(self) -> frozenset[str]:
        return names_in(self.text)

    @property
    def shingles(self) -> frozenset[tuple[str, ...]]:
        return shingles_of(self.text)

    @cached_property
    def buckets(self) -> list[int]:
        """The LSH bucket of each band of the names; none for a text with too few names."""
        if len(self.names) < RULE.min_names:
            return []
        sketch = blank_sketch()
        sketch.update_batch(self.names)
        values = sketch.hashvalues.astype(">u4").tobytes()  # one byte order, whatever the machine's
        width = ROWS * 4  # bytes of a band's values; one conversion of the array, sliced as bytes
        return [band_key(band, values[band * width:(band + 1) * width]) for band in range(BANDS)]


@lru_cache(maxsize=1024)
def shingles_of(text: str) -> frozenset[tuple[str, ...]]:
    """The 3-word shingles of a text, remembered like its names: a recent document is checked
    as a candidate again and again, and its shingles cost more than the check."""
    words = WORD.findall(text.lower())
    return frozenset(zip(words, words[1:], words[2:]))


_local = threading.local()  # a sketch per thread: the API's workers may store at once


def blank_sketch():
    """One MinHash emptied for each text: building a new one costs as much as hashing the names."""
    sketch = getattr(_local, "sketch", None)
    if sketch is None:
        sketch = _local.sketch = minhash()(num_perm=BANDS * ROWS, permutations=permutations(), scheme=SCHEME,
                                           hashfunc=name_hash)
    sketch.clear()
    return sketch


@lru_cache(maxsize=65536)
def name_hash(name: str) -> int:
    """CRC-32 of a name's UTF-8, the MinHash's hash of it: remembered, as an archive names
    the same people and places again and again."""
    return zlib.crc32(name.encode())


@lru_cache(maxsize=4096)
def names_in(text: str) -> frozenset[str]:
    """The names of a text, remembered for the texts seen last: the documents found as
    candidates are mostly the same few recent ones, batch after batch."""
    return frozenset(NAME.findall(text))


@cache
def minhash() -> type:
    """datasketch's MinHash, imported when first needed: the package loads SciPy on import,
    which would add a second or more to every command, even those that never store."""
    from datasketch import MinHash

    return MinHash


@cache
def permutations():
    """The MinHash permutations, drawn once: drawing them costs more than hashing a text."""
    return minhash()(num_perm=BANDS * ROWS, seed=SEED, scheme=SCHEME).permutations


BAND_PREFIXES = [band.to_bytes(2, "big") for band in range(BANDS)]


def band_key(band: int, values: bytes) -> int:
    """A signed 64-bit key for one band, the band's number included so bands never mix."""
    digest = hashlib.blake2b(BAND_PREFIXES[band] + values, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# --- linking -----------------------------------------------------------------------------------

def link(conn: Connection, inserted: list[tuple[int, Rows]]) -> None:
    """Link documents just inserted (id, rows) to their earlier versions and their stories."""
    link_reports(conn, sorted((report_of(i, rows) for i, rows in inserted), key=lambda r: r.id))


def report_of(document_id: int, rows: Rows) -> Report:
    document = rows.document
    dates = {document["published"], *(event.get("date") for event in rows.events)}
    return Report(document_id, document["text"], document["title"], document["url"],
                  frozenset(d for d in dates if d))


def link_reports(conn: Connection, reports: list[Report]) -> None:
    """Store the buckets of all, then link each in id order, so that a later document of the
    batch finds an earlier one as it would find a document stored before."""
    insert_values(conn, story_buckets, ("bucket", "document_id"), [(key, r.id) for r in reports for key in set(r.buckets)])
    previous = previous_versions(conn, reports)
    found = nearest_of_batch(conn, reports)
    stored = load_candidates(conn, reports, found)
    stories: dict[int, int] = {}  # document -> first document of its story, found in this batch
    for report in reports:
        if report.id in previous:
            link_version(conn, report, previous[report.id])
        root = story_of(report, [stored[i] for i in found[report.id]], stories, stored)
        if root is not None:
            stories[report.id] = stories.setdefault(root, root)
    if stories:  # written once for the batch: one statement a document would cost more than linking
        conn.execute(SET_STORY, [{"doc": doc, "root": root} for doc, root in stories.items()])


def backfill(conn: Connection, chunk: int = 500) -> None:
    """Link the documents stored before linking existed, oldest first, a chunk at a time."""
    last = 0
    query = select(documents.c.id).where(documents.c.id > bindparam("last")).order_by(documents.c.id).limit(chunk)
    while ids := list(conn.scalars(query, {"last": last})):
        link_reports(conn, load_reports(conn, ids))
        last = ids[-1]


def story_of(report: Report, candidates: list[Report], stories: dict[int, int],
             stored: dict[int, Report]) -> int | None:
    """The first document of the story `report` belongs to, or None. `stories` has the links
    made earlier in the batch, not yet written; `stored` has every story's first document.
    A candidate's story is joined only if its first document's dates agree with the report's
    too: otherwise the report goes on to the next candidate, or starts a story of its own."""
    for other in candidates:
        if not same_story(report, other):
            continue
        root = stories.get(other.id) or other.story_id or other.id
        if dates_agree(report.dates, stored[root].dates, RULE.story_days):
            return root
    return None


SET_STORY = update(documents).where(documents.c.id == bindparam("doc")).values(story_id=bindparam("root"))


def nearest_of_batch(conn: Connection, reports: list[Report]) -> dict[int, list[int]]:
    """nearest_ids of every report of a batch. On SQLite, each bucket the batch has is read
    once for all its reports, and the candidates are ranked here: the reports of one batch
    share many buckets (an archive's articles name the same leaders), and a bucket's rows
    cost SQLite more to read than Python to count."""
    if conn.dialect.name != "sqlite":
        return {report.id: nearest_ids(conn, report) for report in reports}
    return ranked_of_batch(reports, newest_in_buckets(conn, reports))


def newest_in_buckets(conn: Connection, reports: list[Report]) -> dict[int, list[int]]:
    """For each bucket of the batch, the ids in it that any report of the batch can reach,
    ascending: the batch's own, and the BUCKET_DEPTH newest below the earliest of them.
    Exact, because the batch's documents are the newest in every bucket (the write lock is
    held, and ids only grow), so no stored id lies between two of them; the batch's are
    known here and not read back."""
    holders: dict[int, list[int]] = {}
    for report in reports:  # in id order: each list ascends
        for bucket in report.buckets:
            holders.setdefault(bucket, []).append(report.id)
    keys = json.dumps([[bucket, ids[0]] for bucket, ids in holders.items()])
    found = {}
    for bucket, stored in conn.connection.driver_connection.execute(NEWEST_IN_BUCKETS, (keys, BUCKET_DEPTH)):
        ids = [int(i) for i in stored.split(",")] if stored else []
        ids.sort()  # read newest first
        found[bucket] = ids + holders[bucket]
    return found


# SQLite's: the keys (bucket, below) as one JSON parameter, and each bucket's newest ids below
# `below` read by index, as one string: a row and a Python tuple per id cost more than the read.
NEWEST_IN_BUCKETS = (
    "WITH k(bucket, below) AS MATERIALIZED (SELECT value ->> 0, value ->> 1 FROM json_each(?))"
    " SELECT k.bucket, (SELECT group_concat(document_id) FROM (SELECT document_id FROM story_buckets"
    " WHERE bucket = k.bucket AND document_id < k.below ORDER BY document_id DESC LIMIT ?)) FROM k")


def ranked_of_batch(reports: list[Report], newest: dict[int, list[int]]) -> dict[int, list[int]]:
    """As `nearest` ranks them, for every report of a batch: the ids before it sharing
    MIN_SHARED of its buckets at least (each read BUCKET_DEPTH deep), most shared, then newest.
    Counted with numpy for the whole batch at once: 200 reports reach some 100,000 (report, id)
    pairs, and a Counter per report cost as much as reading the buckets."""
    import numpy as np  # here, as datasketch is: importing it costs every command 0.2 s

    buckets = list(newest)
    firsts = np.cumsum([0] + [len(newest[b]) for b in buckets])
    first_of = dict(zip(buckets, firsts.tolist()))
    owners, lows, ends = [], [], []  # per (report, bucket): the slice of `flat` the report reaches
    for i, report in enumerate(reports):
        for bucket in report.buckets:
            owners.append(i)
            lows.append(first_of[bucket])
            ends.append(first_of[bucket] + bisect.bisect_left(newest[bucket], report.id))
    found: dict[int, list[int]] = {report.id: [] for report in reports}
    if not owners:
        return found
    flat = np.fromiter(chain.from_iterable(newest[b] for b in buckets), np.int64, firsts[-1])
    ends = np.array(ends)
    starts = np.maximum(ends - BUCKET_DEPTH, lows)
    lengths = ends - starts
    reached = np.arange(lengths.sum()) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    span = int(flat.max()) + 1  # (report, id) as one number: report * span + id
    pairs, shared = np.unique(np.repeat(owners, lengths) * span + flat[reached], return_counts=True)
    pairs, shared = pairs[shared >= MIN_SHARED], shared[shared >= MIN_SHARED]
    owner, ids = pairs // span, pairs % span
    order = np.lexsort((-ids, -shared, owner))  # by report, then most shared, then newest
    owner, ids = owner[order], ids[order]
    top = np.arange(len(owner)) - np.searchsorted(owner, owner) < VERIFY  # rank within its report
    for i, id_ in zip(owner[top].tolist(), ids[top].tolist()):
        found[reports[i].id].append(id_)
    return found


def nearest_ids(conn: Connection, report: Report) -> list[int]:
    """Ids of earlier documents sharing buckets with `report`, those sharing most first, then the newest."""
    if not report.buckets:
        return []
    return [row[0] for row in run_prepared(conn, nearest(), {"doc": report.id, **dict(zip(BAND_NAMES, report.buckets))})]


def load_candidates(conn: Connection, reports: list[Report], found: dict[int, list[int]]) -> dict[int, Report]:
    """The candidates found for a batch, and the first documents of their stories, by id: their
    dates and stories in one query, and a second for the texts of those whose dates allow a
    story with some report (a store of decades mostly has candidates of other years)."""
    stored = {r.id: r for r in load_dates(conn, {i for ids in found.values() for i in ids})}
    stored.update((r.id, r) for r in load_dates(conn, {r.story_id for r in stored.values()
                                                       if r.story_id and r.story_id not in stored}))
    wanted = {i for r in reports for i in found[r.id] if dates_agree(r.dates, stored[i].dates, RULE.days)}
    batch = {r.id: r for r in reports}  # their texts are at hand
    for id_ in wanted & batch.keys():
        stored[id_].text, stored[id_].title = batch[id_].text, batch[id_].title
    if wanted - batch.keys():
        for id_, text_, title in conn.execute(TEXTS, {"ids": sorted(wanted - batch.keys())}):
            stored[id_].text, stored[id_].title = text_, title
    return stored


# The statements run for every stored document are built once, and do their work in one
# round trip: building a statement, or a round trip, costs more than SQLite takes to run it.
BAND_NAMES = [f"band{i}" for i in range(BANDS)]


def report_columns(document, text_columns: bool = True):
    """What a Report needs of a document; its events' dates as the first and the last, one row
    a document (close enough for `dates_agree`, and far fewer rows than one per event)."""
    def event_date(which):
        return (select(which(events.c.date)).where(events.c.document_id == document.c.id)
                .scalar_subquery())
    texts = (document.c.text, document.c.title, document.c.url) if text_columns else ()
    return (document.c.id, *texts, document.c.published, document.c.story_id,
            event_date(func.min).label("first_event"), event_date(func.max).label("last_event"))


STORED = (select(*report_columns(documents))
          .where(documents.c.id.in_(bindparam("ids", expanding=True))).order_by(documents.c.id))
DATES = (select(*report_columns(documents, text_columns=False))
         .where(documents.c.id.in_(bindparam("ids", expanding=True))))
TEXTS = select(documents.c.id, documents.c.text, documents.c.title).where(
    documents.c.id.in_(bindparam("ids", expanding=True)))


@cache
def nearest():
    """The ids of the VERIFY documents before :doc sharing most of the buckets :band0...
    (MIN_SHARED at least), then the newest. Each bucket is read newest first, BUCKET_DEPTH
    deep at most."""
    parts = [select(story_buckets.c.document_id)
             .where(story_buckets.c.bucket == bindparam(name), story_buckets.c.document_id < bindparam("doc"))
             .order_by(story_buckets.c.document_id.desc()).limit(BUCKET_DEPTH).subquery()
             for name in BAND_NAMES]
    found = union_all(*(select(part.c.document_id) for part in parts)).subquery()
    shared = func.count().label("shared")
    return (select(found.c.document_id).group_by(found.c.document_id)
            .having(func.count() >= MIN_SHARED)
            .order_by(shared.desc(), found.c.document_id.desc()).limit(VERIFY))


def load_reports(conn: Connection, ids: list[int]) -> list[Report]:
    """Stored documents as Reports, in id order."""
    return [Report(row.id, row.text, row.title, row.url, dates_of(row), row.story_id)
            for row in conn.execute(STORED, {"ids": ids})] if ids else []


def load_dates(conn: Connection, ids: set[int]) -> list[Report]:
    """Stored documents as Reports without their texts (None until needed): dates and story."""
    return [Report(row.id, None, dates=dates_of(row), story_id=row.story_id)
            for row in conn.execute(DATES, {"ids": sorted(ids)})] if ids else []


def dates_of(row) -> frozenset[date]:
    return frozenset(as_date(d) for d in (row.published, row.first_event, row.last_event) if d)


def as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def same_story(a: Report, b: Report, rule: StoryRule = RULE) -> bool:
    """Whether two reports tell one story: dates that allow one occasion, mostly the same
    names, and either much of the same wording or the same headline."""
    if not dates_agree(a.dates, b.dates, rule.days):  # first: the cheapest test
        return False
    if min(len(a.names), len(b.names)) < rule.min_names or jaccard(a.names, b.names) < rule.names:
        return False
    return similar_titles(a.title, b.title, rule.title) or containment(a.shingles, b.shingles) >= rule.wording


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def containment(a: frozenset, b: frozenset) -> float:
    """Share of the smaller set found in the other: a report cut short is still the story."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def similar_titles(a: str | None, b: str | None, threshold: float) -> bool:
    return bool(a and b) and fuzz.token_set_ratio(a, b, processor=default_process) >= threshold


def dates_agree(a: frozenset[date], b: frozenset[date], days: int = RULE.days) -> bool:
    """True unless both have dates and none of one lies within `days` of one of the other."""
    if not a or not b:
        return True
    return any(abs((x - y).days) <= days for x in a for y in b)


# --- versions ----------------------------------------------------------------------------------

def previous_versions(conn: Connection, reports: list[Report]) -> dict[int, int]:
    """For each report whose URL an earlier document has, the id of the last such document.
    One query for the batch: most URLs are new, and a query each would cost more than the rest."""
    urls = list({r.url for r in reports if r.url})
    stored: dict[str, list[int]] = {}
    if urls:
        for id_, url in conn.execute(SAME_URLS, {"urls": urls}):
            stored.setdefault(url, []).append(id_)
    previous = {}
    for report in reports:
        earlier = [i for i in stored.get(report.url, ()) if i < report.id]
        if earlier:
            previous[report.id] = max(earlier)
    return previous


SAME_URLS = select(documents.c.id, documents.c.url).where(documents.c.url.in_(bindparam("urls", expanding=True)))


def link_version(conn: Connection, report: Report, previous_id: int) -> None:
    """Make `report` a new version of document `previous_id`, keeping what changed."""
    previous_text = conn.scalar(select(documents.c.text).where(documents.c.id == previous_id))
    conn.execute(update(documents).where(documents.c.id == report.id).values(version_of=previous_id))
    diff, added, removed = text_diff(previous_text, report.text, previous_id, report.id)
    conn.execute(insert(document_changes).values(document_id=report.id, previous_id=previous_id,
                                                 lines_added=added, lines_removed=removed, diff=diff))
    before, after = people_of(conn, previous_id), people_of(conn, report.id)
    people = [{"document_id": report.id, "entity_id": e, "change": change}
              for change, ids in (("added", after - before), ("removed", before - after))
              for e in sorted(ids)]
    if people:
        conn.execute(insert(change_people), people)


def text_diff(before: str, after: str, old_id: int, new_id: int) -> tuple[str, int, int]:
    """The unified diff of two texts by lines, and how many lines it adds and removes."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(),
                                      f"document {old_id}", f"document {new_id}", lineterm=""))
    body = lines[2:]  # after the ---/+++ header
    added = sum(1 for line in body if line.startswith("+"))
    removed = sum(1 for line in body if line.startswith("-"))
    return "\n".join(lines), added, removed


def people_of(conn: Connection, document_id: int) -> set[str]:
    query = select(mentions.c.entity_id).where(mentions.c.document_id == document_id,
                                               mentions.c.entity_id.is_not(None))
    return set(conn.scalars(query))


# --- reading the links back --------------------------------------------------------------------

def story_documents(store, document_id: int) -> list[int]:
    """Ids of the documents of the story of `document_id`, oldest first: [document_id] alone
    when no other report of it is stored, [] when there is no such document."""
    with store.engine.connect() as conn:
        return story_ids(conn, document_id)


def story_ids(conn: Connection, document_id: int) -> list[int]:
    row = conn.execute(select(documents.c.story_id).where(documents.c.id == document_id)).first()
    if row is None:
        return []
    if row.story_id is None:
        return [document_id]
    return list(conn.scalars(select(documents.c.id).where(documents.c.story_id == row.story_id)
                             .order_by(documents.c.id)))


def story_reports(store, document_id: int) -> list[dict]:
    """The documents of one story with outlet, date, title, URL and version link, oldest first."""
    with store.engine.connect() as conn:
        ids = story_ids(conn, document_id)
        if not ids:
            raise StoreError(f"no document {document_id} in the store")
        query = (select(documents.c.id, documents.c.source, documents.c.published, documents.c.title,
                        documents.c.url, documents.c.version_of, documents.c.story_id)
                 .where(documents.c.id.in_(ids)).order_by(documents.c.id))
        return [{**row, "published": iso(row["published"])} for row in conn.execute(query).mappings()]


def list_changes(store, since: date | str | None = None) -> list[dict]:
    """Articles whose text changed under the same URL, each with its versions and, per edit,
    the lines added and removed, the diff and the people added and removed. `since` keeps the
    edits readout stored on or after that day."""
    with store.engine.connect() as conn:
        edits = [edit_dict(row) for row in conn.execute(changes_query(as_day(since))).mappings()]
        people = changed_people(conn, [e["to"] for e in edits])
    for edit in edits:
        changed = people.get(edit["to"], {})
        edit["people_added"], edit["people_removed"] = changed.get("added", []), changed.get("removed", [])
    return articles_of(edits)


def changes_query(since: date | None):
    new, old = documents.alias("new"), documents.alias("old")
    query = (select(document_changes, new.c.url, new.c.title, new.c.published, new.c.ingested_at,
                    old.c.published.label("previous_published"),
                    old.c.ingested_at.label("previous_ingested_at"))
             .join(new, new.c.id == document_changes.c.document_id)
             .join(old, old.c.id == document_changes.c.previous_id)
             .order_by(document_changes.c.document_id))
    if since is not None:
        query = query.where(new.c.ingested_at >= datetime.combine(since, time(), timezone.utc))
    return query


def edit_dict(row) -> dict:
    return {"url": row["url"], "title": row["title"], "from": row["previous_id"], "to": row["document_id"],
            "from_published": iso(row["previous_published"]), "to_published": iso(row["published"]),
            "from_stored": iso(row["previous_ingested_at"]), "to_stored": iso(row["ingested_at"]),
            "lines_added": row["lines_added"], "lines_removed": row["lines_removed"], "diff": row["diff"]}


def changed_people(conn: Connection, ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """Per edit, the people "added" and "removed", by name."""
    if not ids:
        return {}
    query = (select(change_people.c.document_id, change_people.c.entity_id, change_people.c.change,
                    entities.c.name)
             .join(entities, entities.c.entity_id == change_people.c.entity_id)
             .where(change_people.c.document_id.in_(bindparam("ids", expanding=True)))
             .order_by(change_people.c.document_id, entities.c.name, change_people.c.entity_id))
    found: dict[int, dict[str, list[dict]]] = {}
    for row in conn.execute(query, {"ids": ids}):
        found.setdefault(row.document_id, {}).setdefault(row.change, []).append(
            {"entity_id": row.entity_id, "name": row.name})
    return found


def articles_of(edits: list[dict]) -> list[dict]:
    """Edits grouped by URL, in order of first edit, each article with its versions."""
    articles: dict[str, dict] = {}
    for edit in edits:
        article = articles.setdefault(edit["url"], {"url": edit["url"], "versions": [], "edits": []})
        article["title"] = edit["title"]  # the latest version's
        for end in ("from", "to"):
            version = {"id": edit[end], "published": edit[f"{end}_published"], "stored": edit[f"{end}_stored"]}
            if version not in article["versions"]:
                article["versions"].append(version)
        article["edits"].append({k: edit[k] for k in ("from", "to", "lines_added", "lines_removed",
                                                      "people_added", "people_removed", "diff")})
    return list(articles.values())


def as_day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise StoreError(f"since {value!r} is not an ISO date (YYYY-MM-DD)") from None
