"""Checking a corpus and merging what its documents state: every quote found verbatim, every
name resolved through the registry, each fact merged across documents with one claim per
document and field, and disagreements that cannot stand refused."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from api.claims import Settled, agree, describe, resolve_weekday, settle, weekday_of
from api.corpus.format import Claimed, ClaimNote, EntityEntry, EntityRegistry, MetricFact, Money
from api.corpus.parse import (
    ENTITIES_FILE,
    FACTS_SUFFIX,
    CorpusError,
    DocumentFacts,
    digest,
    read_documents,
    read_model,
)
from api.dates import Precision, parse_partial_date
from api.vocab import ClaimRank

K = TypeVar("K")


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
    documents: list[DocumentFacts]
    digest: str
    company_spans: dict[str, list[Span]] = field(default_factory=dict)
    person_spans: dict[str, list[Span]] = field(default_factory=dict)
    roles: dict[tuple[str, str, str], Merged] = field(default_factory=dict)
    deals: dict[str, Merged] = field(default_factory=dict)
    investments: dict[str, Merged] = field(default_factory=dict)
    stakes: dict[tuple[str, str], Merged] = field(default_factory=dict)
    metrics: dict[tuple[str, str, str | None], Merged] = field(default_factory=dict)


def read_corpus(directory: Path) -> Corpus:
    """Parse and check every file of a corpus; raise CorpusError listing every problem found."""
    problems: list[str] = []
    if not directory.is_dir():
        raise CorpusError([f"{directory}: not a directory"])
    registry = read_model(directory / ENTITIES_FILE, EntityRegistry, problems)
    documents = read_documents(directory, problems)
    if registry is None or problems:
        raise CorpusError(problems)
    resolver = _Resolver(registry, problems)
    corpus = Corpus(registry=registry, documents=documents, digest=digest(directory))
    metrics: list[tuple[tuple[str, str, str | None], Merged, str]] = []
    for document in documents:
        _collect(corpus, document, resolver, problems, metrics)
    _group_metrics(corpus, metrics, problems)
    for what, merged in _facts(corpus):
        problems.extend(_claim_problems(what, merged))
    for key, investment in corpus.investments.items():
        deal = investment.fields.get("deal")
        if deal is not None and deal not in corpus.deals:
            problems.append(
                f"{investment.origin['deal']}: investment '{key}': field 'deal' names "
                f"unknown deal '{deal}'"
            )
    for kind, entries, spans in (
        ("company", registry.companies, corpus.company_spans),
        ("person", registry.people, corpus.person_spans),
    ):
        for entry in entries:
            if entry.slug not in spans:
                problems.append(f"{ENTITIES_FILE}: {kind} '{entry.slug}' is mentioned by no source")
    if problems:
        raise CorpusError(problems)
    return corpus


class _Resolver:
    """Names as documents write them, resolved to registry entries by name or alias."""

    def __init__(self, registry: EntityRegistry, problems: list[str]) -> None:
        self.companies: dict[str, EntityEntry] = {}
        self.people: dict[str, EntityEntry] = {}
        seen: dict[str, str] = {}
        for kind, entries, table in (
            ("company", registry.companies, self.companies),
            ("person", registry.people, self.people),
        ):
            slugs: set[str] = set()
            for entry in entries:
                if entry.slug in slugs:
                    problems.append(f"{ENTITIES_FILE}: {kind} slug '{entry.slug}' is used twice")
                slugs.add(entry.slug)
                for name in (entry.name, *entry.aliases):
                    key = name.casefold()
                    if key in seen and seen[key] != f"{kind} {entry.slug}":
                        problems.append(
                            f"{ENTITIES_FILE}: name '{name}' of {kind} '{entry.slug}' "
                            f"is already a name of {seen[key]}"
                        )
                    seen[key] = f"{kind} {entry.slug}"
                    table[key] = entry


def _collect(
    corpus: Corpus,
    document: DocumentFacts,
    resolver: _Resolver,
    problems: list[str],
    metrics: list[tuple[tuple[str, str, str | None], Merged, str]],
) -> None:
    facts, file = document.facts, f"{document.slug}{FACTS_SUFFIX}"

    def spans(path: str, quotes: list[str]) -> list[Span]:
        found = []
        for index, quote in enumerate(quotes):
            start = document.text.find(quote)
            if start < 0:
                problems.append(
                    f"{file}: {path}.quotes[{index}]: quote not found verbatim in "
                    f"{document.slug}.txt: {quote!r}"
                )
            else:
                found.append(Span(document.slug, quote, start, start + len(quote)))
        return found

    declared: dict[str, set[str]] = {"company": set(), "person": set()}
    for kind, mentions, table, by_slug in (
        ("company", facts.companies, resolver.companies, corpus.company_spans),
        ("person", facts.people, resolver.people, corpus.person_spans),
    ):
        group = "companies" if kind == "company" else "people"
        for index, mention in enumerate(mentions):
            entry = table.get(mention.name.casefold())
            if entry is None:
                problems.append(
                    f"{file}: {group}[{index}].name: unknown {kind} '{mention.name}' "
                    f"(not a name or alias in {ENTITIES_FILE})"
                )
                continue
            declared[kind].add(mention.name.casefold())
            by_slug.setdefault(entry.slug, []).extend(spans(f"{group}[{index}]", mention.quotes))

    def ref(kind: str, path: str, name: str) -> str:
        table = resolver.companies if kind == "company" else resolver.people
        entry = table.get(name.casefold())
        if entry is None:
            problems.append(f"{file}: {path}: unknown {kind} '{name}' (not in {ENTITIES_FILE})")
            return f"?{name}"
        if name.casefold() not in declared[kind]:
            group = "companies" if kind == "company" else "people"
            problems.append(f"{file}: {path}: {kind} '{name}' is not listed in this file's {group}")
        return entry.slug

    def speaker(path: str, name: str) -> tuple[str, str]:
        kind = "person" if name.casefold() in resolver.people else "company"
        return kind, ref(kind, path, name)

    def claims(path: str, fact: Claimed, merged: Merged) -> None:
        """Each stated field of a fact becomes this document's claim, quoted by the field's own
        quote where the facts file gives one, else by the fact's first quote."""
        fact_spans = spans(path, fact.quotes)
        merged.spans.extend(fact_spans)
        for name in sorted(fact.CLAIMED):
            note = fact.claims.get(name, ClaimNote())
            where = f"{path}.claims.{name}"
            value = _claimed_value(fact, name)
            if value is None and note.weekday is None:
                if name in fact.claims:
                    problems.append(f"{file}: {where}: the fact states no {name} to qualify")
                continue
            quoted = spans(f"{where}.quote", [note.quote]) if note.quote else fact_spans[:1]
            if not quoted:
                continue
            merged.spans.extend(quoted)
            reading = None
            if name.endswith("_on"):
                value, reading = _claimed_date(value, note, document.facts.source.published_on)
                if value is None:
                    problems.append(f"{file}: {where}: {reading}")
                    continue
            merged.claims.append(
                Draft(
                    field=name,
                    value=value,
                    span=quoted[0],
                    attributed_to=(
                        None
                        if note.attributed_to is None
                        else speaker(f"{where}.attributed_to", note.attributed_to)
                    ),
                    rank=note.rank,
                    reason=note.reason,
                    note=reading,
                )
            )

    for i, role in enumerate(facts.roles):
        path = f"roles[{i}]"
        key = (
            ref("person", f"{path}.person", role.person),
            ref("company", f"{path}.company", role.company),
            role.title,
        )
        merged = _merge(corpus.roles, key, {}, file, f"role {key}", problems)
        claims(path, role, merged)
    for i, deal in enumerate(facts.deals):
        path = f"deals[{i}]"
        merged = _merge(
            corpus.deals, deal.key, {"kind": deal.kind}, file, f"deal '{deal.key}'", problems
        )
        claims(path, deal, merged)
        for j, party in enumerate(deal.parties):
            company = ref("company", f"{path}.parties[{j}].company", party.company)
            _merge(
                merged.parts,
                (company, party.role),
                {"stake_percent": party.stake_percent},
                file,
                f"deal '{deal.key}' party {company} ({party.role})",
                problems,
            )
    for i, investment in enumerate(facts.investments):
        path = f"investments[{i}]"
        identity = {
            "investee": ref("company", f"{path}.investee", investment.investee),
            "deal": investment.deal,
        }
        merged = _merge(
            corpus.investments,
            investment.key,
            identity,
            file,
            f"investment '{investment.key}'",
            problems,
        )
        claims(path, investment, merged)
        for j, name in enumerate(investment.investors):
            merged.parts[ref("company", f"{path}.investors[{j}]", name)] = True
    for i, stake in enumerate(facts.stakes):
        path = f"stakes[{i}]"
        stake_key = (
            ref("company", f"{path}.holder", stake.holder),
            ref("company", f"{path}.company", stake.company),
        )
        claims(
            path, stake, _merge(corpus.stakes, stake_key, {}, file, f"stake {stake_key}", problems)
        )
    for i, metric in enumerate(facts.metrics):
        path = f"metrics[{i}]"
        merged = Merged({"unit": metric.unit}, {"unit": file})
        claims(path, metric, merged)
        company = ref("company", f"{path}.company", metric.company)
        metrics.append(((company, metric.name, metric.period), merged, file))


