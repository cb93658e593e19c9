"""Checking a corpus and merging what its documents state: every quote found verbatim, every
name resolved through the registry, each fact merged across documents with one claim per
document and field, and disagreements that cannot stand refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from api.corpus.collect import DocumentReader, Resolver, StatedMetric
from api.corpus.files import ENTITIES_FILE, CorpusFiles, directory_problem
from api.corpus.format import EntityRegistry
from api.corpus.merge import Corpus, MetricSubject, claim_problems, merge
from api.corpus.parse import CorpusError, Document, read_documents, read_model
from api.corpus.rankings import ranking_conflicts
from api.corpus.registry import registry_provenance


def read_corpus(directory: Path) -> Corpus:
    """Parse and check every file of a corpus; raise CorpusError listing every problem found.
    Facts are checked only once every file parses; each document's are read as it is parsed,
    and only its text and metadata kept."""
    unreadable = directory_problem(directory)
    if unreadable is not None:
        raise CorpusError([unreadable])
    # The files' problems (unreadable, unparsable), then the facts' problems.
    problems: list[str] = []
    files = CorpusFiles(directory, problems)
    registry = read_model(files, ENTITIES_FILE, EntityRegistry)
    corpus = Corpus(registry=registry or EntityRegistry(companies=[], people=[]))
    facts: list[str] = []
    resolver = Resolver(corpus.registry, facts)
    metrics: list[StatedMetric] = []
    for document in read_documents(files):
        if registry is None or problems:
            continue
        metrics += DocumentReader(corpus, document, resolver, facts).read()
        corpus.documents.append(Document(document.slug, document.text, document.facts.source))
    if registry is None or problems:
        raise CorpusError(problems)
    corpus.digest = files.digest()
    _check_facts(corpus, metrics, facts)
    if facts:
        raise CorpusError(facts)
    return corpus


def _check_facts(corpus: Corpus, metrics: list[StatedMetric], problems: list[str]) -> None:
    _group_metrics(corpus, metrics, problems)
    corpus.contradicted_ranks = ranking_conflicts(corpus)
    for what, merged in corpus.facts():
        problems.extend(claim_problems(what, merged))
    _check_deal_links(corpus, problems)
    _check_every_entity_is_mentioned(corpus, problems)
    _read_registry_provenance(corpus, problems)


def _group_metrics(corpus: Corpus, metrics: list[StatedMetric], problems: list[str]) -> None:
    """Metric claims are one fact per company, metric and period. A claim that names no period is
    taken to be about the only period other sources name for that metric, if there is one, and
    its note says so."""
    periods: dict[tuple[MetricSubject, str], set[str]] = {}
    for metric in metrics:
        subject, name, period = metric.key
        if period is not None:
            periods.setdefault((subject, name), set()).add(period)
    for metric in metrics:
        subject, name, period = metric.key
        named = periods.get((subject, name), set())
        claims = metric.stated.claims
        if period is None and len(named) == 1:
            period = next(iter(named))
            note = (
                f"the document gives no period; filed under {period}, the only period other "
                "documents give for this metric"
            )
            claims = [dataclasses.replace(claim, note=note) for claim in claims]
        key = (subject, name, period)
        merged = merge(
            corpus.metrics,
            key,
            metric.stated.fields,
            file=metric.file,
            what=f"metric {key}",
            problems=problems,
        )
        merged.spans.extend(metric.stated.spans)
        merged.claims.extend(claims)


def _check_deal_links(corpus: Corpus, problems: list[str]) -> None:
    """Investments and stakes that name a deal or an investment must name one the corpus has."""
    linked = [(f"investment '{key}'", merged) for key, merged in corpus.investments.items()]
    linked += [(f"stake {key}", merged) for key, merged in corpus.stakes.items()]
    for what, merged in linked:
        for field, known in (("deal", corpus.deals), ("investment", corpus.investments)):
            key = merged.fields.get(field)
            if key is not None and key not in known:
                problems.append(
                    f"{merged.origin[field]}: {what}: field '{field}' names unknown {field} '{key}'"
                )


def _check_every_entity_is_mentioned(corpus: Corpus, problems: list[str]) -> None:
    for kind, entries, spans in (
        ("company", corpus.registry.companies, corpus.company_spans),
        ("person", corpus.registry.people, corpus.person_spans),
    ):
        for entry in entries:
            if entry.slug not in spans:
                problems.append(f"{ENTITIES_FILE}: {kind} '{entry.slug}' is mentioned by no source")


def _read_registry_provenance(corpus: Corpus, problems: list[str]) -> None:
    registry, documents = corpus.registry, corpus.documents
    corpus.company_provenance = registry_provenance(
        registry.companies, "company", corpus.company_spans, documents, problems
    )
    corpus.person_provenance = registry_provenance(
        registry.people, "person", corpus.person_spans, documents, problems
    )
