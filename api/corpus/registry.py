"""How each name, alias and description of the registry is known.

A name or alias is stated where one of the quotes a document gives for its mention of the entity
holds it as whole words (in any case, as names resolve); a description is stated by its own quote. Anything else
is editorial and needs the curator's reason; a value both stated and explained is refused, so that
the two are never mixed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from api.corpus.files import ENTITIES_FILE
from api.corpus.format import DocumentQuote, EntityEntry
from api.corpus.merge import Span
from api.corpus.parse import Document
from api.vocab import Provenance


class EntityProvenance:
    """Reads the provenance of one registry entry, adding every problem found to `problems`."""

    def __init__(
        self,
        kind: str,
        entry: EntityEntry,
        texts: Mapping[str, str],
        problems: list[str],
    ) -> None:
        self.entry = entry
        self.texts = texts
        self.problems = problems
        self.where = f"{ENTITIES_FILE}: {kind} '{entry.slug}'"

    def read(self, mentioned: Sequence[Span]) -> list[Provenance]:
        entry = self.entry
        known = [self.name("name", entry.name, entry.editorial.name, mentioned)]
        known += [
            self.name("aliases", alias, entry.editorial.aliases.get(alias), mentioned)
            for alias in entry.aliases
        ]
        return [provenance for provenance in known if provenance is not None] + self.description()

    def name(
        self, field: str, name: str, reason: str | None, mentioned: Sequence[Span]
    ) -> Provenance | None:
        value = name if field == "aliases" else None
        span = next((span for span in mentioned if holds_words(span.quote, name)), None)
        if span is None and reason is None:
            self.problem(
                f"{field} '{name}' occurs in no quote of its mentions; quote a document that "
                f"names it so, or give editorial.{field} a reason"
            )
            return None
        if span is None:
            return Provenance(field=field, value=value, stated=False, reason=reason)
        if reason is not None:
            self.problem(
                f"{field} '{name}' is stated in {span.source} ({span.quote!r}); "
                f"drop its editorial reason"
            )
        return _stated(field, span, value=value)

    def description(self) -> list[Provenance]:
        entry = self.entry
        if entry.editorial.description is not None:
            return [
                Provenance(field="description", stated=False, reason=entry.editorial.description)
            ]
        return [
            _stated("description", span)
            for index, given in enumerate(entry.description_quotes)
            if (span := self.locate(f"description_quotes[{index}]", given)) is not None
        ]

    def locate(self, path: str, given: DocumentQuote) -> Span | None:
        text = self.texts.get(given.source)
        if text is None:
            self.problem(f"{path}.source: no document '{given.source}' in the corpus")
            return None
        start = text.find(given.quote)
        if start < 0:
            self.problem(f"{path}.quote: not found verbatim in {given.source}.txt: {given.quote!r}")
            return None
        return Span(given.source, given.quote, start, start + len(given.quote))

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")


def holds_words(text: str, words: str) -> bool:
    """Whether `text` holds `words` as whole words, in any case."""
    if not (text.isascii() and words.isascii()):
        return _whole_words(words).search(text) is not None
    # ASCII only: no letter has a case partner outside ASCII, and a word character is [a-z0-9_].
    text, words = text.lower(), words.lower()
    start = text.find(words)
    while start >= 0:
        end = start + len(words)
        if not (_is_word_character(text, start - 1) or _is_word_character(text, end)):
            return True
        start = text.find(words, start + 1)
    return False


def _is_word_character(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


@functools.lru_cache(maxsize=1024)
def _whole_words(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE)


def _stated(field: str, span: Span, *, value: str | None = None) -> Provenance:
    return Provenance(
        field=field,
        value=value,
        stated=True,
        source=span.source,
        quote=span.quote,
        start_offset=span.start,
        end_offset=span.end,
    )


def registry_provenance(
    entries: Sequence[EntityEntry],
    kind: str,
    spans: Mapping[str, Sequence[Span]],
    documents: Sequence[Document],
    problems: list[str],
) -> dict[str, list[Provenance]]:
    """Each entry's provenance, by slug."""
    texts = {document.slug: document.text for document in documents}
    return {
        entry.slug: EntityProvenance(kind, entry, texts, problems).read(spans.get(entry.slug, []))
        for entry in entries
    }
