"""The README's Python example runs as written."""

import contextlib
import io
import re

from conftest import REPO


def test_readme_python_example_runs():
    readme = (REPO / "README.md").read_text()
    (block,) = re.findall(r"```python\n(.*?)```", readme, re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    text = out.getvalue()
    assert "PO-20261031-0001" in text
    assert "'kind': 'unknown_reference'" in text and "NO-SUCH-SKU" in text
