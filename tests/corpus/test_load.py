from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from api.corpus.parse import CorpusError
from api.corpus.validate import read_corpus
from tests.conftest import ENGINE, SEEDS, dump, load_store, query

KAOLA_000 = "000_2b1eff056f60b6be"
KAOLA_001 = "001_fc294a4a7f80cbd8"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = load_store(tmp_path / "store.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def edit_facts(seeds: Path, stem: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = seeds / f"{stem}.facts.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_seed_corpus_loads_every_kind_of_fact(store: str) -> None:
    counts = {
        table: query(store, f"SELECT count(*) FROM {table}")[0][0]
        for table in (
            "source",
            "company",
            "person",
            "role",
            "deal",
            "investment",
            "stake",
            "metric",
        )
    }
    assert counts["source"] == 4
    assert all(counts.values()), counts


@pytest.mark.skipif(ENGINE != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_load_leaves_planner_statistics_for_the_new_corpus(store: str) -> None:
    analyzed = query(
        store,
        "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
        "OR last_autoanalyze IS NOT NULL",
    )
    assert {"deal", "deal_party", "evidence", "role", "company"} <= {name for (name,) in analyzed}


def test_every_evidence_span_is_its_quote_in_its_source(store: str) -> None:
    rows = query(
        store,
        "SELECT e.quote, e.start_offset, e.end_offset, s.text FROM evidence e "
        "JOIN source s ON s.id = e.source_id",
    )
    assert len(rows) > 100
    for quote, start, end, text in rows:
        assert text[start:end] == quote


def test_every_fact_row_has_evidence(store: str) -> None:
    for table in ("company", "person", "role", "deal", "investment", "stake", "metric"):
        orphans = query(
            store,
            f"SELECT count(*) FROM {table} WHERE id NOT IN "
            f"(SELECT {table}_id FROM evidence WHERE {table}_id IS NOT NULL)",
        )
        assert orphans == [(0,)], table


def test_loading_twice_changes_nothing(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(store)
    assert main(["load", "--seeds", str(SEEDS)]) == 0
    assert capsys.readouterr().out.startswith("unchanged")
    assert dump(store) == before


def test_if_empty_leaves_a_loaded_store_alone(
    store: str, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(store)
    edit_facts(seeds_copy, KAOLA_000, lambda d: d["source"].update(title="Changed"))
    assert main(["load", "--if-empty", "--seeds", str(seeds_copy)]) == 0
    assert "not loading" in capsys.readouterr().out
    assert dump(store) == before


def test_a_changed_corpus_replaces_the_store_with_stable_keys(store: str, seeds_copy: Path) -> None:
    edit_facts(seeds_copy, KAOLA_000, lambda d: d["source"].update(title="A new title"))
    assert main(["load", "--seeds", str(seeds_copy)]) == 0
    title = query(store, "SELECT title FROM source WHERE slug = :slug", slug=KAOLA_000)
    assert title == [("A new title",)]
    if ENGINE == "sqlite":
        # PostgreSQL checks foreign keys at every statement; SQLite only when asked to.
        assert query(store, "PRAGMA foreign_key_check") == []


def _set(path: list[str | int], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _kaola_deal(data: dict[str, Any]) -> dict[str, Any]:
    deal: dict[str, Any] = next(d for d in data["deals"] if d["key"] == "alibaba-acquires-kaola")
    return deal


def _netease_in_kaola(data: dict[str, Any]) -> dict[str, Any]:
    """NetEase's stake in Kaola, which the Kaola deal sells."""
    stake: dict[str, Any] = next(s for s in data["stakes"] if s["company"] == "Kaola")
    return stake


USD_3BN = {"amount": 3e9, "currency": "USD", "text": "US$3 billion"}

BAD_FACTS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "metadata neither stated nor editorial",
        lambda d: d["source"]["editorial"].pop("title"),
        f"{KAOLA_000}.facts.json: source: Value error, title: neither quoted nor editorial",
    ),
    (
        "metadata both stated and editorial",
        lambda d: d["source"].update(quotes={"title": "Chinese ecommerce giant Alibaba Group"}),
        "title: both quoted and editorial",
    ),
    (
        "editorial reason for a field with no value",
        lambda d: d["source"]["editorial"].update(url="found on the web"),
        "url: has no value to quote or explain",
    ),
    (
        "metadata quote not in document",
        lambda d: d["source"].update(
            publisher=None, editorial={}, quotes={"title": "Not in the text"}
        ),
        f"{KAOLA_000}.facts.json: source.quotes.title: quote not found verbatim in "
        f"{KAOLA_000}.txt: 'Not in the text'",
    ),
    (
        "unknown entity",
        lambda d: _kaola_deal(d)["parties"][0].update(company="Nonexistent Corp"),
        f"{KAOLA_000}.facts.json: deals[0].parties[0].company: unknown company 'Nonexistent Corp'",
    ),
    (
        "quote not in document",
        lambda d: _kaola_deal(d)["quotes"].append("Alibaba bought the moon"),
        "quote not found verbatim in 000_2b1eff056f60b6be.txt: 'Alibaba bought the moon'",
    ),
    (
        "impossible date",
        lambda d: _kaola_deal(d).update(announced_on="2019-02-30"),
        "deals[0].announced_on: Value error, '2019-02-30' is not a real date",
    ),
    (
        "date with the wrong shape",
        lambda d: _kaola_deal(d).update(announced_on="5 September"),
        "deals[0].announced_on: String should match pattern",
    ),
    (
        "negative amount",
        lambda d: _kaola_deal(d)["value"].update(amount=-2),
        "deals[0].value.amount: Input should be greater than 0",
    ),
    (
        "unknown currency",
        lambda d: _kaola_deal(d)["value"].update(currency="dollars"),
        "deals[0].value.currency: String should match pattern",
    ),
    (
        "misspelt field",
        lambda d: _kaola_deal(d).update(anounced_on="2019-09-05"),
        "deals[0].anounced_on: Extra inputs are not permitted",
    ),
    (
        "unknown status",
        lambda d: _kaola_deal(d).update(status="done"),
        "deals[0].status: Input should be 'rumored', 'in_talks', 'announced', 'agreed', "
        "'completed' or 'cancelled'",
    ),
    (
        "identifying field disputed",
        lambda d: _kaola_deal(d).update(kind="merger"),
        "001_fc294a4a7f80cbd8.facts.json: deal 'alibaba-acquires-kaola': field 'kind' is "
        "'acquisition' here but 'merger' in 000_2b1eff056f60b6be.facts.json; a fact's "
        "identifying fields cannot be disputed",
    ),
    (
        "weekday contradicts the date",
        lambda d: _kaola_deal(d).update(announced_on="2019-09-05"),
        "deals[0].claims.announced_on: 2019-09-05 is a thursday, not a friday",
    ),
    (
        "rank without a reason",
        lambda d: _kaola_deal(d)["claims"]["status"].pop("reason"),
        "deals[0].claims.status: Value error, a deprecated claim needs a reason",
    ),
    (
        "claim about a field without claims",
        lambda d: _kaola_deal(d)["claims"].update(kind={"quote": "has acquired Kaola"}),
        "deals[0]: Value error, claims.kind: not a field with claims (those are: announced_on, "
        "completed_on, non_exhaustive_roles, status, terms, tranches, valuation, value)",
    ),
    (
        "weekday on a field that is not a date",
        lambda d: _kaola_deal(d)["claims"]["value"].update(weekday="friday"),
        "claims.value: only a date can name a weekday",
    ),
    (
        "claim quote not in document",
        lambda d: _kaola_deal(d)["claims"]["value"].update(quote="for about US$3 billion"),
        "deals[0].claims.value.quote.quotes[0]: quote not found verbatim",
    ),
    (
        "claim attributed to an unknown speaker",
        lambda d: _kaola_deal(d)["claims"]["value"].update(attributed_to="Nobody Inc"),
        "deals[0].claims.value.attributed_to: unknown company 'Nobody Inc'",
    ),
    (
        "required field left disputed",
        lambda d: _kaola_deal(d)["claims"]["status"].update(rank="normal", reason=None),
        "claims of 'status' disagree and it cannot be left unknown",
    ),
    (
        "deal keyed like a REST path",
        lambda d: _kaola_deal(d).update(key="summary"),
        "deals[0].key: Value error, 'summary' is reserved: /api/deals/summary is the summary",
    ),
    (
        "window that ends before it starts",
        lambda d: _kaola_deal(d).update(
            terms=[
                {
                    "kind": "option",
                    "what": "buy out",
                    "window": {"from_months": 18, "to_months": 12, "after": "completion"},
                }
            ]
        ),
        "deals[0].terms[0].window: Value error, from_months is after to_months",
    ),
    (
        "term of a kind the format does not have",
        lambda d: _kaola_deal(d).update(terms=[{"kind": "promise", "what": "keep the brand"}]),
        "deals[0].terms[0].kind: Input should be 'option', 'condition' or 'plan'",
    ),
    (
        "tranche with a field the format does not have",
        lambda d: _kaola_deal(d).update(tranches=[{"kind": "new_shares", "sellers": "NetEase"}]),
        "deals[0].tranches[0].sellers: Extra inputs are not permitted",
    ),
    (
        "valuation with no amount",
        lambda d: _kaola_deal(d).update(valuation={"basis": "post_money"}),
        "deals[0].valuation.value: Field required",
    ),
    (
        "valuation quote not in document",
        lambda d: (
            _kaola_deal(d).update(valuation={"value": USD_3BN, "basis": "unspecified"}),
            _kaola_deal(d)["claims"].update(valuation={"quote": "values Kaola at US$3 billion"}),
        ),
        "deals[0].claims.valuation.quote.quotes[0]: quote not found verbatim",
    ),
    (
        "non-exhaustive roles that are not roles",
        lambda d: _kaola_deal(d).update(non_exhaustive_roles=["buyers"]),
        "deals[0].non_exhaustive_roles[0]: Input should be",
    ),
    (
        "stake change without a deal",
        lambda d: _netease_in_kaola(d).pop("deal"),
        "stakes[1]: Value error, change goes with one deal or one investment",
    ),
    (
        "stake changed by both a deal and an investment",
        lambda d: _netease_in_kaola(d).update(
            investment="alibaba-yunfeng-netease-cloud-music-2019"
        ),
        "stakes[1]: Value error, change goes with one deal or one investment",
    ),
    (
        "stake changed by an unknown deal",
        lambda d: _netease_in_kaola(d).update(deal="alibaba-acquires-nothing"),
        "stake ('netease', 'kaola'): field 'deal' names unknown deal 'alibaba-acquires-nothing'",
    ),
    (
        "stake whose two documents disagree on what the deal does to it",
        lambda d: _netease_in_kaola(d).update(change="kept"),
        "field 'change' is 'sold' here but 'kept' in 000_2b1eff056f60b6be.facts.json",
    ),
    (
        "stake with a percentage both exact and a range",
        lambda d: _netease_in_kaola(d).update(percent=60, percent_range={"low": 50, "high": 100}),
        "stakes[1]: Value error, percent and percent_range: give one, exact or a range",
    ),
    (
        "percentage range upside down",
        lambda d: _netease_in_kaola(d).update(percent_range={"low": 60, "high": 50}),
        "stakes[1].percent_range: Value error, low is not below high",
    ),
    (
        "founder said to be current",
        lambda d: next(r for r in d["roles"] if r.get("kind") == "co_founder").update(current=True),
        "Value error, a co_founder role is not held or left: give started_on for when",
    ),
    (
        "metric about both a company and a market",
        lambda d: d["metrics"][0].update(market="China's cross-border e-commerce market"),
        "metrics[0]: Value error, a metric is about a company or a market: give one of the two",
    ),
    (
        "figure in another unit without its unit",
        lambda d: d["metrics"][-1].update(also={"value": 1.4e12}),
        "metrics[8].also.unit: Field required",
    ),
    (
        "rank that names no set",
        lambda d: next(m for m in d["metrics"] if m["unit"] == "rank").pop("among"),
        "a rank (unit 'rank') names the set it is within (among) and what orders it",
    ),
    (
        "preferred claims disagree",
        lambda d: _kaola_deal(d)["claims"]["announced_on"].update(
            rank="preferred", reason="for the test"
        ),
        "deal 'alibaba-acquires-kaola': preferred claims of 'announced_on' disagree",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [c[1:] for c in BAD_FACTS], ids=[c[0] for c in BAD_FACTS]
)
def test_bad_facts_are_refused_and_the_store_is_unchanged(
    store: str,
    seeds_copy: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    before = dump(store)
    edit_facts(seeds_copy, KAOLA_000, change)
    assert main(["load", "--seeds", str(seeds_copy)]) == 1
    error = capsys.readouterr().err
    assert "was not loaded; the store is unchanged" in error
    assert message in error
    assert dump(store) == before


def test_malformed_file_is_refused(
    store: str, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(store)
    (seeds_copy / f"{KAOLA_001}.facts.json").write_text(
        '{"source": {"title": "x"', encoding="utf-8"
    )
    assert main(["load", "--seeds", str(seeds_copy)]) == 1
    assert f"{KAOLA_001}.facts.json: (file): Invalid JSON" in capsys.readouterr().err
    assert dump(store) == before


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: (d / f"{KAOLA_001}.facts.json").unlink(), f"{KAOLA_001}.txt: no facts file"),
        (lambda d: (d / f"{KAOLA_001}.txt").unlink(), f"{KAOLA_001}.facts.json: no document"),
        (lambda d: (d / "entities.json").unlink(), "entities.json: file is missing"),
        (lambda d: (d / f"{KAOLA_001}.txt").write_bytes(b"\xff\xfe"), "not UTF-8 text"),
    ],
    ids=["facts missing", "document missing", "registry missing", "not utf-8"],
)
def test_incomplete_corpus_is_refused(
    seeds_copy: Path, mutate: Callable[[Path], None], message: str
) -> None:
    mutate(seeds_copy)
    with pytest.raises(CorpusError) as raised:
        read_corpus(seeds_copy)
    assert any(message in problem for problem in raised.value.problems), raised.value.problems


def test_registry_names_must_be_unambiguous(seeds_copy: Path) -> None:
    path = seeds_copy / "entities.json"
    registry = json.loads(path.read_text(encoding="utf-8"))
    registry["companies"][1]["aliases"].append(registry["companies"][0]["name"].upper())
    path.write_text(json.dumps(registry), encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        read_corpus(seeds_copy)
    assert "is already a name of company" in str(raised.value)


def test_every_problem_is_reported_at_once(seeds_copy: Path) -> None:
    def break_twice(data: dict[str, Any]) -> None:
        _kaola_deal(data)["quotes"].append("not in the text")
        _kaola_deal(data)["parties"][0]["company"] = "Nobody Inc"

    edit_facts(seeds_copy, KAOLA_000, break_twice)
    with pytest.raises(CorpusError) as raised:
        read_corpus(seeds_copy)
    assert len(raised.value.problems) == 2


def _conflicts(url: str) -> list[tuple[Any, ...]]:
    return query(
        url,
        "SELECT coalesce(d.key, i.key, co.slug || ' ' || m.name || ' ' || "
        "coalesce(m.period, '')), c.field "
        "FROM conflict c LEFT JOIN deal d ON d.id = c.deal_id "
        "LEFT JOIN investment i ON i.id = c.investment_id "
        "LEFT JOIN metric m ON m.id = c.metric_id LEFT JOIN company co ON co.id = m.company_id "
        "ORDER BY c.id",
    )


def test_the_seed_conflicts_are_kept_once_each_and_agreements_are_not_conflicts(
    store: str,
) -> None:
    assert _conflicts(store) == [
        ("alibaba-acquires-kaola", "announced_on"),
        ("alibaba-acquires-kaola", "status"),
        ("alibaba-yunfeng-netease-cloud-music-2019", "status"),
        ("kaola market_share H1 2019", "value"),
        ("tmall-global market_share H1 2019", "value"),
        # Ranked first and second by 000, in the other order by 001's shares.
        ("kaola market_rank H1 2019", "value"),
        ("tmall-global market_rank H1 2019", "value"),
    ]
    # Both Kaola articles say about $2bn; "about US$700 million" and "$700m" agree too.
    agreed = query(
        store,
        "SELECT count(*) FROM claim WHERE field = 'value' AND conflict_id IS NULL "
        "AND (deal_id = (SELECT id FROM deal WHERE key = 'alibaba-acquires-kaola') OR "
        "investment_id = (SELECT id FROM investment "
        "WHERE key = 'alibaba-yunfeng-netease-cloud-music-2019'))",
    )
    assert agreed == [(4,)]


def test_a_metric_without_a_period_joins_the_only_other_period_and_says_so(store: str) -> None:
    notes = query(
        store,
        "SELECT s.slug, cl.note FROM claim cl JOIN metric m ON m.id = cl.metric_id "
        "JOIN evidence e ON e.id = cl.evidence_id JOIN source s ON s.id = e.source_id "
        "WHERE m.name = 'market_share' AND m.period = 'H1 2019' ORDER BY s.slug, cl.id",
    )
    joined = (
        "the document gives no period; filed under H1 2019, the only period other documents "
        "give for this metric"
    )
    assert notes == [(KAOLA_000, None), (KAOLA_000, None), (KAOLA_001, joined), (KAOLA_001, joined)]


def test_a_weekday_is_resolved_against_a_known_publication_date(
    store: str, seeds_copy: Path
) -> None:
    def dated(facts: dict[str, Any]) -> None:
        facts["source"]["published_on"] = "2019-09-06"
        facts["source"]["editorial"]["published_on"] = "dated by the editor for this test"

    edit_facts(seeds_copy, KAOLA_000, dated)
    assert main(["load", "--seeds", str(seeds_copy)]) == 0
    ((value, note),) = query(
        store, "SELECT value, note FROM claim WHERE field = 'announced_on' AND note IS NOT NULL"
    )
    # SQLite hands JSON back as text, PostgreSQL as what it encodes.
    assert (json.loads(value) if isinstance(value, str) else value) == {
        "date": "2019-09-06",
        "weekday": "friday",
    }
    assert note == "'friday' resolved against the publication date 2019-09-06"
    # Friday the 6th still disagrees with Thursday the 5th: the conflict stays.
    assert ("alibaba-acquires-kaola", "announced_on") in _conflicts(store)
