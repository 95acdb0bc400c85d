//! Demand forecasting for many series at once.
//!
//! Every model comes in two types: an unfitted [`ModelSpec`] (its parameters) and
//! the [`Fitted`] model its `fit` returns. A fitted model gives a point forecast,
//! the analytic standard deviation of each step where the model has one, and
//! simulated sample paths, so that every model — intermittent ones included — yields
//! prediction intervals, quantiles and the distribution of total demand over a
//! horizon (what the policy engine needs for lead-time demand).
//!
//! [`forecast_batch`] runs a set of models over a [`Panel`] (one value array plus
//! offsets) in parallel with rayon. Results are identical whatever the number of
//! threads: each (series, model) pair has its own seeded random stream.
//!
//! Data policy (documented in `docs/forecasting.md`):
//! * missing values (`NaN`, e.g. censored stock-out days) follow [`MissingPolicy`];
//! * a series shorter than a model needs, or a fit that fails, falls back to the
//!   request's fallback model (default `Naive`), and the output names the series;
//! * a series with no observation at all is an [`Error::InvalidInput`].

pub mod arima;
pub mod auto;
pub mod auto_arima;
pub mod baselines;
pub mod cv;
pub mod ets;
pub mod events;
pub mod exog;
pub mod gbdt;
pub mod intermittent;
mod linalg;
pub mod mstl;
mod optim;
pub mod seasonal;
pub mod stl;
pub mod theta;

use crate::error::{Error, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use arima::{Arima, ArimaCoefficients, ArimaOrder};
pub use auto::*;
pub use auto_arima::AutoArima;
pub use baselines::*;
pub use cv::*;
pub use ets::{Component, Ets, EtsSpec};
pub use events::{dates_from_days, event_columns, Event};
pub use exog::{align_future, FutureRows, TimeUnit};
pub use gbdt::{GbdtConfig, Strategy, Times};
pub use intermittent::*;
pub use theta::*;

/// What to do with missing values (`NaN`) in a series.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// A missing value is an error naming the series and position (the default:
    /// nothing is changed silently).
    #[default]
    Error,
    /// Missing values are left out; the remaining values are treated as consecutive.
    /// Used for censored (stock-out) days, so the shortage is not learnt as low demand.
    Drop,
    /// Linear interpolation between the nearest observed neighbours; leading and
    /// trailing gaps take the nearest observed value.
    Interpolate,
    /// Missing values are zero demand.
    Zero,
}

/// Options common to all models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FitOptions {
    pub missing: MissingPolicy,
    /// Clamp forecasts, bounds and simulated paths at zero (demand cannot be negative).
    pub non_negative: bool,
    /// Convergence tolerance of parameter optimisation.
    pub tolerance: f64,
    /// Iteration limit of parameter optimisation.
    pub max_iterations: usize,
    /// Seed of simulated paths.
    pub seed: u64,
    /// Number of simulated paths for sample-based intervals and horizon totals.
    pub n_paths: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            missing: MissingPolicy::Error,
            non_negative: false,
            tolerance: 1e-8,
            max_iterations: 200,
            seed: 0,
            n_paths: 1000,
        }
    }
}

/// A model with its parameters, not yet fitted.
pub trait ModelSpec: Send + Sync + std::fmt::Debug {
    /// Column name in outputs (`SeasonalNaive`, `CrostonSBA`, ...).
    fn name(&self) -> String;
    /// Fewest observations the model can be fitted on.
    fn min_length(&self) -> usize {
        1
    }
    /// Fits the model to a series without missing values.
    fn fit(&self, y: &[f64], options: &FitOptions) -> Result<Box<dyn Fitted>>;
    /// Whether the model uses exogenous regressors; the others ignore them, as in
    /// statsforecast.
    fn uses_regressors(&self) -> bool {
        false
    }
    /// The configuration of a global model (fitted across all series at once).
    fn as_global(&self) -> Option<&GbdtConfig> {
        None
    }
    /// Fits the model with the series' regressors (history and horizon).
    fn fit_with(&self, y: &[f64], x: Option<&SeriesRegressors>, options: &FitOptions) -> Result<Box<dyn Fitted>> {
        let _ = x;
        self.fit(y, options)
    }
}

/// A global model as a spec: forecast_batch and cross_validation fit it across all
/// series; on its own (inside an ensemble, or per series in the plan) it cannot fit.
#[derive(Debug)]
struct Global(GbdtConfig);

impl ModelSpec for Global {
    fn name(&self) -> String {
        "GBDT".into()
    }
    fn fit(&self, _y: &[f64], _options: &FitOptions) -> Result<Box<dyn Fitted>> {
        Err(Error::InvalidInput(
            "GBDT is a global model: it is fitted across all series by forecast/cross_validation, not per series"
                .into(),
        ))
    }
    fn uses_regressors(&self) -> bool {
        true
    }
    fn as_global(&self) -> Option<&GbdtConfig> {
        Some(&self.0)
    }
}

/// Exogenous regressors of one series: one column per regressor over the history
/// (as long as the series) and over the forecast horizon.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeriesRegressors {
    pub names: Vec<String>,
    pub history: Vec<Vec<f64>>,
    pub future: Vec<Vec<f64>>,
}

