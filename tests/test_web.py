"""The browser pages as served: built by `make web` into web/dist, pages revalidated on every
visit under a policy that allows this host alone, hashed assets cached for good."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from api.app import create_app
from api.config import Settings
from api.web import ASSET_CACHE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "web" / "src" / "example.graphql"
ASSET = re.compile(r'(?:src|href)="(/assets/[^"]+)"[^>]*integrity="(sha384-[^"]+)"')


def test_graphiql_is_the_built_page_with_its_assets_pinned_by_digest(client: TestClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-cache"
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assets = ASSET.findall(page.text)
    assert assets, page.text
    # Every script, style and link names a path on this host.
    assert not re.search(r'(?:src|href)="(?!/[^/])', page.text), page.text
    for path, _digest in assets:
        asset = client.get(path)
        assert asset.status_code == 200, path
        assert asset.headers["cache-control"] == ASSET_CACHE


def test_an_unknown_asset_is_a_404(client: TestClient) -> None:
    assert client.get("/assets/nothing-here.js").status_code == 404


def test_pages_not_built_say_how_to_build_them(settings: Settings, tmp_path: Path) -> None:
    unbuilt = settings.model_copy(update={"web_dir": tmp_path / "dist"})
    with TestClient(create_app(unbuilt)) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"})
        explorer = client.get("/companies/alibaba")
        asset = client.get("/assets/index.js")
    assert page.status_code == explorer.status_code == 503
    assert "make web" in page.text
    assert asset.status_code == 404


def test_the_readme_shows_the_query_graphiql_opens_on() -> None:
    assert EXAMPLE.read_text() in (ROOT / "README.md").read_text()


def test_every_explorer_url_is_the_explorer_page(client: TestClient) -> None:
    for path in (
        "/",
        "/search?q=kaola",
        "/conflicts",
        "/companies/alibaba",
        "/deals/alibaba-acquires-kaola",
        "/people/daniel-zhang",
        "/sources/000_2b1eff056f60b6be",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-cache"
        assert '<main id="main"' in page.text
    assert client.get("/companies").status_code == 404
    assert client.get("/api/companies/alibaba").json()["data"]["name"] == "Alibaba Group"
