"""Measuring instruments: `make bench` (pages and exports at scale, benchmarks/bench.py)
and `make loadtest` (gunicorn under locust, benchmarks/loadtest/). Figures go to docs/;
nothing here is imported by the app."""
