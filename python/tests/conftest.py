import json
import os
import pathlib

# Charts are drawn off-screen in tests (the plot_* helpers and the README example).
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
GOLDEN = REPO / "tests" / "golden"


@pytest.fixture
def small_dir() -> pathlib.Path:
    return FIXTURES / "small"


@pytest.fixture
def small_config() -> dict:
    import replenish

    return replenish.load_config(FIXTURES / "small" / "config.toml")


def expected_problems(name: str) -> list:
    return json.loads((FIXTURES / name / "expected.json").read_text())
