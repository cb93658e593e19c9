"""Work done ahead in another process: a function applied to chunks of items while the caller
uses the results of earlier ones, with the results in the items' order and only a few chunks
done ahead, so that memory stays bounded however many items there are."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Chunks sent to the worker before their results are asked for.
CHUNKS_AHEAD = 4


def mapped_ahead(
    function: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, chunk: int
) -> Iterator[R]:
    """`function`'s results for `items`, in order, computed `chunk` items at a time by one worker
    process. The function and its arguments and results must pickle."""
    chunks = [items[start : start + chunk] for start in range(0, len(items), chunk)]
    # Forked, since a new interpreter would import the caller's main module again, which a
    # script that loads a corpus need not guard. The child touches nothing it inherits but the
    # function's own modules: not the caller's database connection, nor its threads' locks.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        pending: deque[Future[list[R]]] = deque()
        try:
            for part in chunks:
                pending.append(pool.submit(function, part))
                if len(pending) > CHUNKS_AHEAD:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
