"""No import circles among the add-on's modules: each module can be read, and changed,
knowing only what it imports. Every import counts, at module level, inside a function
or under `if TYPE_CHECKING:` alike, since each one ties the two modules together."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "addon"


def module_names(root: Path = ROOT) -> dict[str, Path]:
    names = {}
    for path in (root / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The module a `from X import ...` names, made absolute."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The add-on's modules that `module` imports: for `from X import y`, X.y when it is
    a module, else X."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, path.name == "__init__.py", node)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {name for name in found if name in known and name != module}


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    names = module_names(root)
    return {module: imports(module, path, set(names)) for module, path in names.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle through each group of modules that import each other (Tarjan's
    strongly connected components, each written as a path back to its start)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(_circle(graph, set(group)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _circle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A path from the group's first module back to it, within the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    raise AssertionError(f"{sorted(group)} is not a circle")


def test_the_add_on_has_no_import_circles() -> None:
    graph = import_graph()
    assert {"addon.gui.controller", "addon.api.anki_connect.protocol"} <= set(graph)
    assert cycles(graph) == [], "import circles: " + "; ".join(
        " → ".join(circle) for circle in cycles(graph)
    )


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """What the circle check must see, on a package made for it."""
    package = tmp_path / PACKAGE
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from .sub import b\n",
        "sub/__init__.py": "from . import b\n",
        "sub/b.py": "def late():\n    from ..c import name\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import addon.a\n",
        "d.py": "from . import c\nfrom addon.sub.b import late\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path)
    assert graph == {
        "addon": set(),
        "addon.a": {"addon.sub.b"},
        "addon.sub": {"addon.sub.b"},
        "addon.sub.b": {"addon.c"},
        "addon.c": {"addon.a"},
        "addon.d": {"addon.c", "addon.sub.b"},
    }
    assert cycles(graph) == [["addon.a", "addon.sub.b", "addon.c", "addon.a"]]
