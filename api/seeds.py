"""Loading a corpus (documents + facts files) into the store: validate everything, then write it
in one transaction, or write nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session, SQLModel

from api import models
from api.claims import Settled, agree, describe, resolve_weekday, settle, weekday_of
from api.dates import Precision, parse_partial_date
from api.facts import (
    Claimed,
    ClaimNote,
    ClaimRank,
    EntityEntry,
    EntityRegistry,
    FactsFile,
    MetricFact,
    Money,
)
from api.search import rebuild_search_index

ENTITIES_FILE = "entities.json"
FACTS_SUFFIX = ".facts.json"
# Bumped when the loader's interpretation of the files changes, so a reload rewrites the store.
LOADER_VERSION = "3"
DIGEST_KEY = "corpus_digest"

M = TypeVar("M", bound=BaseModel)
K = TypeVar("K")
E = TypeVar("E", models.Company, models.Person)


class CorpusError(Exception):
    """The corpus cannot be loaded; `problems` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


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
class DocumentFacts:
    slug: str
    text: str
    facts: FactsFile


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
    registry = _read_model(directory / ENTITIES_FILE, EntityRegistry, problems)
    documents = _read_documents(directory, problems)
    if registry is None or problems:
        raise CorpusError(problems)
    resolver = _Resolver(registry, problems)
    corpus = Corpus(registry=registry, documents=documents, digest=_digest(directory))
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


def _read_model(path: Path, model: type[M], problems: list[str]) -> M | None:
    try:
        return model.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except ValidationError as error:
        for issue in error.errors():
            location = _location(issue["loc"]) or "(file)"
            problems.append(f"{path.name}: {location}: {issue['msg']}")
    return None


