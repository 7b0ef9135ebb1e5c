"""Whole answers kept until the store changes: a read that was answered once is answered
again from memory, and a browser that has it already is told so (304).

Every GET the server answers is a function of the store alone (writes are POSTs), so the
body of a 200 can be kept, keyed by path and query, for as long as the store's state (its
number of documents and newest id, readout.api.cache) is the one it was computed for. A
team's analysts open the same people, the same recent events and the same searches all
morning; computing a leader's page again for each of them is what made a loaded server fall
behind. Kept bodies are bounded in bytes, least recently used dropped first; each carries an
ETag, so a browser revalidates (Cache-Control: no-cache) and gets a 304 without the body.

The processes of `readout serve --workers N` also share what they keep, in a disk cache in a
folder of their own (SharedBodies). The header x-readout-cache says hit or miss (or joined:
computed once for this and an earlier request of the same path that was still waiting for
it), for the load run's figures and for tests.

A process computes at most `slots` answers at once; a request waiting for a slot looks for
its answer again when it gets one. When many ask for a leader's page at once, or the same
page is asked for while its answer is still waited for, it is computed once: without this a
server behind its load computed the same answers over and over and never caught up.
"""
from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from readout.api.cache import AnswerCache

MEGABYTE = 1024 * 1024
KEPT_HEADERS = {b"content-type"}  # the rest are added again (Guard) or made here


class KeptBodies:
    """Bodies by key, with the state they were made for, at most `budget` bytes in all."""

    def __init__(self, budget: int, largest: int):
        self.budget, self.largest, self.used = budget, largest, 0
        self.entries: OrderedDict[tuple, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, state: tuple) -> tuple | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != state:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple, state: tuple, kept: tuple) -> None:
        size = len(kept[2])
        if size > self.largest:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.used -= len(old[1][2]) if old else 0
            self.entries[key] = (state, kept)
            self.used += size
            while self.used > self.budget:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.used -= len(dropped[2])


class ResponseCache:
    """ASGI middleware keeping the 200 answers to GET requests while the store is unchanged."""

    def __init__(self, app: ASGIApp, store, states: AnswerCache, budget_mb: int = 64,
                 shared: Path | None = None, slots: int = 4):
        self.app, self.store, self.states = app, store, states
        self.kept = KeptBodies(budget_mb * MEGABYTE, largest=max(1, budget_mb // 8) * MEGABYTE)
        self.shared = SharedBodies(shared, budget_mb * MEGABYTE) if shared else None
        self.slots = asyncio.Semaphore(slots)
        self.pending: dict[tuple, asyncio.Future] = {}  # key -> the answer being computed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        state = self.states.last_state(self.store)
        if state is None:  # first read, or after a write: counts the documents, off the loop
            state = await run_in_threadpool(self.states.state, self.store)
        key = (scope["path"], scope.get("query_string", b""))
        kept, how = self.lookup(key, state), b"hit"
        if kept is None:
            kept, how = await self.computed(key, state, scope, receive, send)
            if kept is None:
                return  # not keepable: already sent as it came
        await reply(send, scope, kept, how)

    async def computed(self, key: tuple, state: tuple, scope: Scope, receive: Receive,
                       send: Send) -> tuple[tuple | None, bytes]:
        """The answer for `key` computed once, however many ask for it meanwhile: a request
        that finds it being computed waits for that (joined), the first one waits for a slot
        and looks again (another process may have made it), then runs the app (miss)."""
        pending = self.pending.get(key)
        if pending is not None:
            kept = await asyncio.shield(pending)
            if kept is not None and kept[0] == state:
                return kept[1], b"joined"
            return await self.answer(scope, receive, send), b"miss"  # not kept: as it comes
        pending = self.pending[key] = asyncio.get_running_loop().create_future()
        made = None
        try:
            async with self.slots:
                kept, how = self.lookup(key, state), b"hit"
                if kept is None:
                    kept, how = await self.answer(scope, receive, send), b"miss"
                    if kept is not None:
                        self.keep(key, state, kept)
                made = (state, kept) if kept is not None else None
                return kept, how
        finally:
            del self.pending[key]
            pending.set_result(made)

    def lookup(self, key: tuple, state: tuple) -> tuple | None:
        """The answer kept by this process, else by another of the same server."""
        kept = self.kept.get(key, state)
        if kept is None and self.shared is not None:
            kept = self.shared.get(key, state)
            if kept is not None:
                self.kept.put(key, state, kept)
        return kept

    def keep(self, key: tuple, state: tuple, kept: tuple) -> None:
        self.kept.put(key, state, kept)
        if self.shared is not None:
            self.shared.put(key, state, kept)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> tuple | None:
        """Run the app; a complete 200 is returned to be kept and sent, anything else is
        passed on to the client as it comes."""
        start: Message | None = None
        body: list[bytes] = []
        passing = False

        async def collect(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                start = message
                passing = message["status"] != 200
                if passing:
                    await send(message)
            elif passing:
                await send(message)
            else:
                body.append(message.get("body", b""))

        await self.app(scope, receive, collect)
        if passing or start is None:
            return None
        content = b"".join(body)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() in KEPT_HEADERS]
        etag = b'"' + hashlib.blake2b(content, digest_size=12).hexdigest().encode() + b'"'
        return headers, etag, content


class SharedBodies:
    """The kept answers of all the processes of one `readout serve --workers N`, in a disk
    cache (diskcache, SQLite underneath) in a folder they share: without it each process
    computes every answer once more for itself."""

    def __init__(self, folder: Path, budget: int):
        import diskcache

        self.cache = diskcache.Cache(str(folder), size_limit=budget)

    def get(self, key: tuple, state: tuple) -> tuple | None:
        found = self.cache.get(key)
        return found[1] if found is not None and found[0] == state else None

    def put(self, key: tuple, state: tuple, kept: tuple) -> None:
        self.cache.set(key, (state, kept))


async def reply(send: Send, scope: Scope, kept: tuple, how: bytes) -> None:
    headers, etag, content = kept
    common = [(b"etag", etag), (b"cache-control", b"no-cache"), (b"x-readout-cache", how)]
    if etag in if_none_match(scope):
        await send({"type": "http.response.start", "status": 304, "headers": common})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [*headers, *common, (b"content-length", str(len(content)).encode())]})
    await send({"type": "http.response.body", "body": content})


def if_none_match(scope: Scope) -> list[bytes]:
    for name, value in scope.get("headers", []):
        if name == b"if-none-match":
            return [tag.strip() for tag in value.split(b",")]
    return []
