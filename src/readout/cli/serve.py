"""`readout serve`: the REST API and the web pages over one store, in one command."""
from __future__ import annotations

from typing import Optional

import typer

from readout.cli import app, console
from readout.cli.common import DbOption


# On Ctrl-C or SIGTERM, answers being computed get this long to finish: a whole-store answer
# can take a minute on a large store, and a server that will not stop gets killed instead.
GRACE_SECONDS = 5


@app.command()
def serve(db: Optional[str] = DbOption,
          host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)"),
          port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on"),
          log_level: str = typer.Option("info", help="uvicorn's log level: warning, info, debug"),
          workers: int = typer.Option(1, min=1, max=64, help="Server processes answering at once: "
                                      "one per core for a team (they share the answers they keep)")):
    """Serve the web pages and the REST API (/api, schema at /openapi.json, docs at /docs).

    Read-only unless READOUT_API_TOKEN is set: writes (POST /api/ingest, /api/kb/import) then
    need "Authorization: Bearer TOKEN". READOUT_API_FOLDERS lists the folders a write may name
    files in; READOUT_API_MAX_BODY caps request bodies (bytes, default 1 MiB); READOUT_CACHE_MB
    bounds the answers kept until the store changes (default 64, 0 for none)."""
    if workers > 1:
        serve_processes(db, host, port, log_level, workers)
        return
    server = build_server(db, host, port, log_level)
    announce(server.config.app.state.store.name, server.config.app.state.settings, host, port)
    server.run()


def announce(store_name: str, settings, host: str, port: int, workers: int = 1) -> None:
    mode = "read-write (token required)" if settings.writable else "read-only"
    processes = f", {workers} processes" if workers > 1 else ""
    console.print(f"readout serving {store_name} on http://{host}:{port}/ ({mode}{processes})",
                  highlight=False, markup=False)


def build_server(db: str | None, host: str, port: int, log_level: str = "info"):
    """The uvicorn server `readout serve` runs, its store open (a bad --db fails here, in one
    line); tests run it in a thread and stop it with `server.should_exit = True`."""
    import uvicorn

    from readout.api import Settings, create_app

    application = create_app(Settings.from_env(db=db))
    config = uvicorn.Config(application, host=host, port=port, log_level=log_level,
                            proxy_headers=False, server_header=False,
                            timeout_graceful_shutdown=GRACE_SECONDS)
    return uvicorn.Server(config)


def serve_processes(db: str | None, host: str, port: int, log_level: str, workers: int) -> None:
    """uvicorn's worker processes, each building the app from the environment (a process
    cannot be handed an open store): the store is opened here first, so that a bad --db
    still fails in one line before any worker starts."""
    import os
    import tempfile

    import uvicorn

    from readout.api import Settings
    from readout.store import open_store

    settings = Settings.from_env(db=db)
    with open_store(settings.db) as store:
        name = store.name
    if settings.db:
        os.environ["READOUT_DB"] = settings.db
    announce(name, settings, host, port, workers)
    # The processes share the answers they keep, in a folder that lives as long as the server.
    with tempfile.TemporaryDirectory(prefix="readout-answers-") as shared:
        os.environ["READOUT_SHARED_ANSWERS"] = shared
        uvicorn.run("readout.api.app:from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level=log_level, proxy_headers=False, server_header=False,
                    timeout_graceful_shutdown=GRACE_SECONDS)
