"""The pipeline in one place: ingest -> parse -> extract -> resolve -> record.

`process` runs the stages on one RawDocument; `records` streams the output contract of
DESIGN.md for many. Storage and the interfaces sit on top of these records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from readout.contract import to_record
from readout.extract import extract
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
    by_mention = {}
    for person in extraction.people:
        resolution = resolver.resolve(person.mention, person.country, person.title)
        person.name, person.entity_id = resolution.name, resolution.entity_id
        person.resolution_score, person.resolution_reason = resolution.score, resolution.reason
        if resolution.is_known and resolution.country and not (person.side or _title_says_country(person)):
            person.country = resolution.country
        by_mention[person.mention] = person
    for event in extraction.events:
        for principal in event.principals:
            person = by_mention.get(principal["mention"])
            principal.update(name=person.name, entity_id=person.entity_id, country=person.country)
        for participant in event.participants:
            person = by_mention.get(participant.mention)
            participant.name, participant.entity_id = person.name, person.entity_id


def _title_says_country(person) -> bool:
    from readout.extract.countries import country_in

    return country_in(person.title) is not None


@dataclass
class IngestReport:
    """What one ingest run did: stored, already there, and refused (with reasons)."""

    stored: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ingest(raws: Iterable[RawDocument], store, report: IngestReport, batch_size: int = 200,
           on_batch=None, resolver: Resolver | None = None) -> IngestReport:
    """Extract and store documents in batches; each batch is one transaction, so an
    interruption never leaves half an article, and a document that fails extraction is
    reported and skipped without stopping the run."""
    resolver = resolver or Resolver.default()
    batch: list[tuple[dict, str]] = []
    for raw in raws:
        report.warnings.extend(raw.warnings)
        try:
            batch.append((to_record(process(raw, resolver)), raw.text))
        except Exception as error:  # one bad article never stops a batch (reported, counted)
            report.errors.append(f"{raw.path}: cannot extract ({type(error).__name__}: {error})")
        if len(batch) >= batch_size:
            _store_batch(store, batch, report, on_batch)
    _store_batch(store, batch, report, on_batch)
    return report


def _store_batch(store, batch: list, report: IngestReport, on_batch) -> None:
    if not batch:
        return
    results = store.add_records(batch)
    report.stored += sum(1 for r in results if r.created)
    report.duplicates += sum(1 for r in results if not r.created)
    if on_batch:
        on_batch(len(batch))
    batch.clear()
