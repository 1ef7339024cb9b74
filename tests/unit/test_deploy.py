"""The deployment files: Kubernetes manifests valid against the API schemas, and complete for every service."""

from __future__ import annotations

import base64
import importlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from services.profile.repository import ACCOUNTS
from shared.settings import ServiceSettings
from shared.store.sqlite import SqliteStore
from shared.telemetry import sampler_from_env

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__main__.py").exists())
# An optional override of MONGODB_URL, per service: not a setting a deployment must carry.
OPTIONAL_URLS = {"store_url"}


def settings_class(service: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"services.{service}.settings")
    (found,) = {
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, ServiceSettings) and value.service_name == service
    }
    return found


def url_variables(service: str) -> set[str]:
    """Return the environment variables of every URL setting the service reads."""
    settings = settings_class(service)
    prefix = settings.model_config.get("env_prefix", "")
    names = set()
    for name, field in settings.model_fields.items():
        if name.endswith("_url") and name not in OPTIONAL_URLS:
            alias = field.validation_alias
            names.add(alias if isinstance(alias, str) else f"{prefix}{name}".upper())
    return names


def compose_file() -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    return compose


def k8s_environment(service: str, documents: list[dict[str, Any]]) -> dict[str, str]:
    """Return the variables a service's pod gets: the config map, the secrets' names and its own env."""
    environment: dict[str, str] = {}
    for document in documents:
        if document["kind"] == "ConfigMap" and document["metadata"]["name"] == "coach-config":
            environment.update(document["data"])
        if document["kind"] == "Deployment" and document["metadata"]["name"] == service:
            container = document["spec"]["template"]["spec"]["containers"][0]
            environment.update({e["name"]: e.get("value", "") for e in container.get("env", [])})
    secrets = (K8S / "base" / "secrets.env.example").read_text().splitlines()
    for line in secrets:
        if "=" in line and not line.startswith("#"):
            name, value = line.split("=", 1)
            environment.setdefault(name, value)
    return environment


def manifests() -> list[dict[str, Any]]:
    documents = []
    for path in sorted(K8S.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        documents += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return documents


def test_every_manifest_is_valid_against_the_kubernetes_schema() -> None:
    for document in manifests():
        kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)


def test_every_service_has_a_deployment_with_probes_limits_autoscaling_and_a_budget() -> None:
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for document in manifests():
        by_kind.setdefault(document["kind"], {})[document["metadata"]["name"]] = document
    for service in SERVICES:
        container = by_kind["Deployment"][service]["spec"]["template"]["spec"]["containers"][0]
        assert {"livenessProbe", "readinessProbe", "startupProbe", "resources"} <= set(container), service
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["command"] == ["python", "-m", f"services.{service}"]
        assert service in by_kind["HorizontalPodAutoscaler"] and service in by_kind["PodDisruptionBudget"]
        assert service in by_kind["Service"]
    kustomization = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert {f"services/{s}.yaml" for s in SERVICES} <= listed
    assert kustomization["secretGenerator"][0]["envs"] == ["secrets.env"]  # secrets from the environment
    job = by_kind["Job"]["create-topics"]["spec"]["template"]["spec"]["containers"][0]["command"]
    assert job[job.index("--replication-factor") + 1] == "3"


def test_network_policies_deny_by_default_and_only_the_gateway_is_public() -> None:
    policies = {d["metadata"]["name"]: d for d in manifests() if d["kind"] == "NetworkPolicy"}
    assert policies["default-deny-ingress"]["spec"]["podSelector"] == {}
    for service in SERVICES:
        if service != "gateway":
            sources = policies[f"{service}-from-callers"]["spec"]["ingress"][0]["from"]
            assert {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "gateway"}}} in sources


def test_the_compose_file_runs_every_service_on_kafka_and_a_mongodb_replica_set() -> None:
    compose = compose_file()
    for service in SERVICES:
        assert compose[service]["command"] == ["python", "-m", f"services.{service}"]
        assert "healthcheck" in compose[service]
    brokers = [n for n in compose if n.startswith("kafka-")]
    assert len(brokers) == 3 and all("KAFKA_NODE_ID" in compose[b]["environment"] for b in brokers)
    assert all("--replSet" in compose[n]["command"] for n in compose if n.startswith("mongo-") and n[-1].isdigit())
    assert {"jaeger", "mailpit", "topics", "mongo-init"} <= set(compose)
    assert "replicaSet=rs0" in compose["gateway"]["environment"]["MONGODB_URL"]


def test_the_kafka_cluster_id_is_a_kraft_uuid() -> None:
    brokers = [b for name, b in compose_file().items() if name.startswith("kafka-")]
    for broker in brokers:
        cluster_id = str(broker["environment"]["CLUSTER_ID"])
        assert len(cluster_id) == 22, cluster_id
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16, cluster_id
    assert len({b["environment"]["CLUSTER_ID"] for b in brokers}) == 1  # one cluster


