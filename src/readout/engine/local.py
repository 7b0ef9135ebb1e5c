"""The local engine: extraction in this process, one batch after another."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from readout.engine.work import Outcome, extract_batch, warm_up
from readout.model import RawDocument


class LocalEngine:
    name = "local"

    def __init__(self, resolver=None):
        self.resolver = resolver

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: the resolver is the process's own."""

    def map(self, batches: Iterable[list[RawDocument]]
            ) -> Iterator[tuple[list[RawDocument], list[Outcome]]]:
        """Each batch with its outcomes, in order; the next batch is read only when asked for."""
        for raws in batches:
            yield raws, extract_batch(raws, self._resolver())

    def _resolver(self):
        # Loaded at the first batch, not before: a re-ingest with nothing new never needs it.
        if self.resolver is None:
            from readout.resolve import Resolver

            self.resolver = Resolver.default()
            warm_up(self.resolver)  # as a Dask worker's, so that full collections skip it
        return self.resolver