impl SeriesRegressors {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The history cut at `end`, with the next `h` actual values as its future (a
    /// backtest window).
    pub(crate) fn window(&self, end: usize, h: usize) -> SeriesRegressors {
        SeriesRegressors {
            names: self.names.clone(),
            history: self.history.iter().map(|c| c[..end].to_vec()).collect(),
            future: self.history.iter().map(|c| c[end..(end + h).min(c.len())].to_vec()).collect(),
        }
    }
}

/// A fitted model.
pub trait Fitted: Send + Sync + std::fmt::Debug {
    /// Point forecast (the mean) for steps 1..=h.
    fn mean(&self, h: usize) -> Vec<f64>;
    /// Analytic forecast standard deviation per step, where the model has one.
    fn sd(&self, h: usize) -> Option<Vec<f64>>;
    /// One simulated future path of length `h`.
    fn simulate(&self, h: usize, rng: &mut ChaCha8Rng) -> Vec<f64>;
    /// [`Fitted::simulate`] written into `out` (replacing what it held): the same
    /// draws, without allocating a path. Models simulated on hot paths override it.
    fn simulate_into(&self, h: usize, rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        *out = self.simulate(h, rng);
    }
    /// The spec with the parameters this fit estimated pinned, so a later fit on more
    /// data updates states without re-estimating (cross-validation with `refit =
    /// false`). `None`: the model estimates nothing beyond its states.
    fn pinned(&self) -> Option<Box<dyn ModelSpec>> {
        None
    }
    /// Per regressor, its effect on the mean forecast over the supplied horizon: the
    /// forecast less the forecast with that regressor at its usual value (models with
    /// regressors; empty for the others).
    fn effects(&self) -> Vec<(String, Vec<f64>)> {
        Vec::new()
    }
    /// For a model that chooses among candidates: which one it chose and why (e.g.
    /// `Theta, beat WindowAverage: holdout RMSE 2.10 vs 2.31`); `None` for the others.
    fn chosen(&self) -> Option<String> {
        None
    }
}

/// A model choice as data (configuration files, Python, Node). Names follow
/// statsforecast; snake_case aliases are accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", deny_unknown_fields)]
pub enum ModelConfig {
    Naive,
    SeasonalNaive {
        season_length: usize,
    },
    HistoricAverage,
    #[serde(alias = "window_average")]
    WindowAverage {
        window: usize,
    },
    SeasonalWindowAverage {
        season_length: usize,
        window: usize,
    },
    RandomWalkWithDrift,
    CrostonClassic,
    CrostonOptimized,
    #[serde(rename = "CrostonSBA")]
    CrostonSba,
    #[serde(rename = "TSB")]
    Tsb {
        /// Smoothing of the demand probability; `None` = optimised.
        #[serde(default)]
        alpha_d: Option<f64>,
        /// Smoothing of the demand size; `None` = optimised.
        #[serde(default)]
        alpha_p: Option<f64>,
    },
    #[serde(rename = "ADIDA")]
    Adida,
    #[serde(rename = "IMAPA")]
    Imapa,
    /// Standard Theta (θ = 2), with seasonal adjustment at `season_length`.
    Theta {
        season_length: usize,
    },
    OptimizedTheta {
        season_length: usize,
    },
    DynamicTheta {
        season_length: usize,
    },
    DynamicOptimizedTheta {
        season_length: usize,
    },
    /// The best of the four Theta models by in-sample error.
    AutoTheta {
        season_length: usize,
    },
    /// Per series, the candidate with the lowest mean holdout RMSE (candidates by demand
    /// class unless given); see [`AutoSelect`].
    AutoSelect {
        season_length: usize,
        #[serde(default)]
        candidates: Option<Vec<ModelConfig>>,
        /// Holdout length; default max(2 · season_length, 14).
        #[serde(default)]
        holdout: Option<usize>,
        /// Rolling holdout windows scored; default 3.
        #[serde(default)]
        windows: Option<usize>,
    },
    /// ETS with the structure chosen by AICc over the whole taxonomy.
    #[serde(rename = "AutoETS")]
    AutoEts {
        season_length: usize,
    },
    /// ETS with a fixed structure code: error A/M, trend N/A/Ad, season N/A/M (e.g. `MAdM`).
    #[serde(rename = "ETS")]
    Ets {
        season_length: usize,
        spec: String,
    },
    /// Simple exponential smoothing (ETS ANN).
    #[serde(rename = "SES")]
    Ses,
    /// Holt's linear trend (ETS AAN).
    Holt,
    /// Holt with a damped trend (ETS AAdN).
    HoltDamped,
    /// Holt-Winters (ETS AAA, or MAM with `multiplicative`).
    HoltWinters {
        season_length: usize,
        #[serde(default)]
        multiplicative: bool,
    },
    /// Seasonal ARIMA with a fixed order (statsforecast's `ARIMA`); see [`Arima`].
    #[serde(rename = "ARIMA")]
    Arima {
        /// (p, d, q).
        #[serde(default)]
        order: [usize; 3],
        #[serde(default = "default_season")]
        season_length: usize,
        /// (P, D, Q) at lag `season_length`.
        #[serde(default)]
        seasonal_order: [usize; 3],
        /// A mean when the series is not differenced.
        #[serde(default = "default_true")]
        include_mean: bool,
        /// A drift when it is differenced once.
        #[serde(default)]
        include_drift: bool,
    },
    /// A global gradient-boosted-trees model across all series; see [`gbdt`].
    #[serde(rename = "GBDT")]
    Gbdt(GbdtConfig),
    /// ARIMA with its orders chosen by the stepwise AICc search; see [`AutoArima`].
    #[serde(rename = "AutoARIMA")]
    AutoArima {
        season_length: usize,
    },
    /// The mean or median of several models; see [`Ensemble`].
    Ensemble {
        models: Vec<ModelConfig>,
        #[serde(default)]
        combine: Combine,
    },
    /// Several seasonal periods by MSTL with a trend forecaster; see [`mstl`].
    #[serde(rename = "MSTL")]
    Mstl {
        /// Seasonal periods, e.g. `[7, 365.25]` for daily data.
        season_length: Vec<f64>,
        /// Forecaster of the seasonally adjusted series (default AutoETS without a
        /// season; give AutoARIMA to use regressors).
        #[serde(default)]
        trend_forecaster: Option<Box<ModelConfig>>,
    },
}

/// Every model name [`ModelConfig::from_name`] knows.
pub const MODEL_NAMES: [&str; 27] = [
    "Naive",
    "SeasonalNaive",
    "HistoricAverage",
    "WindowAverage",
    "SeasonalWindowAverage",
    "RandomWalkWithDrift",
    "CrostonClassic",
    "CrostonOptimized",
    "CrostonSBA",
    "TSB",
    "ADIDA",
    "IMAPA",
    "Theta",
    "OptimizedTheta",
    "DynamicTheta",
    "DynamicOptimizedTheta",
    "AutoTheta",
    "AutoSelect",
    "Ensemble",
    "AutoETS",
    "SES",
    "Holt",
    "HoltDamped",
    "HoltWinters",
    "AutoARIMA",
    "GBDT",
    "MSTL",
];

impl ModelConfig {
    /// A model by name with default parameters: `season_length` for the seasonal
    /// models; `WindowAverage` uses a 28-period window and `SeasonalWindowAverage`
    /// the last 4 seasons; TSB optimises both smoothing parameters.
    pub fn from_name(name: &str, season_length: usize) -> Result<ModelConfig> {
        let m = season_length.max(1);
        Ok(match name {
            "Naive" => ModelConfig::Naive,
            "SeasonalNaive" => ModelConfig::SeasonalNaive { season_length: m },
            "HistoricAverage" => ModelConfig::HistoricAverage,
            "WindowAverage" => ModelConfig::WindowAverage { window: 28 },
            "SeasonalWindowAverage" => ModelConfig::SeasonalWindowAverage { season_length: m, window: 4 },
            "RandomWalkWithDrift" => ModelConfig::RandomWalkWithDrift,
            "CrostonClassic" => ModelConfig::CrostonClassic,
            "CrostonOptimized" => ModelConfig::CrostonOptimized,
            "CrostonSBA" => ModelConfig::CrostonSba,
            "TSB" => ModelConfig::Tsb { alpha_d: None, alpha_p: None },
            "ADIDA" => ModelConfig::Adida,
            "IMAPA" => ModelConfig::Imapa,
            "Theta" => ModelConfig::Theta { season_length: m },
            "OptimizedTheta" => ModelConfig::OptimizedTheta { season_length: m },
            "DynamicTheta" => ModelConfig::DynamicTheta { season_length: m },
            "DynamicOptimizedTheta" => ModelConfig::DynamicOptimizedTheta { season_length: m },
            "AutoTheta" => ModelConfig::AutoTheta { season_length: m },
            "AutoETS" => ModelConfig::AutoEts { season_length: m },
            "AutoARIMA" => ModelConfig::AutoArima { season_length: m },
            "GBDT" => ModelConfig::Gbdt(GbdtConfig { season_length: m, ..Default::default() }),
            "SES" => ModelConfig::Ses,
            "Holt" => ModelConfig::Holt,
            "HoltDamped" => ModelConfig::HoltDamped,
            "HoltWinters" => ModelConfig::HoltWinters { season_length: m, multiplicative: false },
            "AutoSelect" => {
                ModelConfig::AutoSelect { season_length: m, candidates: None, holdout: None, windows: None }
            }
            "Ensemble" => ModelConfig::Ensemble { models: default_ensemble(m), combine: Combine::Mean },
            "MSTL" => ModelConfig::Mstl { season_length: vec![m as f64], trend_forecaster: None },
            other => {
                return Err(Error::InvalidInput(format!(
                    "unknown model `{other}`; known models: {}",
                    MODEL_NAMES.join(", ")
                )))
            }
        })
    }

    /// A model as the bindings send it: a bare name (given its default parameters
    /// with `season_length`, as [`ModelConfig::from_name`]) or the serialised object.
    pub fn from_value(value: serde_json::Value, season_length: usize) -> Result<ModelConfig> {
        match value.as_str() {
            Some(name) => ModelConfig::from_name(name, season_length),
            None => serde_json::from_value(value).map_err(|e| Error::config("model", e.to_string())),
        }
    }

