"""The application: the API's routers, the web pages, static files and the rules of the house."""
from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from readout import __version__
from readout.api import answers, errors, routes, writes
from readout.api.responses import ResponseCache
from readout.api.security import Guard
from readout.api.settings import Settings
from readout.resolve import Resolver
from readout.store import open_store


def create_app(settings: Settings | None = None, store=None) -> FastAPI:
    """The server for `settings` (Settings.from_env() when None). The store is opened here, so
    a database that cannot be reached stops the start with one StoreError line; a `store`
    passed in is used as it is and left open."""
    from readout import web  # the pages build on the API's answers, not the other way round

    settings = settings or Settings.from_env()
    opened = store or open_store(settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Answers are computed in Python, one at a time under the GIL whatever the number of
        # threads: forty (anyio's default) only take turns with the event loop, which then
        # sends the kept answers late. A few keep it free to send them at once.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        # Before the first request, not beside it: computed in the background, the whole-store
        # answers held the GIL for the first half-minute of a large store's service, and every
        # request of that time (cheap ones too) waited behind them. A process of
        # `serve --workers N` takes no connection until it is warm; the others answer meanwhile.
        await anyio.to_thread.run_sync(warm_up, opened)
        settle_heap()
        yield
        gc.unfreeze()
        if store is None:
            opened.close()

    app = FastAPI(title="readout", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url="/openapi.json",
                  description="Who met whom, when, where and with whom, from state-media and "
                              "government readouts. Read-only unless the server has a token.")
    app.state.settings, app.state.store = settings, opened
    app.include_router(routes.router)
    app.include_router(writes.router)
    web.install(app)
    errors.install(app, render_page=web.error_page)
    if settings.cache_mb:
        app.add_middleware(ResponseCache, store=opened, states=answers.cache, budget_mb=settings.cache_mb,
                           shared=settings.shared_answers, slots=settings.threads)
    app.add_middleware(Guard, max_body=settings.max_body)  # added last: outermost
    return app


def from_environment() -> FastAPI:
    """The app of one of `readout serve --workers N`'s processes: settings and store from
    the environment (READOUT_DB and the rest, see Settings.from_env)."""
    return create_app(Settings.from_env())


def settle_heap() -> None:
    """Hide what start-up and warm-up built (modules, the knowledge base, the whole-store
    answers) from the garbage collector: every full collection walked them all again, a pause
    of 100-300 ms in whichever request set it off. On a 100,000-article store the changes
    page's p95 was 425-522 ms with p50 90-166; frozen, 157-171 with p50 65-107 (50 requests,
    machine under load)."""
    gc.collect()
    gc.freeze()


def warm_up(store) -> None:
    """Load the knowledge base and compute the answers of the pages everyone opens (the
    network, the changes page's recent window) before anyone asks: the network reads every
    attendance list once, and the pages then answer from the cache until the store changes.
    (Not the people list: counting everyone's appearances takes half a minute on 500,000
    articles, and /people computes it when first asked.)"""
    try:
        from readout.web.pages import drawn_network

        Resolver.default()
        drawn_network(store, None, 60)  # the page's default; also loads the layout's libraries
        answers.changes(store, answers.recent_since(store))
    except Exception:  # a page asked later reports the same problem to whoever asks
        logging.getLogger("readout.api").exception("warming up the answers failed")
