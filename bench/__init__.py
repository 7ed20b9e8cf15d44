"""Benchmarks. Each lives in its own package (`python -m bench.<name>`); results go to bench/RESULTS.md."""
