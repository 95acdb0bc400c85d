"""The README's Python example runs as written."""

import contextlib
import io
import re

from conftest import REPO


def test_readme_python_example_runs():
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        for block in blocks:  # in order, sharing one namespace, as a reader would run them
            exec(compile(block, "README.md", "exec"), namespace)
    text = out.getvalue()
    assert "PO-20261031-0001" in text
    assert "'kind': 'unknown_reference'" in text and "NO-SUCH-SKU" in text
    assert {"CrostonSBA-hi-95", "SeasonalNaive-lo-80"} <= set(namespace["fc"].columns)
    assert namespace["page"].startswith("<!DOCTYPE html>") and namespace["fig"].axes
    assert namespace["r"].exceptions.severity.iloc[0] == "high"
