"""`readout bench` as a library call: a plan of sizes in, one dict of measurements out.

The measurements, in the order they run:
1. extraction in one process (articles/s, resolution on) on a fresh corpus, and
2. the same articles on a 2-worker Dask LocalCluster: speed-up, and whether the records match;
   the two are taken in turn `repeats` times and each figure is the median of its runs (this
   machine's speed drifts by a fifth from one minute to the next);
3. ingest of those records into a new SQLite file and a new PostgreSQL database (articles/s
   stored, extraction excluded: step 1 measures it);
4. `readout ingest` of two JSONL dumps in child processes: peak memory of each, and the
   time of ingesting the smaller one again (nothing new) against the first time;
5. query latency on the large store (built once and kept), or on step 4's larger store;
6. page and API latency of `readout serve` over that store (readout.bench.pages);
7. a bounded load run against the server: mixed requests at a fixed rate (readout.bench.load).
"""
from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from time import perf_counter

from readout.bench import measure
from readout.bench.bigstore import default_path, ensure_store
from readout.bench.corpus import Corpus, load_templates
from readout.bench.pages import page_latencies
from readout.bench.queries import latencies, read_through
from readout.domain import load_yaml
from readout.errors import ReadoutError
from readout.store import open_store

REQUIRED_KEYS = ("extract_docs_per_s", "ingest_sqlite_docs_per_s", "ingest_postgres_docs_per_s",
                 "peak_rss_mb_10k", "peak_rss_mb_100k", "timeline_p95_ms", "event_search_p95_ms",
                 "fulltext_p95_ms", "dask_speedup_2_workers", "store_docs")
PRESETS = ("full", "quick", "small")


class BenchError(ReadoutError):
    """A benchmark that cannot be set up: a bad size, no template articles."""


@dataclass
class Plan:
    mode: str
    corpus: int        # articles for extraction, Dask and ingest throughput
    rss_small: int     # the ingest whose peak memory is peak_rss_mb_10k
    rss_large: int     # ... and peak_rss_mb_100k
    store: int | None  # articles of the query store; None: use the rss_large ingest's store
    queries: int
    page_requests: int = 100  # of each page and API kind
    seed: int = 0
    load_seconds: float = 60.0  # the load run's length (issue 6: 60 s at 200 requests/s)
    load_rate: float = 200.0
    postgres: str | None = None
    store_path: Path | None = None
    load_workers: int = 1  # server processes in the load run
    repeats: int = 1  # of the extraction and Dask measurements, taken in turn
    notes: list[str] = field(default_factory=list)


def make_plan(quick: bool, size: str | None, postgres: str | None = None,
              store_path: Path | None = None, seed: int = 0, load_seconds: float | None = None) -> Plan:
    """Sizes from bench.yaml: `size` names a preset (full, quick, small) or gives the number
    of articles of the throughput corpus of the full or quick preset."""
    rules = load_yaml("bench.yaml")
    mode = size if size in PRESETS else ("quick" if quick else "full")
    sizes = dict(rules["sizes"][mode])
    if size and size not in PRESETS:
        if not size.isdigit() or int(size) < 10:
            raise BenchError(f"--size {size!r}: give a number of articles (at least 10) or one of "
                             f"{', '.join(PRESETS)}")
        sizes["corpus"] = int(size)
    store = sizes["store"]
    if load_seconds is not None and load_seconds <= 0:
        raise BenchError(f"--load-seconds {load_seconds:g}: give a number of seconds above 0")
    return Plan(mode, sizes["corpus"], sizes["rss_small"], sizes["rss_large"], store, rules["queries"],
                sizes["pages"], seed, load_seconds or sizes["load_seconds"], rules["load"]["rate"],
                postgres, (store_path or default_path(store)) if store else None,
                load_workers=rules["load"]["workers"], repeats=sizes["repeats"])


