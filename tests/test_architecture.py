"""The shape of pencet/: imports run one way between the layers, no module imports itself in a circle, modules stay
small enough to read.

The import graph is built here from the source (every `import` and `from … import`, also those inside functions and
under TYPE_CHECKING, relative imports resolved), independently of import-linter, which checks the same layers in
`make lint` (pyproject.toml, [tool.importlinter]).

The layers, lowest first (CONTRACTS.md):

    pencet.lib -> pencet.regions -> pencet.catalog -> pencet.accounts -> pencet.whatsapp -> pencet.cases
      -> pencet.bot, pencet.delivery, pencet.surveys, pencet.reports, pencet.outreach (siblings)
      -> pencet.console, pencet.api, pencet.ops (siblings)
      -> the project's entry points: pencet.cli, pencet.wsgi, pencet.urls, pencet.settings
"""

import ast
import io
import tokenize
from pathlib import Path

PENCET = Path(__file__).resolve().parent.parent / "pencet"

# Written out by hand on purpose: this is the contract, not something read from the code it judges.
LAYERS: list[set[str]] = [
    {"lib", "sqlite"},
    {"regions"},
    {"catalog"},
    {"accounts"},
    {"whatsapp"},
    {"cases"},
    {"bot", "delivery", "surveys", "reports", "outreach"},
    {"console", "api", "ops"},
    {"cli", "wsgi", "urls", "settings"},
]
LAYER_OF = {name: level for level, names in enumerate(LAYERS) for name in names}

# pencet.lib is framework-free: it may use Django's utilities (translation, timezone) but no models, no app registry.
LIB_FORBIDDEN = ("django.db", "django.apps", "django.contrib")

MAX_CODE_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(PENCET.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PENCET.rglob("*.py"))}


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The pencet module an imported name lands in (the module itself, or the package that holds the name)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> list[tuple[str, int]]:
    """Every name `module` imports (absolute, dotted), with its line number."""
    is_package = path.name == "__init__.py"
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{node.module}" if node.module else package
            else:
                base = node.module or ""
            # `from pkg import name`: name is a submodule (an edge to it) or an attribute of pkg (an edge to pkg).
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*"]
            found.append((base, node.lineno))
    return found


def _graph() -> dict[str, dict[str, int]]:
    """module -> {imported pencet module: first line}, for every module under pencet/."""
    graph: dict[str, dict[str, int]] = {}
    for module, path in MODULES.items():
        edges: dict[str, int] = {}
        for name, line in _imports(module, path):
            target = _resolve(name) if name.startswith("pencet") else None
            # `from pkg import sub` also names pkg itself; only the most precise target counts.
            if target and target != module and target != "pencet":
                edges.setdefault(target, line)
        for target in list(edges):
            if any(other != target and other.startswith(target + ".") for other in edges):
                del edges[target]
        graph[module] = edges
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The circles among modules, each as a path a -> b -> … -> a: the groups of modules that reach each other
    (Tarjan's strongly connected components), and for every import inside a group the shortest circle it closes."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    circles: list[list[str]] = []
    for group in groups:
        for source in sorted(group):
            for target in sorted(set(graph[source]) & group):
                circle = [source, *_shortest_path(graph, group, target, source)[:-1]]
                turn = circle.index(min(circle))
                circle = [*circle[turn:], *circle[:turn], min(circle)]
                if circle not in circles:
                    circles.append(circle)
    return sorted(circles)


def _shortest_path(graph: dict[str, dict[str, int]], group: set[str], start: str, end: str) -> list[str]:
    """The shortest way from `start` to `end` inside their group (breadth first)."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        if node == end:
            return paths[node]
        for nxt in sorted(graph[node]):
            if nxt in group and nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"{end} is not reachable from {start}")  # impossible inside one group


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYER_OF.get(parts[1]) if len(parts) > 1 else None


def _code_lines(path: Path) -> int:
    """Lines holding code: not blank and not only a comment (docstrings count; they are read like code)."""
    lines: set[int] = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if token.type not in skip:
            lines.update(range(token.start[0], token.end[0] + 1))
    return len(lines)


# The checker checked on small hand-made graphs, so a green run means something.


def test_the_cycle_finder_reports_a_circle_and_only_a_circle():
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1, "d": 1}, "d": {}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
    two = {"a": {"b": 1}, "b": {"a": 1, "c": 1}, "c": {"b": 1}}
    assert _cycles(two) == [["a", "b", "a"], ["b", "c", "b"]]
    shortcut = {"a": {"b": 1, "c": 1}, "b": {"a": 1}, "c": {"a": 1}}
    assert _cycles(shortcut) == [["a", "b", "a"], ["a", "c", "a"]]
    assert _cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {}}) == []


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    # cases/services.py notifies the citizen from inside a function (today), and imports its models relatively.
    assert "pencet.cases.models" in GRAPH["pencet.cases.services"]
    assert "pencet.regions.models" in GRAPH["pencet.regions.services"]
    assert _resolve("pencet.cases.models.Application") == "pencet.cases.models"
    assert _layer("pencet.lib.nik") == 0 and _layer("pencet.console.views") == 7 and _layer("pencet.urls") == 8


def test_code_lines_leave_out_blank_lines_and_comments(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        '"""Doc."""\n\n# why\nx = 1  # note\n\n\ndef f():\n    # inside\n    return (\n        2\n    )\n'
    )  # noqa: E501
    assert _code_lines(source) == 6


# The rules themselves.


def test_no_module_under_pencet_imports_itself_in_a_circle():
    circles = [" -> ".join(circle) for circle in _cycles(GRAPH)]
    assert circles == [], "import circles:\n" + "\n".join(circles)


def test_no_layer_imports_a_higher_one():
    upward = [
        f"{source} -> {target} (line {line})"
        for source, edges in sorted(GRAPH.items())
        for target, line in sorted(edges.items())
        if _layer(source) is not None and _layer(target) is not None and _layer(target) > _layer(source)
    ]
    assert upward == [], "imports against the layers:\n" + "\n".join(upward)


def test_every_app_has_a_place_in_the_layers():
    apps = {name.split(".")[1] for name in MODULES if name.count(".") >= 1}
    assert sorted(apps - set(LAYER_OF)) == []


def test_lib_is_framework_free():
    lib = {module: path for module, path in MODULES.items() if module.startswith("pencet.lib")}
    django = [
        f"{module} imports {name} (line {line})"
        for module, path in lib.items()
        for name, line in _imports(module, path)
        if name.startswith(LIB_FORBIDDEN)
    ]
    apps = [
        f"{module} imports {target} (line {line})"
        for module in lib
        for target, line in GRAPH[module].items()
        if not target.startswith("pencet.lib")
    ]
    assert sorted(set(django)) + sorted(apps) == []


def test_no_module_is_longer_than_500_lines_of_code():
    sizes = {module: _code_lines(path) for module, path in MODULES.items() if "migrations" not in path.parts}
    too_long = [f"{module}: {lines}" for module, lines in sorted(sizes.items()) if lines > MAX_CODE_LINES]
    assert too_long == [], f"modules over {MAX_CODE_LINES} lines of code:\n" + "\n".join(too_long)
