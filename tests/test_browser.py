"""The browser pages in a real browser (tests/browser.py): Debian's Chromium against the real
server on a loopback port. Every page must load with no console error and no request to another
host; a screenshot of each is kept under artefacts/browser/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import Visit, browser_tabs
from tests.serving import serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(store_url: str) -> Iterator[str]:
    with serving(store_url, ACCESS_LOG="false") as url:
        yield url


@pytest.fixture
def visit(base_url: str) -> Iterator[Visit]:
    with browser_tabs(base_url) as tab:
        yield tab


def test_graphiql_runs_the_example_query_from_this_host_alone(visit: Visit) -> None:
    visit.open("/graphql")
    page = visit.page
    page.get_by_text("AcquirerDeals").first.wait_for()
    # The editors and the schema load after the page: run the query once they have.
    page.wait_for_load_state("networkidle")
    page.locator(".graphiql-execute-button").click()
    page.locator(".graphiql-response").get_by_text('"Alibaba Group"').first.wait_for()
    page.get_by_role("button", name="Show GraphiQL Explorer").click()
    page.locator(".graphiql-explorer-root").first.wait_for()
    visit.screenshot("graphiql")
    visit.assert_clean()
