"""deploy/compose.yaml against the Compose Specification's JSON schema kept in deploy/schema/,
plus what the schema cannot know: references between services, volumes and files."""
import json
import re

import jsonschema
import pytest
import yaml

from .conftest import DEPLOY

SCHEMA = json.loads((DEPLOY / "schema" / "compose-spec.json").read_text())
COMPOSE_TEXT = (DEPLOY / "compose.yaml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
VALIDATOR = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


def test_schema_is_the_compose_specification():
    jsonschema.Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["title"] == "Compose Specification"


def test_compose_file_matches_the_specification():
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in VALIDATOR.iter_errors(COMPOSE)]
    assert errors == []


@pytest.mark.parametrize("mutation", ["unknown service key", "bad depends_on condition", "ports as a string"])
def test_schema_rejects_mistakes(mutation):
    broken = yaml.safe_load(COMPOSE_TEXT)
    web = broken["services"]["web"]
    if mutation == "unknown service key":
        web["restrat"] = "always"
    elif mutation == "bad depends_on condition":
        web["depends_on"]["migrate"]["condition"] = "service_finished"
    else:
        broken["services"]["nginx"]["ports"] = "80:80"
    assert list(VALIDATOR.iter_errors(broken))


def test_the_roles_of_a_single_host():
    services = COMPOSE["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "nginx", "migrate", "sandbox"} <= set(services)
    assert services["sandbox"]["profiles"] == ["sandbox"]
    assert "scale" not in services["beat"] and "deploy" not in services["beat"]
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "storefront.settings_production"
        assert services[name]["build"]["dockerfile"] == "deploy/Containerfile"


def test_references_resolve():
    services = COMPOSE["services"]
    volumes = set(COMPOSE["volumes"])
    for name, service in services.items():
        for dep in service.get("depends_on", {}):
            assert dep in services, (name, dep)
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), (name, source)
            else:
                assert source in volumes, (name, source)
        for env_file in service.get("env_file", []):
            assert env_file == ".env"  # the operator's copy of env.example


def test_env_example_defines_every_variable_the_compose_file_needs():
    example = {line.split("=", 1)[0] for line in (DEPLOY / "env.example").read_text().splitlines()
               if line and not line.startswith("#")}
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE_TEXT))
    assert required and required <= example


def test_nginx_gets_every_template_variable():
    env = COMPOSE["services"]["nginx"]["environment"]
    for template in (DEPLOY / "nginx" / "templates").glob("*.template"):
        for var in re.findall(r"\$\{(HTX_\w+)\}", template.read_text()):
            assert var in env, (template.name, var)
