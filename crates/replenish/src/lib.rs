//! # replenish
//!
//! Inventory replenishment as pure functions: validated ingestion of POS, ERP and
//! WMS tables into one canonical model, demand forecasting, reorder policies, and
//! purchase orders a buyer can trust — each number explained.
//!
//! ```
//! use replenish::{demo, ingest, plan};
//!
//! let inputs = demo::generate(&demo::DemoConfig { skus: 20, locations: 2, days: 120, ..Default::default() });
//! let data = ingest::parse(&inputs, &ingest::IngestOptions::default()).unwrap();
//! let plan = plan::plan(&data.dataset, &plan::PlanConfig::default()).unwrap();
//! assert_eq!(plan.lines.len(), 40);
//! println!("{}", plan.summary.to_text());
//! ```
//!
//! Modules by capability:
//! - [`model`]: the canonical data model.
//! - [`ingest`]: CSV tables → validated [`model::Dataset`], with every problem located.
//! - [`forecast`]: many series at once: model specs, fitted models, intervals, quantiles, sample paths.
//! - [`metrics`]: accuracy metrics and the M4 scorer.
//! - [`policy`]: safety stock, reorder point, order-up-to level, rounding.
//! - [`plan`]: `plan(data, config)`, the whole decision per SKU-location.
//! - [`orders`]: purchase orders grouped per supplier and location.
//! - [`workflow`]: the PO approval state machine with its hash-chained audit log.
//! - [`rules`]: segments, overrides and the expression language of both.
//! - [`report`]: summaries of a plan.
//! - [`export`]: CSV and JSON text of plans and orders.
//! - [`demo`]: a seeded generator of a realistic company's data.

pub mod backtest;
pub mod demo;
pub mod drivers;
pub mod error;
pub mod export;
pub mod forecast;
pub mod ingest;
pub mod kpi;
pub mod metrics;
pub mod model;
pub mod orders;
pub mod plan;
pub mod policy;
pub mod progress;
pub mod report;
pub mod rules;
pub mod workflow;

pub use error::{Error, Problem, ProblemKind, Result};
pub use ingest::{read_folder, IngestOptions, Inputs, QualityReport};
pub use model::Dataset;
pub use plan::{plan, Plan, PlanConfig};

/// Reads a folder and plans it: the whole job in one call.
pub fn plan_folder(
    dir: impl AsRef<std::path::Path>,
    ingest: &IngestOptions,
    config: &PlanConfig,
) -> Result<(Plan, QualityReport)> {
    let data = read_folder(dir, ingest)?;
    Ok((plan(&data.dataset, config)?, data.report))
}

/// The README's Rust example, compiled as a doctest so it cannot drift from the API.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
