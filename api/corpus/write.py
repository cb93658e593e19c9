"""Writing a checked corpus to the store: every table cleared, then every row added, inside the
caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, delete

from api.claims import Settled
from api.corpus.format import EntityEntry, Money
from api.corpus.parse import DocumentFacts
from api.corpus.validate import Corpus, Merged, Span, by_field, settle_drafts
from api.dates import parse_partial_date
from api.store import models

E = TypeVar("E", models.Company, models.Person)


# Children before parents, so deleting never trips a foreign key.
TABLES_BY_DEPENDENCY: tuple[type[SQLModel], ...] = (
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


def clear(session: Session) -> None:
    for table in TABLES_BY_DEPENDENCY:
        session.exec(delete(table))


def write(session: Session, corpus: Corpus) -> None:
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
        for name, drafts in by_field(merged.claims).items():
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
    settled = {name: settle_drafts(drafts) for name, drafts in by_field(merged.claims).items()}

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