def test_every_url_a_service_reads_is_set_in_compose_and_kubernetes_and_points_at_that_service() -> None:
    read = {service: url_variables(service) for service in SERVICES}
    assert "PROFILE_NOTIFICATIONS_URL" in read["profile"] and "MONGODB_URL" in read["profile"]
    everything_read = set().union(*read.values())
    compose, documents = compose_file(), manifests()
    ports = {service: settings_class(service).default_port for service in SERVICES}
    for service in SERVICES:
        k8s = k8s_environment(service, documents)
        for where, environment in (("compose", compose[service]["environment"]), ("k8s", k8s)):
            missing = read[service] - set(environment)
            assert not missing, f"{where}: {service} reads {sorted(missing)} but they are not set"
            # No stale URL variable that no service reads (it would mislead whoever configures it).
            stale = {n for n in environment if n.endswith("_URL")} - everything_read
            assert not stale, f"{where}: {sorted(stale)} are read by no service"
            for name in read[service]:
                target = name.removeprefix(service.upper() + "_").removesuffix("_URL").lower()
                if target in ports:
                    url = urlsplit(str(environment[name]))
                    assert (url.hostname, url.port) == (target, ports[target]), f"{where}: {name}={environment[name]}"


def test_each_service_admits_exactly_the_services_that_call_it() -> None:
    callers: dict[str, set[str]] = {service: set() for service in SERVICES}
    for service in SERVICES:
        for name in url_variables(service):
            target = name.removeprefix(service.upper() + "_").removesuffix("_URL").lower()
            if target in callers:
                callers[target].add(service)
    policies = {d["metadata"]["name"]: d for d in manifests() if d["kind"] == "NetworkPolicy"}
    for service in SERVICES:
        if service == "gateway":
            continue
        sources = policies[f"{service}-from-callers"]["spec"]["ingress"][0]["from"]
        admitted = {s["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for s in sources if "podSelector" in s}
        assert admitted == callers[service], service


def test_docker_compose_accepts_the_file_where_the_plugin_exists() -> None:
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker compose plugin is not installed here; the structural checks above still ran")
    result = subprocess.run(
        [
            docker,
            "compose",
            "-f",
            str(ROOT / "deploy" / "compose.yaml"),
            "--env-file",
            str(ROOT / "deploy" / ".env.example"),
            "config",
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_local_procfile_starts_every_service() -> None:
    procfile = (ROOT / "deploy" / "local" / "Procfile").read_text()
    for service in SERVICES:
        assert f"python -m services.{service}" in procfile


def runbook_program(containing: str) -> str:
    """Return the Python program of the runbook's ``uv run python -c '…'`` command that contains the text."""
    runbook = (ROOT / "docs" / "RUNBOOK.md").read_text()
    programs = re.findall(r"uv run python -c '\n(.*?)\n *'", runbook, re.DOTALL)
    (program,) = [p for p in programs if containing in p]
    return textwrap.dedent(program)


async def test_the_runbook_finds_a_user_id_from_an_email_in_the_profile_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "stores" / "profile.sqlite3")  # where the profile service keeps it
    await store.collection(ACCOUNTS).insert_many(
        [
            {"_id": "u_00000000000000a1", "email": "anne.martin@example.org", "first_name": "Anne"},
            {"_id": "u_00000000000000b2", "email": "bruno@example.org", "first_name": "Bruno"},
        ]
    )
    await store.close()
    program = runbook_program("normalize_email")
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "ENVIRONMENT": "development",
        "VAR_DIR": str(tmp_path),
    }

    def ask(email: str) -> str:
        answer = subprocess.run(
            [sys.executable, "-c", program],
            input=email + "\n",
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert answer.returncode == 0, answer.stderr
        return answer.stdout

    found = ask("  Anne.Martin@Example.ORG ")  # as the person wrote it
    assert "u_00000000000000a1" in found and "u_00000000000000b2" not in found
    assert "anne" not in found.lower()  # only the id is printed
    assert "no account with this email" in ask("nobody@example.org")


def test_production_samples_traces_with_a_sampler_the_services_accept() -> None:
    overlay = yaml.safe_load((K8S / "overlays" / "production" / "kustomization.yaml").read_text())
    (patch,) = [p for p in overlay["patches"] if p["target"] == {"kind": "ConfigMap", "name": "coach-config"}]
    variables = {op["path"].removeprefix("/data/"): op["value"] for op in yaml.safe_load(patch["patch"])}
    assert variables["OTEL_TRACES_SAMPLER"] == "parentbased_traceidratio"
    assert 0 < float(variables["OTEL_TRACES_SAMPLER_ARG"]) < 1
    assert "TraceIdRatioBased" in sampler_from_env(variables).get_description()
    # The local system keeps every trace: `make traces` shows the request just made.
    assert (
        'env.setdefault("OTEL_TRACES_SAMPLER", "parentbased_always_on")'
        in (ROOT / "deploy" / "local" / "run.py").read_text()
    )
