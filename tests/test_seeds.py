from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from api.seeds import CorpusError, read_corpus
from tests.conftest import SEEDS, load_store

KAOLA_000 = "000_2b1eff056f60b6be"
KAOLA_001 = "001_fc294a4a7f80cbd8"


def dump(url: str) -> list[str]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return list(connection.iterdump())


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
    with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
        counts = {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
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


def test_every_evidence_span_is_its_quote_in_its_source(store: str) -> None:
    with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT e.quote, e.start_offset, e.end_offset, s.text FROM evidence e "
            "JOIN source s ON s.id = e.source_id"
        ).fetchall()
    assert len(rows) > 100
    for quote, start, end, text in rows:
        assert text[start:end] == quote


def test_every_fact_row_has_evidence(store: str) -> None:
    with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
        for table in ("company", "person", "role", "deal", "investment", "stake", "metric"):
            orphans = db.execute(
                f"SELECT count(*) FROM {table} WHERE id NOT IN "
                f"(SELECT {table}_id FROM evidence WHERE {table}_id IS NOT NULL)"
            ).fetchone()[0]
            assert orphans == 0, table


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
    with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
        assert db.execute("SELECT title FROM source WHERE slug = ?", (KAOLA_000,)).fetchone() == (
            "A new title",
        )
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


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


BAD_FACTS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
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
        "deals[0].status: Input should be 'rumored', 'announced', 'completed' or 'cancelled'",
    ),
    (
        "sources disagree",
        lambda d: _kaola_deal(d).update(announced_on="2019-09-06"),
        "deal 'alibaba-acquires-kaola': field 'announced_on' is",
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
