"""Loading a corpus (documents + facts files) into the store: validate everything, then write it
in one transaction, or write nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session, SQLModel

from api import models
from api.dates import parse_partial_date
from api.facts import EntityEntry, EntityRegistry, FactsFile, Money

ENTITIES_FILE = "entities.json"
FACTS_SUFFIX = ".facts.json"
# Bumped when the loader's interpretation of the files changes, so a reload rewrites the store.
LOADER_VERSION = "1"
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


@dataclass
class Merged:
    """A fact as stated by one or more documents: agreed field values and all their quotes."""

    fields: dict[str, Any]
    origin: dict[str, str]
    spans: list[Span] = field(default_factory=list)
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
    metrics: list[Merged] = field(default_factory=list)


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
    for document in documents:
        _collect(corpus, document, resolver, problems)
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
    corpus: Corpus, document: DocumentFacts, resolver: _Resolver, problems: list[str]
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

    for i, role in enumerate(facts.roles):
        path = f"roles[{i}]"
        key = (
            ref("person", f"{path}.person", role.person),
            ref("company", f"{path}.company", role.company),
            role.title,
        )
        _merge(
            corpus.roles, key, _scalars(role, "person", "company"), file, f"role {key}", problems
        ).spans.extend(spans(path, role.quotes))
    for i, deal in enumerate(facts.deals):
        path = f"deals[{i}]"
        merged = _merge(
            corpus.deals, deal.key, _scalars(deal, "parties"), file, f"deal '{deal.key}'", problems
        )
        merged.spans.extend(spans(path, deal.quotes))
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
        scalars = _scalars(investment, "investors")
        scalars["investee"] = ref("company", f"{path}.investee", investment.investee)
        merged = _merge(
            corpus.investments,
            investment.key,
            scalars,
            file,
            f"investment '{investment.key}'",
            problems,
        )
        merged.spans.extend(spans(path, investment.quotes))
        for j, name in enumerate(investment.investors):
            merged.parts[ref("company", f"{path}.investors[{j}]", name)] = True
    for i, stake in enumerate(facts.stakes):
        path = f"stakes[{i}]"
        stake_key = (
            ref("company", f"{path}.holder", stake.holder),
            ref("company", f"{path}.company", stake.company),
        )
        _merge(
            corpus.stakes,
            stake_key,
            _scalars(stake, "holder", "company"),
            file,
            f"stake {stake_key}",
            problems,
        ).spans.extend(spans(path, stake.quotes))
    for i, metric in enumerate(facts.metrics):
        path = f"metrics[{i}]"
        scalars = _scalars(metric)
        scalars["company"] = ref("company", f"{path}.company", metric.company)
        if metric.attributed_to is not None:
            scalars["attributed_to"] = ref("company", f"{path}.attributed_to", metric.attributed_to)
        corpus.metrics.append(Merged(scalars, {}, spans(path, metric.quotes)))


def _scalars(fact: BaseModel, *exclude: str) -> dict[str, Any]:
    return {name: value for name, value in fact if name not in {"quotes", *exclude}}


def _merge(
    table: dict[K, Merged],
    key: K,
    fields: dict[str, Any],
    file: str,
    what: str,
    problems: list[str],
) -> Merged:
    """Add one document's statement of a fact; documents that state a field must agree on it."""
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
        elif isinstance(known, Money) and isinstance(value, Money):
            if (known.amount, known.currency) != (value.amount, value.currency):
                problems.append(_disagreement(what, name, merged.origin[name], known, file, value))
            elif value.approximate and not known.approximate:
                # One source hedging ("about $700m") makes the agreed amount approximate.
                merged.fields[name] = known.model_copy(update={"approximate": True})
        elif known != value:
            problems.append(_disagreement(what, name, merged.origin[name], known, file, value))
    return merged


def _disagreement(what: str, name: str, file_a: str, a: Any, file_b: str, b: Any) -> str:
    return (
        f"{file_b}: {what}: field '{name}' is {_show(b)} here but {_show(a)} in {file_a}; "
        "sources that disagree cannot both be loaded yet"
    )


def _show(value: Any) -> str:
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
        session.merge(models.Meta(key=DIGEST_KEY, value=corpus.digest))
    return True


# Children before parents, so deleting never trips a foreign key.
_TABLES_BY_DEPENDENCY: tuple[type[SQLModel], ...] = (
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

    def evidence(spans: list[Span], **subject: int) -> None:
        for span in dict.fromkeys(spans):
            session.add(
                models.Evidence(
                    source_id=sources[span.source],
                    quote=span.quote,
                    start_offset=span.start,
                    end_offset=span.end,
                    **subject,
                )
            )

    for slug, spans in corpus.company_spans.items():
        evidence(spans, company_id=companies[slug])
    for slug, spans in corpus.person_spans.items():
        evidence(spans, person_id=people[slug])
    for (person, company, title), merged in corpus.roles.items():
        f = merged.fields
        role = models.Role(
            person_id=people[person],
            company_id=companies[company],
            title=title,
            is_ceo=title.casefold() in CEO_TITLES,
            current=f["current"],
            **_dated("started", f["started_on"]),
            **_dated("ended", f["ended_on"]),
        )
        evidence(merged.spans, role_id=_add(session, role))
    deals = {}
    for key, merged in corpus.deals.items():
        f = merged.fields
        deal = models.Deal(
            key=key,
            kind=f["kind"],
            status=f["status"],
            **models.MoneyColumns.columns(f["value"]),
            **_dated("announced", f["announced_on"]),
            **_dated("completed", f["completed_on"]),
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
        evidence(merged.spans, deal_id=deal_id)
    for key, merged in corpus.investments.items():
        f = merged.fields
        investment = models.Investment(
            key=key,
            investee_id=companies[f["investee"]],
            status=f["status"],
            stake_percent=f["stake_percent"],
            round=f["round"],
            deal_id=None if f["deal"] is None else deals[f["deal"]],
            **models.MoneyColumns.columns(f["value"]),
            **_dated("announced", f["announced_on"]),
        )
        investment_id = _add(session, investment)
        for company in merged.parts:
            session.add(
                models.InvestmentInvestor(
                    investment_id=investment_id, company_id=companies[company]
                )
            )
        evidence(merged.spans, investment_id=investment_id)
    for (holder, company), merged in corpus.stakes.items():
        f = merged.fields
        stake = models.Stake(
            holder_id=companies[holder],
            company_id=companies[company],
            kind=f["kind"],
            percent=f["percent"],
            current=f["current"],
        )
        evidence(merged.spans, stake_id=_add(session, stake))
    for merged in corpus.metrics:
        f = merged.fields
        metric = models.Metric(
            company_id=companies[f["company"]],
            name=f["name"],
            value=f["value"],
            unit=f["unit"],
            approximate=f["approximate"],
            period=f["period"],
            attributed_to_id=None if f["attributed_to"] is None else companies[f["attributed_to"]],
        )
        evidence(merged.spans, metric_id=_add(session, metric))


CEO_TITLES = frozenset({"chief executive officer"})


def _add(session: Session, row: SQLModel) -> int:
    session.add(row)
    session.flush()
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


def _dated(prefix: str, text: str | None) -> dict[str, Any]:
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
