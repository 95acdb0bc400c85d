"""The built wheel installs with pip into a clean virtual environment, and the
README's Python example runs there (``scripts/test-all`` builds the wheel and sets
``REPLENISH_WHEEL``; run alone without it, the test is skipped with a message)."""

import os
import pathlib
import re
import subprocess
import venv

import pytest

from conftest import REPO

WHEEL = os.environ.get("REPLENISH_WHEEL")


@pytest.mark.skipif(not WHEEL, reason="no wheel: set REPLENISH_WHEEL (scripts/test-all builds one)")
def test_wheel_installs_in_a_clean_venv_and_the_readme_runs(tmp_path):
    wheel = pathlib.Path(WHEEL)
    assert wheel.is_file(), wheel
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # The package's own dependencies and the plot extra come from the index (or pip's cache).
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{wheel}[plot]"],
                   check=True)
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    script = tmp_path / "readme.py"
    script.write_text("\n".join(blocks) + "\nimport replenish, pathlib\nprint('installed at', pathlib.Path(replenish.__file__).parent)\n")
    # Run from an empty folder so nothing of the source tree can be imported.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    run = subprocess.run([py, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "PO-20261031-0001" in run.stdout and "unknown_reference" in run.stdout
    installed = run.stdout.strip().splitlines()[-1]
    assert str(env_dir) in installed and str(REPO) not in installed, installed
    # The type information ships with it.
    site = next(env_dir.glob("lib/python*/site-packages/replenish"))
    assert (site / "py.typed").exists() and (site / "_replenish.pyi").exists()
