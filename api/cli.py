"""The `dealgraph` command: load a corpus, serve the API, export the GraphQL schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from api.config import Settings
from api.corpus.load import Outcome, load_corpus
from api.corpus.parse import CorpusError
from api.corpus.store_faults import LoadError, store_name
from api.corpus.write_lock import DEFAULT_WAIT_SECONDS
from api.store.db import is_sqlite, make_engine, sqlite_path

DEFAULT_SEEDS = Path("seeds")
SWITCH_INTERVAL = 0.001


def _load(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)

    def say_waiting() -> None:
        print(
            f"dealgraph load: waiting for another loader to finish with {store_name(engine)} "
            f"(up to {args.wait:g} s)...",
            file=sys.stderr,
        )

    try:
        loaded = load_corpus(
            engine, args.seeds, if_empty=args.if_empty, wait=args.wait, on_wait=say_waiting
        )
    except (CorpusError, LoadError) as error:
        print(
            f"dealgraph load: {args.seeds} was not loaded; the store is unchanged.", file=sys.stderr
        )
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if loaded.outcome is Outcome.NOT_EMPTY:
        print("store already holds a corpus; not loading")
        return 0
    counts = ", ".join(f"{count} {table}" for table, count in loaded.counts.items())
    print(f"{loaded.outcome} {args.seeds}: {counts}")
    return 0


def _seconds(text: str) -> float:
    seconds = float(text)
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return seconds


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.logs import log_config

    if is_sqlite(settings.database_url):
        path = sqlite_path(settings.database_url)
        if path is None or not Path(path).exists():
            print(
                f"dealgraph serve: no store at {settings.database_url}; run `dealgraph load` first",
                file=sys.stderr,
            )
            return 1
    host = args.host or settings.host
    port = args.port or settings.port
    # Worker threads compete with the event loop for the interpreter lock; a shorter switch
    # interval (5 ms by default) keeps the loop, and /healthz, answering while they are busy.
    sys.setswitchinterval(SWITCH_INTERVAL)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=log_config(),
        # The app writes its own access log, in JSON (see api.http.RequestIds).
        access_log=False,
    )
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from api.graphql.schema import export_sdl

    sdl = export_sdl(settings)
    if args.output is None:
        sys.stdout.write(sdl)
    else:
        args.output.write_text(sdl, encoding="utf-8")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="dealgraph", description="Corporate M&A facts, with evidence."
    )
    commands = root.add_subparsers(dest="command", required=True)
    load = commands.add_parser(
        "load", help="make the store hold a corpus (validated, all or nothing)"
    )
    load.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="corpus directory (default: seeds)"
    )
    load.add_argument("--if-empty", action="store_true", help="only load into an empty store")
    load.add_argument(
        "--wait",
        type=_seconds,
        default=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help="how long to wait for another loader to finish before refusing "
        f"(default: {DEFAULT_WAIT_SECONDS:g})",
    )
    load.set_defaults(run=_load)
    serve = commands.add_parser("serve", help="serve GraphQL, GraphiQL and REST with uvicorn")
    serve.add_argument("--host", help="address to bind (default: $HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $PORT or 8000)")
    serve.set_defaults(run=_serve)
    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", type=Path, help="write to this file instead of stdout")
    export.set_defaults(run=_export_schema)
    return root


def read_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in issue['loc']).upper()}: {issue['msg']}"
            for issue in error.errors()
        )
        raise SystemExit(f"dealgraph: invalid settings in the environment: {problems}") from None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    status: int = args.run(read_settings(), args)
    return status


if __name__ == "__main__":
    sys.exit(main())
