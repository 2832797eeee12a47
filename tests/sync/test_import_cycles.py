"""The engine's modules import each other in one direction only: no cycle inside `sync/`.

A cycle (engine → workflows → polling → service → engine, once) makes the import order
matter and hides who depends on whom. The layers contract in pyproject.toml names the
order; this test catches a cycle through any module, also one the contract does not list.
"""

from __future__ import annotations

import grimp


def _cycle_in(graph: grimp.ImportGraph, modules: set[str]) -> list[str] | None:
    """One import cycle among `modules` (as a path that returns to its start), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state:
                found = visit(imported)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(modules):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_sync_has_no_import_cycle() -> None:
    graph = grimp.build_graph("billysync")
    modules = {"billysync.sync", *graph.find_descendants("billysync.sync")}
    cycle = _cycle_in(graph, modules)
    assert cycle is None, "import cycle in sync/: " + " → ".join(cycle or [])


def test_the_check_finds_a_cycle() -> None:
    """The search itself can fail: a graph with a cycle is reported."""
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycle_in(graph, {"pkg.a", "pkg.b", "pkg.c"}) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
