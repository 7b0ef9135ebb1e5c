"""The pipeline in one place: ingest -> parse -> extract -> resolve -> record.

`process` runs the stages on one RawDocument; `records` streams the output contract of
DESIGN.md for many. Storage and the interfaces sit on top of these records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator

from readout.contract import to_record
from readout.errors import StoreError
from readout.extract import extract
from readout.extract.countries import country_in
from readout.model import Extraction, RawDocument
from readout.parse import parse
from readout.resolve import Resolver


def process(raw: RawDocument, resolver: Resolver | None = None) -> Extraction:
    extraction = extract(parse(raw))
    resolve_people(extraction, resolver or Resolver.default())
    return extraction


def records(raws: Iterable[RawDocument], resolver: Resolver | None = None) -> Iterator[dict]:
    resolver = resolver or Resolver.default()
    for raw in raws:
        yield to_record(process(raw, resolver))


def resolve_people(extraction: Extraction, resolver: Resolver) -> None:
    """Give every person its canonical name and entity; the KB knows countries better than shape."""
    # Run once per article over some four people and three events: the resolver's method and
    # the fields are read into locals, and a principal's three fields set in place rather
    # than by dict.update with keywords (this loop was a fifth of resolve_people, cProfile).
    resolve = resolver.resolve
    by_mention = {}
    for person in extraction.people:
        resolution = resolve(person.mention, person.country, person.title)
        person.name, person.entity_id = resolution.name, resolution.entity_id
        person.resolution_score, person.resolution_reason = resolution.score, resolution.reason
        if resolution.country and not person.side and resolution.is_known \
                and country_in(person.title) is None:
            person.country = resolution.country
        by_mention[person.mention] = person
    for event in extraction.events:
        for principal in event.principals:
            person = by_mention.get(principal["mention"])
            principal["name"], principal["entity_id"] = person.name, person.entity_id
            principal["country"] = person.country
        for participant in event.participants:
            person = by_mention.get(participant.mention)
            participant.name, participant.entity_id = person.name, person.entity_id


@dataclass
class IngestReport:
    """What one ingest run did: stored, already there, and refused (with reasons)."""

    stored: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ingest(raws: Iterable[RawDocument], store, report: IngestReport, batch_size: int = 200,
           on_batch=None, resolver: Resolver | None = None, engine=None) -> IngestReport:
    """Extract and store documents in batches, with constant memory and resumably.

    1. Read the input `batch_size` documents at a time: memory holds a few batches, never
       the whole input.
    2. Drop the texts the store holds already (by sha256, one indexed query per batch) before
       any extraction: re-ingesting an archive, or finishing one that was interrupted, costs
       reading and hashing only.
    3. Extract the rest with `engine` (a readout.engine engine; in this process by default),
       batches coming back in input order so every engine stores the same rows.
    4. Store each batch as one transaction, so an interruption never leaves half an article.
       A document that fails extraction, or a record the store refuses, is reported and the
       rest of its batch is stored.
    """
    from readout.engine import LocalEngine  # the engines run `process`: import them late

    engine = engine or LocalEngine(resolver)
    for raws, outcomes in engine.map(_unstored_batches(raws, store, report, batch_size, on_batch)):
        _store_batch(store, raws, outcomes, report, on_batch)
    return report


def _unstored_batches(raws: Iterable[RawDocument], store, report: IngestReport, batch_size: int,
                      on_batch) -> Iterator[list[RawDocument]]:
    """Batches of the documents whose text is not stored yet; the others count as duplicates."""
    from readout.engine import known_hashes, text_hash

    for batch in _chunks(raws, batch_size):
        for raw in batch:
            report.warnings.extend(raw.warnings)
        hashes = [text_hash(raw.text) for raw in batch]
        stored, seen = known_hashes(store, hashes), set()
        fresh = []
        for raw, sha in zip(batch, hashes):
            if sha not in stored and sha not in seen:
                fresh.append(raw)
            seen.add(sha)
        _skipped(len(batch) - len(fresh), report, on_batch)
        if fresh:
            yield fresh


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _skipped(count: int, report: IngestReport, on_batch) -> None:
    report.duplicates += count
    if count and on_batch:
        on_batch(count)


def _store_batch(store, raws: list[RawDocument], outcomes: list, report: IngestReport, on_batch) -> None:
    items = []
    for raw, outcome in zip(raws, outcomes):
        if outcome.error is not None:
            report.errors.append(f"{raw.path}: {outcome.error}")
        else:
            items.append((outcome.record, raw.text))
    results = _add_records(store, items, report) if items else []
    report.stored += sum(1 for r in results if r.created)
    report.duplicates += sum(1 for r in results if not r.created)
    if on_batch:
        on_batch(len(raws))


def _add_records(store, items: list[tuple[dict, str]], report: IngestReport) -> list:
    """The batch in one transaction; if the store refuses it, each record in its own, so that
    one bad record is reported and the good ones are stored. A database that cannot be
    reached or written at all stops the run instead: no record could be stored."""
    try:
        return store.add_records(items)
    except StoreError as error:
        if _database_unusable(error):
            raise
    results = []
    for record, text in items:
        try:
            results.extend(store.add_records([(record, text)]))
        except StoreError as error:
            if _database_unusable(error):
                raise
            report.errors.append(_named(error, record))
    return results


def _database_unusable(error: StoreError) -> bool:
    """A lost connection or a locked/full database, as opposed to a record it refuses."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(error.__cause__, (OperationalError, InterfaceError))


def _named(error: StoreError, record: dict) -> str:
    name = record.get("file") if isinstance(record, dict) else None
    return str(error) if not name or name in str(error) else f"{name}: {error}"