def _group_metrics(
    corpus: Corpus,
    metrics: list[tuple[tuple[str, str, str | None], Merged, str]],
    problems: list[str],
) -> None:
    """Metric claims are one fact per company, metric and period. A claim that names no period is
    taken to be about the only period other sources name for that metric, if there is one."""
    periods: dict[tuple[str, str], set[str]] = {}
    for (company, name, period), _, _ in metrics:
        if period is not None:
            periods.setdefault((company, name), set()).add(period)
    for (company, name, period), stated, file in metrics:
        named = periods.get((company, name), set())
        if period is None and len(named) == 1:
            period = next(iter(named))
        key = (company, name, period)
        merged = _merge(corpus.metrics, key, stated.fields, file, f"metric {key}", problems)
        merged.spans.extend(stated.spans)
        merged.claims.extend(stated.claims)


# Fields a fact cannot do without: their claims must settle on one value.
REQUIRED_FIELDS = frozenset({"status", "kind"})


def _facts(corpus: Corpus) -> Iterable[tuple[str, Merged]]:
    yield from ((f"role {key}", merged) for key, merged in corpus.roles.items())
    yield from ((f"deal '{key}'", merged) for key, merged in corpus.deals.items())
    yield from ((f"investment '{key}'", merged) for key, merged in corpus.investments.items())
    yield from ((f"stake {key}", merged) for key, merged in corpus.stakes.items())
    yield from ((f"metric {key}", merged) for key, merged in corpus.metrics.items())


