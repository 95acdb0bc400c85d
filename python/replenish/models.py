"""Forecasting models as objects with parameters (names follow statsforecast).

>>> from replenish.models import SeasonalNaive, TSB
>>> SeasonalNaive(season_length=7).config()
{'model': 'SeasonalNaive', 'season_length': 7}
>>> TSB(alpha_d=0.2).alias
'TSB'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict, Optional, Sequence, Union


class _Model:
    """Base of the model classes: ``config()`` is what the engine receives."""

    @property
    def alias(self) -> str:
        return type(self).__name__

    def config(self) -> Dict[str, Any]:
        params = {k: v for k, v in asdict(self).items() if v is not None}  # type: ignore[call-overload]
        return {"model": self.alias, **params}


@dataclass(frozen=True)
class Naive(_Model):
    """Last value carried forward; intervals σ·√h."""


@dataclass(frozen=True)
class SeasonalNaive(_Model):
    """The value one season ago; intervals σ·√(⌊(h−1)/m⌋+1)."""

    season_length: int


@dataclass(frozen=True)
class HistoricAverage(_Model):
    """Mean of the whole history; intervals σ·√(1+1/n)."""


@dataclass(frozen=True)
class WindowAverage(_Model):
    """Mean of the last ``window`` observations."""

    window: int


@dataclass(frozen=True)
class SeasonalWindowAverage(_Model):
    """Per season position, the mean over the last ``window`` seasons."""

    season_length: int
    window: int


@dataclass(frozen=True)
class RandomWalkWithDrift(_Model):
    """Random walk with the average historical change as drift."""


@dataclass(frozen=True)
class CrostonClassic(_Model):
    """Croston's method, α = 0.1."""


@dataclass(frozen=True)
class CrostonOptimized(_Model):
    """Croston's method with α for sizes and intervals optimised in [0.1, 0.3]."""


@dataclass(frozen=True)
class CrostonSBA(_Model):
    """Croston with the Syntetos–Boylan bias correction."""


@dataclass(frozen=True)
class TSB(_Model):
    """Teunter–Syntetos–Babai; smoothing parameters left as None are optimised."""

    alpha_d: Optional[float] = None
    alpha_p: Optional[float] = None


@dataclass(frozen=True)
class ADIDA(_Model):
    """Aggregate–disaggregate intermittent demand approach."""


@dataclass(frozen=True)
class IMAPA(_Model):
    """Multiple aggregation levels of ADIDA, averaged."""


@dataclass(frozen=True)
class Theta(_Model):
    """Standard Theta model (θ = 2) with seasonal adjustment at ``season_length``."""

    season_length: int = 1


@dataclass(frozen=True)
class AutoARIMA(_Model):
    """ARIMA with its orders chosen by the stepwise AICc search of R's auto.arima
    (seasonal differencing from STL seasonal strength, differencing from KPSS)."""

    season_length: int = 1


@dataclass(frozen=True)
class OptimizedTheta(_Model):
    """Theta with θ optimised."""

    season_length: int = 1


@dataclass(frozen=True)
class DynamicTheta(_Model):
    """Theta (θ = 2) with the trend line updated by each observation."""

    season_length: int = 1


@dataclass(frozen=True)
class DynamicOptimizedTheta(_Model):
    """Dynamic Theta with θ optimised."""

    season_length: int = 1


@dataclass(frozen=True)
class AutoTheta(_Model):
    """The best of the four Theta models by in-sample error."""

    season_length: int = 1


@dataclass(frozen=True)
class AutoSelect(_Model):
    """Per series, the candidate with the lowest holdout MAE; candidates by demand
    class when not given (intermittent family for intermittent/lumpy demand)."""

    season_length: int = 1
    candidates: Optional[Sequence[_Model]] = None
    holdout: Optional[int] = None
    windows: Optional[int] = None

    def config(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"model": "AutoSelect", "season_length": self.season_length}
        if self.candidates is not None:
            out["candidates"] = [c.config() for c in self.candidates]
        if self.holdout is not None:
            out["holdout"] = self.holdout
        if self.windows is not None:
            out["windows"] = self.windows
        return out


@dataclass(frozen=True)
class Ensemble(_Model):
    """The mean (or median) of several models; intervals from the mixture of their paths."""

    models: Sequence[_Model] = ()
    combine: str = "mean"

    def config(self) -> Dict[str, Any]:
        return {"model": "Ensemble", "models": [m.config() for m in self.models], "combine": self.combine}


