"""The Dask engine: batches of raw documents extracted on a Dask cluster's workers.

1. Start a LocalCluster of worker processes (one thread each: extraction is pure Python and
   holds the GIL), or connect to the scheduler the user named.
2. Register a worker plugin that loads the resolver when each worker starts (its KB index
   takes about half a second to build) and reads the extraction rules by extracting one
   sample: no batch pays for them, and no batch loads them again.
3. Place an Extractor actor on every worker and send it whole batches (not single
   articles), at most a few per worker ahead of the writer so that memory stays bounded
   however long the input; give results back in input order. An actor's call goes from the
   client straight to its worker; a task goes through the scheduler, which on these machines
   cost about 6 ms of the client's CPU a task against under 1 ms a call (30 µs an article at
   200 articles a batch, against 4). Tasks remain the way back when a worker dies: its
   batches run as plain tasks, which the scheduler gives to a live worker.
4. Keep the client's share of the machine small: on a LocalCluster it shares the cores with
   the workers, so every millisecond it spends per batch is taken from extraction. A batch
   travels as one pickled bytes object each way, raw documents out and plain (record, error)
   pairs back: Dask passes bytes through untouched, where its own serializer (cloudpickle, a
   Python-level pickler) walked every document and record object in the client's process.
   The client decodes outcomes with the garbage collector paused (the collector, walking the
   client's growing heap of records at every few hundred new dicts, cost more than the
   decoding itself); and a LocalCluster runs without
   Dask's statistical profiler (which took about a seventh of the workers' time on this
   pure-Python work) and with its housekeeping made rarer (LOCAL_CLUSTER_CONFIG).

Workers resolve with their own `Resolver.default()`: the shipped knowledge base merged with the
user's under the worker's READOUT_HOME. A LocalCluster shares this machine's; the workers of a
remote cluster need readout installed and the same user knowledge base to give the same rows.
"""
from __future__ import annotations

import gc
import logging
import pickle
from collections import deque
from collections.abc import Iterable, Iterator

import dask
from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from readout.engine.work import EngineError, Outcome, extract_batch, warm_up
from readout.model import RawDocument

PLUGIN = "readout-resolver"
AHEAD_PER_WORKER = 2  # batches queued per worker: enough to hide the writer's turn
# Settings of a LocalCluster's scheduler, workers and nannies (a remote cluster keeps its own).
# Dask's defaults suit a long-lived shared cluster with a dashboard: a profiler sampling every
# worker's stack every 10 ms, an event-loop check every 20 ms and a system monitor every 500 ms
# in every process. Here they took about 8% of a core in the client (which hosts the scheduler)
# and 3% in each worker while idle, on the same two cores as the extraction; work stealing
# has nothing to balance when at most AHEAD_PER_WORKER batches per worker are queued.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing": False,
}


class ResolverPlugin(WorkerPlugin):
    """The resolver of one worker, loaded once when the worker starts, with counts that show
    it (how many times it was loaded, how many batches used it)."""

    name = PLUGIN

    def setup(self, worker) -> None:
        from readout.resolve import Resolver

        self.resolver = Resolver.default()
        warm_up(self.resolver)
        self.loads = getattr(self, "loads", 0) + 1
        self.batches = 0


class Extractor:
    """The actor each worker holds: the batches sent to it extracted with the worker's
    resolver."""

    def extract(self, payload: bytes) -> bytes:
        """The pickled raw documents of `payload` extracted, their outcomes pickled as
        (record, error) pairs for `outcomes_of`."""
        plugin = get_worker().plugins[PLUGIN]
        plugin.batches += 1
        outcomes = extract_batch(pickle.loads(payload), plugin.resolver)
        return _pickled([(outcome.record, outcome.error) for outcome in outcomes])


def extract_task(payload: bytes) -> bytes:
    """A batch as a plain task, for one whose actor's worker was lost: the scheduler runs it
    on a live worker, and again elsewhere should that one die too."""
    return Extractor().extract(payload)


def _failed(call) -> bool:
    try:
        call.result()
    except Exception:
        return True
    return False


