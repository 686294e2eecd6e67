"""deploy/ matches the CLI: every command a unit or service runs is a real newswire command."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from newswire.cli import main
from schemas.messages import STAGES

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _accepts(args: list[str]) -> None:
    """Assert that ``newswire ARGS`` is a valid invocation (its --help works)."""
    words = [a for a in args if not a.startswith("%")]
    result = CliRunner().invoke(main, [*words, "--help"])
    assert result.exit_code == 0, f"newswire {' '.join(args)}: {result.output}"


def _unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name)
    return parser


@pytest.mark.parametrize("name", ["newswire-poller.service", "newswire-worker@.service"])
def test_systemd_units_run_newswire_commands(name: str) -> None:
    unit = _unit(name)
    service = unit["Service"]
    for key in ("ExecStart", "ExecStartPre"):
        if key in service:
            argv = shlex.split(service[key])
            assert argv[0].endswith("/newswire")
            _accepts(argv[1:])
    assert service["KillMode"] == "mixed"
    assert service["Restart"] == "on-failure"
    assert service["EnvironmentFile"]
    # A worker's stop timeout outlasts the longest job (NEWSWIRE_JOB_TIMEOUT_S, 180 s), a
    # poller's the longest feed check (the 20 s fetch deadline), so SIGTERM lets them finish.
    assert int(service["TimeoutStopSec"]) > (180 if "worker" in name else 20)


def test_worker_unit_instance_is_a_queue() -> None:
    argv = shlex.split(_unit("newswire-worker@.service")["Service"]["ExecStart"])
    assert argv[1:] == ["worker", "%i"]
    for stage in STAGES:
        _accepts(["worker", stage])


def test_compose_services_run_newswire_commands() -> None:
    doc: dict[str, Any] = yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())
    services = doc["services"]
    redis_cmd = services["redis"]["command"]
    assert "noeviction" in redis_cmd and "--appendonly" in redis_cmd
    ours = {k: v for k, v in services.items() if v.get("image") == "newswire:latest"}
    assert {"migrate", "poller", *STAGES} <= set(ours)
    for name, svc in ours.items():
        _accepts(list(svc["command"]))
        if name != "migrate":
            assert svc["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
