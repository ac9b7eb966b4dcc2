"""Import cycles among our modules: no module may import a module that imports it back.

Reads every ``import`` and ``from ... import`` statement of ``cleaner/`` and
``scrapy_plugin/`` with ``ast`` (function-level and ``TYPE_CHECKING`` imports
included: a lazy import is still a dependency), resolves each to one of our
modules (``from . import x`` to the module ``x`` when it is one, else to the
package), and prints every strongly connected component of more than one module,
or a module importing itself. Exit status 1 when there is any.

    python .ci/import_cycles.py [ROOT]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("cleaner", "scrapy_plugin")


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file, for every module of our packages (``pkg/__init__.py`` is ``pkg``)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that ``name`` imports, anywhere in its source."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def ours(target: str) -> str | None:
        while target and target not in modules:  # cleaner.x.y where y is a name -> cleaner.x
            target = target.rpartition(".")[0]
        return target or None

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # "from pkg import mod" imports the module pkg.mod; "from pkg import name" imports pkg
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            resolved = ours(target)
            if resolved is not None:
                found.add(resolved)
    found.discard(name)  # a package's own submodule import of itself is no cycle
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    modules = module_names(root)
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    edges = sum(len(targets) for targets in graph.values())
    found = cycles(graph)
    for component in found:
        members = set(component)
        print("cycle: " + ", ".join(component))
        for member in component:
            back = sorted(graph[member] & members)
            print(f"    {member} -> {', '.join(back)}")
    print(f"{len(modules)} modules, {edges} imports between them, {len(found)} cycle(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
