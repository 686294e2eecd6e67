"""deploy/ matches the CLI: every command a unit or service runs is a real newswire command."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
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


# -- systemd: `systemd-analyze verify` and the hardening score --------------------------------
def _units_with_real_binary(tmp_path: Path) -> Path:
    """Copy the units to ``tmp_path`` with ExecStart pointing at this venv's newswire.

    ``systemd-analyze verify`` checks that the executable exists; the units name the
    production path (/opt/newswire/venv/bin/newswire), which this machine does not have.
    """
    exe = Path(sys.executable).with_name("newswire")
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text().replace("/opt/newswire/venv/bin/newswire", str(exe))
        (tmp_path / unit.name).write_text(text)
    template = tmp_path / "newswire-worker@.service"
    (tmp_path / "newswire-worker@fetch.service").write_text(template.read_text())
    return tmp_path


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
@pytest.mark.parametrize("unit", ["newswire-poller.service", "newswire-worker@fetch.service"])
def test_systemd_analyze_verify_finds_nothing(tmp_path: Path, unit: str) -> None:
    path = _units_with_real_binary(tmp_path) / unit
    result = subprocess.run(
        ["systemd-analyze", "verify", str(path)], capture_output=True, text=True, check=False
    )
    # verify exits 0 on unknown keys and bad values too; its warnings are the verdict
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
@pytest.mark.parametrize("unit", ["newswire-poller.service", "newswire-worker@fetch.service"])
def test_systemd_units_are_hardened(tmp_path: Path, unit: str) -> None:
    path = _units_with_real_binary(tmp_path) / unit
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", result.stdout)
    assert match, result.stdout[-500:] + result.stderr
    # 0 is a sealed box, 10 an unprotected root service; network daemons score about 1-2.
    assert float(match.group(1)) <= 2.0, result.stdout


# -- compose: the compose specification's JSON schema ----------------------------------------
def test_compose_file_is_valid_under_the_compose_specification_schema() -> None:
    import jsonschema
    from check_jsonschema.builtin_schemas import get_builtin_schema

    schema = get_builtin_schema("vendor.compose-spec")
    doc = yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
    # the schema does catch mistakes: a misspelt service key fails it
    broken = {**doc, "services": {**doc["services"], "fetch": {"image": "x", "comand": ["x"]}}}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_compose_grace_period_outlasts_the_job_timeout() -> None:
    doc: dict[str, Any] = yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())
    grace = doc["x-newswire"]["stop_grace_period"]
    assert grace.endswith("s") and int(grace[:-1]) > 180


# -- Kubernetes: schemas (kubernetes-validate) and the wiring between the manifests ------------
K8S = DEPLOY / "k8s"


def _k8s_docs() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def _by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _k8s_docs() if d["kind"] == kind}


def test_k8s_manifests_are_valid_kubernetes_objects() -> None:
    import kubernetes_validate
    from kubernetes_validate.utils import latest_version

    checked = 0
    for doc in _k8s_docs():
        if doc["apiVersion"].startswith("keda.sh/"):
            continue  # a CRD: no schema in kubernetes-validate; checked below
        kubernetes_validate.validate(doc, latest_version(), strict=True)
        checked += 1
    assert checked >= 13
    bad = {**_by_kind("Deployment")["newswire-poller"], "spec": {"replicas": "one"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, latest_version(), strict=True)


def test_k8s_kustomization_lists_every_manifest() -> None:
    kust = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kust["resources"]) == files


def _pod(doc: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = doc["spec"]["template"]["spec"]
    return spec


def test_k8s_deployments_run_newswire_with_a_grace_period_beyond_the_job_timeout() -> None:
    from ingest.settings import Settings

    deployments = _by_kind("Deployment")
    assert set(deployments) == {"newswire-poller"} | {f"newswire-worker-{s}" for s in STAGES}
    config = _by_kind("ConfigMap")["newswire-config"]["data"]
    timeout = int(config.get("NEWSWIRE_JOB_TIMEOUT_S", Settings.job_timeout_s))
    for name, dep in deployments.items():
        pod = _pod(dep)
        [container] = pod["containers"]
        _accepts(container["args"])
        if name.startswith("newswire-worker-"):
            assert container["args"] == ["worker", name.removeprefix("newswire-worker-")]
            assert pod["terminationGracePeriodSeconds"] > timeout
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        refs = {next(iter(r.values()))["name"] for r in container["envFrom"]}
        assert refs == {"newswire-config", "newswire-secrets"}
    [job] = _by_kind("Job").values()
    assert _pod(job)["containers"][0]["args"] == ["db", "upgrade"]


def test_k8s_settings_are_settings_newswire_accepts() -> None:
    from ingest.settings import load_settings

    env = {**_by_kind("ConfigMap")["newswire-config"]["data"]}
    env.update(_by_kind("Secret")["newswire-secrets"]["stringData"])
    settings = load_settings(environ=env)  # raises on an unknown or bad NEWSWIRE_* variable
    assert settings.redis_url and settings.database_url


def test_k8s_every_worker_deployment_has_a_pdb_and_scales_on_its_rq_list() -> None:
    from rq import Queue

    pdbs = _by_kind("PodDisruptionBudget")
    scaled = _by_kind("ScaledObject")
    config = _by_kind("ConfigMap")["newswire-config"]["data"]
    for name, dep in _by_kind("Deployment").items():
        labels = dep["spec"]["template"]["metadata"]["labels"]
        assert any(p["spec"]["selector"]["matchLabels"] == labels for p in pdbs.values()), name
        if not name.startswith("newswire-worker-"):
            continue
        stage = name.removeprefix("newswire-worker-")
        so = scaled[name]["spec"]
        assert so["scaleTargetRef"]["name"] == name
        [trigger] = so["triggers"]
        assert trigger["type"] == "redis"
        # the list RQ keeps the queue's waiting job ids in
        assert trigger["metadata"]["listName"] == Queue.redis_queue_namespace_prefix + stage
        assert trigger["metadata"]["addressFromEnv"] in config
        assert 0 < so["minReplicaCount"] <= so["maxReplicaCount"]


def test_container_image_is_multi_stage_and_runs_as_non_root() -> None:
    lines = [
        ln.strip()
        for ln in (DEPLOY / "Containerfile").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    stages = [ln for ln in lines if ln.upper().startswith("FROM ")]
    assert len(stages) >= 2 and " AS " in stages[0].upper()
    # the runtime stage takes only built wheels from the build stage, and drops root
    runtime = lines[lines.index(stages[-1]) :]
    assert any(ln.startswith("COPY --from=") for ln in runtime)
    [user] = [ln.split()[1] for ln in runtime if ln.upper().startswith("USER ")]
    assert user not in {"root", "0"}
    assert runtime[-2] == 'ENTRYPOINT ["newswire"]'
    # compose and Kubernetes use the image this file builds
    compose = yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())
    assert compose["x-newswire"]["build"]["dockerfile"] == "deploy/Containerfile"
    images = {
        c["image"]
        for d in _k8s_docs()
        if d["kind"] in {"Deployment", "Job"}
        for c in _pod(d)["containers"]
    }
    assert images == {compose["x-newswire"]["image"]}