    /// Builds the model, checking its parameters.
    pub fn build(&self) -> Result<Box<dyn ModelSpec>> {
        let positive = |field: &str, v: usize| {
            if v == 0 {
                Err(Error::config(field, "must be at least 1"))
            } else {
                Ok(v)
            }
        };
        let unit = |field: &str, v: Option<f64>| match v {
            Some(a) if !(a > 0.0 && a <= 1.0) => Err(Error::config(field, format!("{a} is outside (0, 1]"))),
            _ => Ok(v),
        };
        Ok(match *self {
            ModelConfig::Naive => Box::new(Naive),
            ModelConfig::SeasonalNaive { season_length } => {
                Box::new(SeasonalNaive { season_length: positive("season_length", season_length)? })
            }
            ModelConfig::HistoricAverage => Box::new(HistoricAverage),
            ModelConfig::WindowAverage { window } => Box::new(WindowAverage { window: positive("window", window)? }),
            ModelConfig::SeasonalWindowAverage { season_length, window } => Box::new(SeasonalWindowAverage {
                season_length: positive("season_length", season_length)?,
                window: positive("window", window)?,
            }),
            ModelConfig::RandomWalkWithDrift => Box::new(RandomWalkWithDrift),
            ModelConfig::CrostonClassic => Box::new(Croston { variant: CrostonVariant::Classic }),
            ModelConfig::CrostonOptimized => Box::new(Croston { variant: CrostonVariant::Optimized }),
            ModelConfig::CrostonSba => Box::new(Croston { variant: CrostonVariant::Sba }),
            ModelConfig::Tsb { alpha_d, alpha_p } => {
                Box::new(Tsb { alpha_d: unit("alpha_d", alpha_d)?, alpha_p: unit("alpha_p", alpha_p)? })
            }
            ModelConfig::Adida => Box::new(Adida),
            ModelConfig::Imapa => Box::new(Imapa),
            ModelConfig::Theta { season_length } => {
                theta(Some(ThetaKind::Standard), positive("season_length", season_length)?)
            }
            ModelConfig::OptimizedTheta { season_length } => {
                theta(Some(ThetaKind::Optimized), positive("season_length", season_length)?)
            }
            ModelConfig::DynamicTheta { season_length } => {
                theta(Some(ThetaKind::Dynamic), positive("season_length", season_length)?)
            }
            ModelConfig::DynamicOptimizedTheta { season_length } => {
                theta(Some(ThetaKind::DynamicOptimized), positive("season_length", season_length)?)
            }
            ModelConfig::AutoTheta { season_length } => theta(None, positive("season_length", season_length)?),
            ModelConfig::AutoSelect { season_length, ref candidates, holdout, windows } => {
                let season_length = positive("season_length", season_length)?;
                let holdout = positive("holdout", holdout.unwrap_or((2 * season_length).max(14)))?;
                let windows = positive("windows", windows.unwrap_or(3))?;
                let candidates = match candidates {
                    Some(c) if c.is_empty() => return Err(Error::config("candidates", "give at least one model")),
                    Some(c) => Some(c.iter().map(ModelConfig::build).collect::<Result<_>>()?),
                    None => None,
                };
                Box::new(AutoSelect { season_length, candidates, holdout, windows })
            }
            ModelConfig::AutoEts { season_length } => Box::new(Ets {
                season_length: positive("season_length", season_length)?,
                spec: None,
                name: "AutoETS".into(),
            }),
            ModelConfig::Ets { season_length, ref spec } => {
                let parsed = parse_ets(spec)?;
                Box::new(Ets {
                    season_length: positive("season_length", season_length)?,
                    spec: Some(parsed),
                    name: "ETS".into(),
                })
            }
            ModelConfig::Ses => Box::new(Ets { season_length: 1, spec: Some(parse_ets("ANN")?), name: "SES".into() }),
            ModelConfig::Holt => Box::new(Ets { season_length: 1, spec: Some(parse_ets("AAN")?), name: "Holt".into() }),
            ModelConfig::HoltDamped => {
                Box::new(Ets { season_length: 1, spec: Some(parse_ets("AAdN")?), name: "HoltDamped".into() })
            }
            ModelConfig::HoltWinters { season_length, multiplicative } => {
                let season_length = positive("season_length", season_length)?;
                if season_length < 2 {
                    return Err(Error::config("season_length", "Holt-Winters needs a season of at least 2"));
                }
                let code = if multiplicative { "MAM" } else { "AAA" };
                Box::new(Ets { season_length, spec: Some(parse_ets(code)?), name: "HoltWinters".into() })
            }
            ModelConfig::Arima { order, season_length, seasonal_order, include_mean, include_drift } => {
                let season_length = positive("season_length", season_length)?;
                let [p, d, q] = order;
                let [sp, sd, sq] = seasonal_order;
                if sp + sd + sq > 0 && season_length < 2 {
                    return Err(Error::config("season_length", "a seasonal order needs a season of at least 2"));
                }
                if d + sd > 2 {
                    return Err(Error::config("order", "at most two differences in total (d + D ≤ 2)"));
                }
                if p + q + (sp + sq) * season_length > 400 {
                    return Err(Error::config("order", "the expanded AR/MA polynomials exceed 400 lags"));
                }
                let order = ArimaOrder { p, d, q, sp, sd, sq, m: season_length };
                Box::new(Arima {
                    order,
                    include_mean,
                    include_drift,
                    fixed: None,
                    css_only: false,
                    root_margin: 1.0,
                    name: "ARIMA".into(),
                })
            }
            ModelConfig::AutoArima { season_length } => {
                Box::new(AutoArima::new(positive("season_length", season_length)?))
            }
            ModelConfig::Mstl { ref season_length, ref trend_forecaster } => {
                if season_length.is_empty() || season_length.iter().any(|p| !(p.is_finite() && *p >= 1.0)) {
                    return Err(Error::config("season_length", "MSTL needs one or more periods, each at least 1"));
                }
                let trend = match trend_forecaster {
                    Some(t) => t.build()?,
                    None => ModelConfig::AutoEts { season_length: 1 }.build()?,
                };
                if trend.as_global().is_some() {
                    return Err(Error::config(
                        "trend_forecaster",
                        "a global model (GBDT) cannot be MSTL's trend forecaster",
                    ));
                }
                Box::new(mstl::Mstl { periods: season_length.clone(), trend })
            }
            ModelConfig::Gbdt(ref cfg) => {
                cfg.validate()?;
                Box::new(Global(cfg.clone()))
            }
            ModelConfig::Ensemble { ref models, combine } => {
                if models.is_empty() {
                    return Err(Error::config("models", "an ensemble needs at least one model"));
                }
                Box::new(Ensemble { members: models.iter().map(ModelConfig::build).collect::<Result<_>>()?, combine })
            }
        })
    }
}

fn default_season() -> usize {
    1
}

fn default_true() -> bool {
    true
}

/// Parses an ETS structure code such as `ANN`, `AAdN` or `MAM`.
pub fn parse_ets(code: &str) -> Result<EtsSpec> {
    let bad = || {
        Error::config("spec", format!("`{code}` is not an ETS code: error A|M, trend N|A|Ad, season N|A|M (e.g. MAdM)"))
    };
    let c = |ch: char| match ch {
        'N' => Some(Component::None),
        'A' => Some(Component::Additive),
        'M' => Some(Component::Multiplicative),
        _ => None,
    };
    let chars: Vec<char> = code.chars().collect();
    let (error, trend, damped, season) = match chars.as_slice() {
        [e, t, 'd', s] => (c(*e), c(*t), true, c(*s)),
        [e, t, s] => (c(*e), c(*t), false, c(*s)),
        _ => return Err(bad()),
    };
    match (error, trend, season) {
        (
            Some(error @ (Component::Additive | Component::Multiplicative)),
            Some(trend @ (Component::None | Component::Additive)),
            Some(season),
        ) if !(damped && trend == Component::None) => Ok(EtsSpec { error, trend, damped, season }),
        _ => Err(bad()),
    }
}

fn theta(kind: Option<ThetaKind>, season_length: usize) -> Box<dyn ModelSpec> {
    Box::new(Theta { kind, season_length })
}

/// Many series held as one value array plus offsets: series `i` is
/// `values[offsets[i]..offsets[i + 1]]`, identified by `ids[i]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub ids: Vec<String>,
    pub offsets: Vec<usize>,
    pub values: Vec<f64>,
    /// Exogenous regressors (promotions, prices, events, weather), if any.
    #[serde(default)]
    pub regressors: Option<Regressors>,
    /// Times of the values (and of the horizon), for calendar features.
    #[serde(default)]
    pub times: Option<Times>,
}

/// Exogenous regressors of a panel: named columns over the history (aligned with
/// [`Panel::values`]) and over the forecast horizon (`h` values per series, in series
/// order). Models that use regressors (ARIMA, AutoARIMA, MSTL's trend, GBDT) need the
/// horizon's values; the others ignore regressors, as in statsforecast.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Regressors {
    pub names: Vec<String>,
    /// One column per name, as long as the panel's values.
    pub history: Vec<Vec<f64>>,
    /// One column per name, `n_series × h` values; empty when only history is known
    /// (cross-validation takes its futures from the history).
    #[serde(default)]
    pub future: Vec<Vec<f64>>,
}

impl Panel {
    /// Builds a panel, checking that offsets start at 0, never decrease and end at
    /// `values.len()`, and that there is one id per series.
    pub fn new(ids: Vec<String>, offsets: Vec<usize>, values: Vec<f64>) -> Result<Panel> {
        let ok = offsets.first() == Some(&0)
            && offsets.last() == Some(&values.len())
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && ids.len() + 1 == offsets.len();
        if !ok {
            return Err(Error::InvalidInput(format!(
                "panel offsets must start at 0, not decrease, end at the number of values ({}), and number one more than the ids ({})",
                values.len(),
                ids.len()
            )));
        }
        Ok(Panel { ids, offsets, values, regressors: None, times: None })
    }