def run(plan: Plan, log: Callable[[str], None] = lambda message: None) -> dict:
    """Every measurement of the plan, as one dict (bench.yaml's target keys among them)."""
    started = perf_counter()
    results: dict = {"mode": plan.mode, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "machine": machine()}
    templates = load_templates()
    if not templates:
        raise BenchError("no template articles found (tests/fixtures/gold or the shipped samples)")
    with tempfile.TemporaryDirectory(prefix="readout-bench-") as work:
        workdir = Path(work)
        throughput(plan, Corpus(templates, plan.seed), workdir, results, log)
        memory(plan, templates, workdir, results, log)
        queries(plan, workdir, results, log)
        serving(plan, workdir / "rss-100k.db", results, log)
    results["sizes"] = {"corpus": plan.corpus, "rss_10k": plan.rss_small, "rss_100k": plan.rss_large,
                        "store": results["store_docs"]}
    results["notes"] = plan.notes
    results["machine"]["load_average_end"] = os.getloadavg()
    results["bench_seconds"] = perf_counter() - started
    return results


def throughput(plan: Plan, corpus: Corpus, workdir: Path, results: dict, log) -> None:
    raws = list(corpus.documents(plan.corpus))
    rates, speedups = [], []
    for repeat in range(1, plan.repeats + 1):
        log(f"extracting {len(raws)} articles in one process ({repeat} of {plan.repeats})")
        rates.append(measure.extract_rate_in_fork(raws))
        log(f"extracting them again on a 2-worker Dask LocalCluster ({repeat} of {plan.repeats})")
        dask = measure.extract_with_dask(raws, workers=2)
        speedups.append(dask.extracted.rate() / rates[-1])
    results["extract_docs_per_s"] = statistics.median(rates)
    results["extract_docs_per_s_runs"] = rates
    results["dask_speedup_2_workers"] = statistics.median(speedups)
    results["dask_speedup_runs"] = speedups
    results["dask_docs_per_s"] = dask.extracted.rate()
    results["dask_startup_s"] = dask.startup
    log("extracting them once more in this process, for the records Dask's are compared with")
    local = measure.extract_locally(raws)
    results["dask_same_records"] = dask.extracted.outcomes == local.outcomes
    # Evidence that each worker built its resolver once, however many batches it ran.
    results["dask_resolver_loads"] = [c["loads"] for c in dask.counts.values()]
    results["dask_batches"] = [c["batches"] for c in dask.counts.values()]
    log("ingesting the records into SQLite")
    rate, report = measure.ingest_rate(str(workdir / "ingest.db"), raws, local.outcomes)
    results["ingest_sqlite_docs_per_s"] = rate
    results["ingest_refused"] = len(report.errors)
    results["ingest_postgres_docs_per_s"] = postgres_rate(plan, raws, local.outcomes, log)


def postgres_rate(plan: Plan, raws, outcomes, log) -> float | None:
    if not plan.postgres:
        plan.notes.append("ingest_postgres_docs_per_s: no PostgreSQL URL given (--db-postgres URL; "
                          "scripts/postgres.sh start && scripts/postgres.sh url gives one)")
        return None
    log("ingesting the records into a scratch PostgreSQL database")
    try:
        with measure.scratch_postgres(plan.postgres) as url:
            return measure.ingest_rate(url, raws, outcomes)[0]
    except ReadoutError as error:
        plan.notes.append(f"ingest_postgres_docs_per_s: {error}")
        return None


def memory(plan: Plan, templates, workdir: Path, results: dict, log) -> None:
    """Peak RSS of `readout ingest` at two sizes, and the re-ingest of the smaller one."""
    for key, count, seed in (("10k", plan.rss_small, plan.seed + 1), ("100k", plan.rss_large, plan.seed + 2)):
        dump = Corpus(templates, seed).write_jsonl(workdir / f"rss-{key}.jsonl", count)
        log(f"readout ingest of {count} articles in a child process")
        first = measure.ingest_in_child(dump, str(workdir / f"rss-{key}.db"))
        results[f"peak_rss_mb_{key}"] = first.peak_rss_mb
        results[f"ingest_end_to_end_{key}_docs_per_s"] = count / first.seconds
        if key == "10k":
            reingest(dump, workdir / "rss-10k.db", first, results, log)


