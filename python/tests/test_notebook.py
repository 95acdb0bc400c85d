"""Runs every code cell of docs/notebooks/quickstart.ipynb in order, in one namespace,
as a notebook kernel would (its cells assert what they show)."""

import ast
import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "notebooks" / "quickstart.ipynb"


def run_cell(source: str, namespace: dict):
    """Executes a cell; like Jupyter, a final expression is evaluated and returned."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


def test_quickstart_notebook_runs(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(cells) >= 6
    namespace: dict = {}
    shown = []
    for i, cell in enumerate(cells):
        try:
            shown.append(run_cell("".join(cell["source"]), namespace))
        except Exception as e:  # pragma: no cover - the failure message names the cell
            raise AssertionError(f"cell {i} of {NOTEBOOK.name} failed: {e!r}\n{''.join(cell['source'])}") from e
    # The first cell shows the table sizes; the forecast cell a frame in long format.
    assert shown[0]["sales"] > 0
    assert list(shown[2].columns[:2]) == ["unique_id", "ds"]