    /// Attaches the values' times (one per value, increasing within each series)
    /// and optionally the horizon's (`h` per series).
    pub fn with_times(mut self, times: Times) -> Result<Panel> {
        if times.history.len() != self.values.len() {
            return Err(Error::InvalidInput(format!(
                "{} times for {} values: give one time per value",
                times.history.len(),
                self.values.len()
            )));
        }
        for i in 0..self.len() {
            let t = &times.history[self.offsets[i]..self.offsets[i + 1]];
            if let Some(k) = t.windows(2).position(|w| w[1] <= w[0]) {
                return Err(Error::InvalidInput(format!(
                    "series `{}`: times must increase; {} follows {}",
                    self.ids[i],
                    times.unit.label(t[k + 1]),
                    times.unit.label(t[k])
                )));
            }
        }
        if !times.future.is_empty() && (self.is_empty() || !times.future.len().is_multiple_of(self.len())) {
            return Err(Error::InvalidInput(format!(
                "{} future times for {} series: give h per series",
                times.future.len(),
                self.len()
            )));
        }
        self.times = Some(times);
        Ok(self)
    }

    /// Attaches regressors, checking names (non-empty, unique) and history lengths;
    /// future lengths are checked against the horizon when forecasting.
    pub fn with_regressors(mut self, regressors: Regressors) -> Result<Panel> {
        let r = &regressors;
        if r.history.len() != r.names.len() || !(r.future.is_empty() || r.future.len() == r.names.len()) {
            return Err(Error::InvalidInput(format!(
                "{} regressor names but {} history and {} future columns",
                r.names.len(),
                r.history.len(),
                r.future.len()
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for name in &r.names {
            if name.trim().is_empty() {
                return Err(Error::InvalidInput("a regressor has an empty name".into()));
            }
            if !seen.insert(name) {
                return Err(Error::InvalidInput(format!("regressor `{name}` is given twice")));
            }
        }
        for (name, col) in r.names.iter().zip(&r.history) {
            if col.len() != self.values.len() {
                return Err(Error::InvalidInput(format!(
                    "regressor `{name}` has {} history values, the series have {}",
                    col.len(),
                    self.values.len()
                )));
            }
            if let Some(at) = col.iter().position(|v| !v.is_finite()) {
                let (series, pos) = self.locate(at);
                return Err(Error::InvalidInput(format!(
                    "regressor `{name}` is missing or not finite for series `{}` at position {pos}",
                    self.ids[series]
                )));
            }
        }
        self.regressors = if r.names.is_empty() { None } else { Some(regressors) };
        Ok(self)
    }

    /// Series index and position within it of a value index.
    fn locate(&self, at: usize) -> (usize, usize) {
        let series = self.offsets.partition_point(|&o| o <= at).saturating_sub(1).min(self.len().saturating_sub(1));
        (series, at - self.offsets[series])
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn series(&self, i: usize) -> &[f64] {
        &self.values[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// Applies the missing-value policy; `Err` names the series and position.
pub fn clean(id: &str, y: &[f64], policy: MissingPolicy) -> Result<Vec<f64>> {
    if let Some(bad) = y.iter().position(|v| v.is_infinite()) {
        return Err(Error::InvalidInput(format!("series `{id}`: value {} at position {bad} is not finite", y[bad])));
    }
    if !y.iter().any(|v| v.is_nan()) {
        return Ok(y.to_vec());
    }
    match policy {
        MissingPolicy::Error => {
            let at = y.iter().position(|v| v.is_nan()).unwrap_or(0);
            Err(Error::InvalidInput(format!(
                "series `{id}` has a missing value at position {at}; choose a missing-value policy (drop, interpolate, zero)"
            )))
        }
        MissingPolicy::Drop => Ok(y.iter().copied().filter(|v| !v.is_nan()).collect()),
        MissingPolicy::Zero => Ok(y.iter().map(|v| if v.is_nan() { 0.0 } else { *v }).collect()),
        MissingPolicy::Interpolate => {
            let known: Vec<usize> = (0..y.len()).filter(|&i| !y[i].is_nan()).collect();
            if known.is_empty() {
                return Ok(Vec::new());
            }
            let mut out = y.to_vec();
            for (i, v) in out.iter_mut().enumerate() {
                if v.is_nan() {
                    let right = known.partition_point(|&k| k < i);
                    *v = match (right.checked_sub(1).map(|l| known[l]), known.get(right)) {
                        (Some(l), Some(&r)) => y[l] + (y[r] - y[l]) * (i - l) as f64 / (r - l) as f64,
                        (Some(l), None) => y[l],
                        (None, Some(&r)) => y[r],
                        (None, None) => 0.0,
                    };
                }
            }
            Ok(out)
        }
    }
}

/// What to forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForecastRequest {
    pub h: usize,
    pub models: Vec<ModelConfig>,
    /// Prediction interval levels in percent, e.g. `[80, 95]`.
    pub levels: Vec<f64>,
    /// Quantiles in (0, 1), e.g. `[0.1, 0.5, 0.9]`.
    pub quantiles: Vec<f64>,
    /// Quantiles of total demand over the horizon (from sample paths).
    pub total_quantiles: Vec<f64>,
    /// Used when a model cannot be fitted to a series.
    pub fallback: Option<ModelConfig>,
    /// Simulated sample paths to return per series and model (0 = none).
    pub return_paths: usize,
    pub options: FitOptions,
}

impl Default for ForecastRequest {
    fn default() -> Self {
        ForecastRequest {
            h: 1,
            models: vec![],
            levels: vec![],
            quantiles: vec![],
            total_quantiles: vec![],
            fallback: Some(ModelConfig::Naive),
            return_paths: 0,
            options: FitOptions::default(),
        }
    }
}

/// One model's forecasts for every series, as flat arrays of `n_series × h` values
/// in series order (series 0's h steps, then series 1's, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelForecast {
    pub model: String,
    pub mean: Vec<f64>,
    /// Per level (in request order): lower and upper bounds.
    pub lo: Vec<Vec<f64>>,
    pub hi: Vec<Vec<f64>>,
    /// Per requested quantile.
    pub quantiles: Vec<Vec<f64>>,
    /// Per series: quantiles of total demand over the horizon (`n_series × k`).
    pub total_quantiles: Vec<f64>,
    /// Per series: mean total demand over the horizon.
    pub total_mean: Vec<f64>,
    /// Requested sample paths, `n_series × return_paths × h` (series, then path, then step).
    pub paths: Vec<f64>,
    /// Series (by index) on which the fallback model was used instead, with why.
    pub fallbacks: Vec<(usize, String)>,
    /// Global models: (feature, share of the total gain), largest first.
    #[serde(default)]
    pub importance: Vec<(String, f64)>,
    /// Global models, per regressor: the forecast less the forecast with that
    /// regressor at its usual value (`n_series × h`), e.g. a promotion's uplift.
    #[serde(default)]
    pub effects: Vec<(String, Vec<f64>)>,
}

/// The result of [`forecast_batch`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchForecast {
    pub ids: Vec<String>,
    pub h: usize,
    pub levels: Vec<f64>,
    pub quantiles: Vec<f64>,
    pub total_quantiles: Vec<f64>,
    pub models: Vec<ModelForecast>,
}

fn check_probabilities(name: &str, v: &[f64]) -> Result<()> {
    match v.iter().find(|q| !(**q > 0.0 && **q < 1.0)) {
        Some(q) => Err(Error::config(name, format!("{q} is outside (0, 1)"))),
        None => Ok(()),
    }
}

/// Column names for the requested models: a repeated name gets a counter, as in
/// statsforecast (`ARIMA`, `ARIMA1`, `ARIMA2`).
fn unique_names(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    names
        .map(|n| {
            let count = seen.entry(n.clone()).or_insert(0);
            let name = if *count == 0 { n } else { format!("{n}{count}") };
            *count += 1;
            name
        })
        .collect()
}

/// Per-series, per-model result before assembly.
pub(crate) struct One {
    mean: Vec<f64>,
    lo: Vec<Vec<f64>>,
    hi: Vec<Vec<f64>>,
    quantiles: Vec<Vec<f64>>,
    total_quantiles: Vec<f64>,
    total_mean: f64,
    paths: Vec<f64>,
    fallback: Option<String>,
    /// Per regressor: its effect on each step's mean (models with regressors).
    effects: Vec<(String, Vec<f64>)>,
}

/// Forecasts every series of a panel with every requested model.
pub fn forecast_batch(panel: &Panel, request: &ForecastRequest) -> Result<BatchForecast> {
    forecast_batch_with(panel, request, &crate::progress::Progress::default())
}

/// [`forecast_batch`], counting one unit of `progress` per series and model (a
/// global model counts its series when it is done) and stopping with
/// [`Error::Cancelled`] once it is cancelled.
pub fn forecast_batch_with(
    panel: &Panel,
    request: &ForecastRequest,
    progress: &crate::progress::Progress,
) -> Result<BatchForecast> {
    progress.check()?;
    let (specs, fallback, cleaned) = prepare(panel, request)?;
    progress.add_total(panel.len() * specs.len());
    check_future_regressors(panel, &specs, request.h)?;
    let mut models = Vec::with_capacity(specs.len());
    let names = unique_names(specs.iter().map(|s| s.name()));
    for (m, (spec, name)) in specs.iter().zip(names).enumerate() {
        if let Some(cfg) = spec.as_global() {
            let inputs: Vec<gbdt::SeriesInput> =
                (0..panel.len()).map(|i| global_input(panel, i, &cleaned[i], Future::Horizon(request.h))).collect();
            let unit = panel.times.as_ref().map(|t| t.unit);
            let (results, global) = run_global(cfg, &inputs, fallback.as_deref(), request, unit, |i| {
                (series_key(&panel.ids[i]), purpose(m, 0))
            })?;
            progress.advance(panel.len());
            progress.check()?;
            let mut mf = assemble(name, results, request);
            if let Some(g) = global {
                mf.importance = g.importance;
                mf.effects = g.effects;
            }
            models.push(mf);
            continue;
        }
        let results: Vec<One> = (0..panel.len())
            .into_par_iter()
            .map(|i| {
                progress.step(|| {
                    let x = if spec.uses_regressors() {
                        series_regressors(panel, i, &cleaned[i].1, Future::Horizon(request.h))
                    } else {
                        None
                    };
                    let key = series_key(&panel.ids[i]);
                    one(spec.as_ref(), fallback.as_deref(), &cleaned[i].0, x.as_ref(), key, purpose(m, 0), request)
                })
            })
            .collect::<Result<_>>()?;
        models.push(assemble(name, results, request));
    }
    Ok(BatchForecast {
        ids: panel.ids.clone(),
        h: request.h,
        levels: request.levels.clone(),
        quantiles: request.quantiles.clone(),
        total_quantiles: request.total_quantiles.clone(),
        models,
    })
}

/// Where a series' future regressor values come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Future {
    /// The panel's future columns, `h` values per series.
    Horizon(usize),
    /// Positions `end..end + h` of the history (cross-validation windows): the
    /// training part is `..end`.
    Window { end: usize, h: usize },
}

/// The regressors of series `i` at its kept positions, with their future values.
pub(crate) fn series_regressors(panel: &Panel, i: usize, kept: &[usize], future: Future) -> Option<SeriesRegressors> {
    let r = panel.regressors.as_ref()?;
    let base = panel.offsets[i];
    let pick = |col: &Vec<f64>, at: &[usize]| -> Vec<f64> { at.iter().map(|&t| col[base + t]).collect() };
    let (history, future) = match future {
        Future::Horizon(h) => (
            r.history.iter().map(|c| pick(c, kept)).collect(),
            r.future.iter().map(|c| c.get(i * h..(i + 1) * h).map(<[f64]>::to_vec).unwrap_or_default()).collect(),
        ),
        Future::Window { end, h } => (
            r.history.iter().map(|c| pick(c, &kept[..end])).collect(),
            r.history.iter().map(|c| pick(c, &kept[end..(end + h).min(kept.len())])).collect(),
        ),
    };
    Some(SeriesRegressors { names: r.names.clone(), history, future })
}

/// Runs a global model over series long enough for its features; the others, or
/// all when the global fit fails, get the fallback model with a note saying why.
/// Effects of series on the fallback are zero. `stream(i)` gives series `i`'s
/// random stream as (key, purpose).
pub(crate) fn run_global(
    cfg: &GbdtConfig,
    inputs: &[gbdt::SeriesInput],
    fallback: Option<&dyn ModelSpec>,
    request: &ForecastRequest,
    unit: Option<TimeUnit>,
    stream: impl Fn(usize) -> (u64, u64),
) -> Result<(Vec<One>, Option<gbdt::GlobalForecast>)> {
    let h = request.h;
    let need = gbdt::warmup(cfg, h) + 1;
    let eligible: Vec<usize> = (0..inputs.len()).filter(|&i| inputs[i].y.len() > need).collect();
    let chosen: Vec<gbdt::SeriesInput> = eligible.iter().map(|&i| inputs[i].clone()).collect();
    let global = if chosen.is_empty() {
        Err(Error::InvalidInput(format!("GBDT: no series has more than {need} values (the longest lag or window)")))
    } else {
        gbdt::forecast_global(cfg, &chosen, h, unit, wants_distribution(request))
    };
    let (global, why_all) = match global {
        Ok(g) => (Some(g), None),
        Err(e) if fallback.is_some() => (None, Some(e.to_string())),
        Err(e) => return Err(e),
    };
    let mut results = Vec::with_capacity(inputs.len());
    let mut slot = 0;
    for (i, input) in inputs.iter().enumerate() {
        if let (Some(g), true) = (&global, eligible.get(slot) == Some(&i)) {
            let (key, purpose) = stream(i);
            results.push(outputs(g.fitted[slot].as_ref(), None, key, purpose, request));
            slot += 1;
            continue;
        }
        let why = why_all.clone().unwrap_or_else(|| {
            format!("GBDT: the series has {} values, the features need more than {need}", input.y.len())
        });
        let Some(fb) = fallback else {
            return Err(Error::InvalidInput(why));
        };
        let (fitted, _) = fit_with_fallback(fb, None, &input.y, None, &request.options)?;
        let (key, purpose) = stream(i);
        results.push(outputs(fitted.as_ref(), Some(format!("{why}; used {}", fb.name())), key, purpose, request));
    }
    // Effects and importance refer to the series the global model forecast.
    let global = global.map(|mut g| {
        for (_, v) in &mut g.effects {
            let mut full = vec![0.0; inputs.len() * h];
            for (slot, &i) in eligible.iter().enumerate() {
                full[i * h..(i + 1) * h].copy_from_slice(&v[slot * h..(slot + 1) * h]);
            }
            *v = full;
        }
        g
    });
    Ok((results, global))
}

/// Whether a request needs more than point forecasts (intervals, quantiles, totals
/// or paths).
pub(crate) fn wants_distribution(req: &ForecastRequest) -> bool {
    !(req.levels.is_empty() && req.quantiles.is_empty() && req.total_quantiles.is_empty() && req.return_paths == 0)
}

/// Series `i` as a global model's input: cleaned values, their times and the
/// horizon's, and regressors.
pub(crate) fn global_input(
    panel: &Panel,
    i: usize,
    cleaned: &(Vec<f64>, Vec<usize>),
    future: Future,
) -> gbdt::SeriesInput {
    let (y, kept) = cleaned;
    let base = panel.offsets[i];
    let (times, future_times) = match (&panel.times, &future) {
        (None, _) => (None, None),
        (Some(t), Future::Horizon(h)) => {
            let hist: Vec<i64> = kept.iter().map(|&k| t.history[base + k]).collect();
            let fut = t.future.get(i * h..(i + 1) * h).map(<[i64]>::to_vec);
            (Some(hist), fut)
        }
        (Some(t), Future::Window { end, h }) => {
            let at = |r: &[usize]| r.iter().map(|&k| t.history[base + k]).collect::<Vec<i64>>();
            (Some(at(&kept[..*end])), Some(at(&kept[*end..(*end + *h).min(kept.len())])))
        }
    };
    let y = match future {
        Future::Horizon(_) => y.clone(),
        Future::Window { end, .. } => y[..end].to_vec(),
    };
    gbdt::SeriesInput { y, times, future_times, x: series_regressors(panel, i, kept, future) }
}

/// When a requested model uses regressors, their future values must cover the
/// horizon of every series.
fn check_future_regressors(panel: &Panel, specs: &[Box<dyn ModelSpec>], h: usize) -> Result<()> {
    let Some(r) = &panel.regressors else {
        return Ok(());
    };
    let users: Vec<String> = specs.iter().filter(|s| s.uses_regressors()).map(|s| s.name()).collect();
    if users.is_empty() {
        return Ok(());
    }
    if r.future.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{} use the regressors {}: give their future values (X_df) for the {h} forecast steps of every series",
            users.join(", "),
            r.names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    let need = panel.len() * h;
    for (name, col) in r.names.iter().zip(&r.future) {
        if col.len() != need {
            return Err(Error::InvalidInput(format!(
                "future regressor `{name}` has {} values; {} series × h = {h} need {need}",
                col.len(),
                panel.len()
            )));
        }
        if let Some(at) = col.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidInput(format!(
                "future regressor `{name}` is missing or not finite for series `{}` at step {}",
                panel.ids[at / h],
                at % h + 1
            )));
        }
    }
    Ok(())
}

pub(crate) type Prepared = (Vec<Box<dyn ModelSpec>>, Option<Box<dyn ModelSpec>>, Vec<(Vec<f64>, Vec<usize>)>);

/// Checks a request, builds its models and cleans every series; each cleaned series
/// comes with the original positions of its values.
pub(crate) fn prepare(panel: &Panel, request: &ForecastRequest) -> Result<Prepared> {
    if request.h == 0 {
        return Err(Error::config("h", "the horizon must be at least 1"));
    }
    if request.models.is_empty() {
        return Err(Error::config("models", "give at least one model"));
    }
    for l in &request.levels {
        if !(*l > 0.0 && *l < 100.0) {
            return Err(Error::config("level", format!("{l} is outside (0, 100)")));
        }
    }
    check_probabilities("quantiles", &request.quantiles)?;
    check_probabilities("total_quantiles", &request.total_quantiles)?;
    if request.options.n_paths == 0 {
        return Err(Error::config("n_paths", "must be at least 1"));
    }
    let specs: Vec<Box<dyn ModelSpec>> = request.models.iter().map(ModelConfig::build).collect::<Result<_>>()?;
    let fallback = request.fallback.as_ref().map(ModelConfig::build).transpose()?;
    let cleaned: Vec<(Vec<f64>, Vec<usize>)> = (0..panel.len())
        .into_par_iter()
        .map(|i| {
            let y = panel.series(i);
            let kept: Vec<usize> = match request.options.missing {
                MissingPolicy::Drop => (0..y.len()).filter(|&t| !y[t].is_nan()).collect(),
                _ => (0..y.len()).collect(),
            };
            clean(&panel.ids[i], y, request.options.missing).map(|c| (c, kept))
        })
        .collect::<Result<_>>()?;
    if let Some(i) = cleaned.iter().position(|c| c.0.is_empty()) {
        return Err(Error::InvalidInput(format!("series `{}` has no observations", panel.ids[i])));
    }
    Ok((specs, fallback, cleaned))
}

/// Concatenates per-series results of one model.
pub(crate) fn assemble(model: String, results: Vec<One>, request: &ForecastRequest) -> ModelForecast {
    let n = results.len();
    let h = request.h;
    let mut mf = ModelForecast {
        model,
        mean: Vec::with_capacity(n * h),
        lo: vec![Vec::with_capacity(n * h); request.levels.len()],
        hi: vec![Vec::with_capacity(n * h); request.levels.len()],
        quantiles: vec![Vec::with_capacity(n * h); request.quantiles.len()],
        total_quantiles: Vec::with_capacity(n * request.total_quantiles.len()),
        total_mean: Vec::with_capacity(n),
        paths: Vec::with_capacity(n * request.return_paths * h),
        fallbacks: Vec::new(),
        importance: Vec::new(),
        effects: Vec::new(),
    };
    // Effects of models with regressors: one column per regressor over all series
    // (zero on series that used the fallback).
    let names: Vec<String> = results
        .iter()
        .find(|r| !r.effects.is_empty())
        .map(|r| r.effects.iter().map(|e| e.0.clone()).collect())
        .unwrap_or_default();
    let mut effects: Vec<(String, Vec<f64>)> =
        names.into_iter().map(|name| (name, Vec::with_capacity(n * h))).collect();
    for r in &results {
        for (k, (name, col)) in effects.iter_mut().enumerate() {
            match r.effects.get(k).filter(|e| e.0 == *name) {
                Some(e) => col.extend(&e.1),
                None => col.extend(std::iter::repeat_n(0.0, h)),
            }
        }
    }
    mf.effects = effects;
    for (i, r) in results.into_iter().enumerate() {
        mf.mean.extend(r.mean);
        for (k, v) in r.lo.into_iter().enumerate() {
            mf.lo[k].extend(v);
        }
        for (k, v) in r.hi.into_iter().enumerate() {
            mf.hi[k].extend(v);
        }
        for (k, v) in r.quantiles.into_iter().enumerate() {
            mf.quantiles[k].extend(v);
        }
        mf.total_quantiles.extend(r.total_quantiles);
        mf.total_mean.push(r.total_mean);
        mf.paths.extend(r.paths);
        if let Some(why) = r.fallback {
            mf.fallbacks.push((i, why));
        }
    }
    mf
}

/// The key of a series' random streams: a 64-bit FNV-1a hash of its id. Streams
/// keyed by id, not by position, make a series' sample paths the same whichever
/// panel (or Spark/Dask partition) it is forecast in.
pub fn series_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A seeded random stream per (seed, series key, purpose): results depend neither on
/// threads nor on which other series are in the run. `purpose` tells apart the
/// streams of one series (model, back-test window, returned paths…).
/// The purpose bit of the paths a request returns, apart from those its quantiles use.
const RETURNED: u64 = 1 << 63;

/// The purpose of model `m`'s stream: `w = 0` for forecasts, back-test window `k` uses `w = k + 1`.
pub(crate) fn purpose(m: usize, w: usize) -> u64 {
    ((w as u64) << 16) | m as u64
}

pub(crate) fn stream(seed: u64, key: u64, purpose: u64) -> ChaCha8Rng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&key.to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(bytes);
    rng.set_stream(purpose);
    rng
}

/// Fits one model to one series (with fallback) and derives every requested output.
fn one(
    spec: &dyn ModelSpec,
    fallback: Option<&dyn ModelSpec>,
    y: &[f64],
    x: Option<&SeriesRegressors>,
    key: u64,
    purpose: u64,
    req: &ForecastRequest,
) -> Result<One> {
    let (fitted, note) = fit_with_fallback(spec, fallback, y, x, &req.options)?;
    Ok(outputs(fitted.as_ref(), note, key, purpose, req))
}

/// Fits `spec`, or `fallback` when the series is too short or the fit fails; the
/// note says why the fallback was used.
pub(crate) fn fit_with_fallback(
    spec: &dyn ModelSpec,
    fallback: Option<&dyn ModelSpec>,
    y: &[f64],
    x: Option<&SeriesRegressors>,
    opts: &FitOptions,
) -> Result<(Box<dyn Fitted>, Option<String>)> {
    let attempt = |s: &dyn ModelSpec| -> Result<Box<dyn Fitted>> {
        if y.len() < s.min_length() {
            return Err(Error::InvalidInput(format!(
                "{} needs at least {} observations, the series has {}",
                s.name(),
                s.min_length(),
                y.len()
            )));
        }
        s.fit_with(y, x, opts)
    };
    match attempt(spec) {
        Ok(f) => Ok((f, None)),
        Err(e) => match fallback {
            Some(fb) => Ok((attempt(fb)?, Some(format!("{}: {e}; used {}", spec.name(), fb.name())))),
            None => Err(e),
        },
    }
}

/// Point forecast, intervals, quantiles and horizon totals of a fitted model; sample
/// paths come from the streams `(key, purpose)` and `(key, purpose | RETURNED)`.
pub(crate) fn outputs(
    fitted: &dyn Fitted,
    fallback: Option<String>,
    key: u64,
    purpose: u64,
    req: &ForecastRequest,
) -> One {
    let opts = &req.options;
    let h = req.h;
    let clamp = |v: f64| if opts.non_negative { v.max(0.0) } else { v };
    let mean: Vec<f64> = fitted.mean(h).into_iter().map(clamp).collect();
    let sd = fitted.sd(h);
    let need_paths =
        !req.total_quantiles.is_empty() || (sd.is_none() && !(req.levels.is_empty() && req.quantiles.is_empty()));
    let paths: Vec<Vec<f64>> = if need_paths {
        let mut rng = stream(opts.seed, key, purpose);
        (0..opts.n_paths).map(|_| fitted.simulate(h, &mut rng).into_iter().map(clamp).collect()).collect()
    } else {
        Vec::new()
    };
    // Each step's simulated values, sorted once for every quantile asked of them.
    let sorted_steps: Vec<Vec<f64>> = if sd.is_none() && !paths.is_empty() {
        (0..h)
            .map(|t| {
                let mut col: Vec<f64> = paths.iter().map(|p| p[t]).collect();
                col.sort_unstable_by(f64::total_cmp);
                col
            })
            .collect()
    } else {
        Vec::new()
    };
    // Quantile q of each step: analytic normal where the model has an sd, else empirical.
    let step_quantile = |q: f64| -> Vec<f64> {
        match &sd {
            Some(sd) => {
                let z = crate::policy::standard_normal_quantile(q);
                mean.iter().zip(sd).map(|(mu, s)| clamp(mu + z * s)).collect()
            }
            None => sorted_steps.iter().map(|col| sorted_quantile(col, q)).collect(),
        }
    };
    let lo = req.levels.iter().map(|l| step_quantile(0.5 - l / 200.0)).collect();
    let hi = req.levels.iter().map(|l| step_quantile(0.5 + l / 200.0)).collect();
    let quantiles = req.quantiles.iter().map(|&q| step_quantile(q)).collect();
    let total_quantiles = if req.total_quantiles.is_empty() {
        Vec::new()
    } else {
        let mut totals: Vec<f64> = paths.iter().map(|p| p.iter().sum()).collect();
        totals.sort_unstable_by(f64::total_cmp);
        req.total_quantiles.iter().map(|&q| sorted_quantile(&totals, q)).collect()
    };
    // Returned paths come from their own stream, so asking for them changes nothing else.
    let mut returned = Vec::with_capacity(req.return_paths * h);
    if req.return_paths > 0 {
        let mut rng = stream(opts.seed, key, purpose | RETURNED);
        for _ in 0..req.return_paths {
            returned.extend(fitted.simulate(h, &mut rng).into_iter().map(clamp));
        }
    }
    let effects = fitted
        .effects()
        .into_iter()
        .map(|(name, mut v)| {
            v.resize(h, 0.0);
            (name, v)
        })
        .collect();
    One { total_mean: mean.iter().sum(), mean, lo, hi, quantiles, total_quantiles, paths: returned, fallback, effects }
}

/// Quantile of a sample (linear interpolation between order statistics, as numpy's default).
pub fn empirical_quantile(sample: &mut [f64], q: f64) -> f64 {
    sort_total(sample);
    sorted_quantile(sample, q)
}

/// Sorts by [`f64::total_cmp`], the same order and bits, about 2.5× faster: each
/// value is sorted as the integer whose order is `total_cmp`'s (the sign bit flips
/// the other bits of negative values), so comparisons are single instructions.
pub(crate) fn sort_total(v: &mut [f64]) {
    fn key(x: f64) -> i64 {
        let b = x.to_bits() as i64;
        b ^ ((((b >> 63) as u64) >> 1) as i64)
    }
    let mut keys: Vec<i64> = v.iter().map(|&x| key(x)).collect();
    keys.sort_unstable();
    // The map is its own inverse.
    for (x, k) in v.iter_mut().zip(keys) {
        *x = f64::from_bits(key(f64::from_bits(k as u64)) as u64);
    }
}

/// [`empirical_quantile`] by selection rather than a sort (O(n); the same value):
/// only the two order statistics around the quantile are placed. Reorders `sample`.
pub(crate) fn selected_quantile(sample: &mut [f64], q: f64) -> f64 {
    if sample.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sample.len() - 1) as f64;
    let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
    let n = sample.len();
    let (_, v, above) = sample.select_nth_unstable_by(lo, f64::total_cmp);
    let lo_v = *v;
    let hi_v = if lo + 1 < n { above.iter().copied().min_by(f64::total_cmp).unwrap_or(lo_v) } else { lo_v };
    lo_v + (hi_v - lo_v) * frac
}

