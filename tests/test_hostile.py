"""Hostile and broken inputs: each ends in a clear error or a safe result, in bounded time and memory.

All the inputs are made at test time in a temporary folder (the 200 MB file and the gzip bomb are
never committed) and read by ONE `readout extract` process, then one `readout ingest`, each
under resource limits (address space and CPU time), so that a blow-up shows as a failure of
the limit rather than as a machine that swaps. Each test then checks the outcome for its input.

Set READOUT_HOSTILE_REPORT=FILE to keep the measured outcomes as JSON (docs/reliability.md).
"""
from __future__ import annotations

import gzip
import json
import os
import resource
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

MEMORY_LIMIT = 1024 * 1024 * 1024   # bytes of address space for the whole run
CPU_LIMIT = 120                     # seconds of CPU time for the whole run (about 15 s here)
WALL_LIMIT = 600                    # a safety net only: the machine may be shared
MB = 1024 * 1024

LEAD = "Pyongyang, June 19 (KCNA) -- Kim Jong Un held talks with Vladimir Putin at the Kumsusan State Guesthouse."
SECRET = "readout-hostile-secret-4b1d"
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [{doctype}]>
<rss version="2.0"><channel><title>KCNA Watch</title>
<item><title>Kim Jong Un Receives Lavrov</title>
<description>Pyongyang, May 31 (KCNA) -- Kim Jong Un received Sergei Lavrov {where}. {use}</description></item>
</channel></rss>"""


def make_inputs(folder: Path) -> dict[str, Path]:
    """Every hostile input, by name; big ones are written in pieces so the test stays small."""
    files = {}

    def put(name: str, data: bytes) -> None:
        files[name] = folder / name
        files[name].write_bytes(data)

    with open(folder / "single-line-200mb.txt", "wb") as out:
        for _ in range(200):
            out.write(b"Kim Jong Un " * (MB // 12) + b"x" * (MB % 12))
    files["single-line-200mb.txt"] = folder / "single-line-200mb.txt"
    with open(folder / "dump-with-200mb-line.jsonl", "wb") as out:
        out.write(json.dumps({"text": LEAD}).encode() + b"\n" + b'{"text": "')
        for _ in range(200):
            out.write(b"a" * MB)
        out.write(b'"}\n' + json.dumps({"text": "Choe Son Hui met Sergei Lavrov in Moscow."}).encode() + b"\n")
    files["dump-with-200mb-line.jsonl"] = folder / "dump-with-200mb-line.jsonl"
    # A gzip file may hold many members: 1,024 copies of 1 MB of zeros is a 1 GB bomb in 1 MB.
    bomb = gzip.compress(b"\0" * MB, 9) * 1024
    put("bomb.txt.gz", bomb)
    put("bomb.jsonl.gz", bomb)
    nested = "<div>" * 100_000 + f"<p>{LEAD}</p>" + "</div>" * 100_000
    put("nested-100k.html", f"<html><body>{nested}</body></html>".encode())
    put("billion-laughs.xml", FEED.format(doctype=f'<!ENTITY lol0 "lol">{LAUGHS}', use="&lol9;", where="in Pyongyang").encode())
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    put("external-entity.xml", FEED.format(
        doctype=f'<!ENTITY a SYSTEM "file://{secret}"><!ENTITY b SYSTEM "file:///etc/passwd">',
        use="&a; &b;", where="at the Kumsusan Palace").encode())
    # UTF-8 with a cp1252 curly quote and a byte that is neither, in one article.
    put("mixed-encodings.txt", LEAD.encode() + b" Choe Son Hui said: \x93we support\x94 it. \xff\xfe\n")
    put("nul-bytes.txt", LEAD.replace("Kim Jong Un", "Kim\0 Jong\0 Un").encode())
    put("mostly-nul.txt", b"\0" * 4096 + LEAD.encode())
    put("invisible-in-names.txt", (
        "Pyongyang, June 19 (KCNA) -- Kim\u200b Jong Un held talks with \u202eVladimir Putin. "
        "Present were Choe\u2060 Son Hui and \u2067Kim Tok Hun\u2069.\n").encode())
    put("joiner-in-name.txt", "Pyongyang, June 19 (KCNA) -- Kim\u200d Jong Un met Sergei Lavrov.\n".encode())
    put("invalid-utf8.html", b"<html><head><meta charset='utf-8'><title>Talks</title></head><body><p>"
        + LEAD.encode() + b" \xc3\x28 \xa0\xa1 \xed\xa0\x80</p></body></html>")
    return files


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    cpu_seconds: float
    max_rss_mb: float


def run_limited(args: list[str], cwd: Path) -> Run:
    """`readout ARGS` in a process with an address-space and a CPU-time limit."""
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))

    with open(cwd / "out", "w+") as out, open(cwd / "err", "w+") as err:
        process = subprocess.Popen([sys.executable, "-m", "readout", *args], stdout=out, stderr=err,
                                   preexec_fn=limits, cwd=cwd)
        timer = threading.Timer(WALL_LIMIT, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)   # wait4: this child's own CPU time and memory
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        return Run(process.returncode, out.read(), err.read(), usage.ru_utime + usage.ru_stime,
                   usage.ru_maxrss / 1024)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    inputs = make_inputs(folder)
    names = [n for n in inputs if n != "secret.txt"]
    extract = run_limited(["extract", *[str(inputs[n]) for n in names]], folder)
    # The big ones once are enough: ingest reads files through the same readers as extract.
    small = [n for n in names if inputs[n].stat().st_size < MB and not n.startswith("bomb")]
    ingest = run_limited(["ingest", *[str(inputs[n]) for n in small], "--db", str(folder / "h.db"),
                          "--batch-size", "3"], folder)
    records = [json.loads(line) for line in extract.stdout.splitlines()]
    result = {"inputs": inputs, "extract": extract, "ingest": ingest, "records": records,
              "db": folder / "h.db", "ingested": [str(inputs[n]) for n in small]}
    report(result)
    yield result
    for path in inputs.values():
        path.unlink(missing_ok=True)   # 400 MB of test files should not wait for pytest's cleanup


def report(result: dict) -> None:
    target = os.environ.get("READOUT_HOSTILE_REPORT")
    if not target:
        return
    extract = result["extract"]
    outcomes = {name: outcome(result, name) for name in result["inputs"] if name != "secret.txt"}
    Path(target).write_text(json.dumps({
        "extract_run": {"exit_code": extract.code, "cpu_seconds": round(extract.cpu_seconds, 1),
                        "max_rss_mb": round(extract.max_rss_mb), "memory_limit_mb": MEMORY_LIMIT // MB,
                        "cpu_limit_seconds": CPU_LIMIT},
        "ingest_run": {"exit_code": result["ingest"].code, "cpu_seconds": round(result["ingest"].cpu_seconds, 1),
                       "max_rss_mb": round(result["ingest"].max_rss_mb)},
        "outcomes": outcomes}, indent=2) + "\n")


def outcome(result: dict, name: str) -> str:
    """The input's 'error: ...' lines, and for each document read from it the people found and
    its warnings."""
    path = str(result["inputs"][name])
    errors = [line for line in result["extract"].stderr.splitlines() if line.startswith(f"error: {path}")]
    documents = [r for r in result["records"] if r["file"].split("#")[0] == path]
    shown = [e.replace(path, name) for e in errors]
    for document in documents:
        people = ", ".join(sorted({p["name"] for p in document["people"]}))
        warnings = "; ".join(w.split(": ", 1)[-1] for w in document["warnings"])
        shown.append(f"document read, people: {people or 'none'}" + (f" (warning: {warnings})" if warnings else ""))
    return "; ".join(shown)


def records_of(hostile: dict, name: str) -> list[dict]:
    path = str(hostile["inputs"][name])
    return [r for r in hostile["records"] if r["file"].split("#")[0] == path]


def error_of(hostile: dict, name: str) -> str:
    path = str(hostile["inputs"][name])
    lines = [line for line in hostile["extract"].stderr.splitlines() if line.startswith(f"error: {path}")]
    assert len(lines) == 1, hostile["extract"].stderr[-2000:]
    return lines[0]


def names_in(record: dict) -> dict[str, str]:
    return {p["name"]: p["entity_id"] for p in record["people"]}


# --- the runs as a whole --------------------------------------------------------------------

def test_one_run_reads_every_hostile_input_within_its_limits(hostile):
    extract = hostile["extract"]
    assert "Traceback" not in extract.stderr, extract.stderr[-3000:]
    assert extract.code == 1                           # some inputs are refused, and it says so
    assert extract.max_rss_mb < MEMORY_LIMIT / MB and extract.cpu_seconds < CPU_LIMIT
    for line in extract.stderr.splitlines():
        assert line.startswith(("error: ", "warning: ")), line


def test_ingest_stores_the_readable_ones_whole_and_reports_the_rest(hostile):
    ingest = hostile["ingest"]
    assert "Traceback" not in ingest.stderr and ingest.code == 1, ingest.stderr[-3000:]
    with sqlite3.connect(hostile["db"]) as db:
        stored = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        events = dict(db.execute("SELECT d.sha256, count(e.id) FROM documents d "
                                 "LEFT JOIN events e ON e.document_id = d.id GROUP BY d.id").fetchall())
    readable = [r for r in hostile["records"] if r["file"].split("#")[0] in hostile["ingested"]]
    assert stored == len(readable) and f"stored {stored} new, 0 already stored, 1 refused" in ingest.stdout
    assert sum(events.values()) == sum(len(r["events"]) for r in readable)   # no article without its events


# --- one input each -------------------------------------------------------------------------

def test_200mb_single_line_file_is_refused_by_size(hostile):
    assert "larger than 32 MB, too big for one article" in error_of(hostile, "single-line-200mb.txt")
    assert not records_of(hostile, "single-line-200mb.txt")


def test_200mb_line_of_a_dump_is_skipped_and_its_neighbours_read(hostile):
    assert "line 2: longer than 32 MB" in error_of(hostile, "dump-with-200mb-line.jsonl")
    first, last = records_of(hostile, "dump-with-200mb-line.jsonl")
    assert first["file"].endswith("#1") and last["file"].endswith("#3")
    assert "Kim Jong Un" in names_in(first) and "Choe Son Hui" in names_in(last)


@pytest.mark.parametrize("name, reason", [("bomb.txt.gz", "larger than 32 MB"),
                                          ("bomb.jsonl.gz", "line 1: longer than 32 MB")])
def test_gzip_bomb_is_refused_without_inflating_it(hostile, name, reason):
    assert reason in error_of(hostile, name)


def test_html_nested_100k_deep_is_refused(hostile):
    assert "HTML nested 100002 elements deep" in error_of(hostile, "nested-100k.html")


def test_billion_laughs_is_not_expanded(hostile):
    [record] = records_of(hostile, "billion-laughs.xml")
    assert "lollol" not in json.dumps(record)
    assert names_in(record)["Kim Jong Un"] == "kim-jong-un"


def test_external_entities_are_never_read(hostile):
    [record] = records_of(hostile, "external-entity.xml")
    everything = hostile["extract"].stdout + hostile["extract"].stderr
    assert SECRET not in everything and "root:x:0:0" not in everything
    assert names_in(record)["Sergei Lavrov"]


def test_mixed_encodings_and_invalid_utf8_are_decoded_with_a_warning(hostile):
    [record] = records_of(hostile, "mixed-encodings.txt")
    assert any("not valid UTF-8" in w for w in record["warnings"])
    assert {"Kim Jong Un", "Vladimir Putin", "Choe Son Hui"} <= set(names_in(record))
    [page] = records_of(hostile, "invalid-utf8.html")
    assert names_in(page)["Kim Jong Un"] == "kim-jong-un"


def test_nul_bytes_are_removed_and_the_name_still_found(hostile):
    [record] = records_of(hostile, "nul-bytes.txt")
    assert any("removed 2 NUL characters" in w for w in record["warnings"])
    assert names_in(record)["Kim Jong Un"] == "kim-jong-un"
    assert "binary file, not an article" in error_of(hostile, "mostly-nul.txt")


def test_zero_width_and_bidi_controls_inside_names_are_removed(hostile):
    [record] = records_of(hostile, "invisible-in-names.txt")
    assert any("zero-width or text-direction" in w for w in record["warnings"])
    found = names_in(record)
    assert found["Kim Jong Un"] == "kim-jong-un" and found["Vladimir Putin"] == "vladimir-putin"
    assert {"Choe Son Hui", "Kim Tok Hun"} <= set(found)
    for person in record["people"]:
        assert not any(c in person["mention"] for c in "\u200b\u202e\u2060\u2067\u2069")


def test_a_joiner_beside_latin_letters_is_removed_too(hostile):
    # U+200D stays between letters of scripts that need it; beside "Kim" it only splits the name.
    [record] = records_of(hostile, "joiner-in-name.txt")
    found = names_in(record)
    assert found["Kim Jong Un"] == "kim-jong-un" and "Jong Un" not in found
    assert names_in(record)["Sergei Lavrov"]
