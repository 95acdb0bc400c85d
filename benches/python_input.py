"""How long a frame takes to reach the core from each kind of Python table.

Forecasts a sorted long frame (`unique_id`, `ds`, `y`) of N series × 730 days with
the `Naive` model (whose fit is negligible, so the time is the crossing: reading the
columns, grouping the ids, the one copy into the core's panel, and the result frame),
from numpy-backed pandas, Arrow-backed pandas, polars, a pyarrow Table and a bare
Arrow stream object. Run: .venv/bin/python benches/python_input.py [N]
"""

import sys
import time

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import replenish

n_series = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
days = 730
ids = np.repeat(np.array([f"sku{k:06d}" for k in range(n_series)], dtype=object), days)
ds = np.tile(np.arange(days, dtype="int64"), n_series)
y = np.random.default_rng(0).poisson(3.0, n_series * days).astype("float64")
base = pd.DataFrame({"unique_id": ids, "ds": ds, "y": y})
table = pa.Table.from_pandas(base, preserve_index=False)


class Stream:
    def __init__(self, t):
        self.t = t

    def __arrow_c_stream__(self, requested_schema=None):
        return self.t.__arrow_c_stream__(requested_schema)


frames = {
    "pandas (numpy)": base,
    "pandas (pyarrow)": table.to_pandas(types_mapper=pd.ArrowDtype),
    "polars": pl.from_arrow(table),
    "pyarrow Table": table,
    "Arrow stream object": Stream(table),
}
print(f"{n_series} series × {days} days = {n_series * days / 1e6:.1f} M values ({n_series * days * 8 / 2**20:.0f} MiB of y)")
for name, df in frames.items():
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        out = replenish.forecast(df, h=7, models=["Naive"])
        best = min(best, time.perf_counter() - t0)
    rate = n_series * days / best / 1e6
    print(f"{name:>22}: {best * 1000:7.0f} ms  ({rate:5.1f} M values/s)")
