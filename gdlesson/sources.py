"""Which of the project's files shape an output: the modules it is made by and every project
module they import, found by reading their import statements (nothing is run).

An output's input hash covers these files' contents, so an edit to any of them rebuilds
what depends on it and nothing else: an edit to ``gdlesson/page.py`` rebuilds the pages,
one to ``gdlesson/gif.py`` the GIFs, one to ``scenes/panels.py`` the clips that draw panels.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("gd_engine", "scenes", "gdlesson", "lessons")  # the project's own code

#: files a module reads as data, beside its imports
DATA = {
    "scenes/lesson_code.py": ("scenes/lesson_code.py.tmpl",),
    "gdlesson/explorer.py": ("gdlesson/static/explorer.js", "gdlesson/static/explorer.css"),
}


def lesson_roots() -> tuple[Path, ...]:
    """Folders of lessons from outside the project ($GDLESSON_LESSONS): their packages are
    followed too."""
    paths = os.environ.get("GDLESSON_LESSONS", "").split(os.pathsep)
    return tuple(Path(p).resolve() for p in paths if p)


def module_file(name: str, root: Path) -> Path | None:
    """The project file of module ``name`` (a.b -> a/b.py or a/b/__init__.py), if it is one
    of the project's own or of a lesson package from another folder."""
    top = name.split(".")[0]
    if top in PACKAGES:
        base = root.joinpath(*name.split("."))
    else:
        outside = [r for r in lesson_roots() if (r / top / "__init__.py").is_file()]
        if not outside:
            return None
        base = outside[0].joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def defines_lesson(init: Path) -> bool:
    """A lesson package's __init__.py (its LESSON): the build's recipe, hashed into every
    output of its lesson by the build itself, not part of the code its modules run."""
    return init.parent.parent.name == "lessons" or init.parent.parent in lesson_roots()


def package_of(path: Path, root: Path) -> str:
    """The dotted module name of ``path`` (under the project or a lesson folder)."""
    for base in (root, *lesson_roots()):
        if path.is_relative_to(base):
            return ".".join(path.relative_to(base).with_suffix("").parts)
    return path.stem


def imported_names(path: Path, root: Path) -> set[str]:
    """The modules ``path`` imports anywhere in it (at the top or inside a function), with
    ``from a import b`` counted as both ``a`` and ``a.b`` (b may be a module)."""
    stat = path.stat()
    return _imported_names(path, root, stat.st_mtime_ns, stat.st_size)


def _top_level(tree: ast.AST):
    """The statements of a module outside its functions (in its ifs and trys too)."""
    todo = list(ast.iter_child_nodes(tree))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


@functools.lru_cache(maxsize=4096)
def _imported_names(path: Path, root: Path, _mtime: int, _size: int) -> frozenset[str]:
    """imported_names, read again only when the file changed."""
    package = package_of(path, root)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # the build's modules import inside their functions to call on the others when they
    # run: that shapes nothing they make, so only their top-level imports count
    nodes = _top_level(tree) if path.parent == root / "gdlesson" else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package
                parts = package.split(".")[: -node.level]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(names)


def closure(entries: tuple[str, ...], root: Path = ROOT) -> tuple[str, ...]:
    """The project files (relative paths, sorted) that modules ``entries`` are made of: the
    modules, the packages above them, every project module they import, and the data files
    those read."""
    seen: set[Path] = set()
    todo = [f for name in entries if (f := module_file(name, root)) is not None]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        init = path.parent / "__init__.py"
        if init != path and init.is_file() and not defines_lesson(init):
            todo.append(init)
        for name in imported_names(path, root):
            found = module_file(name, root)
            if found is not None and found not in seen:
                todo.append(found)
    files = {str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in seen}
    files.update(d for f in list(files) for d in DATA.get(f, ()))
    return tuple(sorted(files))


@functools.cache
def code_digest(entries: tuple[str, ...], root: Path = ROOT) -> str:
    """One hash of the contents of the files ``closure(entries)`` lists, with their names."""
    h = hashlib.sha256()
    for name in closure(entries, root):
        h.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return h.hexdigest()
