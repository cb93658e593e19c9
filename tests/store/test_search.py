from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_mock_engine, text
from sqlmodel import Session, col, select

from api.corpus.search_index import rebuild_search_index
from api.corpus.search_index_postgres import document
from api.store.db import make_engine
from api.store.models import Company, Deal, Person, Source
from api.store.search import MAX_QUERY_LENGTH, Hit, SearchPage, parse_query, search
from api.store.search_postgres import highlights, match_query
from api.store.search_sqlite import match_expression
from api.vocab import SearchKind as Kind
from tests.conftest import ENGINE, SEEDS, counting_statements, load_store

MODELS: dict[Kind, type[Company] | type[Person] | type[Deal] | type[Source]] = {
    Kind.COMPANY: Company,
    Kind.PERSON: Person,
    Kind.DEAL: Deal,
    Kind.SOURCE: Source,
}
KAOLA_REPORT = "000_2b1eff056f60b6be"  # writes "cross-border ecommerce"
TECH_WIRE = "001_fc294a4a7f80cbd8"  # writes "cross-border e-commerce"
postgres_only = pytest.mark.skipif(ENGINE != "postgresql", reason="about PostgreSQL itself")


def build_index(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        rebuild_search_index(session)
    engine.dispose()


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A store built once from the real seeds, queried through the read-only server engine."""
    url = load_store(tmp_path_factory.mktemp("search") / "s.db")
    build_index(url)
    engine = make_engine(url, read_only=True)
    yield engine
    engine.dispose()


@pytest.fixture
def session(reader: Engine) -> Iterator[Session]:
    with Session(reader) as session:
        yield session


def key(session: Session, hit: Hit) -> tuple[str, str]:
    """A hit as (kind, natural key): a slug, or a deal's key."""
    row: Any = session.get(MODELS[hit.kind], hit.id)
    return hit.kind.value, row.key if hit.kind is Kind.DEAL else row.slug


def keys(session: Session, page: SearchPage) -> list[tuple[str, str]]:
    return [key(session, hit) for hit in page.hits]


def first(session: Session, query: str) -> tuple[str, str]:
    page = search(session, query=query, limit=10)
    assert page.hits, f"no hits for {query!r}"
    return key(session, page.hits[0])


@pytest.mark.parametrize(
    "query", ["NetEase", "netease", "NETEASE", "Nétease", "Net-Ease", "Net Ease", "NETEASE."]
)
def test_company_name_in_any_case_spacing_or_punctuation(session: Session, query: str) -> None:
    assert first(session, query) == ("company", "netease")


def test_scmp_is_an_alias_in_the_seeds() -> None:
    entities = json.loads((SEEDS / "entities.json").read_text())
    post = next(c for c in entities["companies"] if c["slug"] == "south-china-morning-post")
    assert "SCMP" in post["aliases"]


@pytest.mark.parametrize(
    "query", ["SCMP", "scmp", "South China Morning Post", "southchinamorningpost"]
)
def test_south_china_morning_post_by_name_or_alias(session: Session, query: str) -> None:
    assert first(session, query) == ("company", "south-china-morning-post")


def test_name_as_written_in_a_headline(session: Session) -> None:
    assert first(session, "Alibaba Group Holding Ltd (BABA)") == ("company", "alibaba")


def test_prefix_of_the_last_word(session: Session) -> None:
    assert first(session, "alib") == ("company", "alibaba")
    assert first(session, "jack m") == ("person", "jack-ma")


def sources_mentioning(pattern: str) -> set[str]:
    return {
        path.stem
        for path in SEEDS.glob("*.txt")
        if re.search(pattern, path.read_text(), re.IGNORECASE)
    }


@pytest.mark.parametrize("query", ["e-commerce", "ecommerce", "E-Commerce", "eCommerce"])
def test_hyphenated_or_not_finds_documents_written_either_way(session: Session, query: str) -> None:
    page = search(session, query=query, kinds=[Kind.SOURCE], limit=10)
    found = {slug for _, slug in keys(session, page)}
    assert found == sources_mentioning(r"e-?commerce")
    assert {KAOLA_REPORT, TECH_WIRE} <= found


def test_joined_form_of_a_punctuated_word(session: Session) -> None:
    page = search(session, query="crossborder", kinds=[Kind.SOURCE], limit=10)
    assert {slug for _, slug in keys(session, page)} == sources_mentioning("cross-border")


@pytest.mark.parametrize(
    ("query", "slug", "highlighted"),
    [
        ('"cross-border ecommerce"', KAOLA_REPORT, "cross-border ecommerce"),
        ('"cross-border e-commerce market"', TECH_WIRE, "cross-border e-commerce market"),
        ('"integrated into Tmall"', TECH_WIRE, "integrated into Tmall"),
    ],
)
def test_phrase_finds_its_document_and_highlights_it(
    session: Session, query: str, slug: str, highlighted: str
) -> None:
    assert highlighted in (SEEDS / f"{slug}.txt").read_text()
    page = search(session, query=query, limit=10)
    assert keys(session, page) == [("source", slug)]
    snippet = page.hits[0].snippet
    assert highlighted in snippet.text
    assert snippet.highlighted == (highlighted,)
    start, end = snippet.highlights[0]
    assert snippet.text[start:end] == highlighted
    assert "\ue000" not in snippet.text and "\ue001" not in snippet.text


def test_phrase_is_stricter_than_its_words(session: Session) -> None:
    words = search(session, query="cross-border ecommerce", kinds=[Kind.SOURCE], limit=10)
    phrase = search(session, query='"cross-border ecommerce"', kinds=[Kind.SOURCE], limit=10)
    assert set(keys(session, phrase)) < set(keys(session, words))


def test_a_passage_from_the_middle_of_a_document_is_marked_as_cut(session: Session) -> None:
    snippet = search(session, query='"integrated into Tmall"', limit=1).hits[0].snippet
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert snippet.text.strip("…") in (SEEDS / f"{TECH_WIRE}.txt").read_text()


def test_entity_snippet_is_its_names(session: Session) -> None:
    hit = search(session, query="SCMP", limit=1).hits[0]
    assert hit.snippet.text == "South China Morning Post; SCMP"
    assert hit.snippet.highlighted == ("SCMP",)


def test_words_are_combined_with_and(session: Session) -> None:
    both = keys(session, search(session, query="Lazada Tesco", limit=50))
    assert ("source", "002_35f2b27074b6541c") in both
    assert ("company", "kaola") not in both
    assert search(session, query="Kaola zzzzqqq", limit=10).hits == ()


@pytest.mark.parametrize(
    "query",
    [
        "zzzzqqq OR kaola",
        "kaola OR zzzzqqq",
        "NEAR(kaola zzzzqqq)",
        "kaola NOT zzzzqqq",
        "zzzzqqq | kaola",
        "kaola & !zzzzqqq",
        "kaola <-> zzzzqqq",
        "kaola:* zzzzqqq",
    ],
)
def test_operators_are_plain_words(session: Session, query: str) -> None:
    assert search(session, query=query, limit=10).hits == ()


@pytest.mark.parametrize(
    "query",
    [
        "Alibaba Group",
        "Kaola",
        "Lazada Group",
        "Tmall Global",
        "NetEase Cloud Music",
        "Yunfeng Capital",
        "Snapdeal",
    ],
)
def test_a_named_company_outranks_every_source(session: Session, query: str) -> None:
    found = keys(session, search(session, query=query, limit=50))
    assert found[0][0] == "company"
    assert found[0] == (
        "company",
        session.exec(select(Company.slug).where(col(Company.name) == query)).one(),
    )
    assert any(kind == "source" for kind, _ in found)


def test_scores_descend(session: Session) -> None:
    scores = [hit.score for hit in search(session, query="Alibaba", limit=50).hits]
    assert scores == sorted(scores, reverse=True)


def test_kinds_filter_keeps_the_order_of_the_unfiltered_hits(session: Session) -> None:
    everything = search(session, query="Alibaba", limit=100)
    for kinds in ([Kind.PERSON], [Kind.DEAL, Kind.SOURCE], [Kind.COMPANY]):
        page = search(session, query="Alibaba", kinds=kinds, limit=100)
        assert page.hits
        assert page.hits == tuple(hit for hit in everything.hits if hit.kind in kinds)


def test_kinds_filter_edge_cases(session: Session) -> None:
    assert search(session, query="Alibaba", kinds=[], limit=10) == SearchPage((), has_next=False)


def test_pages_partition_the_results(session: Session) -> None:
    everything = search(session, query="Alibaba", limit=100)
    assert not everything.has_next and len(everything.hits) > 7
    pages = []
    offset = 0
    while True:
        page = search(session, query="Alibaba", limit=3, offset=offset)
        pages.append(page)
        if not page.has_next:
            break
        offset += 3
    hits = [hit for page in pages for hit in page.hits]
    assert hits == list(everything.hits)
    assert len({(hit.kind, hit.id) for hit in hits}) == len(hits)
    assert all(len(page.hits) == 3 for page in pages[:-1])
    assert 1 <= len(pages[-1].hits) <= 3
    beyond = search(session, query="Alibaba", limit=3, offset=len(hits))
    assert beyond == SearchPage((), has_next=False)


def test_exact_fit_has_no_next_page(session: Session) -> None:
    total = len(search(session, query="Kaola", limit=100).hits)
    assert not search(session, query="Kaola", limit=total).has_next
    assert search(session, query="Kaola", limit=total - 1).has_next


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (-1, 0), (10, -1)])
def test_bad_page_arguments(session: Session, limit: int, offset: int) -> None:
    with pytest.raises(ValueError, match="limit"):
        search(session, query="Kaola", limit=limit, offset=offset)


