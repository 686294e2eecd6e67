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


UNITS = ["newswire-poller.service", "newswire-worker@.service", "newswire-websub.service"]


@pytest.mark.parametrize("name", UNITS)
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
    # poller's the longest feed check and the WebSub daemon's its upkeep round (both bounded by
    # the 20 s fetch deadline), so SIGTERM lets them finish.
    assert int(service["TimeoutStopSec"]) > (180 if "worker" in name else 20)


def test_websub_unit_runs_only_when_on_and_can_bind_its_port() -> None:
    from ingest.settings import Settings

    unit = _unit("newswire-websub.service")
    service = unit["Service"]
    assert shlex.split(service["ExecStart"])[1:] == ["websub"]
    # Without a callback URL the unit is skipped (ExecCondition exits 1), not restarted forever.
    assert shlex.split(service["ExecCondition"]) == [
        "/usr/bin/test",
        "-n",
        "${NEWSWIRE_WEBSUB_CALLBACK_URL}",
    ]
    # Started with the poller, its migration (ExecStartPre) runs after the poller's.
    assert "newswire-poller.service" in unit["Unit"]["After"].split()
    # The hardening lets it listen: IPv4/IPv6 sockets, no network sandbox, and (no
    # capabilities) an unprivileged default port.
    families = service["RestrictAddressFamilies"].split()
    assert {"AF_INET", "AF_INET6"} <= set(families)
    for key in ("PrivateNetwork", "IPAddressDeny", "SocketBindDeny"):
        assert key not in service, key
    assert service["CapabilityBoundingSet"] == ""
    assert Settings().websub_port > 1023


def test_systemd_env_example_holds_settings_newswire_accepts() -> None:
    from ingest.settings import load_settings

    env: dict[str, str] = {}
    for line in (DEPLOY / "systemd" / "newswire.env.example").read_text().splitlines():
        # the optional settings are commented out
        key, sep, value = line.removeprefix("#").partition("=")
        if sep and key.startswith("NEWSWIRE_") and " " not in key:
            env[key] = value
    settings = load_settings(environ=env)  # raises on an unknown or bad NEWSWIRE_* variable
    assert settings.websub_callback_url and settings.redis_url and settings.database_url


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
    assert {"migrate", "poller", "websub", *STAGES} <= set(ours)
    for name, svc in ours.items():
        _accepts(list(svc["command"]))
        if name != "migrate":
            assert svc["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_websub_is_opt_in_and_reachable_on_the_network() -> None:
    from ingest.settings import Settings, load_settings

    doc: dict[str, Any] = yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())
    services = doc["services"]
    websub = services["websub"]
    assert websub["command"] == ["websub", "--host", "0.0.0.0"]
    # Useless without a callback URL: started only on request, like nothing else here.
    assert websub["profiles"] == ["websub"]
    assert [n for n, svc in services.items() if "profiles" in svc] == ["websub"]
    # Exposed to the compose network (a proxy there serves the public URL); the file
    # publishes no ports, so neither does this service.
    assert websub["expose"] == [str(Settings().websub_port)]
    assert not any("ports" in svc for svc in services.values())
    # The URL is in the environment every service shares: the poller reads it too.
    env = doc["x-newswire"]["environment"]
    assert env["NEWSWIRE_WEBSUB_CALLBACK_URL"] == "${NEWSWIRE_WEBSUB_CALLBACK_URL:-}"
    assert websub["environment"] == env
    # ...and every variable there is a setting newswire accepts (interpolations left empty)
    plain = {k: re.sub(r"\$\{[^}]*\}", "", str(v)) for k, v in env.items()}
    assert load_settings(environ=plain).websub_callback_url is None


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
@pytest.mark.parametrize(
    "unit",
    ["newswire-poller.service", "newswire-worker@fetch.service", "newswire-websub.service"],
)
def test_systemd_analyze_verify_finds_nothing(tmp_path: Path, unit: str) -> None:
    path = _units_with_real_binary(tmp_path) / unit
    result = subprocess.run(
        ["systemd-analyze", "verify", str(path)], capture_output=True, text=True, check=False
    )
    # verify exits 0 on unknown keys and bad values too; its warnings are the verdict
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
@pytest.mark.parametrize(
    "unit",
    ["newswire-poller.service", "newswire-worker@fetch.service", "newswire-websub.service"],
)
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
    assert checked >= 16
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
    assert set(deployments) == {"newswire-poller", "newswire-websub"} | {
        f"newswire-worker-{s}" for s in STAGES
    }
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


def test_k8s_websub_is_served_on_its_port_with_tcp_probes() -> None:
    from ingest.settings import Settings

    deployments = _by_kind("Deployment")
    pod = _pod(deployments["newswire-websub"])
    [container] = pod["containers"]
    assert container["args"] == ["websub", "--host", "0.0.0.0"]
    [port] = container["ports"]
    assert port["containerPort"] == Settings().websub_port
    # No path answers without a subscription, so the probes only check the port is open.
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["tcpSocket"]["port"] in {port["name"], port["containerPort"]}
        assert "httpGet" not in container[probe]
    # SIGTERM: the upkeep round ends within the fetch deadline; the same grace as the poller.
    grace = pod["terminationGracePeriodSeconds"]
    assert grace == _pod(deployments["newswire-poller"])["terminationGracePeriodSeconds"]
    assert grace > Settings().fetch_deadline_s + 5
    service = _by_kind("Service")["newswire-websub"]["spec"]
    assert (
        service["selector"]
        == deployments["newswire-websub"]["spec"]["template"]["metadata"]["labels"]
    )
    [sport] = service["ports"]
    assert sport["targetPort"] in {port["name"], port["containerPort"]}
    # The callback URL is in the ConfigMap every pod reads (the poller too); empty = off.
    assert "NEWSWIRE_WEBSUB_CALLBACK_URL" in _by_kind("ConfigMap")["newswire-config"]["data"]


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
