"""The unit of work both engines run: one batch of raw documents to extract records."""
from __future__ import annotations

import gc
from dataclasses import dataclass

from readout.errors import ReadoutError
from readout.model import RawDocument


class EngineError(ReadoutError):
    """An engine that cannot start or reach its cluster."""


@dataclass(frozen=True)
class Outcome:
    """The record of one document, or why it has none."""

    record: dict | None = None
    error: str | None = None


def extract_batch(raws: list[RawDocument], resolver) -> list[Outcome]:
    """Records of `raws` in order; a document that fails extraction gets its reason instead,
    so one bad article never sinks the batch."""
    from readout.pipeline import process  # the pipeline builds on the engines: import late
    from readout.contract import to_record

    outcomes = []
    for raw in raws:
        try:
            outcomes.append(Outcome(record=to_record(process(raw, resolver))))
        except Exception as error:  # reported per article by the caller, counted, run goes on
            outcomes.append(Outcome(error=f"cannot extract ({type(error).__name__}: {error})"))
    return outcomes


def warm_up(resolver) -> None:
    """Extract one shipped sample, so that the rule files every stage reads on first use are
    read now, at start-up, and not inside the first batch (seconds, on a busy machine); then
    freeze what is loaded (gc.freeze). The resolver and the rules live as long as the
    process, and every full collection walked them all: in a Dask worker, about 120 ms each,
    a tenth of its time."""
    from importlib import resources

    samples = resources.files("readout.data").joinpath("samples")
    first = min((entry for entry in samples.iterdir() if entry.name.endswith(".txt")), key=lambda e: e.name)
    extract_batch([RawDocument(first.name, first.read_text(encoding="utf-8"))], resolver)
    gc.freeze()