@dataclass(frozen=True)
class AutoETS(_Model):
    """Exponential smoothing with the structure chosen by AICc (errors A/M, trend
    N/A/Ad, season N/A/M), parameters and initial states by maximum likelihood."""

    season_length: int = 1


@dataclass(frozen=True)
class ETS(_Model):
    """Exponential smoothing with a fixed structure, e.g. ``ETS(spec="MAdM", season_length=7)``."""

    spec: str = "ANN"
    season_length: int = 1


@dataclass(frozen=True)
class SES(_Model):
    """Simple exponential smoothing (ETS ANN)."""


@dataclass(frozen=True)
class Holt(_Model):
    """Holt's linear trend (ETS AAN)."""


@dataclass(frozen=True)
class HoltDamped(_Model):
    """Holt with a damped trend (ETS AAdN)."""


@dataclass(frozen=True)
class HoltWinters(_Model):
    """Holt-Winters (ETS AAA; MAM with ``multiplicative=True``)."""

    season_length: int = 2
    multiplicative: bool = False


@dataclass(frozen=True)
class ARIMA(_Model):
    """Seasonal ARIMA with a fixed order, fitted by CSS then exact maximum likelihood,
    e.g. ``ARIMA(order=(1, 1, 1), season_length=7, seasonal_order=(0, 1, 1))``."""

    order: Sequence[int] = (0, 0, 0)
    season_length: int = 1
    seasonal_order: Sequence[int] = (0, 0, 0)
    include_mean: bool = True
    include_drift: bool = False

    def config(self) -> Dict[str, Any]:
        return {
            "model": "ARIMA",
            "order": list(self.order),
            "season_length": self.season_length,
            "seasonal_order": list(self.seasonal_order),
            "include_mean": self.include_mean,
            "include_drift": self.include_drift,
        }


@dataclass(frozen=True)
class GBDT(_Model):
    """A global gradient-boosted-trees model across all series (as mlforecast with
    LightGBM): lags, rolling means, calendar features and the frame's regressor
    columns; ``strategy`` is ``"recursive"`` or ``"direct"``. Empty ``lags`` /
    ``rolling_means`` take defaults from ``season_length``. The forecast frame gets
    a ``GBDT-effect-<regressor>`` column per regressor (the forecast less the
    forecast with the regressor at its usual value)."""

    season_length: int = 1
    lags: Sequence[int] = ()
    rolling_means: Sequence[int] = ()
    strategy: str = "recursive"
    calendar: bool = True
    scale: bool = True
    n_estimators: int = 500
    learning_rate: float = 0.05
    num_leaves: int = 31
    min_data_in_leaf: int = 20
    reg_lambda: float = 0.0
    subsample: float = 1.0
    colsample: float = 1.0
    max_bin: int = 255
    seed: int = 0

    def config(self) -> Dict[str, Any]:
        params = asdict(self)
        params["lambda"] = params.pop("reg_lambda")
        params["lags"] = list(self.lags)
        params["rolling_means"] = list(self.rolling_means)
        return {"model": "GBDT", **params}


@dataclass(frozen=True)
class MSTL(_Model):
    """Several seasonal periods by MSTL, e.g. ``MSTL(season_length=[7, 365.25])``;
    the seasonally adjusted series is forecast by ``trend_forecaster`` (default
    AutoETS without a season; ``AutoARIMA()`` uses the frame's regressors) and each
    seasonal component by its last cycle."""

    season_length: Union[float, Sequence[float]] = 1
    trend_forecaster: Optional[_Model] = None

    def config(self) -> Dict[str, Any]:
        periods = [self.season_length] if isinstance(self.season_length, (int, float)) else list(self.season_length)
        return {
            "model": "MSTL",
            "season_length": [float(p) for p in periods],
            "trend_forecaster": None if self.trend_forecaster is None else self.trend_forecaster.config(),
        }


ALL = (
    Naive,
    SeasonalNaive,
    HistoricAverage,
    WindowAverage,
    SeasonalWindowAverage,
    RandomWalkWithDrift,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
    TSB,
    ADIDA,
    IMAPA,
    Theta,
    OptimizedTheta,
    DynamicTheta,
    DynamicOptimizedTheta,
    AutoTheta,
    AutoSelect,
    Ensemble,
    AutoETS,
    AutoARIMA,
    ETS,
    SES,
    Holt,
    HoltDamped,
    HoltWinters,
    ARIMA,
    GBDT,
    MSTL,
)
