"""The package's rooms import only downwards: every ``import`` of every module (at the top
or inside a function), read with ``ast``, runs along an arrow of ALLOWED, and no module
reaches itself again through its imports (no circle).

A room is a sub-package (``graph/``, ``check/`` ...) or a module at the package's top level
(``build.py``, ``api.py`` ...). docs/extending.md draws the same arrows."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mc2cm_graph"

# room -> the other rooms it may import; graph/ is the floor, cli/ and the package's
# front door (mc2cm_graph/__init__.py, api.py) the top.
ALLOWED: dict[str, set[str]] = {
    "graph": set(),
    "progress": set(),
    "check": {"graph"},
    "reason": {"graph"},
    "query": {"graph"},
    "export": {"graph", "query", "progress"},
    "publish": {"graph"},
    "build": {"graph", "check", "reason", "query", "export", "progress"},
    "api": {"graph", "query", "export", "build"},
    "serve": {"graph", "query"},
    "cli": {"graph", "check", "reason", "query", "export", "build", "publish", "serve",
            "progress"},
    "__main__": {"cli"},
    "__init__": {"graph", "api", "build"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> set[str]:
    """The package's modules that ``path`` imports, by name; ``from mc2cm_graph import
    __version__`` (the version's one definition, read by every room) is not an arrow."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "mc2cm_graph" and {a.name for a in node.names} == {"__version__"}:
                continue
            found.add(node.module)
            # `from package import module` imports the module
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] == "mc2cm_graph"}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    return {name: {m for m in imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def test_every_room_is_in_the_map():
    assert {room(m) for m in graph()} == set(ALLOWED)


def test_imports_run_only_along_the_allowed_arrows():
    wrong = sorted(f"{name} imports {target}"
                   for name, targets in graph().items() for target in targets
                   if room(target) != room(name) and room(target) not in ALLOWED[room(name)]
                   and not (room(name) == "__init__" and target == "mc2cm_graph"))
    assert wrong == []


def test_the_arrows_between_rooms_have_no_circle():
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(ALLOWED[node]):
            assert seen.get(nxt) != 1, " -> ".join([*path, node, nxt])
            if nxt not in seen:
                visit(nxt, [*path, node])
        seen[node] = 2

    for start in sorted(ALLOWED):
        if start not in seen:
            visit(start, [])


def test_no_module_imports_itself_back():
    """Tarjan's strongly connected components of the module graph: each must be one module.
    A package's ``__init__`` importing its own submodules is not a circle, unless one of
    them imports the package's ``__init__`` back."""
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    assert circles == []
