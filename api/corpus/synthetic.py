"""A large, valid synthetic corpus in the format of `seeds/`, the same for the same seed, for
measuring how fast the loader writes a big store: `dealgraph synth --companies N [--seed S] --out
DIR`. N companies, N/10 people; each document reports an acquisition (its first report, its
outcome, or a recap, so that claims merge and some disagree), with the acquirer's chief
executive, revenue and stakes, a funding round and the target's rivals, amid trade-press filler.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VOCABULARY = """
al an ar ba bel cor da del dor el en fa fen gal gor ha hel in ka kel lan lor ma mar mel mor na nel nor or pa pel quin ra ren ron sa sel sor ta tel tor ul va vel ven vor wen xa yor za
Holdings Group Technologies Labs Systems Industries Networks Logistics Foods Energy Health Robotics Media Software
Anna Ben Carla David Elena Farid Grace Hiro Ines James Kofi Lena Marco Nadia Omar Priya Quentin Rosa Samir Tara Ulrich Vera Wei Yusuf Zoe Amara Bruno Chen Dana Emil
Abbott Baptiste Castillo Dimitrov Eriksen Fontaine Gallagher Haddad Ivanova Jansen Kowalski Lindqvist Moreau Nakamura Okafor Petrov Quiroga Rinaldi Sandoval Tanaka Ueda Varga Whitaker Xavier Yilmaz Zielinski Brennan Delgado Hartmann Mensah Novak Sato
Lyon Austin Bangalore Leeds Rotterdam Osaka Monterrey Krakow Denver Tallinn Porto
logistics robotics payments grocery cybersecurity biotech solar advertising insurtech semiconductors freight petcare
"""
SYLLABLES, SUFFIXES, FIRST_NAMES, LAST_NAMES, CITIES, INDUSTRIES = map(
    str.split, VOCABULARY.strip().splitlines()
)
PUBLISHERS = ("Northgate Business Wire", "The Meridian Ledger", "Harbour Street Journal")
ROUNDS = ("Series A", "Series B", "Series C", "growth")
# Headlines of a first report (agreed, announced), an outcome (completed, cancelled), a recap.
TITLES = """
{a} agrees to buy {t} from {s}
{a} plans to acquire {t} for {value}
{a} completes purchase of {t}
{a} abandons bid for {t}
What the {a} deal for {t} means for {industry}
""".strip().splitlines()
# The lead of an outcome's report, then of a recap: for a completed deal, then a cancelled one.
LATER = """
{a} has completed its acquisition of {t} from {s} for {value}, the company said on {date}.
{a} bought {t} from {s} for {value} in a deal that closed on {date}.
{a} has dropped its plan to buy {t} from {s} for {value}, the company said on {date}.
{a} walked away from its {value} bid for {t}, which {s} had agreed to sell, on {date}.
""".strip().splitlines()
REMARKS = """
This brings together two teams that share the same view of where {industry} is heading
We have admired what {t_short} built for a long time, and we intend to keep investing in it
Our customers asked us for exactly this, and now we can deliver it
It is a disciplined price for a business with real momentum
We will be patient owners, and we will keep the brand our customers know
""".strip().splitlines()
FILLER = """
Deal-making in {industry} has picked up since {year}, as larger groups look for growth that their own products no longer deliver. Bankers say valuations in {industry} remain high by historical standards, even as financing has become more expensive.
The transaction is subject to regulatory approval and the usual closing conditions. Analysts said the combination would give {a_short} a stronger position in {city}, where it has struggled to hire engineers.
Shares in listed peers barely moved on the news, suggesting investors had expected consolidation in the sector. Competition authorities have looked more closely at acquisitions in {industry} over the past two years, though few deals have been blocked.
{t_short} has grown quickly since it opened its first office in {city}, relying on contracts with mid-sized customers. Integration is expected to take at least a year, and the companies have not said whether any jobs will be cut.
Advisers to the deal were not named in the announcement. Industry executives expect more such deals before the end of {year2}, as founders who raised money at high valuations look for a way out.
Several customers said they would wait to see how the combined business sets its prices before renewing contracts. Private equity firms have been among the most active buyers in {industry}, often outbidding strategic acquirers.
People familiar with the talks said at least two other bidders had looked at the business before dropping out. The price values the business at several times its annual sales, a premium that reflects how scarce such assets have become.
Employees were told of the plans at a meeting on the morning of the announcement, according to a person who attended. Some investors have questioned whether {a_short} can integrate another acquisition while its existing operations are being restructured.
Margins in {industry} have come under pressure as customers push for lower prices and longer contracts. Regulators in several markets will have to approve the deal, which lawyers expect to be a formality given the companies' modest overlap.
""".strip().splitlines()
Json = dict[str, Any]


@dataclass(frozen=True)
class Company:
    name: str
    alias: str
    slug: str
    industry: str
    city: str


@dataclass(frozen=True)
class Deal:
    key: str
    acquirer: Company
    target: Company
    seller: Company
    announced: dt.date
    closed: dt.date  # completed or called off
    money: tuple[int, str, bool]  # millions, currency, approximate
    completed: bool


# A deal, the stage a document reports (0 the first report, 1 the outcome, 2 a recap), its day.
Report = tuple[Deal, int, dt.date]


@dataclass
class Doc:
    slug: str
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])
    companies: dict[str, list[str]] = field(default_factory=dict)
    people: dict[str, list[str]] = field(default_factory=dict)
    facts: dict[str, list[Json]] = field(default_factory=dict)

    def say(self, sentence: str, *companies: Company, person: str = "") -> str:
        """Add a sentence that mentions these companies and this person."""
        self.paragraphs[-1].append(sentence)
        named = [(self.companies, company.name) for company in companies]
        for mentions, name in named + ([(self.people, person)] if person else []):
            quotes = mentions.setdefault(name, [])
            if len(quotes) < 2 and sentence not in quotes:
                quotes.append(sentence)
        return sentence

    def close(self, sentences: Sequence[str] = ()) -> None:
        self.paragraphs[-1] += sentences
        self.paragraphs.append([])

    def add(self, kind: str, fact: Json) -> None:
        self.facts.setdefault(kind, []).append(fact)

    def text(self) -> str:
        return "\n\n".join(" ".join(sentences) for sentences in self.paragraphs if sentences) + "\n"


def _unique(count: int, make: Callable[[], str]) -> list[str]:
    made: dict[str, None] = {}
    while len(made) < count:
        made.setdefault(make(), None)
    return list(made)


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _round(value: float) -> int:
    """To two significant figures, as reporters round."""
    digits = len(str(int(value))) - 2
    return max(1, int(round(value, -digits)) if digits > 0 else int(value))


def money(millions: int, currency: str = "USD", approximate: bool = False) -> Json:
    figure = f"{millions / 1000:g} billion" if millions >= 1000 else f"{millions} million"
    text = ("about " if approximate else "") + {"USD": "US$", "EUR": "€"}[currency] + figure
    return dict(amount=millions * 1_000_000, currency=currency, approximate=approximate, text=text)


def _deal(deal: Deal, fact: Json, quotes: list[str], claims: dict[str, Json]) -> Json:
    value = {"quote": fact["value"]["text"], "attributed_to": deal.acquirer.name}
    claims["value"] = value | claims.get("value", {})
    roles = ((deal.acquirer, "acquirer"), (deal.target, "target"), (deal.seller, "seller"))
    parties = [{"company": company.name, "role": role} for company, role in roles]
    fact |= dict(parties=parties, quotes=quotes, claims=claims)
    return {"key": deal.key, "kind": "acquisition", **fact}


def _stake(holder: Company, company: Company, quotes: list[str], **more: Any) -> Json:
    return dict(holder=holder.name, company=company.name, kind="owned", quotes=quotes) | more


class Builder:
    """A world of companies, people and deals, and documents reporting it that mention them all."""

    def __init__(self, count: int, seed: int) -> None:
        rng = self.rng = random.Random(seed)

        def base() -> str:
            return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3)))).capitalize()

        def person() -> str:
            last = rng.choice(LAST_NAMES)
            last += f"-{rng.choice(LAST_NAMES)}" if rng.random() < 0.2 else ""
            return f"{rng.choice(FIRST_NAMES)} {last}"

        self.companies = [
            Company(name, alias, _slug(name), rng.choice(INDUSTRIES), rng.choice(CITIES))
            for alias in _unique(count, base)
            for name in [f"{alias} {rng.choice(SUFFIXES)}"]
        ]
        order = rng.sample(self.companies, count)
        majors = order[: count // 10]
        # At least one deal per major, so that every chief executive is mentioned.
        end = len(majors) + max(len(majors), count // 6)
        self.targets, self.others = order[len(majors) : end], order[end:]
        people = zip(majors, _unique(len(majors), person), strict=True)
        self.ceos = {major.slug: (name, rng.randrange(2005, 2015)) for major, name in people}
        self.reports = self.plan(majors)
        # Investors, investees, stakes and rivals go round the companies that are neither
        # acquirers nor targets, so that all are mentioned once the round is done.
        self.cycle, self.drawn = itertools.cycle(self.others), 0
        self.revenue: dict[tuple[str, int], int] = {}
        self.introduced: dict[str, tuple[str, str]] = {}  # by slug: document, words

    def plan(self, majors: list[Company]) -> list[Report]:
        """Each target's deal and the reports of it, in order of publication."""
        rng, reports = self.rng, list[Report]()
        for index, target in enumerate(self.targets):
            acquirer, seller = majors[index % len(majors)], rng.choice(self.others)
            announced = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))
            closed = announced + dt.timedelta(days=rng.randrange(60, 300))
            millions = _round(10 ** rng.uniform(1.3, 3.9))
            price = (millions, rng.choice(("USD", "EUR")), rng.random() < 0.4)
            key, completed = f"{acquirer.slug}-acquires-{target.slug}", rng.random() < 0.85
            deal = Deal(key, acquirer, target, seller, announced, closed, price, completed)
            # The first deal has every stage, so that every corpus has conflicts.
            stages = 3 if index == 0 else rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
            days = (rng.randrange(5), rng.randrange(4), rng.randrange(120, 420))
            starts = (announced, closed, closed)
            reports += [(deal, n, starts[n] + dt.timedelta(days=days[n])) for n in range(stages)]
        return sorted(reports, key=lambda report: (report[2], report[0].key, report[1]))

    def draw(self) -> Company:
        self.drawn += 1
        return next(self.cycle)

    def document(self, index: int) -> tuple[Doc, Json]:
        """The document of the index-th report, and its source metadata."""
        rng, (deal, stage, published) = self.rng, self.reports[index]
        a, t = deal.acquirer, deal.target
        doc = Doc(f"{index:05d}_{rng.getrandbits(64):016x}")
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
        self.rivals(doc, t, left=len(self.reports) - index)
        doc.close(filler[3:])
        meta = {"title": title, "publisher": publisher, "published_on": published.isoformat()}
        return doc, meta | {"quotes": meta | {"published_on": dateline}}

    def first_report(self, doc: Doc, deal: Deal, agreed: bool) -> None:
        a, t, s, day = deal.acquirer, deal.target, deal.seller, deal.announced
        value, weekday = money(*deal.money), f"{day:%A}"
        # Half name only the weekday, which the loader resolves against the publication day.
        named = self.rng.random() < 0.5
        when = f"on {weekday}" if named else f"on {day.day} {day:%B %Y}"
        verb = "has agreed to buy" if agreed else "plans to acquire"
        lead = f"{a.name} {verb} {t.name} from {s.name} for {value['text']}, the companies said {when}."
        lead = doc.say(lead, a, t, s)
        intro = self.introduced[t.slug] = (doc.slug, f"a {t.industry} company based in {t.city}")
        staff = _round(10 ** self.rng.uniform(1.5, 4))
        about = doc.say(f"{t.name}, {intro[1]}, employs about {staff:,} people.", t)
        owned = doc.say(f"{s.name} owns all of {t.name} and will sell its entire holding.", s, t)
        doc.close()
        on = {"quote": f"the companies said {when}", "weekday": weekday.lower() if named else None}
        fact: Json = {"status": "agreed" if agreed else "announced", "value": value}
        fact["announced_on"] = None if named else day.isoformat()
        doc.add("deals", _deal(deal, fact, [lead, owned], {"announced_on": on}))
        doc.add("stakes", _stake(s, t, [owned], deal=deal.key, change="sold"))
        doc.add("stakes", _stake(a, t, [lead], deal=deal.key, change="acquired"))
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
            millions = _round(millions * 1.2)
            if self.rng.random() < 0.5:
                why = "the final price, disclosed when the deal closed"
                claims["value"] = {"rank": "preferred", "reason": why}
        value = money(millions, currency, approximate)
        closed = f"{deal.closed.day} {deal.closed:%B %Y}"
        words = dict(a=a.name, t=t.name, s=s.name, value=value["text"], date=closed)
        lead = doc.say(LATER[(0 if deal.completed else 2) + stage - 1].format(**words), a, t, s)
        first = doc.say(f"The deal was first announced in {deal.announced:%B %Y}.")
        claims["announced_on"] = {"quote": first}
        doc.close()
        fact: Json = {"status": status, "value": value}
        fact["announced_on"] = deal.announced.isoformat()[:7]
        if deal.completed:
            fact["completed_on"] = deal.closed.isoformat()
            doc.add("stakes", _stake(a, t, [lead], deal=deal.key, change="acquired"))
        doc.add("deals", _deal(deal, fact, [lead], claims))

    def acquirer(self, doc: Doc, report: Report, words: dict[str, str], filler: list[str]) -> None:
        """Its chief executive's remark, with filler; its revenue; any stake it holds."""
        (_, stage, published), company = report, report[0].acquirer
        person, since = self.ceos[company.slug]
        said = f"“{self.rng.choice(REMARKS).format(**words)},” said {person}, chief executive"
        said = doc.say(f"{said} of {company.name}.", company, person=person)
        role: Json = {"person": person, "company": company.name, "title": "Chief Executive Officer"}
        role |= {"current": True, "quotes": [said]}
        doc.paragraphs[-1] += filler
        if self.rng.random() < 0.4:
            # Now and then a document is a year out, which leaves the start in dispute.
            since += 1 if self.rng.random() < 0.1 else 0
            led = doc.say(f"{person} has led {company.name} since {since}.", company, person=person)
            role |= {"started_on": str(since), "claims": {"started_on": {"quote": led}}}
        doc.add("roles", role)
        year = published.year - 1
        key = (company.slug, year)
        millions = self.revenue.setdefault(key, _round(10 ** self.rng.uniform(2.5, 4.5)))
        if stage and self.rng.random() < 0.2:
            # A later document restating the figure differently: a conflict on the metric.
            millions = _round(millions * 1.1)
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
            other, percent = self.draw(), self.rng.randrange(2, 40)
            said = f"{company.name} also holds a {percent:g}% stake in {other.name}."
            said = doc.say(said, company, other)
            more = {"kind": "minority", "percent": percent, "current": True}
            doc.add("stakes", _stake(company, other, [said], **more))
        doc.close()

    def investment(self, doc: Doc, index: int) -> None:
        first, second, investee = self.draw(), self.draw(), self.draw()
        round_, value = self.rng.choice(ROUNDS), money(_round(10 ** self.rng.uniform(0.7, 2.5)))
        said = f"Separately, {first.name} and {second.name} led a {value['text']} {round_} round"
        said += f" in {investee.name}, a {investee.industry} company based in {investee.city}."
        doc.say(said, first, second, investee)
        doc.close()
        fact: Json = {"key": f"{investee.slug}-{_slug(round_)}-{index}", "status": "completed"}
        fact |= {"investors": [first.name, second.name], "investee": investee.name}
        doc.add("investments", fact | {"value": value, "round": round_, "quotes": [said]})

    def rivals(self, doc: Doc, company: Company, left: int) -> None:
        # Enough names that the last document completes the round of the other companies.
        count = max(self.rng.randint(1, 2), math.ceil(max(0, len(self.others) - self.drawn) / left))
        rivals = [self.draw() for _ in range(count)]
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
        people = [{"slug": _slug(name), "name": name} for name, _ in self.ceos.values()]
        return {"companies": companies, "people": people}


def _write_json(path: Path, data: Json) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_corpus(directory: Path, *, companies: int, seed: int = 0) -> None:
    """Write a corpus of `companies` companies into `directory`, which must be new or empty."""
    if companies < 20:
        raise ValueError("a synthetic corpus needs at least 20 companies")
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory}: not empty; a corpus is written into an empty one")
    builder = Builder(companies, seed)
    for index in range(len(builder.reports)):
        doc, source = builder.document(index)
        (directory / f"{doc.slug}.txt").write_text(doc.text(), encoding="utf-8")
        named = {"companies": doc.companies, "people": doc.people}
        mentions = {k: [{"name": n, "quotes": q} for n, q in v.items()] for k, v in named.items()}
        facts = {"source": source, **mentions, **doc.facts}
        _write_json(directory / f"{doc.slug}.facts.json", facts)
    _write_json(directory / "entities.json", builder.registry())