/// [`empirical_quantile`] of an already sorted sample.
pub(crate) fn sorted_quantile(sample: &[f64], q: f64) -> f64 {
    if sample.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sample.len() - 1) as f64;
    let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
    let hi = (lo + 1).min(sample.len() - 1);
    sample[lo] + (sample[hi] - sample[lo]) * frac
}

/// A standard normal draw.
pub(crate) fn normal_draw(rng: &mut ChaCha8Rng) -> f64 {
    use rand_distr::Distribution;
    rand_distr::StandardNormal.sample(rng)
}

/// Root mean square of residuals with `dof` degrees of freedom removed (statsforecast's
/// `_calculate_sigma`): sqrt(Σ r² / (n − dof)).
pub(crate) fn residual_sigma(residuals: impl Iterator<Item = f64>, dof: usize) -> f64 {
    let (mut ss, mut n) = (0.0, 0usize);
    for r in residuals.filter(|r| !r.is_nan()) {
        ss += r * r;
        n += 1;
    }
    if n > dof {
        (ss / (n - dof) as f64).sqrt()
    } else {
        0.0
    }
}

/// Daily demand as the planner needs it: average expected demand per day over the
/// protection horizon and the spread of one day's demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyDemand {
    /// The model that produced it (`HistoricAverage` when the series was too short for the chosen one).
    pub model: String,
    /// What a selecting model chose for this series and the candidate it beat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    pub mean: f64,
    pub sigma: f64,
    /// Observations used (censored days excluded).
    pub observations: usize,
    /// Censored (stock-out) days treated as missing.
    pub censored_days: usize,
    /// Demand over the protection interval, from sample paths (when requested).
    pub protection: Option<ProtectionDemand>,
}