def reingest(dump: Path, db: Path, first: measure.ChildRun, results: dict, log) -> None:
    with open_store(str(db)) as store:
        before = store.count_documents()
    log("readout ingest of the same articles again")
    again = measure.ingest_in_child(dump, str(db))
    with open_store(str(db)) as store:
        results["reingest_added"] = store.count_documents() - before
    results["reingest_ratio"] = again.seconds / first.seconds
    results["reingest_ratio_wall"] = again.wall_seconds / first.wall_seconds


def queries(plan: Plan, workdir: Path, results: dict, log) -> Path:
    if plan.store:
        log(f"making sure the {plan.store}-article store at {plan.store_path} is built (long the first time)")
        ensure_store(plan.store_path, plan.store, plan.seed + 3,
                     on_progress=lambda n: log(f"  {n} articles stored"))
        path = plan.store_path
    else:
        path = workdir / "rss-100k.db"
    log(f"reading {path} through once, then timing {plan.queries} queries of each kind on it")
    results["store_read_through_s"] = read_through(Path(path))
    with open_store(str(path)) as store:
        results["store_docs"] = store.count_documents()
        results.update(latencies(store, plan.queries, plan.seed))
    return path


def serving(plan: Plan, path: Path, results: dict, log) -> None:
    """Pages and API answers timed one at a time, then the load run, over the store of the
    rss_large ingest: issues 5 and 6 ask for them on a store of 100,000 articles."""
    with open_store(str(path)) as store:
        results["serving_store_docs"] = store.count_documents()
    results.update(page_latencies(str(path), plan.page_requests, plan.seed, log))
    results.update(load_only(plan, path, log))


def load_only(plan: Plan, path: Path, log=lambda message: None) -> dict:
    """The load run over the store at `path`."""
    from readout.bench.load import load_run

    return load_run(str(path), plan.load_seconds, plan.load_rate, plan.seed, plan.load_workers, log)


def run_load(plan: Plan, log: Callable[[str], None] = lambda message: None) -> dict:
    """`readout bench --load`: the load run alone, over the large store (built if missing),
    or, for a plan without one, over a store of plan.rss_large generated articles."""
    results: dict = {"mode": f"{plan.mode}, load only",
                     "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="readout-bench-") as work:
        if plan.store:  # the full plan: a kept store of rss_large (100,000) articles
            path = default_path(plan.rss_large)
            log(f"making sure the {plan.rss_large}-article store at {path} is built")
            ensure_store(path, plan.rss_large, plan.seed + 2, on_progress=lambda n: log(f"  {n} articles stored"))
        else:
            path = Path(work) / "load.db"
            dump = Corpus(load_templates(), plan.seed + 2).write_jsonl(Path(work) / "load.jsonl", plan.rss_large)
            log(f"readout ingest of {plan.rss_large} articles for the load run")
            measure.ingest_in_child(dump, str(path))
        with open_store(str(path)) as store:
            results["store_docs"] = store.count_documents()
        results.update(load_only(plan, path, log))
    results["notes"] = plan.notes
    results["machine"]["load_average_end"] = os.getloadavg()
    return results


def machine() -> dict:
    memory_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"nproc": os.cpu_count(), "ram_gb": round(memory_bytes / 2**30, 1),
            "cpu": _cpu_model(), "python": platform.python_version(),
            "python_executable": os.path.realpath(sys.executable),
            "load_average_start": os.getloadavg()}


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            return next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), None)
    except OSError:
        return None


def verdicts(results: dict) -> dict[str, bool | None]:
    """Whether each measurement meets its target of bench.yaml (None: not measured)."""
    found = {}
    for key, target in load_yaml("bench.yaml")["targets"].items():
        value = results.get(key)
        if value is None:
            found[key] = None
        else:
            found[key] = value >= target["min"] if "min" in target else value <= target["max"]
    return found
