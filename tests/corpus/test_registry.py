from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.corpus.parse import CorpusError
from api.corpus.validate import read_corpus
from api.vocab import Provenance
from tests.conftest import SEEDS

KAOLA_000 = "000_2b1eff056f60b6be"


def entry(registry: dict[str, Any], slug: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e for group in registry.values() for e in group if e["slug"] == slug
    )
    return found


def text(source: str) -> str:
    return (SEEDS / f"{source}.txt").read_text(encoding="utf-8")


def test_stated_names_and_aliases_carry_a_mention_quote_that_holds_them() -> None:
    corpus = read_corpus(SEEDS)
    alibaba = corpus.company_provenance["alibaba"]
    assert [(p.field, p.value) for p in alibaba] == [
        ("name", None),
        ("aliases", "Alibaba"),
        ("aliases", "Alibaba Group Holding Ltd"),
        ("aliases", "Alibaba Group Holding"),
        ("aliases", "BABA"),
        # "Chinese e-commerce giant ... (NYSE:BABA)" and "The Hangzhou-based company"
        ("description", None),
        ("description", None),
    ]
    for known in alibaba:
        assert known.stated and known.reason is None
        assert known.source is not None and known.quote is not None
        assert text(known.source)[known.start_offset : known.end_offset] == known.quote
    (name, *aliases, _, _) = alibaba
    assert "Alibaba Group" in name.quote  # type: ignore[operator]
    assert all(a.value in a.quote for a in aliases)  # type: ignore[operator]
    assert "(BABA)" in aliases[-1].quote  # type: ignore[operator]


def test_a_name_is_stated_in_any_case() -> None:
    (name, _) = read_corpus(SEEDS).company_provenance["questmobile"]
    assert name.stated and name.quote is not None
    assert "Questmobile" in name.quote


def test_editorial_values_carry_their_reason_and_no_quote() -> None:
    corpus = read_corpus(SEEDS)
    (name, description) = corpus.company_provenance["xinjiang-regional-government"]
    assert not name.stated and name.reason is not None and "the regional government" in name.reason
    assert (name.quote, name.source, name.start_offset) == (None, None, None)
    assert description.stated
    zhang = corpus.person_provenance["daniel-zhang"]
    assert [(p.field, p.value, p.stated) for p in zhang] == [
        ("name", None, True),
        ("aliases", "Zhang Yong", False),
        ("description", None, True),
    ]


def test_a_description_can_take_several_quotes() -> None:
    lazada = read_corpus(SEEDS).company_provenance["lazada"]
    descriptions = [p for p in lazada if p.field == "description"]
    assert len(descriptions) == 2
    assert "Indonesia, Malaysia" in (descriptions[1].quote or "")


def test_every_seed_value_is_stated_or_explained() -> None:
    corpus = read_corpus(SEEDS)
    registry = json.loads((SEEDS / "entities.json").read_text(encoding="utf-8"))
    for kind, provenance in (
        ("companies", corpus.company_provenance),
        ("people", corpus.person_provenance),
    ):
        for e in registry[kind]:
            known = provenance[e["slug"]]
            named = [p.value for p in known if p.field == "aliases"]
            assert named == e["aliases"]
            assert sum(p.field == "name" for p in known) == 1
            assert any(p.field == "description" for p in known) == ("description" in e)
            assert all(p.stated == (p.reason is None) for p in known)


def without_editorial_alias(registry: dict[str, Any]) -> None:
    entry(registry, "daniel-zhang").pop("editorial")


def with_unquoted_alias(registry: dict[str, Any]) -> None:
    entry(registry, "netease")["aliases"].append("NetEase Inc")


def with_alias_only_inside_a_word(registry: dict[str, Any]) -> None:
    entry(registry, "alibaba")["aliases"].append("Ali")


def with_quoted_alias_explained(registry: dict[str, Any]) -> None:
    entry(registry, "lazada")["editorial"] = {"aliases": {"Lazada": "for the test"}}


def with_unknown_editorial_alias(registry: dict[str, Any]) -> None:
    entry(registry, "lazada")["editorial"] = {"aliases": {"Lazada.com": "for the test"}}


def without_editorial_name(registry: dict[str, Any]) -> None:
    entry(registry, "xinjiang-regional-government").pop("editorial")


def with_description_unexplained(registry: dict[str, Any]) -> None:
    entry(registry, "netease").pop("description_quotes")


def with_description_both_quoted_and_explained(registry: dict[str, Any]) -> None:
    entry(registry, "netease")["editorial"] = {"description": "for the test"}


def with_reason_for_no_description(registry: dict[str, Any]) -> None:
    entry(registry, "china-e-commerce-research-center")["editorial"] = {"description": "why"}


def with_description_quote_not_in_text(registry: dict[str, Any]) -> None:
    entry(registry, "netease")["description_quotes"][0]["quote"] = "former owner of Kaola"


def with_description_quote_of_unknown_source(registry: dict[str, Any]) -> None:
    entry(registry, "netease")["description_quotes"][0]["source"] = "999_nothing"


BAD_REGISTRY: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (
        without_editorial_alias,
        "entities.json: person 'daniel-zhang': aliases 'Zhang Yong' occurs in no quote of its "
        "mentions; quote a document that names it so, or give editorial.aliases a reason",
    ),
    (with_unquoted_alias, "company 'netease': aliases 'NetEase Inc' occurs in no quote"),
    (with_alias_only_inside_a_word, "company 'alibaba': aliases 'Ali' occurs in no quote"),
    (
        with_quoted_alias_explained,
        "company 'lazada': aliases 'Lazada' is stated in 002_35f2b27074b6541c (",
    ),
    (
        with_unknown_editorial_alias,
        "editorial.aliases: not aliases of 'lazada': ['Lazada.com']",
    ),
    (
        without_editorial_name,
        "company 'xinjiang-regional-government': name 'Xinjiang regional government' occurs in "
        "no quote of its mentions; quote a document that names it so, or give editorial.name",
    ),
    (
        with_description_unexplained,
        "description: neither quoted nor editorial; give description_quotes or a reason",
    ),
    (with_description_both_quoted_and_explained, "description: both quoted and editorial"),
    (with_reason_for_no_description, "description: there is none to quote or explain"),
    (
        with_description_quote_not_in_text,
        f"company 'netease': description_quotes[0].quote: not found verbatim in {KAOLA_000}.txt: "
        "'former owner of Kaola'",
    ),
    (
        with_description_quote_of_unknown_source,
        "company 'netease': description_quotes[0].source: no document '999_nothing' in the corpus",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), BAD_REGISTRY, ids=[change.__name__ for change, _ in BAD_REGISTRY]
)
def test_a_value_neither_stated_nor_explained_is_refused(
    seeds_copy: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    path = seeds_copy / "entities.json"
    registry = json.loads(path.read_text(encoding="utf-8"))
    change(registry)
    path.write_text(json.dumps(registry, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        read_corpus(seeds_copy)
    assert any(message in problem for problem in raised.value.problems), raised.value.problems


def test_provenance_reads_back_from_its_stored_form() -> None:
    for known in read_corpus(SEEDS).company_provenance["alibaba"]:
        assert Provenance.model_validate(known.model_dump(exclude_none=True)) == known
