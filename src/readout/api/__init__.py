"""The REST API and the web pages of `readout serve`, one FastAPI application over one Store.

    from readout.api import Settings, create_app
    app = create_app(Settings.from_env(db="readout.db"))

Read-only unless a token is configured (READOUT_API_TOKEN); every error is one JSON shape,
{"error": {"code", "message"}}; every response carries a Content-Security-Policy.
"""
from readout.api.app import create_app
from readout.api.settings import Settings

__all__ = ["Settings", "create_app"]