/// The protection interval whose demand distribution the planner needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Protection {
    pub lead_time_days: f64,
    pub lead_time_std_days: f64,
    pub review_period_days: f64,
    /// The quantile wanted (the cycle service level).
    pub quantile: f64,
    /// Demand multiplier per future day (index 0 = the first day after the
    /// history), e.g. a promotion's uplift on its planned days; 1 beyond the end.
    pub day_factors: Vec<f64>,
}

/// Demand over the protection interval from simulated paths.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProtectionDemand {
    pub mean: f64,
    /// The requested quantile of total demand over the interval.
    pub quantile: f64,
    pub paths: usize,
    /// Each path's total over lead time + review period.
    #[serde(skip)]
    pub totals: Vec<f64>,
    /// The same paths' totals over the lead time alone.
    #[serde(skip)]
    pub lead_totals: Vec<f64>,
}

/// Total demand over the protection interval on `n` seeded sample paths: each path
/// draws its own lead time (N(L̄, σ_L) rounded to whole days and never negative,
/// as the inventory simulation does; a fixed lead time is kept fractional), covers
/// L + R days (a fractional last day counted in proportion), and sums the model's
/// simulated demand, floored at 0 and multiplied by the day factors.
pub fn protection_demand(fitted: &dyn Fitted, p: &Protection, n: usize, rng: &mut ChaCha8Rng) -> ProtectionDemand {
    let mut totals = Vec::with_capacity(n);
    let mut lead_totals = Vec::with_capacity(n);
    let factor = |d: usize| p.day_factors.get(d).copied().unwrap_or(1.0);
    let sum_to = |path: &[f64], days: f64| {
        let whole = days.floor() as usize;
        let frac = days - whole as f64;
        let mut total: f64 = path[..whole].iter().enumerate().map(|(d, v)| v.max(0.0) * factor(d)).sum();
        if frac > 0.0 {
            total += frac * path[whole].max(0.0) * factor(whole);
        }
        total
    };
    let mut path = Vec::new();
    for _ in 0..n {
        let lead = if p.lead_time_std_days > 0.0 {
            (p.lead_time_days + p.lead_time_std_days * normal_draw(rng)).round().max(0.0)
        } else {
            p.lead_time_days.max(0.0)
        };
        let days = lead + p.review_period_days;
        fitted.simulate_into(days.ceil() as usize + 1, rng, &mut path);
        totals.push(sum_to(&path, days));
        lead_totals.push(sum_to(&path, lead));
    }
    let mean = totals.iter().sum::<f64>() / n.max(1) as f64;
    let quantile = selected_quantile(&mut totals.clone(), p.quantile);
    ProtectionDemand { mean, quantile, paths: n, totals, lead_totals }
}

