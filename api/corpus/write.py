"""Writing a checked corpus to the store: every table cleared, then every row added, inside the
caller's transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from sqlmodel import Session, SQLModel, delete

from api.claims import Settled
from api.corpus.bulk import Rows
from api.corpus.format import EntityEntry
from api.corpus.merge import Corpus, Merged, MetricKey, Span, by_field, settle_drafts
from api.corpus.parse import Document
from api.dates import parse_partial_date
from api.store import models
from api.store.rows import NAME_SEPARATOR
from api.vocab import DealStatus, Provenance, StakeChange

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
    """Write every row of a checked corpus in the caller's transaction; the store must be
    empty."""
    with Rows(session, parents_first=reversed(TABLES_BY_DEPENDENCY)) as rows:
        _add_rows(rows, corpus)
        rows.finish()


def _add_rows(rows: Rows, corpus: Corpus) -> None:
    ids = _Ids(
        sources={d.slug: _add_source(rows, d, corpus) for d in corpus.documents},
        companies={
            e.slug: _add_entity(rows, models.Company, e, corpus.company_provenance[e.slug])
            for e in corpus.registry.companies
        },
        people={
            e.slug: _add_entity(rows, models.Person, e, corpus.person_provenance[e.slug])
            for e in corpus.registry.people
        },
    )
    for slug, spans in corpus.company_spans.items():
        _add_evidence(rows, ids, spans, company_id=ids.companies[slug])
    for slug, spans in corpus.person_spans.items():
        _add_evidence(rows, ids, spans, person_id=ids.people[slug])
    _write_roles(rows, ids, corpus.roles)
    deals = _write_deals(rows, ids, corpus.deals)
    investments = _write_investments(rows, ids, corpus.investments, deals=deals)
    _write_stakes(rows, ids, corpus.stakes, deals, investments)
    _write_metrics(rows, ids, corpus.metrics, corpus.contradicted_ranks)


@dataclass(frozen=True)
class _Ids:
    """Row ids by slug of what facts refer to: their sources, companies and people."""

    sources: dict[str, int]
    companies: dict[str, int]
    people: dict[str, int]


def _add_evidence(rows: Rows, ids: _Ids, spans: Iterable[Span], **subject: int) -> dict[Span, int]:
    """One evidence row per distinct quote, about the row `subject` names; their ids."""
    return {
        span: rows.add_values(
            models.Evidence,
            source_id=ids.sources[span.source],
            quote=span.quote,
            start_offset=span.start,
            end_offset=span.end,
            **subject,
        )
        for span in dict.fromkeys(spans)
    }


def _add_claims(
    rows: Rows,
    ids: _Ids,
    merged: Merged,
    settled: dict[str, Settled],
    contradicted: Mapping[str, list[str]] = MappingProxyType({}),
    **subject: int,
) -> None:
    """A fact's quotes and claims, with a conflict row for each field whose claims disagree or
    that `contradicted` says other facts contradict (with why)."""
    quotes = _add_evidence(rows, ids, merged.spans, **subject)
    for name, drafts in by_field(merged.claims).items():
        conflict_id = None
        why = contradicted.get(name)
        if settled[name].disputed or why:
            conflict_id = rows.add_values(
                models.Conflict,
                field=name,
                # A contradicted value that no claim disputes still stands.
                resolved=settled[name].resolved or not settled[name].disputed,
                reason="; ".join(why) if why else None,
                **subject,
            )
        for draft in drafts:
            kind, slug = draft.attributed_to or (None, "")
            rows.add_values(
                models.Claim,
                field=name,
                value=draft.value,
                rank=draft.rank,
                rank_reason=draft.reason,
                note=draft.note,
                evidence_id=quotes[draft.span],
                attributed_company_id=ids.companies[slug] if kind == "company" else None,
                attributed_person_id=ids.people[slug] if kind == "person" else None,
                conflict_id=conflict_id,
                **subject,
            )


def _write_roles(rows: Rows, ids: _Ids, roles: dict[tuple[str, str, str], Merged]) -> None:
    for (person, company, title), merged in roles.items():
        settled, v = _settled(merged)
        role_id = rows.add_values(
            models.Role,
            person_id=ids.people[person],
            company_id=ids.companies[company],
            title=title,
            kind=merged.fields["kind"],
            is_ceo=title.casefold() in CEO_TITLES,
            current=v("current"),
            **_dated("started", v("started_on")),
            **_dated("ended", v("ended_on")),
        )
        _add_claims(rows, ids, merged, settled, role_id=role_id)


class Stage(Protocol):
    """How far a stake's deal or investment has got, and when it completed (only a deal says)."""

    @property
    def status(self) -> DealStatus: ...

    @property
    def completed_on(self) -> dt.date | None: ...


