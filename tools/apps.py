from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Tools around the product, not part of it: the demo data of `make run` (seed_demo), the load
    test of `make bench` (bench_data, bench) and the fault test of `make fault` (fault).

    Tools may import every app; no app imports tools (tests/test_architecture.py checks it)."""

    name = "tools"
    verbose_name = "Tools"
