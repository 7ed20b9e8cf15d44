"""deploy/Containerfile, read statically (no container engine on CI): multi-stage, non-root, static
files collected at build time, and every path it copies exists in the build context."""
import re

from .conftest import DEPLOY, ROOT

TEXT = (DEPLOY / "Containerfile").read_text()
INSTRUCTIONS = [line.strip() for line in re.sub(r"\\\n", " ", TEXT).splitlines()
                if line.strip() and not line.lstrip().startswith("#")]


def stages() -> list[str]:
    return [m.group(1) for line in INSTRUCTIONS if (m := re.match(r"FROM \S+ AS (\w+)", line))]


def test_multi_stage_with_a_runtime_stage_last():
    assert stages() == ["build", "runtime"]


def test_runs_as_an_unprivileged_user():
    users = [line.split()[1] for line in INSTRUCTIONS if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"0", "root"}


def test_static_files_are_collected_with_production_settings():
    build = TEXT.split(" AS runtime")[0]
    assert "collectstatic" in build and "storefront.settings_production" in build
    assert "COPY --from=build --chown=root:root /src/static ./static" in TEXT


def test_copied_sources_exist_in_the_build_context():
    for line in INSTRUCTIONS:
        if line.startswith("COPY ") and "--from=" not in line:
            sources = [part for part in line.split()[1:-1] if not part.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists(), source


def test_every_python_package_of_the_project_is_in_the_image():
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    for pattern in include:
        package = pattern.rstrip("*")
        assert f"COPY {package} ./{package}" in TEXT, package


def test_build_context_ignores_local_state():
    ignored = (DEPLOY / "Containerfile.dockerignore").read_text().split()
    assert {".git", ".venv", "var"} <= set(ignored)
