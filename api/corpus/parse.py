"""Reading a corpus directory: the registry of entities and each document with its facts file,
parsed into the models of `api.corpus.format`. Every problem is collected, none raised early."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from api.corpus.files import CorpusFiles
from api.corpus.format import FactsFile, SourceMeta

FACTS_SUFFIX = ".facts.json"
DOCUMENT_SUFFIX = ".txt"

M = TypeVar("M", bound=BaseModel)
Location = tuple[int | str, ...]


class CorpusError(Exception):
    """The corpus cannot be loaded; `problems` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class DocumentFacts:
    slug: str
    text: str
    facts: FactsFile


@dataclass(frozen=True)
class Document:
    """A document as the store keeps it, once its facts are read: its text and metadata."""

    slug: str
    text: str
    source: SourceMeta


def read_model(files: CorpusFiles, name: str, model: type[M]) -> M | None:
    """A file of the corpus as a model; None, with its problems added, when it is not one."""
    data = files.read(name)
    if data is None:
        return None
    text = _decoded(name, data, files.problems)
    if text is None:
        return None
    try:
        decoded, repeated = _json_with_repeated_keys(text)
    except (ValueError, RecursionError) as error:
        files.problems.append(f"{name}: (file): Invalid JSON: {error}")
        return None
    for location, count in repeated:
        files.problems.append(
            f"{name}: {_location(location)}: key '{location[-1]}' is given {count} times; "
            "give it once"
        )
    try:
        parsed = model.model_validate(decoded)
    except ValidationError as error:
        for issue in error.errors():
            files.problems.append(f"{name}: {_location(issue['loc']) or '(file)'}: {issue['msg']}")
        return None
    return None if repeated else parsed


def _decoded(name: str, data: bytes, problems: list[str]) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(f"{name}: not UTF-8 text ({error.reason} at byte {error.start})")
        return None


def _json_with_repeated_keys(text: str) -> tuple[Any, list[tuple[Location, int]]]:
    """The decoded JSON, and where a key is given more than once in one object (with how many
    times), which plain decoding would hide by keeping the last value."""
    # By id, each object with repeated keys, kept here so that its id names no other object
    # (one that a repeated key discarded would otherwise be freed and its id reused).
    repeated: dict[int, tuple[dict[str, Any], dict[str, int]]] = {}

    def make_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) < len(pairs):
            counts = Counter(key for key, _ in pairs)
            repeated[id(made)] = (made, {key: n for key, n in counts.items() if n > 1})
        return made

    decoded = json.loads(text, object_pairs_hook=make_object, parse_constant=_no_constant)
    if not repeated:
        return decoded, []
    return decoded, [
        ((*location, key), count)
        for location, node in _objects(decoded)
        if id(node) in repeated
        for key, count in repeated[id(node)][1].items()
    ]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _objects(tree: Any) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Every object in a decoded JSON tree with its location, in document order; iterative, as
    the tree may be as deep as the decoder allows."""
    stack: list[tuple[Location, Any]] = [((), tree)]
    while stack:
        location, node = stack.pop()
        if isinstance(node, dict):
            yield location, node
            children: Iterable[tuple[int | str, Any]] = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            continue
        stack.extend(reversed([((*location, key), child) for key, child in children]))


def _location(parts: Iterable[int | str]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def read_documents(files: CorpusFiles) -> Iterator[DocumentFacts]:
    """Each document whose text and facts file are both usable, read and parsed, one at a time
    (the files' problems are reported first)."""
    texts, facts = _usable_stems(files, DOCUMENT_SUFFIX), _usable_stems(files, FACTS_SUFFIX)
    _report_alone(files, facts, FACTS_SUFFIX, texts, "document", DOCUMENT_SUFFIX)
    _report_alone(files, texts, DOCUMENT_SUFFIX, facts, "facts file", FACTS_SUFFIX)
    if not texts and files.names_listed:
        files.problems.append(f"{files.directory}: no documents (*{DOCUMENT_SUFFIX})")
    for stem in sorted(stem for stem in texts.keys() & facts.keys() if texts[stem] and facts[stem]):
        text = _read_text(files, f"{stem}{DOCUMENT_SUFFIX}")
        parsed = read_model(files, f"{stem}{FACTS_SUFFIX}", FactsFile)
        if text is not None and parsed is not None:
            yield DocumentFacts(slug=stem, text=text, facts=parsed)


def _usable_stems(files: CorpusFiles, suffix: str) -> dict[str, bool]:
    """The stems of the entries named `*suffix`, each True when it is a usable file (a problem
    says why when it is not)."""
    return {
        name.removesuffix(suffix): files.is_usable(name)
        for name in files.names()
        if name.endswith(suffix)
    }


def _report_alone(
    files: CorpusFiles,
    stems: dict[str, bool],
    suffix: str,
    partners: dict[str, bool],
    partner: str,
    partner_suffix: str,
) -> None:
    """A problem for each usable file without its partner. An unusable file is already reported,
    and its partner is not alone: it only cannot be read with it."""
    for stem in sorted(stem for stem, usable in stems.items() if usable and stem not in partners):
        files.problems.append(f"{stem}{suffix}: no {partner} {stem}{partner_suffix} beside it")


def _read_text(files: CorpusFiles, name: str) -> str | None:
    data = files.read(name)
    text = None if data is None else _decoded(name, data, files.problems)
    # As text mode reads it: universal newlines, so quotes' offsets match on every platform.
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")
