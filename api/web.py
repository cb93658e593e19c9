"""The browser pages: GraphiQL and the explorer, built by `make web` into `web/dist` and served
from there. Hashed assets are cached for good; pages are revalidated on every visit and may load
nothing from another host."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from api.config import Settings

# Built assets carry a digest of their content in their names, so a name never changes meaning.
ASSET_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "no-cache"
# Everything from this host, nothing from any other; GraphiQL's editor sets inline styles.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
# The explorer's pages: one HTML page whose script renders the page its URL names.
EXPLORER_PATHS = (
    "/",
    "/search",
    "/conflicts",
    "/companies/{slug}",
    "/people/{slug}",
    "/deals/{key}",
    "/sources/{slug}",
)
PAGE_HEADERS = {
    "Cache-Control": PAGE_CACHE,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
}


class Assets(StaticFiles):
    async def check_config(self) -> None:
        # Before `make web` there is no assets folder: every asset is a 404, not a failure.
        if self.directory is not None and Path(self.directory).is_dir():
            await super().check_config()

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = ASSET_CACHE
        return response


def routes(settings: Settings) -> list[BaseRoute]:
    """The explorer's pages and the built assets, under /assets."""

    async def explorer(_request: Request) -> Response:
        return await page_response(settings, "index")

    assets = Assets(directory=settings.web_dir / "assets", check_dir=False)
    pages: list[BaseRoute] = [Route(path, explorer, methods=["GET"]) for path in EXPLORER_PATHS]
    return [*pages, Mount("/assets", app=assets, name="assets")]


async def page_response(settings: Settings, name: str) -> Response:
    """The built page `name` (`graphiql`, `index`), or a 503 that says how to build it."""
    path = settings.web_dir / f"{name}.html"
    if not await anyio.Path(path).is_file():
        return _not_built(settings.web_dir)
    return FileResponse(path, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def _not_built(web_dir: Path) -> Response:
    message = f"dealgraph's browser pages are not built in {web_dir}: run `make web`."
    body = f"<!doctype html><title>Not built</title><p>{escape(message)}</p>"
    return HTMLResponse(body, status_code=503, headers={"Cache-Control": "no-store"})
