"""RELIABILITY F3: no data is formatted into a string that Textual would parse as markup.

A plain string given to `Static(`, `Label(`, `Button(`, `.update(`, `notify(` (and the other sinks below) is
markup: `[RED]` vanishes, `[/]` crashes, `[@click=app.quit]` runs. This test walks every module under
boardtui/ui and flags an f-string, `+`/`%` concatenation or `.format()` passed to one of them, unless the call
says `markup=False`. Wrap the text instead: `Content(f"...")`, `Text(...)`, or
`Content.from_markup("… $name", name=value)`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "boardtui" / "ui"

# Callables whose first argument (or the named keyword) is shown as markup unless markup=False.
CONSTRUCTORS = {"Static": "content", "Label": "content", "Button": "label", "Markdown": "markdown"}
METHODS = {"update": "content", "notify": "message", "add_row": None, "add_leaf": "label", "add_option": None,
           "set_label": None}
KEYWORD_SINKS = {"title", "sub_title", "tooltip", "border_title", "border_subtitle", "placeholder"}


def _is_formatted(node: ast.AST) -> bool:
    """An f-string with placeholders, a + or % of strings, or a "...".format(...) call."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_stringy(node.left) or _is_stringy(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, (ast.Constant, ast.JoinedStr))
    return False


def _is_stringy(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(node, ast.JoinedStr) \
        or _is_formatted(node)


def _markup_off(call: ast.Call) -> bool:
    return any(k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
               for k in call.keywords)


def _sink_arguments(call: ast.Call) -> list[ast.AST]:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    args: list[ast.AST] = []
    if isinstance(func, ast.Name) and name in CONSTRUCTORS:
        args += call.args[:1] + [k.value for k in call.keywords if k.arg == CONSTRUCTORS[name]]
    elif isinstance(func, ast.Attribute) and name in METHODS:
        args += list(call.args) if METHODS[name] is None else call.args[:1]
        args += [k.value for k in call.keywords if k.arg == METHODS[name]]
    if name in CONSTRUCTORS or name in METHODS or name == "notify":
        # notify(title=...) is markup too.
        args += [k.value for k in call.keywords if k.arg in KEYWORD_SINKS]
    return args


def find_sinks(source: str, filename: str = "<string>") -> list[str]:
    """`file:line: call` for each formatted string passed to a markup sink without markup=False."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and not _markup_off(node):
            for arg in _sink_arguments(node):
                if _is_formatted(arg):
                    found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def _modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(UI)))
def test_no_formatted_string_reaches_a_markup_sink(path):
    assert find_sinks(path.read_text(encoding="utf-8"), str(path.relative_to(UI.parent.parent))) == []


@pytest.mark.parametrize("code", [
    'Static(f"{name}")',
    'Label("Scheme " + name)',
    'w.update(f"{a} of {b}")',
    'self.notify(f"Saved {ref}")',
    'self.app.notify("x", title=f"{name}")',
    'Button("%s" % name)',
    'Static("{}".format(name))',
    'table.add_row(name, f"{value}")',
    'Static(content=f"{name}")',
])
def test_the_guard_catches_each_kind_of_sink(code):
    assert find_sinks(code)


@pytest.mark.parametrize("code", [
    'Static(Content(f"{name}"))',
    'self.notify(f"Saved {ref}", markup=False)',
    'w.update(Content.from_markup("[b]$name[/b]", name=name))',
    'Static("a constant")',
    'Static(f"no placeholders")',
    'w.update(Text(f"{name}"))',
    'label = f"{name}"',
    'd.update({"k": f"{v}"} )',
])
def test_the_guard_allows_safe_calls(code):
    assert find_sinks(code) == []