def _location(parts: Iterable[int | str]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _read_documents(directory: Path, problems: list[str]) -> list[DocumentFacts]:
    texts = {path.stem: path for path in directory.glob("*.txt")}
    facts = {
        path.name.removesuffix(FACTS_SUFFIX): path for path in directory.glob(f"*{FACTS_SUFFIX}")
    }
    for stem in sorted(facts.keys() - texts.keys()):
        problems.append(f"{stem}{FACTS_SUFFIX}: no document {stem}.txt beside it")
    for stem in sorted(texts.keys() - facts.keys()):
        problems.append(f"{stem}.txt: no facts file {stem}{FACTS_SUFFIX} beside it")
    if not texts:
        problems.append(f"{directory}: no documents (*.txt)")
    documents = []
    for stem in sorted(texts.keys() & facts.keys()):
        try:
            text = texts[stem].read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{stem}.txt: not UTF-8 text ({error.reason} at byte {error.start})")
            continue
        parsed = _read_model(facts[stem], FactsFile, problems)
        if parsed is not None:
            documents.append(DocumentFacts(slug=stem, text=text, facts=parsed))
    return documents


def _digest(directory: Path) -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    names = [
        ENTITIES_FILE,
        *sorted(p.name for p in directory.iterdir() if p.suffix in {".txt", ".json"}),
    ]
    for name in dict.fromkeys(names):
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    return digest.hexdigest()


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
    for name, drafts in _by_field(merged.claims).items():
        preferred = [d for d in drafts if d.rank is ClaimRank.PREFERRED]
        if any(not agree(a.value, b.value) for a in preferred for b in preferred):
            yield f"{_claim_list(preferred)}: {what}: preferred claims of '{name}' disagree"
        elif name in REQUIRED_FIELDS and not _settle(drafts).resolved:
            yield (
                f"{_claim_list(drafts)}: {what}: claims of '{name}' disagree and it cannot be "
                "left unknown; rank one claim preferred or the others deprecated, with a reason"
            )


def _claim_list(drafts: Sequence[Draft]) -> str:
    return ", ".join(
        f"{draft.span.source}{FACTS_SUFFIX} ({describe(draft.value)})" for draft in drafts
    )


def _by_field(drafts: Iterable[Draft]) -> dict[str, list[Draft]]:
    grouped: dict[str, list[Draft]] = {}
    for draft in drafts:
        grouped.setdefault(draft.field, []).append(draft)
    return grouped


def _settle(drafts: Sequence[Draft]) -> Settled:
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


def stored_digest(session: Session) -> str | None:
    meta = session.get(models.Meta, DIGEST_KEY)
    return None if meta is None else meta.value


def is_empty(engine: Engine) -> bool:
    with Session(engine) as session:
        return not session.scalar(select(func.count()).select_from(models.Source))


def load_corpus(engine: Engine, directory: Path) -> bool:
    """Make the store hold exactly this corpus. Returns False when it already did."""
    corpus = read_corpus(directory)
    with Session(engine) as session, session.begin():
        if stored_digest(session) == corpus.digest:
            return False
        _clear(session)
        _write(session, corpus)
        rebuild_search_index(session)
        session.merge(models.Meta(key=DIGEST_KEY, value=corpus.digest))
    return True


# Children before parents, so deleting never trips a foreign key.
_TABLES_BY_DEPENDENCY: tuple[type[SQLModel], ...] = (
    models.Claim,
    models.Conflict,
    models.Evidence,
    models.Metric,
    models.Stake,
    models.InvestmentInvestor,
    models.Investment,
    models.DealParty,
    models.Deal,
    models.Role,
    models.Person,
    models.Company,
    models.Source,
)


def _clear(session: Session) -> None:
    for table in _TABLES_BY_DEPENDENCY:
        session.exec(delete(table))


def _write(session: Session, corpus: Corpus) -> None:
    sources = {d.slug: _add(session, _source(d)) for d in corpus.documents}
    companies = {
        e.slug: _add(session, _entity(models.Company, e)) for e in corpus.registry.companies
    }
    people = {e.slug: _add(session, _entity(models.Person, e)) for e in corpus.registry.people}

    def evidence(spans: Iterable[Span], **subject: int) -> dict[Span, models.Evidence]:
        rows = {
            span: models.Evidence(
                source_id=sources[span.source],
                quote=span.quote,
                start_offset=span.start,
                end_offset=span.end,
                **subject,
            )
            for span in dict.fromkeys(spans)
        }
        session.add_all(rows.values())
        return rows

    def claims(merged: Merged, settled: dict[str, Settled], **subject: int) -> None:
        quotes = evidence(merged.spans, **subject)
        session.flush()
        for name, drafts in _by_field(merged.claims).items():
            conflict_id = None
            if settled[name].disputed:
                conflict = models.Conflict(field=name, resolved=settled[name].resolved, **subject)
                conflict_id = _add(session, conflict)
            for draft in drafts:
                kind, slug = draft.attributed_to or (None, "")
                session.add(
                    models.Claim(
                        field=name,
                        value=draft.value,
                        rank=draft.rank,
                        rank_reason=draft.reason,
                        note=draft.note,
                        evidence_id=_id(quotes[draft.span]),
                        attributed_company_id=companies[slug] if kind == "company" else None,
                        attributed_person_id=people[slug] if kind == "person" else None,
                        conflict_id=conflict_id,
                        **subject,
                    )
                )

    for slug, spans in corpus.company_spans.items():
        evidence(spans, company_id=companies[slug])
    for slug, spans in corpus.person_spans.items():
        evidence(spans, person_id=people[slug])
    for (person, company, title), merged in corpus.roles.items():
        settled, v = _settled(merged)
        role = models.Role(
            person_id=people[person],
            company_id=companies[company],
            title=title,
            is_ceo=title.casefold() in CEO_TITLES,
            current=v("current"),
            **_dated("started", v("started_on")),
            **_dated("ended", v("ended_on")),
        )
        claims(merged, settled, role_id=_add(session, role))
    deals = {}
    for key, merged in corpus.deals.items():
        settled, v = _settled(merged)
        deal = models.Deal(
            key=key,
            kind=merged.fields["kind"],
            status=v("status"),
            **_money(v("value")),
            **_dated("announced", v("announced_on")),
            **_dated("completed", v("completed_on")),
        )
        deals[key] = deal_id = _add(session, deal)
        for (company, role), party in merged.parts.items():
            session.add(
                models.DealParty(
                    deal_id=deal_id,
                    company_id=companies[company],
                    role=role,
                    stake_percent=party.fields["stake_percent"],
                )
            )
        claims(merged, settled, deal_id=deal_id)
    for key, merged in corpus.investments.items():
        settled, v = _settled(merged)
        link = merged.fields["deal"]
        investment = models.Investment(
            key=key,
            investee_id=companies[merged.fields["investee"]],
            status=v("status"),
            stake_percent=v("stake_percent"),
            round=v("round"),
            deal_id=None if link is None else deals[link],
            **_money(v("value")),
            **_dated("announced", v("announced_on")),
        )
        investment_id = _add(session, investment)
        session.add_all(
            models.InvestmentInvestor(investment_id=investment_id, company_id=companies[company])
            for company in merged.parts
        )
        claims(merged, settled, investment_id=investment_id)
    for (holder, company), merged in corpus.stakes.items():
        settled, v = _settled(merged)
        stake = models.Stake(
            holder_id=companies[holder],
            company_id=companies[company],
            kind=v("kind"),
            percent=v("percent"),
            current=v("current"),
        )
        claims(merged, settled, stake_id=_add(session, stake))
    for (company, name, period), merged in corpus.metrics.items():
        settled, v = _settled(merged)
        amount = v("value")
        metric = models.Metric(
            company_id=companies[company],
            name=name,
            unit=merged.fields["unit"],
            period=period,
            value=None if amount is None else amount["amount"],
            approximate=bool(amount and amount["approximate"]),
        )
        claims(merged, settled, metric_id=_add(session, metric))


def _settled(merged: Merged) -> tuple[dict[str, Settled], Callable[[str], Any]]:
    """Each claimed field settled, and a lookup of the default values (None where unstated)."""
    settled = {name: _settle(drafts) for name, drafts in _by_field(merged.claims).items()}

    def value(name: str) -> Any:
        found = settled.get(name)
        return None if found is None else found.value

    return settled, value


def _money(value: dict[str, Any] | None) -> dict[str, Any]:
    return models.MoneyColumns.columns(None if value is None else Money(**value))


CEO_TITLES = frozenset({"chief executive officer"})


def _add(session: Session, row: SQLModel) -> int:
    session.add(row)
    session.flush()
    return _id(row)


def _id(row: SQLModel) -> int:
    identity = getattr(row, "id", None)
    assert isinstance(identity, int)
    return identity


def _source(document: DocumentFacts) -> models.Source:
    meta = document.facts.source
    return models.Source(
        slug=document.slug,
        title=meta.title,
        publisher=meta.publisher,
        url=meta.url,
        text=document.text,
        sha256=hashlib.sha256(document.text.encode()).hexdigest(),
        **_dated("published", meta.published_on),
    )


def _entity(model: type[E], entry: EntityEntry) -> E:
    names = [entry.name, *entry.aliases]
    return model(
        slug=entry.slug,
        name=entry.name,
        aliases=entry.aliases,
        description=entry.description,
        search_key="\n".join(name.casefold() for name in names),
    )


def _dated(prefix: str, claimed: str | dict[str, Any] | None) -> dict[str, Any]:
    text = claimed.get("date") if isinstance(claimed, dict) else claimed
    if text is None:
        return {}
    day, precision = parse_partial_date(text)
    return {f"{prefix}_on": day, f"{prefix}_precision": precision}


def corpus_summary(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            str(table.__tablename__): session.scalar(select(func.count()).select_from(table)) or 0
            for table in reversed(_TABLES_BY_DEPENDENCY)
        }
