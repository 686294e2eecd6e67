"""The CLI's contract: help, clear errors with exit code 2, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newswire.cli import main


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(NEWSWIRE_DATA_DIR=str(tmp_path), NEWSWIRE_LOG_FORMAT="json", **extra)
    return env


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newswire", *args],
        env=_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [[], ["run"], ["poll"], ["worker"], ["feeds"], ["feeds", "add"], ["export"], ["demo"],
     ["status"], ["db", "upgrade"], ["config"]],
)  # fmt: skip
def test_every_command_explains_itself(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    res = _run(tmp_path, "config", NEWSWIRE_WORKERS="lots")
    assert res.returncode == 2
    assert "NEWSWIRE_WORKERS='lots'" in res.stderr
    assert "Traceback" not in res.stderr


def test_config_masks_secrets(tmp_path: Path) -> None:
    res = _run(tmp_path, "config", NEWSWIRE_DATABASE_URL="postgresql://u:hunter2@db/x")
    assert res.returncode == 0 and "hunter2" not in res.stdout and "***" in res.stdout


def test_feeds_add_reports_invalid_urls(tmp_path: Path) -> None:
    res = _run(tmp_path, "feeds", "add", "https://example.org/rss", "not a url")
    assert res.returncode == 2
    assert "added" in res.stdout and "invalid" in res.stderr
    listed = _run(tmp_path, "feeds", "list", "--json")
    assert listed.returncode == 0 and "https://example.org/rss" in listed.stdout


def test_broken_opml_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.opml"
    bad.write_text("<opml><body><outline xmlUrl=")
    res = _run(tmp_path, "feeds", "import", str(bad))
    assert res.returncode == 2
    assert "not well-formed XML" in res.stderr and "Traceback" not in res.stderr


def test_unknown_queue_is_refused(tmp_path: Path) -> None:
    res = _run(tmp_path, "worker", "translate")
    assert res.returncode == 2 and "unknown queue" in res.stderr


def test_bad_since_date_is_refused(tmp_path: Path) -> None:
    res = _run(tmp_path, "export", "events", "--since", "yesterday")
    assert res.returncode == 2 and "is not a date" in res.stderr


def test_unmigrated_database_is_refused_with_advice(tmp_path: Path) -> None:
    res = _run(tmp_path, "export", "events")
    assert res.returncode == 2 and "newswire db upgrade" in res.stderr
    up = _run(tmp_path, "db", "upgrade")
    assert up.returncode == 0
    assert _run(tmp_path, "export", "events").returncode == 0
