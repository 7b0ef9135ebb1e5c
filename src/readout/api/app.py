"""The application: the API's routers, the web pages, static files and the rules of the house."""
from __future__ import annotations

import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI

from readout import __version__
from readout.api import errors, routes, writes
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
        # The knowledge base takes a second to load: load it now, not on the first person page.
        threading.Thread(target=Resolver.default, daemon=True, name="load-kb").start()
        yield
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
    app.add_middleware(Guard, max_body=settings.max_body)
    return app