def _pickled(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def outcomes_of(data: bytes) -> list[Outcome]:
    """A batch's outcomes from the bytes a worker sent. Unpickling plain records makes no
    reference cycles, so pausing the collector frees nothing it would have freed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [Outcome(record, error) for record, error in pickle.loads(data)]
    finally:
        if enabled:
            gc.enable()


def plugin_counts(dask_worker) -> dict:
    """Run on every worker by tests and `readout bench`: resolver loads and batches done."""
    plugin = dask_worker.plugins[PLUGIN]
    return {"loads": plugin.loads, "batches": plugin.batches}


class DaskEngine:
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int = 2):
        self.scheduler, self.workers = scheduler, workers
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None
        self.extractors: Extractors | None = None  # of the latest map, for its counts

    def __enter__(self) -> DaskEngine:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start or reach the cluster and load a resolver on every worker; EngineError if not."""
        try:
            self.client = self._connect()
            self.client.register_plugin(ResolverPlugin())
        except (OSError, TimeoutError) as error:
            self.close()
            where = f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a local Dask cluster"
            raise EngineError(f"cannot reach {where}: {error}; is the scheduler running? "
                              "without --scheduler readout starts a LocalCluster itself") from None
        except ImportError as error:
            self.close()
            raise EngineError(f"Dask workers cannot load readout ({error}): install readout "
                              "in the workers' Python environment") from None

    def _connect(self) -> Client:
        if self.scheduler:
            return Client(self.scheduler, timeout="10s")
        with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read as the cluster starts, passed to its workers
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.ERROR)
        # Actor calls go straight to the workers, not relayed through the scheduler, which
        # lives in this process and would handle every batch's bytes twice.
        return Client(self.cluster, direct_to_workers=True)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def counts(self) -> dict[str, dict]:
        """Per worker address, how often the resolver was loaded and how many batches ran."""
        return self.client.run(plugin_counts)

    def map(self, batches: Iterable[list[RawDocument]]
            ) -> Iterator[tuple[list[RawDocument], list[Outcome]]]:
        """Each batch with its outcomes, in input order, with a bounded number in flight."""
        extractors = self.extractors = Extractors(self.client)
        pending: deque = deque()
        for raws in batches:
            payload = _pickled(raws)
            pending.append((raws, payload, extractors.send(payload)))
            if len(pending) > AHEAD_PER_WORKER * len(extractors.actors):
                yield self._done(extractors, *pending.popleft())
        while pending:
            yield self._done(extractors, *pending.popleft())

    def _done(self, extractors: Extractors, raws: list[RawDocument], payload: bytes, sent: tuple
              ) -> tuple[list[RawDocument], list[Outcome]]:
        try:
            return raws, outcomes_of(extractors.result(sent, payload))
        except ImportError as error:
            raise EngineError(f"Dask workers cannot load readout ({error}): install readout "
                              "in the workers' Python environment") from None
        except Exception as error:  # every worker lost, or the scheduler
            raise EngineError(f"Dask extraction failed for the batch starting at "
                              f"{raws[0].path}: {type(error).__name__}: {error}") from None


class Extractors:
    """An Extractor actor on every worker, and which of them takes the next batch: the one with
    the fewest unfinished batches (of two alike, the one given fewer so far), so a slower
    worker is given less. A batch whose worker was lost runs as a plain task instead, which
    the scheduler gives to a live worker, and that worker's actor is given no more."""

    def __init__(self, client: Client):
        self.client = client
        futures = [client.submit(Extractor, actor=True, workers=[address], pure=False)
                   for address in client.scheduler_info()["workers"]]
        self.actors = [future.result() for future in futures]
        self.unfinished: list[list] = [[] for _ in self.actors]
        self.given = [0] * len(self.actors)
        self.lost: set[int] = set()
        self.as_tasks = 0  # batches that ran as plain tasks after their worker was lost

    def send(self, payload: bytes) -> tuple[int | None, object]:
        """The batch `payload` sent: the actor's index (None for a plain task) and its future."""
        for index in self._live():
            self._forget_finished(index)
        live = self._live()
        if not live:
            return None, self._as_task(payload)
        chosen = min(live, key=lambda index: (len(self.unfinished[index]), self.given[index]))
        try:
            call = self.actors[chosen].extract(payload)
        except RuntimeError:  # Dask already knows the actor's worker is lost
            self.lost.add(chosen)
            return self.send(payload)
        self.given[chosen] += 1
        self.unfinished[chosen].append(call)
        return chosen, call

    def _live(self) -> list[int]:
        return [index for index in range(len(self.actors)) if index not in self.lost]

    def _forget_finished(self, index: int) -> None:
        """Keep the actor's unfinished calls only. A call that failed means its worker was lost:
        one more call sent there would fail only after Dask's connect timeout (30 s)."""
        unfinished = []
        for call in self.unfinished[index]:
            if not call.done():
                unfinished.append(call)
            elif _failed(call):
                self.lost.add(index)
        self.unfinished[index] = unfinished

    def result(self, sent: tuple[int | None, object], payload: bytes) -> bytes:
        chosen, call = sent
        try:
            return call.result()
        except OSError:
            if chosen is None:
                raise
            self.lost.add(chosen)
            return self._as_task(payload).result()

    def _as_task(self, payload: bytes):
        self.as_tasks += 1
        return self.client.submit(extract_task, payload, pure=False)
