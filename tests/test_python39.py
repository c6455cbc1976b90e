"""Nothing the add-on runs needs Python 3.10's `X | Y` between types at run time: Anki
23.10–25.02 run add-ons on Python 3.9. Annotations may use it (every module has
`from __future__ import annotations`, so they are never evaluated); a type alias,
an isinstance() or a cast() may not. `make lint`'s vermin does not see these."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_TYPES = {name for name in dir(builtins) if isinstance(getattr(builtins, name), type)}


def _is_type(node: ast.expr) -> bool:
    """Whether `node` reads as a type: None, a builtin type, a CapWords name, one of
    those subscripted (`list[int]`), or a union of them. Sets and flags (`a | b`,
    `Qt.Flag.A | Qt.Flag.B`) do not."""
    if isinstance(node, ast.Constant):
        return node.value is None
    if isinstance(node, ast.Subscript):
        return _is_type(node.value)
    if isinstance(node, ast.Name):
        return node.id in BUILTIN_TYPES or (node.id[:1].isupper() and not node.id.isupper())
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _is_type(node.left) and _is_type(node.right)
    return False


def runtime_unions(source: str) -> list[str]:
    tree = ast.parse(source)
    annotations: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.AnnAssign, ast.arg)) and node.annotation is not None:
            annotations.update(id(n) for n in ast.walk(node.annotation))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
            annotations.update(id(n) for n in ast.walk(node.returns))
    unions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.BitOr)
        and id(node) not in annotations
        and _is_type(node)
    ]
    return [f"{n.lineno}: {ast.unparse(n)}" for n in sorted(unions, key=lambda n: n.lineno)]


def test_the_check_tells_run_time_unions_from_annotations() -> None:
    source = (
        "def f(a: int | None) -> str | None:\n"
        "    b: list[int] | None = None\n"
        "    return isinstance(a, int | float)\n"
        "Alias = Config | None\n"
        "flags = Qt.Flag.A | Qt.Flag.B\n"
        "both = seen | {1}\n"
    )
    assert runtime_unions(source) == ["3: int | float", "4: Config | None"]


def test_the_add_on_makes_no_union_at_run_time() -> None:
    files = [ROOT / "__init__.py", *(ROOT / "addon").rglob("*.py"), *(ROOT / "tools").rglob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        if not {"vendor", "vendor_fallback"} & set(path.parts)
        for line in runtime_unions(path.read_text(encoding="utf-8"))
    ]
    assert found == []
