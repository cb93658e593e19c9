"""Source documents, listed by slug."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlmodel import Session

from api.dates import Precision
from api.store.paging import PageRequest
from api.store.sources import count_sources, list_sources
from tests.conftest import counting_statements

SLUGS = [
    "000_2b1eff056f60b6be",  # Abacus on the Kaola deal, undated
    "001_fc294a4a7f80cbd8",  # a tech wire on the Kaola deal, 6 September 2019
    "002_35f2b27074b6541c",  # Lazada, 2016
    "003_7532c4fe6b1c635d",  # Xinjiang, undated
]


def test_the_four_seed_articles_are_listed_by_slug(session: Session) -> None:
    page = list_sources(session, page=PageRequest(limit=10))
    assert [s.slug for s in page.items] == SLUGS
    assert not page.has_next
    assert count_sources(session) == 4


def test_sources_keep_their_publication_date_and_its_precision(session: Session) -> None:
    found = {s.slug: s for s in list_sources(session, page=PageRequest(limit=10)).items}
    published = {slug: (s.published_on, s.published_precision) for slug, s in found.items()}
    assert published == {
        SLUGS[0]: (None, None),
        SLUGS[1]: (dt.date(2019, 9, 6), Precision.DAY),
        SLUGS[2]: (dt.date(2016, 1, 1), Precision.YEAR),
        SLUGS[3]: (None, None),
    }
    assert found[SLUGS[0]].publisher == "Abacus"
    assert found[SLUGS[1]].title.startswith("Alibaba to acquire Kaola from NetEase")


def test_sources_page_by_slug_one_statement_a_page(session: Session, seed_engine: Engine) -> None:
    with counting_statements(seed_engine) as statements:
        first = list_sources(session, page=PageRequest(limit=3))
        second = list_sources(session, page=PageRequest(limit=3, after=first.end))
    assert len(statements) == 2
    assert first.end == (SLUGS[2], first.items[-1].id)
    assert ([s.slug for s in first.items], first.has_next) == (SLUGS[:3], True)
    assert ([s.slug for s in second.items], second.has_next) == (SLUGS[3:], False)


def test_limit_zero_lists_no_source(session: Session) -> None:
    page = list_sources(session, page=PageRequest(limit=0))
    assert (page.items, page.has_next, page.end) == ([], True, None)
