"""The synthetic corpus for measuring loads (`api/corpus/synthetic.py`): the loader accepts it, and it
holds every common kind of fact, claims merged across documents and conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main
from api.corpus.synthetic import write_corpus
from tests.conftest import load_store, query

COMPANIES = 200
TABLES = (
    "source",
    "company",
    "person",
    "role",
    "deal",
    "deal_party",
    "investment",
    "stake",
    "metric",
    "evidence",
    "claim",
    "conflict",
)


def test_a_synthetic_corpus_loads_with_claims_merged_and_in_conflict(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, companies=COMPANIES)
    url = load_store(tmp_path / "store.db", seeds=corpus)
    counts = {table: query(url, f"SELECT count(*) FROM {table}")[0][0] for table in TABLES}
    assert all(counts.values()), counts
    assert counts["company"] == COMPANIES
    assert counts["deal"] == 3 * COMPANIES
    # A chief executive for each company, and the new ones acquirers named.
    assert COMPANIES < counts["person"] < 3 * COMPANIES
    [(led,)] = query(url, "SELECT count(DISTINCT company_id) FROM role WHERE current")
    assert led == COMPANIES
    assert counts["source"] == len(list(corpus.glob("*.txt")))
    [(merged,)] = query(
        url,
        "SELECT count(*) FROM (SELECT deal_id FROM claim WHERE field = 'status' "
        "AND deal_id IS NOT NULL GROUP BY deal_id HAVING count(*) > 1) AS merged",
    )
    assert merged > 0
    disputed = {field for (field,) in query(url, "SELECT DISTINCT field FROM conflict")}
    assert {"status", "value"} <= disputed


def test_the_same_seed_writes_the_same_corpus(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", companies=50, seed=7)
    assert main(["synth", "--companies", "50", "--seed", "7", "--out", str(tmp_path / "b")]) == 0
    write_corpus(tmp_path / "c", companies=50, seed=8)
    a, b, c = ({f.name: f.read_bytes() for f in (tmp_path / d).iterdir()} for d in "abc")
    assert a == b
    assert a != c


def test_a_corpus_is_written_only_into_an_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_corpus(tmp_path, companies=50)
    assert [f.name for f in tmp_path.iterdir()] == ["notes.txt"]


def test_synth_says_why_it_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["synth", "--companies", "50", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"dealgraph synth: {tmp_path}: not empty; a corpus is written into an empty one\n"
    )
    assert main(["synth", "--companies", "5", "--out", str(tmp_path / "new")]) == 1
    assert "at least 20 companies" in capsys.readouterr().err
