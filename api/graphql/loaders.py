"""Per-request DataLoaders over the data-access module: each batches one level of a query into
one statement, whatever the number of parents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from sqlmodel import Session
from strawberry.dataloader import DataLoader

from api.ids import InvalidToken
from api.store import claims, companies, deals, graph, investments, models, people, rows, timeline

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class PageKey(NamedTuple):
    parent_id: int
    role: Any
    limit: int
    after: str | None


def _loader(fetch: Callable[[Sequence[K]], Mapping[K, V | None]]) -> DataLoader[K, V | None]:
    async def load(keys: list[K]) -> list[V | None]:
        found = fetch(keys)
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)


def _page_loader(
    fetch: Callable[[Sequence[int], Any, int, str | None], Mapping[int, V]],
) -> DataLoader[PageKey, V]:
    """Pages of children for many parents: one statement per distinct (role, limit, after)."""

    async def load(keys: list[PageKey]) -> list[V | BaseException]:
        groups: dict[tuple[Any, int, str | None], list[int]] = defaultdict(list)
        for key in keys:
            groups[key[1:]].append(key.parent_id)
        found: dict[PageKey, V | BaseException] = {}
        for (role, limit, after), parent_ids in groups.items():
            try:
                for parent_id, page in fetch(parent_ids, role, limit, after).items():
                    found[PageKey(parent_id, role, limit, after)] = page
            except InvalidToken as error:
                found.update({PageKey(p, role, limit, after): error for p in parent_ids})
        return [found[key] for key in keys]

    return DataLoader(load_fn=load)


def _count_loader(
    fetch: Callable[[Sequence[int], Any], Mapping[int, int]],
) -> DataLoader[tuple[int, Any], int]:
    async def load(keys: list[tuple[int, Any]]) -> list[int]:
        groups: dict[Any, list[int]] = defaultdict(list)
        for parent_id, role in keys:
            groups[role].append(parent_id)
        found = {
            (parent_id, role): count
            for role, parent_ids in groups.items()
            for parent_id, count in fetch(parent_ids, role).items()
        }
        return [found[key] for key in keys]

    return DataLoader(load_fn=load)


def _subsidiaries(
    session: Session, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], list[graph.Subsidiary]]:
    by_depth: dict[int, list[int]] = defaultdict(list)
    for company_id, depth in keys:
        by_depth[depth].append(company_id)
    return {
        (company_id, depth): found
        for depth, ids in by_depth.items()
        for company_id, found in graph.subsidiaries_of(
            session, company_ids=ids, depth=depth
        ).items()
    }


class Loaders:
    """Every loader a request may use; built per request so nothing is cached across them."""

    def __init__(self, session: Session) -> None:
        s = session
        self.company_by_id = _loader(lambda ids: rows.get_by_ids(s, model=models.Company, ids=ids))
        self.person_by_id = _loader(lambda ids: rows.get_by_ids(s, model=models.Person, ids=ids))
        self.source_by_id = _loader(lambda ids: rows.get_by_ids(s, model=models.Source, ids=ids))
        self.deal_by_id = _loader(lambda ids: rows.get_by_ids(s, model=models.Deal, ids=ids))
        self.investment_by_id = _loader(
            lambda ids: rows.get_by_ids(s, model=models.Investment, ids=ids)
        )
        self.role_by_id = _loader(lambda ids: rows.get_by_ids(s, model=models.Role, ids=ids))
        self.stake_by_id = _loader(lambda ids: rows.get_by_ids(s, model=models.Stake, ids=ids))
        self.metric_by_id = _loader(lambda ids: rows.get_by_ids(s, model=models.Metric, ids=ids))
        self.evidence_by_id = _loader(
            lambda ids: rows.get_by_ids(s, model=models.Evidence, ids=ids)
        )
        self.company_by_slug = _loader(lambda k: rows.get_by_keys(s, model=models.Company, keys=k))
        self.person_by_slug = _loader(lambda k: rows.get_by_keys(s, model=models.Person, keys=k))
        self.source_by_slug = _loader(lambda k: rows.get_by_keys(s, model=models.Source, keys=k))
        self.deal_by_key = _loader(lambda k: rows.get_by_keys(s, model=models.Deal, keys=k))
        self.investment_by_key = _loader(
            lambda k: rows.get_by_keys(s, model=models.Investment, keys=k)
        )
        self.ceo_by_company = _loader(lambda ids: companies.ceos_of_companies(s, company_ids=ids))
        self.parties_by_deal = _loader(lambda ids: deals.parties_of_deals(s, deal_ids=ids))
        self.investments_by_deal = _loader(
            lambda ids: investments.investments_of_deals(s, deal_ids=ids)
        )
        self.investors_by_investment = _loader(
            lambda ids: investments.investors_of_investments(s, investment_ids=ids)
        )
        self.roles_by_person = _loader(lambda ids: people.roles_of_people(s, person_ids=ids))
        self.roles_by_company = _loader(lambda ids: people.roles_at_companies(s, company_ids=ids))
        self.stakes_by_holder = _loader(lambda ids: companies.stakes_held_by(s, company_ids=ids))
        self.stakes_by_company = _loader(lambda ids: companies.stakes_in(s, company_ids=ids))
        self.metrics_by_company = _loader(
            lambda ids: companies.metrics_of_companies(s, company_ids=ids)
        )
        self.evidence: dict[
            claims.EvidenceSubject, DataLoader[int, list[models.Evidence] | None]
        ] = {
            subject: _loader(
                lambda ids, subject=subject: claims.evidence_of(s, subject=subject, ids=ids)  # type: ignore[misc]
            )
            for subject in claims.EvidenceSubject
        }
        self.claims: dict[claims.EvidenceSubject, DataLoader[int, list[models.Claim] | None]] = {
            subject: _loader(
                lambda ids, subject=subject: claims.claims_of(s, subject=subject, ids=ids)  # type: ignore[misc]
            )
            for subject in claims.FACT_SUBJECTS
        }
        self.parent_by_company = _loader(lambda ids: graph.parents_of(s, company_ids=ids))
        self.control_chain_by_company = _loader(
            lambda ids: graph.ultimate_parents_of(s, company_ids=ids)
        )
        self.subsidiaries = _loader(lambda keys: _subsidiaries(s, keys))
        self.timeline_by_company = _loader(lambda ids: timeline.timelines_of(s, company_ids=ids))
        self.claims_by_conflict = _loader(
            lambda ids: claims.claims_of_conflicts(s, conflict_ids=ids)
        )
        self.deal_page_by_company = _page_loader(
            lambda ids, role, limit, after: deals.deals_of_companies(
                s, company_ids=ids, role=role, limit=limit, after=after
            )
        )
        self.deal_count_by_company = _count_loader(
            lambda ids, role: deals.count_deals_of_companies(s, company_ids=ids, role=role)
        )
        self.investment_page_by_company = _page_loader(
            lambda ids, role, limit, after: investments.investments_of_companies(
                s, company_ids=ids, role=role, limit=limit, after=after
            )
        )
        self.investment_count_by_company = _count_loader(
            lambda ids, role: investments.count_investments_of_companies(
                s, company_ids=ids, role=role
            )
        )
