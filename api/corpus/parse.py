"""Reading a corpus directory: the registry of entities and each document with its facts file,
parsed into the models of `api.corpus.format`. Every problem is collected, none raised early."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from api.corpus.format import FactsFile

ENTITIES_FILE = "entities.json"
FACTS_SUFFIX = ".facts.json"
# Bumped when the loader's interpretation of the files changes, so a reload rewrites the store.
LOADER_VERSION = "3"

M = TypeVar("M", bound=BaseModel)


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


def read_model(path: Path, model: type[M], problems: list[str]) -> M | None:
    try:
        return model.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except ValidationError as error:
        for issue in error.errors():
            location = _location(issue["loc"]) or "(file)"
            problems.append(f"{path.name}: {location}: {issue['msg']}")
    return None


def _location(parts: Iterable[int | str]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def read_documents(directory: Path, problems: list[str]) -> list[DocumentFacts]:
    texts = {path.stem: path for path in directory.glob("*.txt")}
    facts = {
        path.name.removesuffix(FACTS_SUFFIX): path for path in directory.glob(f"*{FACTS_SUFFIX}")
    }
    for stem in sorted(facts.keys() - texts.keys()):
        problems.append(f"{stem}{FACTS_SUFFIX}: no document {stem}.txt beside it")
    for stem in sorted(texts.keys() - facts.keys()):
        problems.append(f"{stem}.txt: no facts file {stem}{FACTS_SUFFIX} beside it")
    if not texts:
        problems.append(f"{directory}: no documents (*.txt)")
    documents = []
    for stem in sorted(texts.keys() & facts.keys()):
        try:
            text = texts[stem].read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{stem}.txt: not UTF-8 text ({error.reason} at byte {error.start})")
            continue
        parsed = read_model(facts[stem], FactsFile, problems)
        if parsed is not None:
            documents.append(DocumentFacts(slug=stem, text=text, facts=parsed))
    return documents


def digest(directory: Path) -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    names = [
        ENTITIES_FILE,
        *sorted(p.name for p in directory.iterdir() if p.suffix in {".txt", ".json"}),
    ]
    for name in dict.fromkeys(names):
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    return digest.hexdigest()
