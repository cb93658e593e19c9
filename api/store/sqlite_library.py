"""The SQLite library the store runs on: a recent build from PyPI where one is installed
(pysqlite3-binary, on Linux x86-64), else Python's own.

A recent SQLite grows its parser's stack as a statement needs, so the compiled read path can nest
a query as deep as GraphQL's depth limit lets it, where Debian 12's 3.40 stops at about five
nested lists (and the resolvers answer instead); its JSON functions are faster too. Every module
that opens SQLite itself takes it from here: two copies of SQLite in one process would each drop
the other's file locks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
else:
    try:
        from pysqlite3 import dbapi2 as sqlite3
    except ImportError:  # not built for this platform
        import sqlite3

__all__ = ["sqlite3"]
