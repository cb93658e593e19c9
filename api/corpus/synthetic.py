"""A large, valid synthetic corpus in the format of `seeds/`, the same for the same seed, for
measuring the loader and the API on a big store: `dealgraph synth [--profile P | --companies N]
[--seed S] --out DIR`.

N companies, each with a chief executive; a tenth of them are acquirers, and the others are bought
and sold among them, about three deals per company over the years, so N companies make about 3N
deals. An acquirer often names a new chief executive for what it bought, which makes about 2N
people. Each document reports one deal (its first report, its outcome, or a recap, so that claims
merge and some disagree), with the chief executives, the acquirer's revenue and stakes, a funding
round and the target's rivals, amid trade-press filler.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.corpus.synthetic_text import (
    CITIES,
    FILLER,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    LATER,
    PUBLISHERS,
    REMARKS,
    ROUNDS,
    SUFFIXES,
    SYLLABLES,
    TITLES,
    Company,
    Doc,
    Json,
    day_text,
    money,
    round_figure,
    slug,
    unique,
)

# Companies in each profile: small for tests, default for the benchmark, large for ten times it.
PROFILES = {"small": 1_000, "default": 10_000, "large": 100_000}
DEALS_PER_COMPANY = 3
# How many of the other companies each acquirer stands for.
ACQUIRER_EVERY = 10
# How often an acquirer names a new chief executive for a company it has bought.
APPOINTS = 0.8


@dataclass(frozen=True)
class Deal:
    key: str
    acquirer: Company
    target: Company
    seller: Company
    announced: dt.date
    closed: dt.date  # completed or called off
    money: tuple[int, str, bool]  # millions, currency, approximate
    ceo: str  # the target's chief executive when the deal was announced
    completed: bool = False
    stakes: tuple[bool, bool] = (False, False)  # whether the seller's, the acquirer's are stated
    appointed: str | None = None  # whom the acquirer named to run the target at completion


# A deal, the stage a document reports (0 the first report, 1 the outcome, 2 a recap), its day.
Report = tuple[Deal, int, dt.date]


def _deal(deal: Deal, fact: Json, quotes: list[str], claims: dict[str, Json]) -> Json:
    value = {"quote": fact["value"]["text"], "attributed_to": deal.acquirer.name}
    claims["value"] = value | claims.get("value", {})
    roles = ((deal.acquirer, "acquirer"), (deal.target, "target"), (deal.seller, "seller"))
    parties = [{"company": company.name, "role": role} for company, role in roles]
    fact |= dict(parties=parties, quotes=quotes, claims=claims)
    return {"key": deal.key, "kind": "acquisition", **fact}


def _stake(holder: Company, company: Company, quotes: list[str], **more: Any) -> Json:
    return dict(holder=holder.name, company=company.name, kind="owned", quotes=quotes) | more


def _ceo(person: str, company: Company, quotes: list[str], **more: Any) -> Json:
    role = {"person": person, "company": company.name, "title": "Chief Executive Officer"}
    return role | {"quotes": quotes} | more


class Builder:
    """A world of companies, people and deals, and documents reporting it that mention them all."""

    def __init__(self, count: int, seed: int) -> None:
        rng = self.rng = random.Random(seed)

        def base() -> str:
            syllables = rng.choice((2, 3, 3, 4))
            return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()

        self.companies = [
            Company(name, alias, slug(name), rng.choice(INDUSTRIES), rng.choice(CITIES))
            for alias in unique(count, base)
            for name in [f"{alias} {rng.choice(SUFFIXES)}"]
        ]
        self.named: set[str] = set()
        order = rng.sample(self.companies, count)
        acquirers = count // ACQUIRER_EVERY
        self.acquirers, self.targets = order[:acquirers], order[acquirers:]
        # Each company's first chief executive, and the year the acquirers' took over.
        self.ceos = {company.slug: self.person() for company in self.companies}
        self.since = {company.slug: rng.randrange(2005, 2015) for company in self.acquirers}
        self.reports = self.plan(count * DEALS_PER_COMPANY)
        self.revenue: dict[tuple[str, int], int] = {}
        self.introduced: dict[str, tuple[str, str]] = {}  # by slug: document, words

    def person(self) -> str:
        """A name no one else in this world has."""
        rng = self.rng
        while True:
            middle = f" {rng.choice(LAST_NAMES)[0]}." if rng.random() < 0.5 else ""
            last = rng.choice(LAST_NAMES)
            last += f"-{rng.choice(LAST_NAMES)}" if rng.random() < 0.2 else ""
            name = f"{rng.choice(FIRST_NAMES)}{middle} {last}"
            if name not in self.named:
                self.named.add(name)
                return name

    def plan(self, deals: int) -> list[Report]:
        """Every deal and the reports of it, in order of publication: each company that is not an
        acquirer is bought at least once, and some are sold on by their new owner later."""
        rng, reports = self.rng, list[Report]()
        extra = rng.choices(self.targets, k=max(0, deals - len(self.targets)))
        rounds = Counter(company.slug for company in self.targets + extra)
        acquirers = itertools.cycle(self.acquirers)
        for target in self.targets:
            # Never an acquirer, which may buy the company back later: one stake per pair.
            owner = rng.choice([c for c in rng.sample(self.targets, 2) if c != target])
            announced = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
            outcomes = [rng.random() < 0.85 for _ in range(rounds[target.slug])]
            done = [round_ for round_, completed in enumerate(outcomes) if completed] or [-1]
            for round_, completed in enumerate(outcomes):
                acquirer = next(acquirers)
                acquirer = next(acquirers) if acquirer == owner else acquirer
                deal = self.deal(target, acquirer, owner, announced, round_)
                # The model keeps one stake per holder and company, so of a company sold on, only
                # the first owner's sale and the last owner's purchase are stated.
                stakes = (round_ == done[0], round_ == done[-1])
                deal = dataclasses.replace(deal, completed=completed, stakes=stakes)
                reports += self.stages(deal, first=not reports)
                owner = acquirer if completed else owner
                announced = deal.closed + dt.timedelta(days=rng.randrange(200, 900))
        return sorted(reports, key=lambda report: (report[2], report[0].key, report[1]))

    def deal(
        self, target: Company, acquirer: Company, seller: Company, announced: dt.date, round_: int
    ) -> Deal:
        rng = self.rng
        closed = announced + dt.timedelta(days=rng.randrange(60, 300))
        millions = round_figure(10 ** rng.uniform(1.3, 3.9))
        price = (millions, rng.choice(("USD", "EUR")), rng.random() < 0.4)
        key = f"{acquirer.slug}-acquires-{target.slug}" + (f"-{round_ + 1}" if round_ else "")
        ceo = self.ceos[target.slug]
        return Deal(key, acquirer, target, seller, announced, closed, price, ceo=ceo)

    def stages(self, deal: Deal, first: bool) -> list[Report]:
        """The reports of a deal: the first deal has every stage, so that every corpus has
        conflicts. An outcome reported as completed may name a new chief executive."""
        rng = self.rng
        stages = 3 if first else rng.choices((1, 2, 3), weights=(5, 4, 1))[0]
        if stages > 1 and deal.completed and rng.random() < APPOINTS:
            appointed = self.ceos[deal.target.slug] = self.person()
            deal = dataclasses.replace(deal, appointed=appointed)
        days = (rng.randrange(5), rng.randrange(4), rng.randrange(120, 420))
        starts = (deal.announced, deal.closed, deal.closed)
        return [(deal, n, starts[n] + dt.timedelta(days=days[n])) for n in range(stages)]

    def document(self, index: int) -> tuple[Doc, Json]:
        """The document of the index-th report, and its source metadata."""
        rng, (deal, stage, published) = self.rng, self.reports[index]
        a, t = deal.acquirer, deal.target
        doc = Doc(f"{index:06d}_{rng.getrandbits(64):016x}")
        words = dict(a=a.name, t=t.name, s=deal.seller.name, a_short=a.alias, t_short=t.alias)
        words |= dict(industry=t.industry, city=t.city, value=money(*deal.money)["text"])
        words |= dict(year=str(deal.announced.year - 1), year2=str(published.year + 1))
        agreed = rng.random() < 0.7
        title = TITLES[(0 if agreed else 1, 2 if deal.completed else 3, 4)[stage]].format(**words)
        doc.close([title])
        publisher = rng.choice(PUBLISHERS)
        dateline = f"{published:%B} {published.day}, {published.year}"
        doc.say(f"{dateline} ({publisher}) —")
        if stage:
            self.later_report(doc, deal, stage)
        else:
            self.first_report(doc, deal, agreed)
        filler = [sentences.format(**words) for sentences in rng.sample(FILLER, 5)]
        doc.close(filler[:2])
        self.acquirer(doc, self.reports[index], words, filler[2:3])
        if rng.random() < 0.7:
            self.investment(doc, index)
        self.rivals(doc, t)
        doc.close(filler[3:])
        meta = {"title": title, "publisher": publisher, "published_on": published.isoformat()}
        return doc, meta | {"quotes": meta | {"published_on": dateline}}

    def first_report(self, doc: Doc, deal: Deal, agreed: bool) -> None:
        a, t, s, day = deal.acquirer, deal.target, deal.seller, deal.announced
        value, weekday = money(*deal.money), f"{day:%A}"
        # Half name only the weekday, which the loader resolves against the publication day.
        named = self.rng.random() < 0.5
        when = f"on {weekday}" if named else f"on {day_text(day)}"
        verb = "has agreed to buy" if agreed else "plans to acquire"
        lead = f"{a.name} {verb} {t.name} from {s.name} for {value['text']}, the companies said {when}."
        lead = doc.say(lead, a, t, s)
        words = f"a {t.industry} company based in {t.city}"
        self.introduced.setdefault(t.slug, (doc.slug, words))
        staff = round_figure(10 ** self.rng.uniform(1.5, 4))
        about = doc.say(f"{t.name}, {words}, employs about {staff:,} people.", t)
        led = doc.say(
            f"{t.name} is led by {deal.ceo}, its chief executive.",
            t,
            people=[deal.ceo],
        )
        owned = doc.say(f"{s.name} owns all of {t.name} and will sell its entire holding.", s, t)
        doc.close()
        on = {"quote": f"the companies said {when}", "weekday": weekday.lower() if named else None}
        fact: Json = {"status": "agreed" if agreed else "announced", "value": value}
        fact["announced_on"] = None if named else day.isoformat()
        doc.add("deals", _deal(deal, fact, [lead, owned], {"announced_on": on}))
        if deal.stakes[0]:
            doc.add("stakes", _stake(s, t, [owned], deal=deal.key, change="sold"))
        if deal.stakes[1]:
            doc.add("stakes", _stake(a, t, [lead], deal=deal.key, change="acquired"))
        doc.add("roles", _ceo(deal.ceo, t, [led], current=True))
        employees = {"name": "employees", "value": staff, "unit": "people", "approximate": True}
        doc.add("metrics", {"company": t.name, **employees, "quotes": [about]})

    def later_report(self, doc: Doc, deal: Deal, stage: int) -> None:
        a, t, s = deal.acquirer, deal.target, deal.seller
        millions, currency, approximate = deal.money
        status = "completed" if deal.completed else "cancelled"
        claims: dict[str, Json] = {}
        if stage == 1:
            why = f"the latest report: the deal was {status} on {deal.closed.isoformat()}"
            claims["status"] = {"rank": "preferred", "reason": why}
        if stage == 1 and deal.completed and self.rng.random() < 0.4:
            # A price revised at completion: ranked preferred half the time, else left disputed.
            millions = round_figure(millions * 1.2)
            if self.rng.random() < 0.5:
                why = "the final price, disclosed when the deal closed"
                claims["value"] = {"rank": "preferred", "reason": why}
        value = money(millions, currency, approximate)
        words = dict(a=a.name, t=t.name, s=s.name, value=value["text"], date=day_text(deal.closed))
        lead = doc.say(LATER[(0 if deal.completed else 2) + stage - 1].format(**words), a, t, s)
        first = doc.say(f"The deal was first announced in {deal.announced:%B %Y}.")
        claims["announced_on"] = {"quote": first}
        if stage == 1 and deal.appointed:
            self.appointment(doc, deal)
        doc.close()
        fact: Json = {"status": status, "value": value}
        fact["announced_on"] = deal.announced.isoformat()[:7]
        if deal.completed:
            fact["completed_on"] = deal.closed.isoformat()
        if deal.stakes[1]:
            doc.add("stakes", _stake(a, t, [lead], deal=deal.key, change="acquired"))
        doc.add("deals", _deal(deal, fact, [lead], claims))

    def appointment(self, doc: Doc, deal: Deal) -> None:
        """The acquirer names a new chief executive for the target, who replaces the one before."""
        new, old, day = deal.appointed or "", deal.ceo, deal.closed
        said = f"On {day_text(day)}, {deal.acquirer.name} named {new} chief executive of "
        said = doc.say(
            f"{said}{deal.target.name}, replacing {old}.",
            deal.acquirer,
            deal.target,
            people=[new, old],
        )
        doc.add("roles", _ceo(new, deal.target, [said], current=True, started_on=day.isoformat()))
        replaced = {
            "rank": "preferred",
            "reason": f"the latest report: replaced on {day.isoformat()}",
        }
        more = {"current": False, "ended_on": day.isoformat(), "claims": {"current": replaced}}
        doc.add("roles", _ceo(old, deal.target, [said], **more))

    def acquirer(self, doc: Doc, report: Report, words: dict[str, str], filler: list[str]) -> None:
        """Its chief executive's remark, with filler; its revenue; any stake it holds."""
        (_, stage, published), company = report, report[0].acquirer
        person, since = self.ceos[company.slug], self.since[company.slug]
        said = f"“{self.rng.choice(REMARKS).format(**words)},” said {person}, chief executive"
        said = doc.say(f"{said} of {company.name}.", company, people=[person])
        role = _ceo(person, company, [said], current=True)
        doc.paragraphs[-1] += filler
        if self.rng.random() < 0.4:
            # Now and then a document is a year out, which leaves the start in dispute.
            since += 1 if self.rng.random() < 0.1 else 0
            led = doc.say(
                f"{person} has led {company.name} since {since}.", company, people=[person]
            )
            role |= {"started_on": str(since), "claims": {"started_on": {"quote": led}}}
        doc.add("roles", role)
        year = published.year - 1
        key = (company.slug, year)
        millions = self.revenue.setdefault(key, round_figure(10 ** self.rng.uniform(2.5, 4.5)))
        if stage and self.rng.random() < 0.2:
            # A later document restating the figure differently: a conflict on the metric.
            millions = round_figure(millions * 1.1)
        figure = money(millions, "USD", self.rng.random() < 0.3)
        said = doc.say(f"{company.name} reported revenue of {figure['text']} for {year}.", company)
        fact: Json = {
            "company": company.name,
            "name": "revenue",
            "period": str(year),
            "unit": "USD",
        }
        fact |= {"value": figure["amount"], "approximate": figure["approximate"], "quotes": [said]}
        doc.add("metrics", fact | {"claims": {"value": {"attributed_to": company.name}}})
        if self.rng.random() < 0.5:
            # Stakes between acquirers only, which are never bought outright.
            other, percent = self.rng.choice(self.acquirers), self.rng.randrange(2, 40)
            if other != company:
                said = f"{company.name} also holds a {percent:g}% stake in {other.name}."
                said = doc.say(said, company, other)
                more = {"kind": "minority", "percent": percent, "current": True}
                doc.add("stakes", _stake(company, other, [said], **more))
        doc.close()

    def investment(self, doc: Doc, index: int) -> None:
        first, second, investee = self.rng.sample(self.companies, 3)
        round_, value = (
            self.rng.choice(ROUNDS),
            money(round_figure(10 ** self.rng.uniform(0.7, 2.5))),
        )
        said = f"Separately, {first.name} and {second.name} led a {value['text']} {round_} round"
        said += f" in {investee.name}, a {investee.industry} company based in {investee.city}."
        doc.say(said, first, second, investee)
        doc.close()
        fact: Json = {"key": f"{investee.slug}-{slug(round_)}-{index}", "status": "completed"}
        fact |= {"investors": [first.name, second.name], "investee": investee.name}
        doc.add("investments", fact | {"value": value, "round": round_, "quotes": [said]})

    def rivals(self, doc: Doc, company: Company) -> None:
        drawn = self.rng.sample(self.companies, self.rng.randint(2, 3))
        rivals = [rival for rival in drawn if rival != company][:2]
        *most, last = [rival.name for rival in rivals]
        listed = f"{', '.join(most)} and {last}" if most else last
        doc.say(f"{company.name} competes with {listed}.", company, *rivals)

    def registry(self) -> Json:
        companies = []
        for company in self.companies:
            entry: Json = {"slug": company.slug, "name": company.name, "aliases": [company.alias]}
            if company.slug in self.introduced:
                source, quote = self.introduced[company.slug]
                entry["description"] = f"{company.industry.capitalize()} company in {company.city}."
                entry["description_quotes"] = [{"source": source, "quote": quote}]
            companies.append(entry)
        people = sorted(self.named)
        return {"companies": companies, "people": [{"slug": slug(n), "name": n} for n in people]}


def _write_json(path: Path, data: Json) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_corpus(
    directory: Path,
    *,
    companies: int,
    seed: int = 0,
    progress: Callable[[range], Iterable[int]] = iter,
) -> int:
    """Write a corpus of `companies` companies into `directory`, which must be new or empty, and
    return how many documents it has. `progress` wraps the documents' indexes (a progress bar)."""
    if companies < 20:
        raise ValueError("a synthetic corpus needs at least 20 companies")
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory}: not empty; a corpus is written into an empty one")
    builder = Builder(companies, seed)
    for index in progress(range(len(builder.reports))):
        doc, source = builder.document(index)
        (directory / f"{doc.slug}.txt").write_text(doc.text(), encoding="utf-8")
        named = {"companies": doc.companies, "people": doc.people}
        mentions = {k: [{"name": n, "quotes": q} for n, q in v.items()] for k, v in named.items()}
        facts = {"source": source, **mentions, **doc.facts}
        _write_json(directory / f"{doc.slug}.facts.json", facts)
    _write_json(directory / "entities.json", builder.registry())
    return len(builder.reports)
