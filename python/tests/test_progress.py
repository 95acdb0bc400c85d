"""Long calls report progress, honour Ctrl-C and map every core error kind to its
own exception class (docs/python.md#progress-ctrl-c-and-errors)."""

import _thread
import threading

import pytest

import replenish


@pytest.fixture(scope="module")
def demo():
    return replenish.read_tables(**replenish.demo_data())


def test_progress_callback_counts_every_sku_location():
    seen = []
    p = replenish.plan(replenish.demo_data(skus=20), progress=lambda done, total: seen.append((done, total)))
    n = len(p.lines)
    assert seen[-1] == (n, n)
    assert all(d <= t for d, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_forecast_progress_counts_series_times_models():
    demand = replenish.read_tables(**replenish.demo_data(skus=5, locations=1, days=120)).demand
    seen = []
    replenish.forecast(demand[["unique_id", "ds", "y"]], h=7, models=["Naive", "SeasonalNaive"], season_length=7,
                       missing="drop", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (10, 10)


def test_ctrl_c_stops_a_long_plan_and_raises_keyboard_interrupt(demo):
    seen = []
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            # 50 000 paths per SKU-location: seconds of work, far longer than the 0.3 s
            # before Ctrl-C (the default plan of the demo can finish in less).
            replenish.plan(demo, {"n_paths": 50_000}, progress=lambda done, total: seen.append((done, total)))
    finally:
        timer.cancel()
    # The callback ran while the plan worked, and the plan stopped before its end.
    assert seen and seen[-1][0] < seen[-1][1] == 900
    # The interpreter and the library are fine afterwards.
    assert len(replenish.plan(replenish.demo_data(skus=5)).lines) == 15


def test_an_exception_in_the_callback_cancels_the_call(demo):
    def boom(done, total):
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        replenish.plan(demo, progress=boom)


def test_tqdm_bar_when_asked(capsys):
    pytest.importorskip("tqdm")
    replenish.plan(replenish.demo_data(skus=10), progress=True)
    err = capsys.readouterr().err
    assert "planning" in err and "30/30" in err


def test_exception_hierarchy_mirrors_the_core_error_kinds():
    assert issubclass(replenish.ValidationError, replenish.ReplenishError)
    assert issubclass(replenish.RuleError, replenish.ConfigError)
    for cls in (replenish.ConfigError, replenish.WorkflowError, replenish.FileError, replenish.InputError,
                replenish.CancelledError, replenish.InternalError):
        assert issubclass(cls, replenish.ReplenishError) and cls is not replenish.ReplenishError
    with pytest.raises(replenish.FileError) as e:
        replenish.read_folder("/no/such/folder")
    assert e.value.code == "IO"
    with pytest.raises(replenish.ConfigError) as e:
        replenish.plan(replenish.demo_data(skus=2), {"service_level": 2})
    assert e.value.code == "CONFIG" and e.value.field
