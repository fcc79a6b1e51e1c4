"""The suite's own shape (README "Struktur"): no test module imports another. Shared helpers
live in tests/helpers.py, tests/<app>/helpers.py, tests/<app>/dataset.py and the like, so a
test file can be moved, renamed or deleted without breaking an unrelated one."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def _imported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.parent.relative_to(TESTS.parent).parts
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            yield ".".join([*base, *(node.module or "").split(".")]).strip(".")
            for alias in node.names:  # "from . import test_x"
                yield ".".join([*base, *(node.module or "").split("."), alias.name]).strip(".")
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_test_module_imports_another():
    found = [
        f"{path.relative_to(TESTS.parent)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in _imported(path)
        if name.split(".")[-1].startswith("test_") and name.startswith("tests")
    ]
    assert found == []
