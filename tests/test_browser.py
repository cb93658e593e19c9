"""The browser pages in a real browser (tests/browser.py): Debian's Chromium against the real
server on a loopback port. Every page must load with no console error and no request to another
host; a screenshot of each is kept under artefacts/browser/."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import Visit, headless_chromium, tab
from tests.serving import serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(store_url: str) -> Iterator[str]:
    with serving(store_url, ACCESS_LOG="false") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as chromium:
        yield chromium


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    with tab(browser, base_url) as fresh:
        yield fresh


def test_graphiql_runs_the_example_query_from_this_host_alone(visit: Visit) -> None:
    visit.open("/graphql")
    page = visit.page
    page.get_by_text("AcquirerDeals").first.wait_for()
    # The variables come filled in; the editors load after the page, so the first click may
    # come before GraphiQL can run anything: click again (a few times at most) until it answers.
    page.get_by_text('"Q29tcGFueTphbGliYWJh"').first.wait_for()
    answer = page.locator(".graphiql-response").get_by_text('"Alibaba Group"').first
    for _ in range(5):
        page.locator(".graphiql-execute-button").click()
        try:
            answer.wait_for(timeout=4_000)
            break
        except PlaywrightTimeout:
            continue
    answer.wait_for()
    page.get_by_role("button", name="Show GraphiQL Explorer").click()
    page.locator(".graphiql-explorer-root").first.wait_for()
    visit.screenshot("graphiql")
    visit.assert_clean()


def test_search_suggests_kaola_for_a_misspelt_name_and_opens_it_by_keyboard(visit: Visit) -> None:
    visit.open("/")
    page = visit.page
    page.get_by_role("heading", name="Mergers and acquisitions, with their evidence").wait_for()
    visit.screenshot("home")
    box = page.get_by_role("combobox")
    box.fill("Net-Ease Kaola")
    page.get_by_role("option", name="company Kaola").wait_for()
    page.get_by_role("option", name="deal Alibaba Group → Kaola").wait_for()
    visit.screenshot("suggestions")
    options = page.get_by_role("option")
    names = [options.nth(at).inner_text() for at in range(options.count())]
    for _ in range(names.index("company Kaola") + 1):
        box.press("ArrowDown")
    box.press("Enter")
    page.get_by_role("heading", name="Kaola", exact=True).wait_for()
    assert page.url == f"{visit.base_url}/companies/kaola"
    visit.assert_clean()


def test_a_person_finds_alibaba_and_walks_to_the_kaola_deals_evidence(visit: Visit) -> None:
    visit.open("/")
    page = visit.page
    page.get_by_role("combobox").fill("Alibaba")
    page.get_by_role("option", name="company Alibaba Group").click()
    page.get_by_role("heading", name="Alibaba Group", exact=True).wait_for()
    assert page.url == f"{visit.base_url}/companies/alibaba"
    page.locator(".timeline li", has_text="Kaola").get_by_role("link").first.click()
    page.get_by_role("heading", name="Alibaba Group → Kaola").wait_for()
    assert page.url == f"{visit.base_url}/deals/alibaba-acquires-kaola"
    page.locator("article.source-text mark", has_text="about US$2 billion").first.wait_for()
    # Back goes back, and the URL alone opens the same page.
    page.go_back()
    page.get_by_role("heading", name="Alibaba Group", exact=True).wait_for()
    visit.assert_clean()


def test_the_kaola_deal_highlights_its_quotes_in_the_source_text(visit: Visit) -> None:
    visit.open("/deals/alibaba-acquires-kaola")
    page = visit.page
    page.get_by_role("heading", name="Alibaba Group → Kaola").wait_for()
    article = page.locator("article.source-text[data-source^='000_']")
    article.locator("mark", has_text="about US$2 billion").first.wait_for()
    assert page.locator(".claim .badge", has_text="preferred").count() >= 1
    assert page.locator(".claim .badge", has_text="deprecated").count() >= 1
    # A claim's quote links to where it is marked in its source's text, on the same page.
    value = page.locator(".claim", has_text="about US$2 billion (2,000,000,000 USD)")
    value.get_by_role("link", name="“for about US$2 billion”").click()
    target = page.locator("mark:has(.anchor:target)")
    target.wait_for()
    assert "about US$2 billion" in target.inner_text()
    assert page.url.startswith(f"{visit.base_url}/deals/alibaba-acquires-kaola#quote-000_")
    visit.screenshot("deal")
    article.evaluate("element => { element.scrollIntoView(); window.scrollBy(0, -16); }")
    visit.screenshot("deal-evidence")
    visit.assert_clean()


def test_the_abacus_page_draws_its_owners_above_it(visit: Visit) -> None:
    visit.open("/companies/abacus")
    page = visit.page
    graph = page.locator("#ownership-graph[data-positions]")
    graph.wait_for()
    drawn = json.loads(graph.get_attribute("data-positions") or "{}")
    assert drawn["Alibaba Group"] < drawn["South China Morning Post"] < drawn["Abacus"], drawn
    visit.screenshot("company")
    visit.assert_clean()


def test_the_conflicts_page_sets_claims_side_by_side(visit: Visit) -> None:
    visit.open("/conflicts")
    page = visit.page
    page.get_by_role("heading", name="Conflicts", exact=False).first.wait_for()
    assert page.locator(".side-by-side").count() >= 1
    assert page.locator(".side-by-side").first.locator(".claim").count() >= 2
    visit.screenshot("conflicts")
    visit.assert_clean()


@pytest.mark.parametrize(
    "path", ["/search?q=alibaba", "/people/daniel-zhang", "/sources/000_2b1eff056f60b6be"]
)
def test_every_other_page_loads_cleanly(visit: Visit, path: str) -> None:
    visit.open(path)
    visit.page.locator("main h1").wait_for()
    assert visit.page.title() != "Error · dealgraph"
    visit.assert_clean()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "home"),
        ("/companies/alibaba", "company"),
        ("/deals/alibaba-acquires-kaola", "deal"),
        ("/conflicts", "conflicts"),
    ],
)
def test_a_phone_reads_each_page_without_scrolling_sideways(
    visit: Visit, path: str, name: str
) -> None:
    visit.page.set_viewport_size({"width": 390, "height": 844})
    visit.open(path)
    visit.page.locator("main h1").wait_for()
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    visit.screenshot(f"{name}-phone")
    visit.assert_clean()


def test_an_unknown_company_says_so(visit: Visit) -> None:
    visit.open("/companies/no-such-company")
    visit.page.get_by_role("heading", name="Not found").wait_for()
    assert visit.page.title() == "Not found · dealgraph"
    visit.assert_clean()
