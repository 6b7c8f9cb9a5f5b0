"""The layout of the grader package: modules depend one way (no import loops, also through imports inside
functions), and only the command layer speaks click or exits the process."""

import ast
from pathlib import Path

import pytest

GRADER = Path(__file__).resolve().parent.parent / "grader"
COMMAND_LAYER = ("grader.cli", "grader.commands")


def module_names(package: Path) -> dict[str, Path]:
    names = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imports(name: str, path: Path, known) -> set[str]:
    """The package's modules that `name` imports anywhere in its source (top level or inside a function)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {t for t in (target, *(f"{target}.{a.name}" for a in node.names)) if t in known}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
    return found - {name}


def import_loops(package: Path) -> list[list[str]]:
    """The groups of modules that import each other (strongly connected), a package's own __init__ importing
    its submodules aside."""
    names = module_names(package)
    graph = {n: {m for m in imports(n, p, names) if not m.startswith(n + ".") and not n.startswith(m + ".")}
             for n, p in names.items()}
    order, low, stack, loops = {}, {}, [], []

    def visit(v):
        order[v] = low[v] = len(order)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1:
                loops.append(sorted(group))

    for v in sorted(graph):
        if v not in order:
            visit(v)
    return loops


def test_no_module_of_the_grader_imports_one_that_imports_it_back():
    assert import_loops(GRADER) == []


def test_the_loop_finder_finds_a_loop_through_an_import_inside_a_function(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from . import a\n")
    (package / "a.py").write_text("from .b import f\n")
    (package / "b.py").write_text("def f():\n    from .c import g\n")
    (package / "c.py").write_text("import pkg.a\n")
    (package / "d.py").write_text("from .a import f\n")
    assert import_loops(package) == [["pkg.a", "pkg.b", "pkg.c"]]


@pytest.mark.parametrize("name", sorted(n for n in module_names(GRADER) if not n.startswith(COMMAND_LAYER)))
def test_library_modules_import_no_click_and_never_exit(name):
    tree = ast.parse(module_names(GRADER)[name].read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and not node.level}
    exits = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute)
             and node.attr == "exit" and isinstance(node.value, ast.Name) and node.value.id == "sys"]
    assert "click" not in imported and exits == [], (name, exits)
