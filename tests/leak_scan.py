"""An independent scan for the reference's code: every function body of solutions/ (as a syntax tree)
against every function in a folder's files, notebook code cells and archive members."""

import ast
import io
import json
import tarfile
import zipfile
from pathlib import Path

from grader.catalog import FUNCTIONS

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def body_dump(node) -> str:
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    return ast.dump(ast.Module(body=body, type_ignores=[]))


def solution_bodies() -> set[str]:
    return {body_dump(node) for path in SOLUTIONS.glob("*.py") for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS}


def python_texts(name: str, data: bytes):
    """Every piece of Python in a file: the file, a notebook's code cells, an archive's members."""
    if name.endswith(".py"):
        yield data.decode()
    elif name.endswith(".ipynb"):
        for cell in json.loads(data)["cells"]:
            if cell["cell_type"] == "code":
                yield "".join(cell["source"])
    elif name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from python_texts(member, archive.read(member))
    elif name.endswith((".tar.gz", ".tar")):
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in (m for m in archive.getmembers() if m.isfile()):
                yield from python_texts(member.name, archive.extractfile(member).read())


def reference_bodies_in(folder: Path) -> list[str]:
    bodies, found = solution_bodies(), []
    for path in (p for p in folder.rglob("*") if p.is_file()):
        for text in python_texts(path.name, path.read_bytes()):
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef) and body_dump(node) in bodies:
                    found.append(f"{path}: {node.name}")
    return found