class _Written(NamedTuple):
    """A deal or investment as its stakes need it: its row id and its stage."""

    id: int
    status: DealStatus
    completed_on: dt.date | None


def _write_deals(rows: Rows, ids: _Ids, deals: dict[str, Merged]) -> dict[str, _Written]:
    """Each deal with its parties; returns the deals written, by key."""
    written = {}
    for key, merged in deals.items():
        settled, v = _settled(merged)
        completed = _dated("completed", v("completed_on"))
        deal_id = rows.add_values(
            models.Deal,
            key=key,
            kind=merged.fields["kind"],
            status=v("status"),
            **_money(v("value")),
            **_dated("announced", v("announced_on")),
            **completed,
            tranches=v("tranches") or [],
            valuation=v("valuation"),
            terms=v("terms") or [],
            non_exhaustive_roles=v("non_exhaustive_roles") or [],
        )
        written[key] = _Written(deal_id, v("status"), completed.get("completed_on"))
        for (company, role), party in merged.parts.items():
            rows.add_values(
                models.DealParty,
                deal_id=deal_id,
                company_id=ids.companies[company],
                role=role,
                stake_percent=party.fields["stake_percent"],
            )
        _add_claims(rows, ids, merged, settled, deal_id=deal_id)
    return written


def _write_investments(
    rows: Rows, ids: _Ids, investments: dict[str, Merged], *, deals: dict[str, _Written]
) -> dict[str, _Written]:
    """Each investment with its investors; returns the investments written, by key."""
    written = {}
    for key, merged in investments.items():
        settled, v = _settled(merged)
        link = merged.fields["deal"]
        investment_id = rows.add_values(
            models.Investment,
            key=key,
            investee_id=ids.companies[merged.fields["investee"]],
            status=v("status"),
            stake_percent=v("stake_percent"),
            round=v("round"),
            deal_id=None if link is None else deals[link].id,
            **_money(v("value")),
            **_dated("announced", v("announced_on")),
        )
        written[key] = _Written(investment_id, v("status"), None)
        for company in merged.parts:
            rows.add_values(
                models.InvestmentInvestor,
                investment_id=investment_id,
                company_id=ids.companies[company],
            )
        _add_claims(rows, ids, merged, settled, investment_id=investment_id)
    return written


def in_force(
    current: bool | None, change: StakeChange | None, through: Stage | None
) -> bool | None:
    """Whether a stake is held now, by what the sources say (`vocab.IN_FORCE`)."""
    if change is None or through is None:
        return current
    completed = through.status is DealStatus.COMPLETED
    if change is StakeChange.ACQUIRED:
        return completed
    if change is StakeChange.SOLD:
        # Held when the deal was reported; whether it is still held depends on what happened
        # since, which no source says until one reports the deal completed.
        return False if completed else None
    return True


def held_between(
    change: StakeChange | None, through: Stage | None
) -> tuple[dt.date | None, dt.date | None]:
    """From and until when a stake is held, as far as a completed deal's date says."""
    if through is None or through.completed_on is None:
        return None, None
    if through.status is not DealStatus.COMPLETED:
        return None, None
    if change is StakeChange.ACQUIRED:
        return through.completed_on, None
    if change is StakeChange.SOLD:
        return None, through.completed_on
    # A kept stake was held before the deal too (as part of a larger one).
    return None, None


