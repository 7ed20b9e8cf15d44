"""The boundaries of docs/architecture.md ("Boundaries worth a checked contract"), checked by
import-linter on every run."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_cited_document_exists():
    assert "## Boundaries worth a checked contract" in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 8 kept, 0 broken" in result.stdout
