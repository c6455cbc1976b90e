"""docs/sync-contract.md names, for every rule, the tests that enforce it: each named
test must exist, so the contract cannot point at a test that was renamed or removed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "docs" / "sync-contract.md"
NAMED = re.compile(r"`(test_\w+)(?:::(test_\w+))?`")
RULE = re.compile(r"^\d+\. ", re.MULTILINE)


def _tests_in(module: str) -> set[str]:
    tree = ast.parse((ROOT / "tests" / f"{module}.py").read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_rule_names_tests_that_exist() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    rules = RULE.split(text)[1:]
    assert len(rules) >= 30
    for rule in rules:
        named = NAMED.findall(rule)
        assert named, f"a rule names no test: {rule[:80]}"
        for module, test in named:
            assert (ROOT / "tests" / f"{module}.py").exists(), module
            assert not test or test in _tests_in(module), f"{module}::{test}"
