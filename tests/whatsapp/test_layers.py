"""The channel knows no domain: nothing under pencet/whatsapp imports the apps built on it, not even in a function."""

import ast
from pathlib import Path

import pencet.whatsapp

HIGHER = ("pencet.cases", "pencet.bot", "pencet.delivery", "pencet.surveys", "pencet.reports", "pencet.console",
          "pencet.api", "pencet.ops")  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_channel_module_imports_a_higher_layer():
    root = Path(pencet.whatsapp.__file__).parent
    upward = {
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        for name in imported_modules(path)
        if name.startswith(HIGHER)
    }
    assert upward == set()


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from pencet.bot.services import bot_handle_inbound\n")
    assert imported_modules(module) == {"pencet.bot.services"}


def test_nothing_in_the_channel_imports_its_periodic_tasks_module():
    root = Path(pencet.whatsapp.__file__).parent
    importers = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                target = node.module or ""
                names = {alias.name for alias in node.names}
                if target in ("tasks", "pencet.whatsapp.tasks") or (node.level and not target and "tasks" in names):
                    importers.add(path.name)
    assert importers == set()
