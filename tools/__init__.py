"""Demo data, the load test and the fault test: see tools/apps.py."""
