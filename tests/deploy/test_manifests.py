"""Static checks of the Kubernetes manifests: what `kubectl apply -k deploy/` would send, validated
against the bundled Kubernetes schemas (kubernetes-validate works offline), plus the references
between objects that a schema cannot see."""
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from .conftest import DEPLOY

K8S_VERSION = "1.33"


def kustomization() -> dict:
    return yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())


def rendered() -> list[dict]:
    """The kustomization's resources and generated ConfigMaps, namespaced and with images mapped."""
    kust = kustomization()
    docs = []
    for resource in kust["resources"]:
        docs += [d for d in yaml.safe_load_all((DEPLOY / resource).read_text()) if d]
    for gen in kust.get("configMapGenerator", []):
        data = {Path(f).name: (DEPLOY / f).read_text() for f in gen["files"]}
        docs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": gen["name"]}, "data": data})
    for doc in docs:
        if doc["kind"] != "Namespace":
            doc["metadata"].setdefault("namespace", kust["namespace"])
    return docs


DOCS = rendered()


def by_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in DOCS if d["kind"] == kind}


def pod_specs() -> dict[str, dict]:
    specs = {name: d["spec"]["template"]["spec"] for name, d in by_kind("Deployment").items()}
    specs.update({name: d["spec"]["template"]["spec"] for name, d in by_kind("Job").items()})
    return specs


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_object_is_valid_kubernetes(doc):
    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_secret_example_is_valid_and_covers_what_pods_reference():
    secret = yaml.safe_load((DEPLOY / "k8s" / "secret.example.yaml").read_text())
    kubernetes_validate.validate(secret, K8S_VERSION, strict=True)
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        assert name in secret["stringData"]


def test_validation_catches_a_broken_manifest():
    broken = yaml.safe_load((DEPLOY / "k8s" / "beat.yaml").read_text())
    broken["spec"]["replicas"] = "one"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_references_resolve():
    configmaps, services = by_kind("ConfigMap"), by_kind("Service")
    secrets = {"htx-secrets"}  # created by the operator, keys in k8s/secret.example.yaml
    for name, spec in pod_specs().items():
        assert spec["serviceAccountName"] in by_kind("ServiceAccount"), name
        for container in spec.get("initContainers", []) + spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in configmaps, (name, source)
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, (name, source)
            volumes = {v["name"] for v in spec.get("volumes", [])}
            for mount in container.get("volumeMounts", []):
                assert mount["name"] in volumes, (name, container["name"], mount["name"])
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configmaps, (name, volume)
    for name, svc in services.items():
        targets = [d for d in by_kind("Deployment").values()
                   if svc["spec"]["selector"].items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert targets, f"service {name} selects no deployment"
        ports = {p.get("name") for d in targets for c in d["spec"]["template"]["spec"]["containers"]
                 for p in c.get("ports", [])}
        for port in svc["spec"]["ports"]:
            assert port["targetPort"] in ports, (name, port)
    for ingress in by_kind("Ingress").values():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                service = path["backend"]["service"]
                assert service["name"] in services
                assert service["port"]["name"] in {p["name"] for p in services[service["name"]]["spec"]["ports"]}
    for hpa in by_kind("HorizontalPodAutoscaler").values():
        assert hpa["spec"]["scaleTargetRef"]["name"] in by_kind("Deployment")


def test_images_are_mapped_by_the_kustomization():
    mapped = {i["name"] for i in kustomization()["images"]}
    for name, spec in pod_specs().items():
        for container in spec.get("initContainers", []) + spec["containers"]:
            image = container["image"]
            assert image in mapped or ":" in image, (name, image)


def test_scaling_shape():
    deployments = by_kind("Deployment")
    beat = deployments["htx-beat"]["spec"]
    assert beat["replicas"] == 1 and beat["strategy"]["type"] == "Recreate"
    assert "htx-beat" not in {h["spec"]["scaleTargetRef"]["name"] for h in by_kind("HorizontalPodAutoscaler").values()}
    assert {"htx-web", "htx-worker"} <= {h["spec"]["scaleTargetRef"]["name"]
                                         for h in by_kind("HorizontalPodAutoscaler").values()}
    assert by_kind("Job")["htx-migrate"]["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_web_and_worker_have_probes_and_run_locked_down():
    for name in ("htx-web", "htx-worker"):
        spec = pod_specs()[name]
        for container in spec["containers"]:
            assert "readinessProbe" in container and "livenessProbe" in container, (name, container["name"])
    web = {c["name"]: c for c in pod_specs()["htx-web"]["containers"]}["web"]
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz"
    allowed = by_kind("ConfigMap")["htx-config"]["data"]["ALLOWED_HOSTS"].split(",")
    host = {h["name"]: h["value"] for h in web["readinessProbe"]["httpGet"]["httpHeaders"]}["Host"]
    assert host in allowed, "the probe's Host must be one Django accepts"
    for name, spec in pod_specs().items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        for container in spec.get("initContainers", []) + spec["containers"]:
            ctx = container["securityContext"]
            assert ctx["allowPrivilegeEscalation"] is False and ctx["capabilities"]["drop"] == ["ALL"]
            assert "memory" in container["resources"]["limits"], (name, container["name"])


def test_config_names_production_settings():
    data = by_kind("ConfigMap")["htx-config"]["data"]
    assert data["DJANGO_SETTINGS_MODULE"] == "storefront.settings_production"
    assert data["AWS_STORAGE_BUCKET_NAME"], "several web pods need media on object storage"