/// Forecasts one SKU-location's daily demand for the planner. `y` marks censored
/// days as `NaN`; they are dropped ([`MissingPolicy::Drop`]) so the forecast does not
/// learn the shortage. A series too short for `spec` uses `HistoricAverage`; one
/// with no uncensored day has zero demand. Models without an analytic spread get
/// σ from `options.n_paths` simulated days on the streams of `stream_key` (see
/// [`series_key`]).
pub fn daily_demand(
    spec: &dyn ModelSpec,
    y: &[f64],
    horizon: usize,
    protection: Option<&Protection>,
    options: &FitOptions,
    stream_key: u64,
) -> Result<DailyDemand> {
    let censored_days = y.iter().filter(|v| v.is_nan()).count();
    let y = clean("", y, MissingPolicy::Drop)?;
    if y.is_empty() {
        let protection = protection.map(|_| ProtectionDemand {
            mean: 0.0,
            quantile: 0.0,
            paths: 0,
            totals: vec![0.0],
            lead_totals: vec![0.0],
        });
        return Ok(DailyDemand {
            model: spec.name(),
            chosen: None,
            mean: 0.0,
            sigma: 0.0,
            observations: 0,
            censored_days,
            protection,
        });
    }
    let (fitted, model) = if y.len() >= spec.min_length() {
        (spec.fit(&y, options)?, spec.name())
    } else {
        (HistoricAverage.fit(&y, options)?, HistoricAverage.name())
    };
    let means = fitted.mean(horizon.max(1));
    let first = means[0];
    let mean = if means.iter().all(|m| *m == first) { first } else { means.iter().sum::<f64>() / means.len() as f64 };
    let sigma = match fitted.sd(1) {
        Some(sd) => sd[0],
        None => {
            let mut rng = stream(options.seed, stream_key, 0);
            let mut path = Vec::with_capacity(1);
            let draws: Vec<f64> = (0..options.n_paths)
                .map(|_| {
                    fitted.simulate_into(1, &mut rng, &mut path);
                    path[0]
                })
                .collect();
            let m = draws.iter().sum::<f64>() / draws.len() as f64;
            (draws.iter().map(|d| (d - m).powi(2)).sum::<f64>() / (draws.len().max(2) - 1) as f64).sqrt()
        }
    };
    let non_neg = |v: f64| if options.non_negative { v.max(0.0) } else { v };
    let protection = protection
        .map(|p| protection_demand(fitted.as_ref(), p, options.n_paths, &mut stream(options.seed, stream_key, 1)));
    Ok(DailyDemand {
        model,
        chosen: fitted.chosen(),
        mean: non_neg(mean),
        sigma,
        observations: y.len(),
        censored_days,
        protection,
    })
}

