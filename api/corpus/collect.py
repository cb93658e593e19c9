"""Collecting one document's facts into the corpus: every quote located verbatim in its text,
every name resolved through the registry, and each fact's stated fields turned into claims."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from api.claims import resolve_weekday, weekday_of
from api.corpus.files import ENTITIES_FILE
from api.corpus.format import (
    Claimed,
    ClaimNote,
    DealFact,
    EntityEntry,
    EntityRegistry,
    InvestmentFact,
    Mention,
    MetricFact,
    RoleFact,
    SourceField,
    StakeFact,
)
from api.corpus.merge import Corpus, Draft, Merged, MetricKey, MetricSubject, Span, merge
from api.corpus.parse import FACTS_SUFFIX, DocumentFacts
from api.dates import Precision, parse_partial_date
from api.vocab import Provenance

K = TypeVar("K")

EntityKind = Literal["company", "person"]
# How a facts file names the list of each kind of entity it mentions.
GROUPS: dict[EntityKind, str] = {"company": "companies", "person": "people"}
# A claim the facts file says nothing more about; made once, as validating a model per claim
# took a fifth of reading a corpus (models are frozen, so one can be shared).
NO_NOTE = ClaimNote()


class Resolver:
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

    def find(self, kind: EntityKind, name: str) -> EntityEntry | None:
        table = self.companies if kind == "company" else self.people
        return table.get(name.casefold())

    def kind_of_speaker(self, name: str) -> EntityKind:
        """Whom a claim is attributed to: a person if the name is one, else a company."""
        return "person" if name.casefold() in self.people else "company"


@dataclass(frozen=True)
class StatedMetric:
    """One document's statement of a metric, merged once every document's periods are known."""

    key: MetricKey
    stated: Merged
    file: str


class DocumentReader:
    """Reads one document's facts into the corpus, adding every problem found to `problems`."""

    def __init__(
        self, corpus: Corpus, document: DocumentFacts, resolver: Resolver, problems: list[str]
    ) -> None:
        self.corpus = corpus
        self.document = document
        self.file = f"{document.slug}{FACTS_SUFFIX}"
        self.resolver = resolver
        self.problems = problems
        # The names (casefolded) this facts file lists among its companies and people.
        self.declared: dict[EntityKind, set[str]] = {"company": set(), "person": set()}

    def read(self) -> list[StatedMetric]:
        """Merge the document's facts into the corpus, except its metrics, which are returned."""
        facts = self.document.facts
        self.corpus.source_provenance[self.document.slug] = self.read_source()
        self.read_mentions("company", facts.companies, self.corpus.company_spans)
        self.read_mentions("person", facts.people, self.corpus.person_spans)
        for i, role in enumerate(facts.roles):
            self.read_role(f"roles[{i}]", role)
        for i, deal in enumerate(facts.deals):
            self.read_deal(f"deals[{i}]", deal)
        for i, investment in enumerate(facts.investments):
            self.read_investment(f"investments[{i}]", investment)
        for i, stake in enumerate(facts.stakes):
            self.read_stake(f"stakes[{i}]", stake)
        return [self.read_metric(f"metrics[{i}]", metric) for i, metric in enumerate(facts.metrics)]

    def read_source(self) -> list[Provenance]:
        """How each given field of the document's metadata is known: its quote, located in the
        text, or the editor's reason."""
        meta = self.document.facts.source
        known = [
            Provenance(field=name, stated=False, reason=reason)
            for name, reason in meta.editorial.items()
        ]
        for name, quote in meta.quotes.items():
            start = self.document.text.find(quote)
            if start < 0:
                self.problem(
                    f"source.quotes.{name}: quote not found verbatim in "
                    f"{self.document.slug}.txt: {quote!r}"
                )
                continue
            end = start + len(quote)
            known.append(
                Provenance(
                    field=name,
                    stated=True,
                    source=self.document.slug,
                    quote=quote,
                    start_offset=start,
                    end_offset=end,
                )
            )
        order = list(typing.get_args(SourceField))
        return sorted(known, key=lambda provenance: order.index(provenance.field))

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.file}: {message}")

    def locate(self, path: str, quotes: list[str]) -> list[Span]:
        """Where each quote is in the document's text; a problem for each one that is not."""
        found = []
        for index, quote in enumerate(quotes):
            start = self.document.text.find(quote)
            if start < 0:
                self.problem(
                    f"{path}.quotes[{index}]: quote not found verbatim in "
                    f"{self.document.slug}.txt: {quote!r}"
                )
            else:
                found.append(Span(self.document.slug, quote, start, start + len(quote)))
        return found

    def read_mentions(
        self, kind: EntityKind, mentions: list[Mention], spans_by_slug: dict[str, list[Span]]
    ) -> None:
        group = GROUPS[kind]
        for index, mention in enumerate(mentions):
            entry = self.resolver.find(kind, mention.name)
            if entry is None:
                self.problem(
                    f"{group}[{index}].name: unknown {kind} '{mention.name}' "
                    f"(not a name or alias in {ENTITIES_FILE})"
                )
                continue
            self.declared[kind].add(mention.name.casefold())
            spans = self.locate(f"{group}[{index}]", mention.quotes)
            spans_by_slug.setdefault(entry.slug, []).extend(spans)

    def resolve(self, kind: EntityKind, name: str, *, path: str) -> str:
        """The slug a fact's name refers to, which the file must also list among its mentions."""
        entry = self.resolver.find(kind, name)
        if entry is None:
            self.problem(f"{path}: unknown {kind} '{name}' (not in {ENTITIES_FILE})")
            return f"?{name}"
        if name.casefold() not in self.declared[kind]:
            self.problem(f"{path}: {kind} '{name}' is not listed in this file's {GROUPS[kind]}")
        return entry.slug

    def merge(self, table: dict[K, Merged], key: K, fields: dict[str, Any], what: str) -> Merged:
        return merge(table, key, fields, file=self.file, what=what, problems=self.problems)

    def add_claims(self, path: str, fact: Claimed, merged: Merged) -> None:
        """Each stated field of a fact becomes this document's claim, quoted by the field's own
        quote where the facts file gives one, else by the fact's first quote."""
        fact_spans = self.locate(path, fact.quotes)
        merged.spans.extend(fact_spans)
        for name in sorted(fact.CLAIMED):
            self.add_claim(
                fact, name, merged, path=f"{path}.claims.{name}", fact_quote=fact_spans[:1]
            )

    def add_claim(
        self, fact: Claimed, name: str, merged: Merged, *, path: str, fact_quote: list[Span]
    ) -> None:
        """`path` locates the claim in the facts file; `fact_quote` quotes it by default."""
        note = fact.claims.get(name, NO_NOTE)
        value = _claimed_value(fact, name)
        if value is None and note.weekday is None:
            if name in fact.claims:
                self.problem(f"{path}: the fact states no {name} to qualify")
            return
        quoted = self.locate(f"{path}.quote", [note.quote]) if note.quote else fact_quote
        if not quoted:
            return
        merged.spans.extend(quoted)
        reading = None
        if name.endswith("_on"):
            published = self.document.facts.source.published_on
            value, reading = _claimed_date(value, note, published=published)
            if value is None:
                self.problem(f"{path}: {reading}")
                return
        speaker = None
        if note.attributed_to is not None:
            speaker = self.resolve_speaker(note.attributed_to, path=f"{path}.attributed_to")
        merged.claims.append(
            Draft(
                field=name,
                value=value,
                span=quoted[0],
                attributed_to=speaker,
                rank=note.rank,
                reason=note.reason,
                note=reading,
            )
        )

    def resolve_speaker(self, name: str, *, path: str) -> tuple[EntityKind, str]:
        kind = self.resolver.kind_of_speaker(name)
        return kind, self.resolve(kind, name, path=path)

    def read_role(self, path: str, role: RoleFact) -> None:
        key = (
            self.resolve("person", role.person, path=f"{path}.person"),
            self.resolve("company", role.company, path=f"{path}.company"),
            role.title,
        )
        merged = self.merge(self.corpus.roles, key, {"kind": role.kind}, f"role {key}")
        self.add_claims(path, role, merged)

    def read_deal(self, path: str, deal: DealFact) -> None:
        merged = self.merge(self.corpus.deals, deal.key, {"kind": deal.kind}, f"deal '{deal.key}'")
        self.add_claims(path, deal, merged)
        for j, party in enumerate(deal.parties):
            company = self.resolve("company", party.company, path=f"{path}.parties[{j}].company")
            self.merge(
                merged.parts,
                (company, party.role),
                {"stake_percent": party.stake_percent},
                f"deal '{deal.key}' party {company} ({party.role})",
            )

    def read_investment(self, path: str, investment: InvestmentFact) -> None:
        identity = {
            "investee": self.resolve("company", investment.investee, path=f"{path}.investee"),
            "deal": investment.deal,
        }
        what = f"investment '{investment.key}'"
        merged = self.merge(self.corpus.investments, investment.key, identity, what)
        self.add_claims(path, investment, merged)
        for j, name in enumerate(investment.investors):
            merged.parts[self.resolve("company", name, path=f"{path}.investors[{j}]")] = True

    def read_stake(self, path: str, stake: StakeFact) -> None:
        key = (
            self.resolve("company", stake.holder, path=f"{path}.holder"),
            self.resolve("company", stake.company, path=f"{path}.company"),
        )
        identity = {"deal": stake.deal, "investment": stake.investment, "change": stake.change}
        merged = self.merge(self.corpus.stakes, key, identity, f"stake {key}")
        self.add_claims(path, stake, merged)

    def read_metric(self, path: str, metric: MetricFact) -> StatedMetric:
        also = None if metric.also is None else metric.also.model_dump()
        fields = {
            "unit": metric.unit,
            "forecast": metric.forecast,
            "also": also,
            "among": metric.among,
            "ranked_by": metric.ranked_by,
        }
        stated = Merged(fields, {name: self.file for name in fields})
        self.add_claims(path, metric, stated)
        subject: MetricSubject = ("market", metric.market or "")
        if metric.company is not None:
            subject = ("company", self.resolve("company", metric.company, path=f"{path}.company"))
        return StatedMetric((subject, metric.name, metric.period), stated, self.file)


def _claimed_value(fact: Claimed, name: str) -> Any:
    """A claimed field's value in its stored JSON form; None for a field the fact leaves out."""
    value = getattr(fact, name)
    if isinstance(fact, MetricFact):
        return {"amount": fact.value, "unit": fact.unit, "approximate": fact.approximate}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [
            item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in value
        ] or None
    return value


def _claimed_date(
    text: str | None, note: ClaimNote, *, published: str | None
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
