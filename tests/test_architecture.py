"""Imports between the apps go one way. Read from the source with `ast`, so an import inside a
function, under TYPE_CHECKING or in a migration counts as well.

    knooppunten   the kompas content: imports no app
    projects      may import knooppunten
    navigator     may import knooppunten and projects
    apk           may import knooppunten and projects
    plannen       the Wijkuitvoeringsplan: may import knooppunten and projects
    accounts      may import knooppunten and projects. Not apk: an APK phone is an anonymous
                  participant, not an account, so accounts has nothing to ask of apk.
    tools         demo data, load test and fault test: may import every app; no app imports it
    wijkkompas    the settings package (settings, URLs, middleware, shared helpers): imports no
                  app, and every app may use it

No module imports another app's views: a helper two apps need lives in the app that owns the
data. And the graph of the imports that exist has no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SETTINGS_PACKAGE = "wijkkompas"

# app -> the apps it may import (besides itself and the settings package).
ALLOWED = {
    "knooppunten": set(),
    "projects": {"knooppunten"},
    "navigator": {"knooppunten", "projects"},
    "apk": {"knooppunten", "projects"},
    "plannen": {"knooppunten", "projects"},
    "accounts": {"knooppunten", "projects"},
    "tools": {"accounts", "knooppunten", "navigator", "projects", "apk", "plannen"},
    SETTINGS_PACKAGE: set(),
}


def our_apps() -> list[str]:
    """The apps of this repository in INSTALLED_APPS (third-party apps live elsewhere)."""
    return [app for app in settings.INSTALLED_APPS if "." not in app and (BASE_DIR / app).is_dir()]


def imported_modules(source: Path) -> list[tuple[int, str]]:
    """(line, dotted module name) for every absolute import in the file. `from a import b`
    gives a.b, since b may be a module (`from projects import views`)."""
    found = []
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def imports_between_apps() -> list[tuple[str, str, str, int]]:
    """(importing app, imported dotted name, file, line) for every import of another app."""
    apps = set(our_apps())
    found = []
    for app in sorted(apps):
        for source in sorted((BASE_DIR / app).rglob("*.py")):
            for line, module in imported_modules(source):
                target = module.split(".")[0]
                if target in apps and target != app:
                    found.append((app, module, str(source.relative_to(BASE_DIR)), line))
    return found


def test_every_app_has_a_rule():
    assert set(our_apps()) == set(ALLOWED), "give a new app its place in ALLOWED (and in this docstring)"


def test_apps_import_only_in_the_allowed_direction():
    back_imports = [
        f"{where}:{line}: {app} imports {module}"
        for app, module, where, line in imports_between_apps()
        if module.split(".")[0] not in ALLOWED[app] | {SETTINGS_PACKAGE} or app == SETTINGS_PACKAGE
    ]
    assert not back_imports, "back imports:\n" + "\n".join(back_imports)


def test_no_module_imports_the_views_of_another_app():
    view_imports = [
        f"{where}:{line}: {app} imports {module}"
        for app, module, where, line in imports_between_apps()
        if module.split(".")[1:2] == ["views"]
    ]
    assert not view_imports, "imports of another app's views:\n" + "\n".join(view_imports)


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {app: set() for app in our_apps()}
    for app, module, _where, _line in imports_between_apps():
        graph[app].add(module.split(".")[0])
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle as [a, b, ..., a], or [] when the graph has none (depth-first search)."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str]:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return []
        path.append(node)
        for successor in sorted(graph.get(node, ())):
            if cycle := visit(successor):
                return cycle
        path.pop()
        done.add(node)
        return []

    for node in sorted(graph):
        if cycle := visit(node):
            return cycle
    return []


def test_the_app_import_graph_has_no_cycle():
    assert find_cycle(app_graph()) == []


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": {"d"}}, ["d", "d"]),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, cycle):
    assert find_cycle(graph) == cycle


def test_the_import_reader_sees_every_form_of_import(tmp_path):
    source = tmp_path / "example.py"
    source.write_text(
        "import projects.models\n"
        "from navigator import views\n"
        "from . import forms\n"
        "def later():\n"
        "    from apk.services import vote\n"
    )
    assert imported_modules(source) == [(1, "projects.models"), (2, "navigator.views"), (5, "apk.services.vote")]
