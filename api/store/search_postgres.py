"""Full-text search on PostgreSQL: a table holding each row's text and a weighted tsvector of it
(built by `api.corpus.search_index_postgres`), queried with tsqueries assembled from the parsed
terms, each word a quoted lexeme.

The tsvector is not PostgreSQL's own parse of the text: its parser keeps "e-commerce",
"example.com" or "1.5" whole and lowercases by the server's locale. It holds the tokens that
SQLite's unicode61 tokenizer keeps (TOKEN, folded as `fold` does), so that both engines find
the same rows.
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session

from api.store.search import (
    CLOSE,
    ELLIPSIS,
    OPEN,
    TABLE,
    TOKEN,
    Found,
    Snippet,
    Term,
    squash,
)

# The text search configuration ts_headline parses a snippet's text with.
CONFIG = "simple"
# Each indexed column's weight class in the tsvector. The builder leaves a gap in the positions
# between columns, so that a phrase never spans two.
CLASSES = {"name": "B", "name_key": "A", "title": "C", "body": "D", "joined": "D"}
_WORDS = "BCD"
_NAMES = "A"
# A row's score: for each term, the points of the best class it is found in; more when the
# squashed query is one of the row's names, or begins one. ts_rank, squeezed below 1, orders
# rows of equal points.
POINTS = {"B": 10, "C": 4, "D": 1}
EXACT_NAME_POINTS = 20
NAME_PREFIX_POINTS = 10
# Snippet length in words: a passage of a document, or all of a name.
_SOURCE_SNIPPET_WORDS = 32
_NAME_SNIPPET_WORDS = 64
# Text that holds a word: anything but spaces and punctuation.
_WORD = "[^[:space:][:punct:]]"
_PUNCTUATION = string.punctuation


@functools.lru_cache(maxsize=1 << 16)
def fold(token: str) -> str:
    """A token as the index holds it: casefolded, without diacritics ("Nétease" -> "netease"),
    as unicode61's remove_diacritics does."""
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFD", token.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare) or token.casefold()


def lexeme(value: str) -> str:
    """A quoted lexeme for tsvector or tsquery input: nothing inside it is read as syntax."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _operand(value: str, *, prefix: bool = False, classes: str = "") -> str:
    label = ("*" if prefix else "") + classes
    return lexeme(value) + (f":{label}" if label else "")


def _phrase(tokens: Sequence[str], operand: Callable[[str, bool], str], *, prefix: bool) -> str:
    """Consecutive tokens, each written by `operand(token, prefix)`: the last one a prefix if
    `prefix`."""
    last = len(tokens) - 1
    return " <-> ".join(operand(token, prefix and i == last) for i, token in enumerate(tokens))


def term_query(term: Term, classes: str) -> str:
    """A term found in the given weight classes; a punctuated word also as its joined form."""

    def operand(token: str, prefix: bool) -> str:
        return _operand(fold(token), prefix=prefix, classes=classes)

    found = _phrase(term.tokens, operand, prefix=term.prefix)
    if term.punctuated:
        found += " | " + operand("".join(term.tokens), term.prefix)
    return f"({found})"


def _name_query(terms: Sequence[Term], *, prefix: bool) -> str:
    squashed = fold(squash("".join(token for term in terms for token in term.tokens)))
    return _operand(squashed, prefix=prefix, classes=_NAMES)


def match_query(terms: Sequence[Term]) -> str:
    """The tsquery a row must match: every term in its words, or the squashed query as (the
    start of, when the last word is a prefix) one of its names."""
    words = " & ".join(term_query(term, _WORDS) for term in terms)
    return f"({words}) | {_name_query(terms, prefix=terms[-1].prefix)}"


def headline_query(terms: Sequence[Term]) -> str:
    """Any of the terms, as ts_headline sees the text it parses: words lowercased, or folded.
    ts_headline shows the passage that starts with one and holds the most query words."""
    return " | ".join(_headline_term(term) for term in terms)


def _headline_term(term: Term) -> str:
    found = _phrase(term.tokens, _either, prefix=term.prefix)
    if term.punctuated:
        found += " | " + _either("".join(term.tokens), term.prefix)
    return f"({found})"


def _either(token: str, prefix: bool) -> str:
    forms = dict.fromkeys((token.lower(), fold(token)))
    return "(" + " | ".join(_operand(form, prefix=prefix) for form in forms) + ")"


def _score(terms: Sequence[Term]) -> tuple[str, dict[str, str]]:
    """The score expression, and its parameters (tsqueries)."""
    params = {"name_exact": _name_query(terms, prefix=False)}
    points = [f"{EXACT_NAME_POINTS} * (document @@ CAST(:name_exact AS tsquery))::int"]
    if terms[-1].prefix:
        params["name_prefix"] = _name_query(terms, prefix=True)
        points.append(f"{NAME_PREFIX_POINTS} * (document @@ CAST(:name_prefix AS tsquery))::int")
    for i, term in enumerate(dict.fromkeys(terms)):
        found = []
        for weight, worth in POINTS.items():
            params[f"term_{i}_{weight}"] = term_query(term, weight)
            found.append(f"WHEN document @@ CAST(:term_{i}_{weight} AS tsquery) THEN {worth}")
        points.append(f"CASE {' '.join(found)} ELSE 0 END")
    # Normalization 32 maps the rank r to r / (r + 1), below the least point.
    rank = "CAST(ts_rank(document, CAST(:match AS tsquery), 32) AS double precision)"
    return f"{' + '.join(points)} + {rank}", params


# The page's rows are chosen first, so that ts_headline runs on them alone, once each (which
# MATERIALIZED ensures). ts_headline reads the text with its ASCII punctuation turned to spaces,
# so that its parser sees the words the index holds (it would keep "cross-border" or
# "example.com" whole, and not find a phrase across them); the passage is then cut from the
# original text at the same offsets, and is marked as cut where words are left out.
_SEARCH = f"""
WITH hits AS (
    SELECT kind, row_id, {{score}} AS score
    FROM {TABLE}
    WHERE document @@ CAST(:match AS tsquery){{kinds}}
    ORDER BY score DESC, kind, row_id
    LIMIT :limit OFFSET :offset
), shown AS MATERIALIZED (
    SELECT hits.kind, hits.row_id, hits.score, chosen.content,
        translate(chosen.content, :punctuation, :spaces) AS words,
        CASE hits.kind WHEN 'source' THEN :source_options ELSE :name_options END AS options
    FROM hits
    JOIN {TABLE} AS indexed ON indexed.kind = hits.kind AND indexed.row_id = hits.row_id
    CROSS JOIN LATERAL (
        SELECT CASE hits.kind WHEN 'source' THEN indexed.body ELSE indexed.name END AS content
    ) AS chosen
), headlines AS MATERIALIZED (
    SELECT shown.*, replace(replace(
        ts_headline('{CONFIG}', words, CAST(:headline AS tsquery), options),
        :open, ''), :close, '') AS headline
    FROM shown
)
SELECT kind, row_id, score, substr(content, at, length(headline)) AS passage,
    at > 1 AND left(words, at - 1) ~ :word AS cut_before,
    substr(words, at + length(headline)) ~ :word AS cut_after
