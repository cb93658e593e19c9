"""The `dealgraph` command: load a corpus, migrate the store, serve the API, export the GraphQL
schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from api.config import Settings
from api.corpus.load import Outcome, load_corpus
from api.corpus.parse import CorpusError
from api.corpus.store_faults import LoadError, reported_store_faults, store_name
from api.corpus.write_lock import DEFAULT_WAIT_SECONDS
from api.store.db import is_sqlite, make_engine, sqlite_path
from api.store.migrate import StoreNotMigrated, migrate, new_revision, require_current

DEFAULT_SEEDS = Path("seeds")


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


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    try:
        with reported_store_faults(engine):
            if args.new_revision is not None:
                print(f"wrote revision {new_revision(engine, args.new_revision)}")
                return 0
            before, after = migrate(engine)
    except StoreNotMigrated as error:
        print(f"dealgraph migrate: {store_name(engine)}: {error}", file=sys.stderr)
        return 1
    except LoadError as error:
        # Its problems name the store already.
        print(f"dealgraph migrate: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    change = "already there" if before == after else f"from {before or 'an empty store'}"
    print(f"{store_name(engine)}: schema at revision {after} ({change})")
    return 0


def _store_problem(settings: Settings) -> str | None:
    """Why the server cannot serve this store, if it cannot."""
    if is_sqlite(settings.database_url):
        path = sqlite_path(settings.database_url)
        if path is None or not Path(path).exists():
            return f"no store at {settings.database_url}; run `dealgraph load` first"
    engine = make_engine(settings.database_url, read_only=True)
    try:
        with reported_store_faults(engine), engine.connect() as connection:
            require_current(connection)
    except StoreNotMigrated as error:
        return f"{store_name(engine)}: {error}"
    except LoadError as error:
        return str(error)
    finally:
        engine.dispose()
    return None


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return number


def _seconds(text: str) -> float:
    seconds = float(text)
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return seconds


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import SWITCH_INTERVAL, create_app
    from api.logs import log_config

    problem = _store_problem(settings)
    if problem is not None:
        print(f"dealgraph serve: {problem}", file=sys.stderr)
        return 1
    host = args.host or settings.host
    port = args.port or settings.port
    sys.setswitchinterval(SWITCH_INTERVAL)
    processes = args.processes or settings.processes
    uvicorn.run(
        # Several processes each build the app themselves, from the environment.
        create_app(settings) if processes == 1 else "api.app:app_from_environment",
        factory=processes > 1,
        workers=processes,
        host=host,
        port=port,
        log_config=log_config(),
        # The app writes its own access log, in JSON (see api.http.RequestIds).
        access_log=False,
    )
    return 0


def _synth(_settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from api.corpus.synthetic import PROFILES, write_corpus

    companies = args.companies or PROFILES[args.profile]

    def progress(documents: range) -> tqdm[int]:
        # Drawn only on a terminal (disable=None).
        return tqdm(documents, desc="documents", unit="", disable=None, leave=False)

    try:
        documents = write_corpus(args.out, companies=companies, seed=args.seed, progress=progress)
    except (FileExistsError, ValueError) as error:
        print(f"dealgraph synth: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {companies} companies in {documents} documents")
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
    migrate = commands.add_parser(
        "migrate", help="bring the store's schema up to this version of dealgraph"
    )
    migrate.add_argument(
        "--new-revision",
        metavar="MESSAGE",
        help="for developers: write the next migration, from how the models differ from the "
        "store (which must be up to date)",
    )
    migrate.set_defaults(run=_migrate)
    serve = commands.add_parser("serve", help="serve GraphQL, GraphiQL and REST with uvicorn")
    serve.add_argument("--host", help="address to bind (default: $HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $PORT or 8000)")
    serve.add_argument(
        "--processes",
        type=_positive,
        help="server processes, each with $WORKERS threads (default: $PROCESSES or 1)",
    )
    serve.set_defaults(run=_serve)
    synth = commands.add_parser(
        "synth", help="write a synthetic corpus of any size, the same for the same seed"
    )
    size = synth.add_mutually_exclusive_group()
    size.add_argument(
        "--profile",
        choices=["small", "default", "large"],
        default="default",
        help="1,000, 10,000 (the default) or 100,000 companies",
    )
    size.add_argument("--companies", type=_positive, help="how many companies, instead")
    synth.add_argument("--seed", type=int, default=0, help="the same seed, the same corpus")
    synth.add_argument("--out", type=Path, required=True, help="a new or empty directory")
    synth.set_defaults(run=_synth)
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
