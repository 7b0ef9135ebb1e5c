"""The web pages of `readout serve`: server-rendered Jinja2 templates (autoescaping on, so
article text is always shown as text), a stylesheet and small scripts served from the package,
and vendored libraries (static/vendor/, each with its licence): no build step, no network."""
from __future__ import annotations

from importlib.resources import files
from urllib.parse import urlencode

import jinja2
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

HERE = files("readout.web")
environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")),
    autoescape=True,  # every {{ value }} escaped, in every template, whatever its name
    undefined=jinja2.StrictUndefined,  # a typo in a template is an error, not an empty string
)
templates = Jinja2Templates(env=environment)


def _globals() -> None:
    from readout.web.highlight import snippet_pieces

    environment.globals.update(snippet_pieces=snippet_pieces)
    environment.filters.update(pager_query=pager_query)


def pager_query(params, offset: int) -> str:
    """The page's query string with another offset: filters stay as they were."""
    kept = [(key, value) for key, value in params.multi_items() if key != "offset"]
    return urlencode(kept + [("offset", str(offset))])


_globals()


def install(app: FastAPI) -> None:
    from readout.web import pages

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(pages.router)


def render(request: Request, name: str, context: dict, status_code: int = 200):
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, error) -> object:
    """The HTML face of an ApiError: the same status, code and message as the API's JSON."""
    return render(request, "error.html", {"error": error}, status_code=error.status)