def _write_stakes(
    rows: Rows,
    ids: _Ids,
    stakes: dict[tuple[str, str], Merged],
    deals: dict[str, _Written],
    investments: dict[str, _Written],
) -> None:
    for (holder, company), merged in stakes.items():
        settled, v = _settled(merged)
        fields = merged.fields
        deal = deals.get(fields["deal"] or "")
        investment = investments.get(fields["investment"] or "")
        change = fields["change"]
        held_from, held_until = held_between(change, deal or investment)
        stake_id = rows.add_values(
            models.Stake,
            holder_id=ids.companies[holder],
            company_id=ids.companies[company],
            kind=v("kind"),
            percent=v("percent"),
            percent_range=v("percent_range"),
            current=v("current"),
            **_dated("as_of", v("as_of")),
            deal_id=None if deal is None else deal.id,
            investment_id=None if investment is None else investment.id,
            change=change,
            in_force=in_force(v("current"), change, deal or investment),
            held_from=held_from,
            held_until=held_until,
        )
        _add_claims(rows, ids, merged, settled, stake_id=stake_id)


def _write_metrics(
    rows: Rows,
    ids: _Ids,
    metrics: dict[MetricKey, Merged],
    contradicted: dict[MetricKey, list[str]],
) -> None:
    for key, merged in metrics.items():
        (about, subject), name, period = key
        settled, v = _settled(merged)
        amount = v("value")
        metric_id = rows.add_values(
            models.Metric,
            company_id=ids.companies[subject] if about == "company" else None,
            market=subject if about == "market" else None,
            name=name,
            unit=merged.fields["unit"],
            period=period,
            value=None if amount is None else amount["amount"],
            approximate=bool(amount and amount["approximate"]),
            forecast=merged.fields["forecast"],
            also=merged.fields["also"],
            among=merged.fields["among"],
            ranked_by=merged.fields["ranked_by"],
        )
        why = {"value": contradicted[key]} if key in contradicted else {}
        _add_claims(rows, ids, merged, settled, why, metric_id=metric_id)


def _settled(merged: Merged) -> tuple[dict[str, Settled], Callable[[str], Any]]:
    """Each claimed field settled, and a lookup of the default values (None where unstated)."""
    settled = {name: settle_drafts(drafts) for name, drafts in by_field(merged.claims).items()}

    def value(name: str) -> Any:
        found = settled.get(name)
        return None if found is None else found.value

    return settled, value


def _money(value: dict[str, Any] | None) -> dict[str, Any]:
    """A claimed amount of money (stored JSON form) as the value columns; none where unstated."""
    if value is None:
        return {}
    return {
        "value_amount": value["amount"],
        "value_currency": value["currency"],
        "value_approximate": value["approximate"],
        "value_text": value["text"],
    }


CEO_TITLES = frozenset({"chief executive officer"})


def _add_source(rows: Rows, document: Document, corpus: Corpus) -> int:
    meta = document.source
    provenance = corpus.source_provenance[document.slug]
    return rows.add_values(
        models.Source,
        slug=document.slug,
        title=meta.title,
        publisher=meta.publisher,
        url=meta.url,
        text=document.text,
        sha256=hashlib.sha256(document.text.encode()).hexdigest(),
        provenance=[known.model_dump(exclude_none=True) for known in provenance],
        **_dated("published", meta.published_on),
    )


def _add_entity(
    rows: Rows,
    table: type[models.Company | models.Person],
    entry: EntityEntry,
    provenance: list[Provenance],
) -> int:
    names = [entry.name, *entry.aliases]
    return rows.add_values(
        table,
        slug=entry.slug,
        name=entry.name,
        aliases=entry.aliases,
        description=entry.description,
        provenance=[known.model_dump(exclude_none=True) for known in provenance],
        search_key=NAME_SEPARATOR.join(name.casefold() for name in names),
    )


def _dated(prefix: str, claimed: str | dict[str, Any] | None) -> dict[str, Any]:
    text = claimed.get("date") if isinstance(claimed, dict) else claimed
    if text is None:
        return {}
    day, precision = parse_partial_date(text)
    return {f"{prefix}_on": day, f"{prefix}_precision": precision}