FROM headlines CROSS JOIN LATERAL (SELECT greatest(strpos(words, headline), 1) AS at) AS found
ORDER BY score DESC, kind, row_id
"""


def _headline_options(words: int) -> str:
    # ShortWord=0: no words are dropped from the ends of a passage, as FTS5 drops none.
    return (
        f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords={words}, MinWords={words - 1}, "
        "ShortWord=0, MaxFragments=0"
    )


def search_rows(
    session: Session,
    *,
    terms: Sequence[Term],
    kinds: Sequence[str] | None,
    limit: int,
    offset: int,
) -> list[Found]:
    score, queries = _score(terms)
    statement = text(
        _SEARCH.format(score=score, kinds="" if kinds is None else " AND kind IN :kinds")
    )
    params: dict[str, Any] = queries | {
        "match": match_query(terms),
        "headline": headline_query(terms),
        "source_options": _headline_options(_SOURCE_SNIPPET_WORDS),
        "name_options": _headline_options(_NAME_SNIPPET_WORDS),
        "punctuation": _PUNCTUATION,
        "spaces": " " * len(_PUNCTUATION),
        "open": OPEN,
        "close": CLOSE,
        "word": _WORD,
        "limit": limit,
        "offset": offset,
    }
    if kinds is not None:
        statement = statement.bindparams(bindparam("kinds", expanding=True))
        params["kinds"] = list(kinds)
    rows = session.connection().execute(statement, params)
    return [
        (kind, row_id, score, _snippet(passage, terms, cut_before=before, cut_after=after))
        for kind, row_id, score, passage, before, after in rows.all()
    ]


def _snippet(passage: str, terms: Sequence[Term], *, cut_before: bool, cut_after: bool) -> Snippet:
    lead = ELLIPSIS if cut_before else ""
    return Snippet(
        lead + passage + (ELLIPSIS if cut_after else ""),
        tuple((start + len(lead), end + len(lead)) for start, end in highlights(passage, terms)),
    )


def highlights(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Where the terms are in `text`, highlighted as FTS5 does: each occurrence of a term (a
    phrase whole) is one range, and overlapping ones are merged. ts_headline's own highlights
    are words, found by a parser that reads punctuated words its own way."""
    found = [(m.start(), m.end(), fold(m.group())) for m in TOKEN.finditer(text)]
    words = [word for _, _, word in found]
    spans = sorted(
        (start, start + len(form) - 1)
        for term in terms
        for form in _forms(term)
        for start in range(len(words) - len(form) + 1)
        if _occurs(form, words, start, prefix=term.prefix)
    )
    merged: list[tuple[int, int]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return [(found[first][0], found[last][1]) for first, last in merged]


def _forms(term: Term) -> list[tuple[str, ...]]:
    forms = [tuple(fold(token) for token in term.tokens)]
    if term.punctuated:
        forms.append((fold("".join(term.tokens)),))
    return forms


def _occurs(form: tuple[str, ...], words: list[str], start: int, *, prefix: bool) -> bool:
    *whole, last = form
    candidate = words[start + len(whole)]
    return words[start : start + len(whole)] == whole and (
        candidate.startswith(last) if prefix else candidate == last
    )