impl ModelConfig {
    /// The model with its parameters, e.g. `WindowAverage(window=56)`.
    pub fn label(&self) -> String {
        let v = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let name = v.get("model").and_then(|m| m.as_str()).unwrap_or("?").to_string();
        let params: Vec<String> = v
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, v)| k.as_str() != "model" && !v.is_null())
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect()
            })
            .unwrap_or_default();
        if params.is_empty() {
            name
        } else {
            format!("{name}({})", params.join(", "))
        }
    }
}

/// A level or quantile as written in column names: `80`, `97.5`, `0.1`.
fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Model outputs as named columns: `Model`, `Model-lo-80`, `Model-hi-80`, `Model-q-0.5`.
pub(crate) fn named_columns<'a>(
    models: &'a [ModelForecast],
    levels: &[f64],
    quantiles: &[f64],
) -> Vec<(String, &'a [f64])> {
    let mut out = Vec::new();
    for m in models {
        out.push((m.model.clone(), m.mean.as_slice()));
        for (k, l) in levels.iter().enumerate() {
            out.push((format!("{}-lo-{}", m.model, fmt_num(*l)), m.lo[k].as_slice()));
            out.push((format!("{}-hi-{}", m.model, fmt_num(*l)), m.hi[k].as_slice()));
        }
        for (k, q) in quantiles.iter().enumerate() {
            out.push((format!("{}-q-{}", m.model, fmt_num(*q)), m.quantiles[k].as_slice()));
        }
        for (name, v) in &m.effects {
            out.push((format!("{}-effect-{name}", m.model), v.as_slice()));
        }
    }
    out
}

impl BatchForecast {
    /// The forecasts as named columns of `n_series × h` values, statsforecast style:
    /// `Model`, `Model-lo-80`, `Model-hi-80`, ..., `Model-q-0.5`.
    pub fn columns(&self) -> Vec<(String, &[f64])> {
        named_columns(&self.models, &self.levels, &self.quantiles)
    }

    /// Per-series horizon totals as named columns of `n_series` values:
    /// `Model-total`, `Model-total-q-0.9`, ...
    pub fn total_columns(&self) -> Vec<(String, Vec<f64>)> {
        let k = self.total_quantiles.len();
        let mut out = Vec::new();
        for m in &self.models {
            out.push((format!("{}-total", m.model), m.total_mean.clone()));
            for (j, q) in self.total_quantiles.iter().enumerate() {
                out.push((
                    format!("{}-total-q-{}", m.model, fmt_num(*q)),
                    m.total_quantiles.iter().skip(j).step_by(k).copied().collect(),
                ));
            }
        }
        out
    }

    /// Every fallback as (series id, model, reason).
    pub fn fallbacks(&self) -> Vec<(String, String, String)> {
        self.models
            .iter()
            .flat_map(|m| m.fallbacks.iter().map(|(i, why)| (self.ids[*i].clone(), m.model.clone(), why.clone())))
            .collect()
    }
}

/// Per-series demand classification of a panel (missing values dropped).
pub fn classify_panel(panel: &Panel) -> Vec<Classification> {
    (0..panel.len())
        .into_par_iter()
        .map(|i| classify(&panel.series(i).iter().copied().filter(|v| !v.is_nan()).collect::<Vec<_>>()))
        .collect()
}

impl ForecastRequest {
    /// Parses a request as the bindings send it: like the serialised struct, but each
    /// entry of `models` (and `fallback`) may also be a bare model name, given its
    /// default parameters with the top-level `season_length` (default 1).
    pub fn from_json(text: &str) -> Result<ForecastRequest> {
        let bad = |e: String| Error::config("forecast", e);
        let mut v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let obj = v.as_object_mut().ok_or_else(|| bad("the request must be an object".into()))?;
        let season_length = match obj.remove("season_length") {
            None => 1,
            Some(s) => s
                .as_u64()
                .filter(|s| *s >= 1)
                .ok_or_else(|| Error::config("season_length", "must be a whole number ≥ 1"))?
                as usize,
        };
        let resolve = |m: &mut serde_json::Value| -> Result<()> {
            if m.is_string() {
                *m = serde_json::to_value(ModelConfig::from_value(m.take(), season_length)?)
                    .map_err(|e| bad(e.to_string()))?;
            }
            Ok(())
        };
        if let Some(models) = obj.get_mut("models").and_then(|m| m.as_array_mut()) {
            models.iter_mut().try_for_each(resolve)?;
        }
        if let Some(fb) = obj.get_mut("fallback") {
            resolve(fb)?;
        }
        serde_json::from_value(v).map_err(|e| bad(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn sort_total_is_total_cmp_order_to_the_bit() {
        let mut v = vec![3.5, -0.0, 0.0, f64::NAN, -1.25, f64::INFINITY, -f64::NAN, 1e-310, -1e-310, f64::NEG_INFINITY];
        v.extend((0..500).map(|i| ((i * 7919) % 613) as f64 / 7.0 - 40.0));
        let mut expected = v.clone();
        expected.sort_unstable_by(f64::total_cmp);
        sort_total(&mut v);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
        assert_eq!(bits(&v), bits(&expected));
    }

    #[test]
    fn a_quantile_by_selection_is_the_quantile_of_the_sorted_sample() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for n in [1usize, 2, 3, 10, 999, 1000] {
            // Ties, zeros of both signs and a spread of values.
            let sample: Vec<f64> =
                (0..n).map(|i| if i % 7 == 0 { -0.0 } else { f64::from(rng.random_range(0..50u32)) * 0.5 }).collect();
            for q in [0.0, 0.01, 0.5, 0.9, 0.95, 0.999, 1.0] {
                let want = empirical_quantile(&mut sample.clone(), q);
                let got = selected_quantile(&mut sample.clone(), q);
                assert_eq!(got.to_bits(), want.to_bits(), "n {n}, q {q}");
            }
        }
        assert!(selected_quantile(&mut [], 0.5).is_nan());
    }
}
