"""The words of the synthetic corpus (`api/corpus/synthetic.py`): its vocabulary, its sentences,
how it writes figures and dates, and the document being written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


@dataclass
class Doc:
    slug: str
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])
    companies: dict[str, list[str]] = field(default_factory=dict)
    people: dict[str, list[str]] = field(default_factory=dict)
    facts: dict[str, list[Json]] = field(default_factory=dict)

    def say(self, sentence: str, *companies: Company, people: Sequence[str] = ()) -> str:
        """Add a sentence that mentions these companies and these people."""
        self.paragraphs[-1].append(sentence)
        named = [(self.companies, company.name) for company in companies]
        for mentions, name in named + [(self.people, person) for person in people]:
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


def unique(count: int, make: Callable[[], str]) -> list[str]:
    made: dict[str, None] = {}
    while len(made) < count:
        made.setdefault(make(), None)
    return list(made)


def slug(name: str) -> str:
    return name.lower().replace(" ", "-").replace(".", "")


def round_figure(value: float) -> int:
    """To two significant figures, as reporters round."""
    digits = len(str(int(value))) - 2
    return max(1, int(round(value, -digits)) if digits > 0 else int(value))


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def money(millions: int, currency: str = "USD", approximate: bool = False) -> Json:
    figure = f"{millions / 1000:g} billion" if millions >= 1000 else f"{millions} million"
    text = ("about " if approximate else "") + {"USD": "US$", "EUR": "€"}[currency] + figure
    return dict(amount=millions * 1_000_000, currency=currency, approximate=approximate, text=text)
