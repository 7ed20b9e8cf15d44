"""Demo data for `manage.py seed_demo` and for tests that want a realistic shop."""
from .seed import DEMO_PASSWORD, SeedResult, seed_demo

__all__ = ["DEMO_PASSWORD", "SeedResult", "seed_demo"]