def test_one_statement_per_search(reader: Engine) -> None:
    with Session(reader) as session, counting_statements(reader) as statements:
        search(
            session, query='alibaba "cross-border" kaol', kinds=[Kind.SOURCE, Kind.DEAL], limit=5
        )
    assert len(statements) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   \t\n", "empty"),
        ('"', "no letters or digits"),
        ('""', "no letters or digits"),
        ("*", "no letters or digits"),
        ("-", "no letters or digits"),
        ("😀", "no letters or digits"),
        ("( ) : ^ + {}", "no letters or digits"),
        ("x" * 10_000, f"longer than {MAX_QUERY_LENGTH}"),
        ("a " * MAX_QUERY_LENGTH, f"longer than {MAX_QUERY_LENGTH}"),
    ],
)
def test_queries_with_nothing_to_search_are_refused(
    session: Session, query: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        search(session, query=query, limit=10)


@pytest.mark.parametrize(
    "query",
    [
        "AND OR NOT",
        "NEAR(a b)",
        "NEAR(kaola netease, 3)",
        '"unbalanced phrase',
        'kaola"',
        'kaola "cross-border',
        '"a" "b" "',
        "kaola*",
        "*kaola",
        "-kaola",
        "^kaola",
        "name:kaola",
        "{name} : kaola",
        "kaola AND",
        "(kaola",
        "kaola)",
        "'kaola'",
        "😀 kaola 🙂",
        "kaola\x00netease",
        "\ud800kaola",  # a lone surrogate, as a JSON body may carry
        "kaola:*",
        "kaola:A",
        "'kaola':*B",
        "kaola & netease",
        "kaola | !netease",
        "kaola <-> netease",
        "kaola <2> netease",
        "kaola\\",
        "\\'kaola",
        "''kaola''",
        "a" * MAX_QUERY_LENGTH,
        "a-" * (MAX_QUERY_LENGTH // 2),
        " ".join("abcdefghij" * 10),
    ],
)
def test_hostile_queries_are_just_words(session: Session, query: str) -> None:
    search(session, query=query, limit=10)


@pytest.mark.sqlite_only
def test_match_expression_quotes_every_word() -> None:
    # "NEAR(a" is one word of two tokens: the phrase "NEAR a", or its joined form.
    expression = match_expression('NEAR(a "b c" d*')
    assert expression == (
        '{name title body joined} : (("NEAR a" OR "neara") AND "b c" AND "d"*) '
        'OR {name_key} : ("nearabcd" OR "nearabcd"*)'
    )


def test_tsquery_quotes_every_word() -> None:
    # The same query for PostgreSQL: weight A is the squashed names, B to D the words.
    query = match_query(parse_query('NEAR(a "b c" Dé*'))
    assert query == (
        "(('near':BCD <-> 'a':BCD | 'neara':BCD) & ('b':BCD <-> 'c':BCD) & ('de':*BCD))"
        " | 'nearabcde':*A"
    )


# Everything a user might type, weighted towards FTS5's and tsquery's own syntax.
QUERIES = st.one_of(
    st.text(max_size=MAX_QUERY_LENGTH + 20),
    st.text(alphabet="\"*-^():{}+,.' \tANDORNTEAkaol1éß😀\x00&|!<>\\", max_size=40),
    st.lists(
        st.sampled_from(
            [
                "AND",
                "OR",
                "NOT",
                "NEAR",
                '"',
                "*",
                "kaola",
                "(",
                ")",
                "-",
                "&",
                "|",
                "!",
                "<->",
                ":*",
            ]
        )
    ).map(" ".join),
)


@given(query=QUERIES)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_queries_never_raise_anything_but_value_error(reader: Engine, query: str) -> None:
    with Session(reader) as session:
        try:
            page = search(session, query=query, limit=5)
        except ValueError:
            return
    for hit in page.hits:
        for start, end in hit.snippet.highlights:
            assert 0 <= start < end <= len(hit.snippet.text)


def test_the_index_is_built_in_the_callers_transaction(tmp_path: Path) -> None:
    url = load_store(tmp_path / "s.db")
    build_index(url)
    engine = make_engine(url)
    with Session(engine) as session:
        session.begin()
        kaola = session.exec(select(Company).where(col(Company.slug) == "kaola")).one()
        kaola.description = "Qwertyuiop marketplace"  # not yet flushed
        rebuild_search_index(session)
        rebuild_search_index(session)  # rebuilding is idempotent
        assert keys(session, search(session, query="qwertyuiop", limit=5)) == [("company", "kaola")]
        session.rollback()
    engine.dispose()
    reader = make_engine(url, read_only=True)
    with Session(reader) as session:
        assert search(session, query="qwertyuiop", limit=5).hits == ()
        assert first(session, "Kaola") == ("company", "kaola")
    reader.dispose()


def test_a_phrase_stays_within_one_column(tmp_path: Path) -> None:
    url = load_store(tmp_path / "s.db")
    engine = make_engine(url)
    with Session(engine) as session:
        session.begin()
        wire = session.exec(select(Source).where(col(Source.slug) == TECH_WIRE)).one()
        assert wire.text.split()[0] == "date"
        wire.title = "Qwertyuiop zebra"  # the title's last word, then the body's first
        rebuild_search_index(session)
        for query in ['"qwertyuiop zebra"', "zebra date"]:
            assert keys(session, search(session, query=query, limit=5)) == [("source", TECH_WIRE)]
        assert search(session, query='"zebra date"', limit=5).hits == ()
        session.rollback()
    engine.dispose()


def test_other_databases_are_not_supported() -> None:
    # A mock engine has MySQL's dialect but never connects.
    engine: Any = create_mock_engine("mysql://", lambda *args, **kwargs: None)
    with Session(bind=engine) as session:
        with pytest.raises(NotImplementedError, match="SQLite or PostgreSQL"):
            search(session, query="Kaola", limit=5)
        with pytest.raises(NotImplementedError, match="SQLite or PostgreSQL"):
            rebuild_search_index(session)


def test_postgres_index_holds_the_tokens_sqlite_would() -> None:
    # Folded words, each with its position and its column's weight class (B name, A name_key,
    # D body and joined), and a gap in the positions between columns.
    row = {"name": "Net-Ease", "name_key": "netease", "title": "", "body": "Café example.com"}
    assert document({**row, "joined": "netease examplecom"}) == (
        "'net':2B 'ease':3B 'netease':5A 'cafe':8D 'example':9D 'com':10D 'netease':12D "
        "'examplecom':13D"
    )


def test_postgres_highlights_are_whole_phrases_and_words() -> None:
    text = "Cross-border e-commerce, cross border ecommerce; Lazada Tesco."
    terms = parse_query('"cross-border e-commerce" lazada Ecommerc')
    assert [text[start:end] for start, end in highlights(text, terms)] == [
        "Cross-border e-commerce",
        "ecommerce",
        "Lazada",
    ]
    assert [text[start:end] for start, end in highlights(text, parse_query("e-commerce"))] == [
        "e-commerce",
        "ecommerce",
    ]


@postgres_only
def test_postgres_search_uses_the_gin_index(session: Session) -> None:
    connection = session.connection()
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    plan = connection.execute(
        text("EXPLAIN SELECT row_id FROM search_index WHERE document @@ CAST(:match AS tsquery)"),
        {"match": match_query(parse_query("alibaba kaol"))},
    ).all()
    assert any("search_index_document" in line for (line,) in plan)
