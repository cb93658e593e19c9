"""Settings, read from the environment by the app factory and the CLI, never at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Where `make web` builds the browser pages: web/dist beside the api package.
WEB_DIR = Path(__file__).resolve().parent.parent / "web" / "dist"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    database_url: str = "sqlite:///dealgraph.db"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: Annotated[list[str], NoDecode] = []
    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    graphql_max_depth: int = Field(default=12, ge=1)
    graphql_max_aliases: int = Field(default=30, ge=1)
    graphql_max_tokens: int = Field(default=2000, ge=1)
    graphql_max_directives: int = Field(default=50, ge=0)
    # The most list items a query may ask for: the product of page sizes along each path.
    graphql_max_nodes: int = Field(default=100_000, ge=1)
    # Checked documents kept, bounded by the total length of their texts; longer ones aren't kept.
    graphql_cache_bytes: int = Field(default=2_000_000, ge=0)
    graphql_cache_entry_bytes: int = Field(default=50_000, ge=0)
    # Queries made only of fields the compiled read path knows are answered by one SQL statement
    # per root field (api.graphql.compiled); off, the resolvers answer everything.
    graphql_compiled: bool = True
    # REST lists and items whose objects hold only properties the compiled path knows are built by
    # one SQL statement (api.rest.compiled); off, the converters answer everything.
    rest_compiled: bool = True
    graphiql: bool = True
    # The built browser pages (GraphiQL, the explorer) and their assets.
    web_dir: Path = WEB_DIR
    # Off hides the schema: no introspection, and no "Did you mean" in validation errors.
    graphql_introspection: bool = True
    # Threads that run requests' data access, each with its own store connection, and how long a
    # request may wait for one before it is refused with 503.
    workers: int = Field(default=2, ge=1, le=256)
    # Server processes (uvicorn workers), each with its own `workers` threads and connections.
    processes: int = Field(default=1, ge=1, le=64)
    queue_timeout: float = Field(default=2.0, gt=0, le=60)
    max_body_bytes: int = Field(default=1_000_000, ge=1_000)
    # How long clients may reuse a GET answer before asking again (with its ETag).
    cache_max_age: int = Field(default=60, ge=0)
    # One JSON line per request on the `dealgraph.access` logger.
    access_log: bool = True
    # How long one request may run before its queries are stopped.
    time_limit: float = Field(default=10.0, gt=0, le=600)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
