"""`python -m bench` (make bench): run every benchmark package that has a `main()`."""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    status = 0
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.ispkg):
        package = importlib.import_module(f"bench.{module}")
        runner = getattr(package, "main", None)
        if runner is None:
            continue
        print(f"== bench.{module}", flush=True)
        status |= int(runner() or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