def _claim_problems(what: str, merged: Merged) -> Iterable[str]:
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


def by_field(drafts: Iterable[Draft]) -> dict[str, list[Draft]]:
    grouped: dict[str, list[Draft]] = {}
    for draft in drafts:
        grouped.setdefault(draft.field, []).append(draft)
    return grouped


def settle_drafts(drafts: Sequence[Draft]) -> Settled:
    return settle([(draft.value, draft.rank) for draft in drafts])


def _claimed_value(fact: Claimed, name: str) -> Any:
    value = getattr(fact, name)
    if isinstance(fact, MetricFact):
        return {"amount": fact.value, "unit": fact.unit, "approximate": fact.approximate}
    if isinstance(value, Money):
        return value.model_dump()
    return value


def _claimed_date(
    text: str | None, note: ClaimNote, published: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    """A claimed date as stored, with how it was read; (None, why) when the text contradicts it."""
    weekday = note.weekday
    if weekday is None:
        return {"date": text, "weekday": None}, None
    if text is not None:
        day, precision = parse_partial_date(text)
        if precision is Precision.DAY and weekday_of(day) is not weekday:
            return None, f"{text} is a {weekday_of(day)}, not a {weekday}"
        return {"date": text, "weekday": weekday.value}, None
    if published is not None:
        day, precision = parse_partial_date(published)
        if precision is Precision.DAY:
            resolved = resolve_weekday(weekday, day).isoformat()
            reading = f"'{weekday}' resolved against the publication date {published}"
            return {"date": resolved, "weekday": weekday.value}, reading
    reading = "names only a weekday; the document has no publication date to resolve it against"
    return {"date": None, "weekday": weekday.value}, reading


def _merge(
    table: dict[K, Merged],
    key: K,
    fields: dict[str, Any],
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
            problems.append(_disagreement(what, name, merged.origin[name], known, file, value))
    return merged


def _disagreement(what: str, name: str, file_a: str, a: Any, file_b: str, b: Any) -> str:
    return (
        f"{file_b}: {what}: field '{name}' is {_show(b)} here but {_show(a)} in {file_a}; "
        "a fact's identifying fields cannot be disputed"
    )


def _show(value: Any) -> str:
    if isinstance(value, StrEnum):
        return repr(value.value)
    return repr(value.model_dump() if isinstance(value, BaseModel) else value)
