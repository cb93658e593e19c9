"""Facts merged across documents: each fact's identifying fields, which every document must agree
on, and one claim per document and field, settled into the value frontends get by default."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel

from api.claims import Settled, agree, describe, settle
from api.corpus.format import EntityRegistry
from api.corpus.parse import FACTS_SUFFIX, Document
from api.vocab import ClaimRank, Provenance

K = TypeVar("K")

# A metric is one fact per company, metric name and period.
# What a metric is about, ("company", slug) or ("market", its name); its name; its period.
MetricSubject = tuple[str, str]
MetricKey = tuple[MetricSubject, str, str | None]

# Fields a fact cannot do without: their claims must settle on one value.
REQUIRED_FIELDS = frozenset({"status", "kind"})


@dataclass(frozen=True)
class Span:
    source: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Draft:
    """One document's claim about one field of a fact, before it is written."""

    field: str
    value: Any
    span: Span
    attributed_to: tuple[str, str] | None
    rank: ClaimRank
    reason: str | None
    note: str | None


@dataclass
class Merged:
    """A fact as stated by one or more documents: its identifying fields (which must agree), the
    claims each document makes about its other fields, and all their quotes."""

    fields: dict[str, Any]
    origin: dict[str, str]
    spans: list[Span] = field(default_factory=list)
    claims: list[Draft] = field(default_factory=list)
    # Sub-facts by identity: a deal's parties (merged like facts), an investment's investors.
    parts: dict[Any, Any] = field(default_factory=dict)


@dataclass
class Corpus:
    registry: EntityRegistry
    # Each document once its facts are read, and the digest of every file read.
    documents: list[Document] = field(default_factory=list)
    digest: str = ""
    # How each document's metadata is known, by document.
    source_provenance: dict[str, list[Provenance]] = field(default_factory=dict)
    company_spans: dict[str, list[Span]] = field(default_factory=dict)
    person_spans: dict[str, list[Span]] = field(default_factory=dict)
    # How each name, alias and description of the registry is known, by entity slug.
    company_provenance: dict[str, list[Provenance]] = field(default_factory=dict)
    person_provenance: dict[str, list[Provenance]] = field(default_factory=dict)
    roles: dict[tuple[str, str, str], Merged] = field(default_factory=dict)
    deals: dict[str, Merged] = field(default_factory=dict)
    investments: dict[str, Merged] = field(default_factory=dict)
    stakes: dict[tuple[str, str], Merged] = field(default_factory=dict)
    metrics: dict[MetricKey, Merged] = field(default_factory=dict)
    # Why each rank another document's figures contradict is in dispute (`rankings.py`).
    contradicted_ranks: dict[MetricKey, list[str]] = field(default_factory=dict)

    def facts(self) -> Iterable[tuple[str, Merged]]:
        """Every merged fact, with how problems name it."""
        yield from ((f"role {key}", merged) for key, merged in self.roles.items())
        yield from ((f"deal '{key}'", merged) for key, merged in self.deals.items())
        yield from ((f"investment '{key}'", merged) for key, merged in self.investments.items())
        yield from ((f"stake {key}", merged) for key, merged in self.stakes.items())
        yield from ((f"metric {key}", merged) for key, merged in self.metrics.items())


def merge(
    table: dict[K, Merged],
    key: K,
    fields: dict[str, Any],
    *,
    file: str,
    what: str,
    problems: list[str],
) -> Merged:
    """Add one document's statement of a fact; documents must agree on its identifying fields."""
    merged = table.get(key)
    if merged is None:
        merged = table[key] = Merged(dict(fields), {name: file for name in fields})
        return merged
    for name, value in fields.items():
        known = merged.fields.get(name)
        if value is None:
            continue
        if known is None:
            merged.fields[name], merged.origin[name] = value, file
        elif known != value:
            problems.append(
                _disagreement(
                    what=what, name=name, earlier=(merged.origin[name], known), later=(file, value)
                )
            )
    return merged


def _disagreement(*, what: str, name: str, earlier: tuple[str, Any], later: tuple[str, Any]) -> str:
    """`earlier` and `later` are each a facts file and the value it gives the field."""
    (file_a, a), (file_b, b) = earlier, later
    return (
        f"{file_b}: {what}: field '{name}' is {_show(b)} here but {_show(a)} in {file_a}; "
        "a fact's identifying fields cannot be disputed"
    )


def _show(value: Any) -> str:
    if isinstance(value, StrEnum):
        return repr(value.value)
    return repr(value.model_dump() if isinstance(value, BaseModel) else value)


def by_field(drafts: Iterable[Draft]) -> dict[str, list[Draft]]:
    grouped: dict[str, list[Draft]] = {}
    for draft in drafts:
        grouped.setdefault(draft.field, []).append(draft)
    return grouped


def settle_drafts(drafts: Sequence[Draft]) -> Settled:
    return settle([(draft.value, draft.rank) for draft in drafts])


def claim_problems(what: str, merged: Merged) -> Iterable[str]:
    """Disagreements among a fact's claims that cannot stand."""
    for name, drafts in by_field(merged.claims).items():
        preferred = [d for d in drafts if d.rank is ClaimRank.PREFERRED]
        if any(not agree(a.value, b.value) for a in preferred for b in preferred):
            yield f"{_claim_list(preferred)}: {what}: preferred claims of '{name}' disagree"
        elif name in REQUIRED_FIELDS and not settle_drafts(drafts).resolved:
            yield (
                f"{_claim_list(drafts)}: {what}: claims of '{name}' disagree and it cannot be "
                "left unknown; rank one claim preferred or the others deprecated, with a reason"
            )


def _claim_list(drafts: Sequence[Draft]) -> str:
    return ", ".join(
        f"{draft.span.source}{FACTS_SUFFIX} ({describe(draft.value)})" for draft in drafts
    )
