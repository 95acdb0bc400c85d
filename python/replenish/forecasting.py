"""Forecasting many series at once on long data frames (``unique_id``, ``ds``, ``y``).

>>> import pandas as pd, replenish
>>> df = pd.DataFrame({"unique_id": ["a"] * 6, "ds": range(6), "y": [1., 2, 3, 1, 2, 3]})
>>> replenish.forecast(df, h=3, models=["SeasonalNaive"], season_length=3)
  unique_id  ds  SeasonalNaive
0         a   6            1.0
1         a   7            2.0
2         a   8            3.0
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _replenish
from ._progress import ProgressArg, progress_callback
from ._replenish import InputError
from .models import _Model

ModelArg = Union[str, Dict[str, Any], _Model]


def _f8(a: Any) -> np.ndarray:
    """A C-contiguous float64 array, which the core reads in place: no copy when
    ``a`` already is one (a numpy column, a polars or Arrow column without nulls)."""
    return np.ascontiguousarray(np.asarray(a, dtype="float64"))


def _i8(a: Any) -> np.ndarray:
    """A C-contiguous int64 array, read in place like :func:`_f8`."""
    return np.ascontiguousarray(np.asarray(a, dtype="int64"))


def _is_polars(df: Any) -> bool:
    return type(df).__module__.split(".")[0] == "polars"


class _ArrowFrame:
    """A pyarrow Table, or any object with the Arrow PyCapsule stream interface
    (``__arrow_c_stream__``: DuckDB results, Arrow-backed libraries), seen as a frame:
    ``columns`` and ``frame[name].to_numpy()``. Numeric columns of one chunk without
    nulls come out as views of the Arrow buffers, so the core reads them in place."""

    def __init__(self, obj: Any) -> None:
        import pyarrow as pa

        self.table = obj if isinstance(obj, pa.Table) else pa.table(obj)
        self.columns = [str(c) for c in self.table.column_names]

    def __getitem__(self, name: str) -> Any:
        return self.table.column(name)

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def to_pandas(self) -> pd.DataFrame:
        return self.table.to_pandas()


def _input(df: Any) -> Any:
    """``df`` as a frame this module reads: pandas and polars frames as they are
    (their numeric columns' ``to_numpy()`` is already a view, Arrow-backed pandas
    too), a pyarrow Table or Arrow stream object through :class:`_ArrowFrame`."""
    if df is None or isinstance(df, (pd.DataFrame, _ArrowFrame)) or _is_polars(df):
        return df
    if type(df).__module__.split(".")[0] == "pyarrow" or hasattr(df, "__arrow_c_stream__"):
        try:
            return _ArrowFrame(df)
        except ImportError:
            raise InputError("Arrow tables need pyarrow: pip install pyarrow") from None
    raise InputError(f"expected a pandas, polars or pyarrow table, got {type(df).__name__}")


def _kind(df: Any) -> str:
    """What results look like for input ``df``: ``polars``, ``arrow`` or ``pandas``."""
    if isinstance(df, _ArrowFrame):
        return "arrow"
    return "polars" if _is_polars(df) else "pandas"


def _column(df: Any, name: str) -> np.ndarray:
    if name not in df.columns:
        raise InputError(f"the data frame has no column `{name}`; it has {list(df.columns)}")
    return np.asarray(df[name].to_numpy())


def _id_ranks(df: Any, name: str) -> Tuple[np.ndarray, np.ndarray]:
    """Series ids as int64 ranks (one per row, in the ids' text order) and the sorted
    distinct ids as text. Arrow-backed columns (pyarrow, polars, Arrow strings in
    pandas) are dictionary-encoded by Arrow without making Python strings per row;
    others go through ``pandas.factorize``. A missing id raises ``InputError``."""
    if name not in df.columns:
        raise InputError(f"the data frame has no column `{name}`; it has {list(df.columns)}")
    col = df[name]
    arrow = None
    if isinstance(df, _ArrowFrame):
        arrow = col
    elif _is_polars(df):
        arrow = col.to_arrow()
    elif hasattr(col.array, "__arrow_array__") and not isinstance(col.dtype, pd.CategoricalDtype):
        try:
            import pyarrow as pa

            arrow = col.array.__arrow_array__()
        except ImportError:
            arrow = None
    if arrow is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if arrow.null_count:
            row = int(np.flatnonzero(np.asarray(pc.is_null(arrow)))[0])
            raise InputError(f"column `{name}` has a missing id at row {row}")
        enc = pc.dictionary_encode(arrow if isinstance(arrow, pa.ChunkedArray) else pa.chunked_array([arrow]))
        enc = enc.unify_dictionaries() if enc.num_chunks > 1 else enc
        if enc.num_chunks:
            codes = np.concatenate([np.asarray(c.indices, dtype="int64") for c in enc.chunks])
            uniques = enc.chunk(0).dictionary.to_pylist()
        else:
            codes, uniques = np.empty(0, dtype="int64"), []
    else:
        codes, uniques = pd.factorize(np.asarray(col.to_numpy()) if not isinstance(col, pd.Series) else col)
        if len(codes) and codes.min() < 0:
            raise InputError(f"column `{name}` has a missing id at row {int(np.flatnonzero(codes < 0)[0])}")
        codes = codes.astype("int64", copy=False)
    texts, inverse = np.unique(np.array([str(u) for u in uniques], dtype=object), return_inverse=True)
    return inverse.astype("int64")[codes] if len(codes) else codes, texts


def _is_sorted(ranks: np.ndarray, ds: np.ndarray) -> bool:
    """Whether rows are already in (id, time) order, so that no copy is needed."""
    if len(ranks) < 2:
        return True
    step = np.diff(ranks)
    if np.any(step < 0):
        return False
    try:
        dt = np.diff(ds)
        return bool(np.all((step > 0) | (dt >= np.zeros(1, dtype=dt.dtype))))
    except (TypeError, ValueError):
        return False


def _panel(df: Any, id_col: str, time_col: str, target_col: str) -> Tuple[List[str], List[int], np.ndarray, np.ndarray, np.ndarray]:
    """Sorts a long frame by id and time; returns ids, offsets, y, ds and the row ids.
    A frame already in that order is not copied: ``y`` is its column, in place."""
    ranks, texts = _id_ranks(df, id_col)
    ds = _column(df, time_col)
    try:
        y = np.asarray(_column(df, target_col), dtype="float64")
    except (TypeError, ValueError) as e:
        raise InputError(f"column `{target_col}` must be numeric: {e}") from None
    if _is_sorted(ranks, ds):
        order = np.arange(len(ranks))
    else:
        order = np.lexsort((ds, ranks))
        ranks, ds, y = ranks[order], ds[order], y[order]
    starts = np.flatnonzero(np.r_[True, ranks[1:] != ranks[:-1]]) if len(ranks) else np.array([], dtype=int)
    ids = [str(t) for t in texts[ranks[starts]]]
    offsets = [int(s) for s in starts] + [len(y)]
    return ids, offsets, y, ds, order


def _numeric(df: Any, name: str, frame: str) -> np.ndarray:
    try:
        return np.ascontiguousarray(np.asarray(_column(df, name), dtype="float64"))
    except (TypeError, ValueError):
        raise InputError(
            f"column `{name}` of {frame} is not numeric: columns beyond the id, time and target are regressors "
            "and must be numbers (encode categories as 0/1 columns, or drop the column)"
        ) from None


def _regressors(df: Any, order: np.ndarray, id_col: str, time_col: str, target_col: str) -> Tuple[List[str], List[np.ndarray]]:
    """The regressor columns of ``df`` (every column beyond id, time and target), in
    the panel's row order, as float64 arrays."""
    names = [str(c) for c in df.columns if c not in (id_col, time_col, target_col)]
    return names, [_f8(_numeric(df, n, "df")[order]) for n in names]


def _times(ds: np.ndarray) -> Tuple[np.ndarray, str]:
    """Times as int64 and their unit (``index`` for integers, else ``nanoseconds``)."""
    if np.issubdtype(ds.dtype, np.integer):
        return ds.astype("int64"), "index"
    return pd.to_datetime(ds).to_numpy().astype("datetime64[ns]").astype("int64"), "nanoseconds"


def _exogenous(df: Any, h: int, freq: Optional[str], X_df: Any, ids: List[str], offsets: List[int], ds: np.ndarray,
               order: np.ndarray, id_col: str, time_col: str, target_col: str) -> Tuple[Any, Any, Any]:
    """The horizon's times, the regressors (names, history, future) for the core or
    None, and the times for calendar features."""
    last = ds[np.asarray(offsets[1:]) - 1] if ids else ds[:0]
    future = _future_ds(last, h, freq, ds, offsets) if ids else ds[:0]
    names, history = _regressors(df, order, id_col, time_col, target_col)
    regs = None
    if names or X_df is not None:
        regs = (names, history, [] if X_df is None else _future_regressors(X_df, names, ids, future, h, id_col, time_col))
    return future, regs, _time_arrays(ds, future if ids else None)


def _time_arrays(ds: np.ndarray, future: Optional[np.ndarray]) -> Optional[Tuple[str, np.ndarray, np.ndarray]]:
    """The values' times and the horizon's as int64 arrays, with their unit; None when
    ``ds`` is neither integers nor dates."""
    if not (np.issubdtype(ds.dtype, np.integer) or np.issubdtype(ds.dtype, np.datetime64) or ds.dtype == object):
        return None
    try:
        hist, unit = _times(ds)
        fut = _times(future)[0] if future is not None and len(future) else np.empty(0, dtype="int64")
    except (TypeError, ValueError):
        return None
    return unit, _i8(hist), _i8(fut)


def _future_regressors(
    X_df: Any, names: List[str], ids: List[str], future: np.ndarray, h: int, id_col: str, time_col: str
) -> List[np.ndarray]:
    """``X_df``'s regressor values laid out per series and forecast step; errors name a
    missing column, an unknown regressor or the first missing (series, time)."""
    if not names:
        raise InputError(f"X_df was given but df has no regressor columns (columns beyond {id_col}, {time_col} and the target)")
    x_ids = _column(X_df, id_col).astype(str)
    x_names = [str(c) for c in X_df.columns if c not in (id_col, time_col)]
    expected, unit = _times(future)
    x_times, x_unit = _times(_column(X_df, time_col))
    if x_unit != unit:
        raise InputError(f"X_df's `{time_col}` must be of the same kind as df's (dates or integers)")
    cols = [_numeric(X_df, n, "X_df") for n in x_names]
    return _replenish.align_future(
        ids, _i8(expected), int(h), names, [str(i) for i in x_ids], _i8(x_times), x_names, cols, unit
    )


def _model_config(m: ModelArg) -> Any:
    if isinstance(m, _Model):
        return m.config()
    if isinstance(m, (dict, str)):
        return m  # names get their default parameters in the core
    raise InputError(f"a model is a name, a dict or a replenish.models object, not {type(m).__name__}")


def _future_ds(last: np.ndarray, h: int, freq: Optional[str], ds_all: np.ndarray, offsets: List[int]) -> np.ndarray:
    if np.issubdtype(last.dtype, np.integer) or np.issubdtype(last.dtype, np.floating):
        step = 1 if freq is None else int(freq)
        return (last[:, None] + step * np.arange(1, h + 1)[None, :]).ravel()
    stamps = pd.to_datetime(last)
    if freq is None:
        first = pd.to_datetime(ds_all[offsets[0] : offsets[1]])
        freq = _infer_freq(first) if len(first) >= 3 else None
        if freq is None:
            raise InputError("cannot infer the frequency of `ds`: pass freq= (e.g. 'D', 'W', 'h')")
    off = pd.tseries.frequencies.to_offset(freq)
    return np.concatenate([pd.date_range(s, periods=h + 1, freq=off)[1:].to_numpy() for s in stamps])


def _infer_freq(stamps: Any) -> Any:
    # pandas 3 is moving infer_freq from strings to offsets; ask for the offset where
    # that option exists (both work with to_offset).
    try:
        with pd.option_context("future.infer_freq_returns_offset", True):
            return pd.infer_freq(stamps)
    except (KeyError, pd.errors.OptionError):
        return pd.infer_freq(stamps)


def _request(
    h: int,
    models: Sequence[ModelArg],
    season_length: int,
    level: Optional[Sequence[float]],
    quantiles: Optional[Sequence[float]],
    total_quantiles: Optional[Sequence[float]],
    missing: str,
    non_negative: bool,
    fallback: Optional[ModelArg],
    n_paths: int,
    seed: int,
    tolerance: float = 1e-8,
    max_iterations: int = 200,
) -> str:
    if isinstance(models, (str, dict, _Model)):
        models = [models]
    return json.dumps(
        {
            "h": int(h),
            "season_length": int(season_length),
            "models": [_model_config(m) for m in models],
            "levels": [float(v) for v in (level or [])],
            "quantiles": [float(v) for v in (quantiles or [])],
            "total_quantiles": [float(v) for v in (total_quantiles or [])],
            "fallback": None if fallback is None else _model_config(fallback),
            "options": {
                "missing": missing,
                "non_negative": bool(non_negative),
                "n_paths": int(n_paths),
                "seed": int(seed),
                "tolerance": float(tolerance),
                "max_iterations": int(max_iterations),
            },
        }
    )


def _frame(cols: Dict[str, Any], kind: Union[str, bool]) -> Any:
    """A result frame of the input's kind (see :func:`_kind`; ``True`` is polars)."""
    if kind is True or kind == "polars":
        import polars as pl

        return pl.DataFrame(cols)
    if kind == "arrow":
        import pyarrow as pa

        return pa.table({k: np.asarray(v) for k, v in cols.items()})
    return pd.DataFrame(cols)


def forecast(
    df: Any,
    h: int,
    models: Sequence[ModelArg],
    season_length: int = 1,
    level: Optional[Sequence[float]] = None,
    quantiles: Optional[Sequence[float]] = None,
    *,
    X_df: Any = None,
    freq: Optional[str] = None,
    missing: str = "error",
    non_negative: bool = False,
    fallback: Optional[ModelArg] = "Naive",
    n_paths: int = 1000,
    seed: int = 0,
    tolerance: float = 1e-8,
    max_iterations: int = 200,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    progress: ProgressArg = None,
) -> Any:
    """Forecasts every series of a long data frame with every model.

    Returns a long frame: ``unique_id``, ``ds`` and one column per model, plus
    ``<model>-lo-<level>`` / ``<model>-hi-<level>`` for each ``level`` (percent) and
    ``<model>-q-<q>`` for each quantile. Models are names (``"AutoETS"``-style, see
    ``replenish.MODEL_NAMES``), dicts, or ``replenish.models`` objects. ``missing``
    is ``"error"``, ``"drop"``, ``"interpolate"`` or ``"zero"``. ``tolerance`` and
    ``max_iterations`` bound parameter optimisation. A model that cannot
    fit a series uses ``fallback``; ``result.attrs["fallbacks"]`` (pandas) lists them.
    Sample-based intervals are seeded by ``seed``. The GIL is released while Rust works.

    Columns of ``df`` beyond id, time and target are exogenous regressors (promotion
    flags, prices, events, weather), as in statsforecast. Models that use them
    (``ARIMA``, ``AutoARIMA``) need their future values: ``X_df`` has the id and time
    columns and one column per regressor, with a row for each series and each of the
    ``h`` periods after its last time (other rows are not used). A missing row, a
    missing or unknown regressor column raises ``InputError`` naming it.

    ``progress``: a tqdm bar over series × models when tqdm is installed and the call
    takes more than a second (``True``: always, ``False``: never), or a callable
    ``(done, total)``. Ctrl-C stops the work and raises ``KeyboardInterrupt``.

    >>> import pandas as pd, replenish
    >>> df = pd.DataFrame({"unique_id": ["a"] * 8, "ds": pd.date_range("2025-01-01", periods=8), "y": [3.0, 5, 3, 5, 3, 5, 3, 5]})
    >>> replenish.forecast(df, h=2, models=["SeasonalNaive"], season_length=2)
      unique_id         ds  SeasonalNaive
    0         a 2025-01-09            3.0
    1         a 2025-01-10            5.0
    """
    df, X_df = _input(df), _input(X_df)
    ids, offsets, y, ds, order = _panel(df, id_col, time_col, target_col)
    req = _request(h, models, season_length, level, quantiles, None, missing, non_negative, fallback, n_paths, seed, tolerance, max_iterations)
    future, regs, times = _exogenous(df, h, freq, X_df, ids, offsets, ds, order, id_col, time_col, target_col)
    with progress_callback(progress, "forecasting") as on_progress:
        cols, _, fallbacks, _, importance = _replenish.forecast(ids, offsets, _f8(y),
                                                                req, regs, times, on_progress)
    out: Dict[str, Any] = {
        id_col: np.repeat(np.asarray(ids, dtype=object), h),
        time_col: future,
    }
    for name, raw in cols:
        out[name] = raw
    result = _frame(out, _kind(df))
    if _kind(df) == "pandas":
        result.attrs["fallbacks"] = [dict(unique_id=i, model=m, reason=r) for i, m, r in fallbacks]
        result.attrs["importance"] = {m: dict(v) for m, v in importance}
    return result


def feature_importance(df: Any, h: int, model: Any, season_length: int = 1, *, X_df: Any = None, freq: Optional[str] = None,
                       id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y") -> Any:
    """Fits a global model (``GBDT``) and returns its features by share of the total
    gain: a frame with ``feature`` and ``importance``, largest first."""
    df, X_df = _input(df), _input(X_df)
    ids, offsets, y, ds, order = _panel(df, id_col, time_col, target_col)
    req = _request(h, [model], season_length, None, None, None, "error", False, "Naive", 1000, 0)
    _, regs, times = _exogenous(df, h, freq, X_df, ids, offsets, ds, order, id_col, time_col, target_col)
    _, _, _, _, importance = _replenish.forecast(ids, offsets, _f8(y), req, regs, times)
    if not importance:
        raise InputError("feature importance comes from a global model such as GBDT")
    rows = importance[0][1]
    return _frame({"feature": [r[0] for r in rows], "importance": [r[1] for r in rows]}, _kind(df))


def event_features(df: Any, events: Any, *, time_col: str = "ds", location_col: Optional[str] = None) -> Any:
    """Adds one 0/1 column per event name to ``df`` (the history, or ``X_df``): 1 on
    the days from ``date - before`` to ``date + after`` of an occurrence, at its
    ``location`` (or everywhere when it has none; rows' locations come from
    ``location_col``). ``events`` has ``date`` and ``name`` and optionally
    ``location``, ``before`` and ``after`` (days, default 0). Use it on ``df`` and on
    ``X_df`` alike, so models that use regressors learn and forecast the events."""
    for col in ("date", "name"):
        if col not in events.columns:
            raise InputError(f"events need a `{col}` column; they have {list(events.columns)}")
    df, events = _input(df), _input(events)
    ev_dates = pd.to_datetime(pd.Series(_column(events, "date")), errors="coerce")
    if ev_dates.isna().any():
        row = int(np.flatnonzero(ev_dates.isna().to_numpy())[0])
        raise InputError(f"events row {row}: `date` {_column(events, 'date')[row]!r} is not a date")
    n = len(ev_dates)
    get = lambda c, d: _column(events, c) if c in events.columns else np.full(n, d, dtype=object)  # noqa: E731
    names, locs, before, after = get("name", None), get("location", None), get("before", 0), get("after", 0)
    rows = []
    for k in range(n):
        loc = locs[k]
        loc = None if loc is None or (isinstance(loc, float) and np.isnan(loc)) or str(loc) == "" else str(loc)
        try:
            b, a = int(before[k] if before[k] == before[k] else 0), int(after[k] if after[k] == after[k] else 0)
        except (TypeError, ValueError):
            raise InputError(f"events row {k}: `before` and `after` must be whole numbers of days") from None
        if b < 0 or a < 0:
            raise InputError(f"events row {k}: `before` and `after` must not be negative")
        rows.append({"date": ev_dates.iloc[k].strftime("%Y-%m-%d"), "name": str(names[k]), "location": loc, "before": b, "after": a})
    days = pd.to_datetime(pd.Series(_column(df, time_col))).to_numpy().astype("datetime64[D]").astype("int64")
    locations = None if location_col is None else [str(v) for v in _column(df, location_col)]
    cols = _replenish.event_columns(_i8(days), json.dumps(rows), locations)
    added = {name: raw for name, raw in cols}
    clash = [c for c in added if c in df.columns]
    if clash:
        raise InputError(f"event names {clash} are already columns of the frame")
    if _is_polars(df):
        import polars as pl

        return df.with_columns([pl.Series(k, v) for k, v in added.items()])
    if isinstance(df, _ArrowFrame):
        table = df.table
        for k, v in added.items():
            table = table.append_column(k, np.asarray(v))
        return table
    return df.assign(**added)


def lead_time_demand(
    df: Any,
    h: int,
    model: ModelArg,
    quantiles: Sequence[float] = (0.5, 0.9, 0.95, 0.99),
    season_length: int = 1,
    *,
    X_df: Any = None,
    freq: Optional[str] = None,
    missing: str = "error",
    n_paths: int = 2000,
    seed: int = 0,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
) -> Any:
    """Distribution of total demand over the next ``h`` periods per series (e.g. the
    lead time), from seeded sample paths of ``model``: ``unique_id``, ``mean`` and
    ``q-<q>`` columns. Works for every model, intermittent ones included. Regressor
    columns of ``df`` and their future values in ``X_df`` work as in :func:`forecast`
    (a promotion inside the lead time raises its demand)."""
    df, X_df = _input(df), _input(X_df)
    ids, offsets, y, ds, order = _panel(df, id_col, time_col, target_col)
    req = _request(h, [model], season_length, None, None, quantiles, missing, True, "Naive", n_paths, seed)
    _, regs, times = _exogenous(df, h, freq, X_df, ids, offsets, ds, order, id_col, time_col, target_col)
    _, totals, _, _, _ = _replenish.forecast(ids, offsets, _f8(y), req, regs, times)
    out: Dict[str, Any] = {id_col: np.asarray(ids, dtype=object)}
    for name, raw in totals:
        key = "mean" if name.endswith("-total") else "q-" + name.rsplit("-q-", 1)[1]
        out[key] = raw
    return _frame(out, _kind(df))


def sample_paths(
    df: Any,
    h: int,
    model: ModelArg,
    n_paths: int = 100,
    season_length: int = 1,
    *,
    X_df: Any = None,
    freq: Optional[str] = None,
    missing: str = "error",
    non_negative: bool = False,
    seed: int = 0,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
) -> Any:
    """Simulated future paths of ``model`` for every series: a long frame with
    ``unique_id``, ``path`` (0..n_paths-1), ``ds`` and ``y``. Seeded: the same seed
    gives the same paths. Regressors (``df``'s extra columns, ``X_df``) as in
    :func:`forecast`."""
    df, X_df = _input(df), _input(X_df)
    ids, offsets, y, ds, order = _panel(df, id_col, time_col, target_col)
    req = json.loads(_request(h, [model], season_length, None, None, None, missing, non_negative, "Naive", n_paths, seed))
    req["return_paths"] = int(n_paths)
    flat, regs, times = _exogenous(df, h, freq, X_df, ids, offsets, ds, order, id_col, time_col, target_col)
    _, _, _, paths, _ = _replenish.forecast(ids, offsets, _f8(y), json.dumps(req), regs, times)
    values = paths[0][1]
    future = flat.reshape(len(ids), h) if ids else np.empty((0, h))
    n = int(n_paths)
    out = {
        id_col: np.repeat(np.asarray(ids, dtype=object), n * h),
        "path": np.tile(np.repeat(np.arange(n), h), len(ids)),
        time_col: np.repeat(future, n, axis=0).ravel() if ids else ds[:0],
        target_col: values,
    }
    return _frame(out, _kind(df))


def mstl_decomposition(
    df: Any,
    season_length: Union[float, Sequence[float]],
    *,
    missing: str = "error",
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
) -> Any:
    """MSTL's decomposition of every series: ``unique_id``, ``ds``, ``y``, ``trend``,
    one ``seasonal<p>`` column per period (``seasonal7``, ``seasonal365.25``) and
    ``remainder``, with ``y = trend + Σ seasonal + remainder``. A period of at least
    half a series' length is left out of its decomposition (its column is 0 there).
    Missing values follow ``missing``: with ``"drop"`` their rows are left out; with
    ``"interpolate"`` or ``"zero"`` the components sum to the filled series while
    ``y`` shows the value as given."""
    df = _input(df)
    ids, offsets, y, ds, _ = _panel(df, id_col, time_col, target_col)
    periods = [float(season_length)] if np.isscalar(season_length) else [float(p) for p in season_length]
    cols = _replenish.mstl_decompose(ids, offsets, _f8(y), periods, missing)
    keep = ~np.isnan(y) if missing == "drop" else np.ones(len(y), dtype=bool)
    counts = [int(keep[a:b].sum()) for a, b in zip(offsets[:-1], offsets[1:])]
    out: Dict[str, Any] = {id_col: np.repeat(np.asarray(ids, dtype=object), counts), time_col: ds[keep], target_col: y[keep]}
    for name, raw in cols:
        out[name] = raw
    return _frame(out, _kind(df))


def classify(df: Any, *, id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y") -> Any:
    """Syntetos–Boylan demand class per series: ``unique_id``, ``adi``, ``cv2`` and
    ``demand_class`` (smooth, intermittent, erratic, lumpy, no_demand)."""
    df = _input(df)
    ids, offsets, y, _, _ = _panel(df, id_col, time_col, target_col)
    rows = _replenish.classify(ids, offsets, _f8(y))
    return _frame(
        {id_col: np.asarray(ids, dtype=object), "adi": [r[0] for r in rows], "cv2": [r[1] for r in rows], "demand_class": [r[2] for r in rows]},
        _kind(df),
    )




def metric(name: str, y: Any, f: Any, *, insample: Any = None, m: int = 1, q: Optional[float] = None, hi: Any = None) -> float:
    """One accuracy metric by name (see ``replenish.METRICS``) over array-likes."""
    return _replenish.metric(name, _f8(y), _f8(f), None if insample is None else _f8(insample), m, q, None if hi is None else _f8(hi))


def mae(y: Any, f: Any) -> float:
    """Mean absolute error."""
    return metric("mae", y, f)


def rmse(y: Any, f: Any) -> float:
    """Root mean squared error."""
    return metric("rmse", y, f)


def mape(y: Any, f: Any) -> float:
    """Mean absolute percentage error (percent; zero actuals skipped)."""
    return metric("mape", y, f)


def smape(y: Any, f: Any) -> float:
    """Symmetric MAPE as in M4 (percent)."""
    return metric("smape", y, f)


def wape(y: Any, f: Any) -> float:
    """Σ|y−f| / Σ|y|."""
    return metric("wape", y, f)


def bias(y: Any, f: Any) -> float:
    """Σ(f−y) / Σy."""
    return metric("bias", y, f)


def mase(y: Any, f: Any, insample: Any, m: int = 1) -> float:
    """MAE scaled by the in-sample MAE of the seasonal naive with lag m."""
    return metric("mase", y, f, insample=insample, m=m)


def rmsse(y: Any, f: Any, insample: Any, m: int = 1) -> float:
    """RMSE scaled as in M5 (from the first non-zero in-sample value)."""
    return metric("rmsse", y, f, insample=insample, m=m)


def pinball(y: Any, fq: Any, q: float) -> float:
    """Pinball loss of quantile forecasts at level q."""
    return metric("pinball", y, fq, q=q)


def scaled_pinball(y: Any, fq: Any, q: float, insample: Any, m: int = 1) -> float:
    """Pinball loss scaled as in the M5 uncertainty track."""
    return metric("scaled_pinball", y, fq, q=q, insample=insample, m=m)


def coverage(y: Any, lo: Any, hi: Any) -> float:
    """Share of actuals inside [lo, hi]."""
    return metric("coverage", y, lo, hi=hi)


MODEL_NAMES: Tuple[str, ...] = tuple(_replenish.names()[0])
METRICS: Tuple[str, ...] = tuple(_replenish.names()[1])

__all__ = [
    "cross_validation",
    "evaluate",
    "event_features",
    "feature_importance",
    "MODEL_NAMES",
    "METRICS",
    "bias",
    "classify",
    "coverage",
    "forecast",
    "lead_time_demand",
    "mstl_decomposition",
    "mae",
    "mape",
    "mase",
    "metric",
    "pinball",
    "rmse",
    "rmsse",
    "sample_paths",
    "scaled_pinball",
    "smape",
    "wape",
]


def cross_validation(
    df: Any,
    h: int,
    models: Sequence[ModelArg],
    season_length: int = 1,
    n_windows: int = 1,
    step_size: Optional[int] = None,
    refit: bool = True,
    level: Optional[Sequence[float]] = None,
    quantiles: Optional[Sequence[float]] = None,
    *,
    missing: str = "error",
    non_negative: bool = False,
    fallback: Optional[ModelArg] = "Naive",
    n_paths: int = 1000,
    seed: int = 0,
    tolerance: float = 1e-8,
    max_iterations: int = 200,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    progress: ProgressArg = None,
) -> Any:
    """Rolling-origin cross-validation: ``n_windows`` forecasts of ``h`` steps, cutoffs
    ``step_size`` apart (default ``h``), ending at each series' last value.

    Returns a long frame: ``unique_id``, ``ds``, ``cutoff`` (the last training ``ds``),
    ``y`` and the forecast columns of :func:`forecast`. With ``refit=False`` models are
    fitted on the first window and later windows reuse the estimated parameters.
    Regressor columns of ``df`` are used as in :func:`forecast`; each window's future
    values are the actual ones that follow its cutoff. ``progress`` as in
    :func:`forecast` (over series × windows × models)."""
    df = _input(df)
    ids, offsets, y, ds, order = _panel(df, id_col, time_col, target_col)
    names, history = _regressors(df, order, id_col, time_col, target_col)
    regs = (names, history, []) if names else None
    fc_req = json.loads(_request(h, models, season_length, level, quantiles, None, missing, non_negative, fallback, n_paths, seed, tolerance, max_iterations))
    req = json.dumps({"forecast": fc_req, "n_windows": int(n_windows), "step_size": None if step_size is None else int(step_size), "refit": bool(refit)})
    with progress_callback(progress, "cross-validating") as on_progress:
        series, cutoff, position, y_cv, cols, fallbacks = _replenish.cross_validation(
            ids, offsets, _f8(y), req, regs, _time_arrays(ds, None), on_progress)
    base = np.asarray(offsets[:-1])[np.asarray(series, dtype=np.int64)] if series else np.array([], dtype=np.int64)
    out: Dict[str, Any] = {
        id_col: np.asarray(ids, dtype=object)[np.asarray(series, dtype=np.int64)] if series else np.array([], dtype=object),
        time_col: ds[base + np.asarray(position, dtype=np.int64)] if series else ds[:0],
        "cutoff": ds[base + np.asarray(cutoff, dtype=np.int64)] if series else ds[:0],
        target_col: y_cv,
    }
    for name, raw in cols:
        out[name] = raw
    result = _frame(out, _kind(df))
    if _kind(df) == "pandas":
        result.attrs["fallbacks"] = [dict(unique_id=i, model=m, reason=r) for i, m, r in fallbacks]
    return result


def evaluate(
    cv: Any,
    df: Any,
    metrics: Sequence[str] = ("mae", "rmse", "smape", "mase"),
    season_length: int = 1,
    *,
    agg: bool = False,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
) -> Any:
    """Scores a :func:`cross_validation` frame: one row per (series, metric) with a
    column per model, each metric averaged over the series' windows; ``agg=True``
    gives the average over series instead. Scaled metrics (``mase``, ``rmsse``,
    ``scaled_pinball``) use each window's training history from ``df``.
    ``coverage`` gives ``coverage-<level>`` rows, pinball losses ``pinball-q-<q>``."""
    cv = _input(cv)
    cv_pd = cv if isinstance(cv, pd.DataFrame) else cv.to_pandas()
    df = _input(df)
    ids, offsets, y_train, ds_train, _ = _panel(df, id_col, time_col, target_col)
    index = {uid: k for k, uid in enumerate(ids)}
    uid = cv_pd[id_col].astype(str).to_numpy()
    cut = cv_pd["cutoff"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (uid[1:] != uid[:-1]) | (cut[1:] != cut[:-1])]) if len(uid) else np.array([], dtype=int)
    group_series, insample_parts, insample_offsets = [], [], [0]
    for g in starts:
        if uid[g] not in index:
            raise InputError(f"series `{uid[g]}` of the cross-validation frame is not in df")
        s = index[uid[g]]
        series_ds = ds_train[offsets[s] : offsets[s + 1]]
        pos = int(np.searchsorted(series_ds, cut[g], side="right"))
        part = y_train[offsets[s] : offsets[s] + pos]
        part = part[~np.isnan(part)]
        insample_parts.append(part)
        insample_offsets.append(insample_offsets[-1] + len(part))
        group_series.append(s)
    insample = np.concatenate(insample_parts) if insample_parts else np.array([], dtype="float64")
    skip = {id_col, time_col, "cutoff", target_col}
    columns = [(c, _f8(cv_pd[c])) for c in cv_pd.columns if c not in skip]
    scores = _replenish.evaluate(
        ids, group_series, [int(v) for v in starts] + [len(uid)], _f8(cv_pd[target_col]), _f8(insample), insample_offsets, columns, list(metrics), int(season_length)
    )
    rows = [r for r in scores if (r[0] is None) == agg]
    table = pd.DataFrame(rows, columns=[id_col, "metric", "model", "value"])
    wide = table.pivot_table(index=[id_col, "metric"] if not agg else ["metric"], columns="model", values="value", sort=False).reset_index()
    wide.columns.name = None
    if agg:
        wide = wide.drop(columns=[id_col], errors="ignore")
    return _frame({c: wide[c].to_numpy() for c in wide.columns}, _kind(cv))
