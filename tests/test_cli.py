from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main
from api.graphql.schema import export_sdl


def test_export_schema_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-schema"]) == 0
    assert capsys.readouterr().out == export_sdl()


def test_export_schema_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    assert main(["export-schema", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == export_sdl()


@pytest.mark.sqlite_only
def test_serve_refuses_a_missing_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/absent.db")
    assert main(["serve", "--port", "1"]) == 1
    assert "run `dealgraph load` first" in capsys.readouterr().err
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["migrate"]])
def test_an_unreachable_postgresql_is_one_line_without_the_password(
    command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing listens on port 1 of the loopback address.
    monkeypatch.setenv("DATABASE_URL", "postgresql://reader:secret@127.0.0.1:1/dealgraph")
    assert main(command) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"dealgraph {command[0]}: postgresql+psycopg://reader:***@127.0.0.1:1/")
    assert "cannot use the store (connection failed" in error
    assert "secret" not in error and "Traceback" not in error
    assert error.count("\n") == 1


def test_load_refuses_a_missing_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/store.db")
    assert main(["load", "--seeds", str(tmp_path / "nowhere")]) == 1
    assert "nowhere: not a directory" in capsys.readouterr().err


def test_bad_settings_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(SystemExit) as raised:
        main(["export-schema"])
    assert "PORT" in str(raised.value)
