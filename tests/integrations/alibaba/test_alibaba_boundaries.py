"""The client and the sandbox are two independent readings of one protocol: neither imports the other,
and neither imports Django, the shop or the export sync."""

from __future__ import annotations

import ast
import subprocess
import sys

from alibaba_helpers import ROOT

PACKAGE = ROOT / "integrations" / "alibaba"
FORBIDDEN_EVERYWHERE = ("django", "storefront", "catalog_sync")
CLIENT_MODULES = ("client", "config", "errors", "payloads", "signing", "transport")


def _imports(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            names.add(base)
            separator = "" if base.endswith(".") else "."
            names.update(base + separator + alias.name for alias in node.names)
    return names


def test_sandbox_never_imports_the_client():
    for path in (PACKAGE / "sandbox").glob("*.py"):
        for name in _imports(path):
            assert not name.startswith(".."), f"{path.name} reaches outside the sandbox: {name}"
            assert not name.startswith("integrations.alibaba.") or name.startswith("integrations.alibaba.sandbox"), \
                f"{path.name} imports {name}"
            assert not name.split(".")[0] in FORBIDDEN_EVERYWHERE, f"{path.name} imports {name}"


def test_client_never_imports_the_sandbox():
    for stem in CLIENT_MODULES:
        for name in _imports(PACKAGE / f"{stem}.py"):
            assert "sandbox" not in name, f"{stem}.py imports {name}"
            assert name.split(".")[0] not in FORBIDDEN_EVERYWHERE, f"{stem}.py imports {name}"


def test_importing_the_sandbox_does_not_load_the_client():
    code = ("import sys, integrations.alibaba.sandbox.app; "
            "loaded = [m for m in sys.modules if m.startswith('integrations.alibaba.') and 'sandbox' not in m "
            "or m.split('.')[0] in ('django', 'storefront', 'catalog_sync')]; print(loaded)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
