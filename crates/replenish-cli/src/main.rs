//! `replenish`: the command-line front end. All work is done by the `replenish`
//! crate; this file parses arguments, reads and writes files, and reports.

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use replenish::plan::RunConfig;
use replenish::rules::RuleSet;
use replenish::{demo, export, ingest, Error};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Turn sales, stock and supplier data into purchase orders you can trust.
#[derive(Debug, Parser)]
#[command(name = "replenish", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole pipeline (data → forecast → plan → purchase orders → report) on
    /// built-in demo data: a seeded company with 300 SKUs × 3 locations × 2 years.
    Demo(DemoArgs),
    /// Plan a folder of CSV tables (items, suppliers, sales, inventory, open_orders).
    Plan(PlanArgs),
    /// Plan as of some days before the history ends, then simulate every line's
    /// policy over the days that followed and print the service and stock KPIs.
    /// Uses the demo data unless `--data` is given.
    Simulate(SimulateArgs),
    /// Check by simulation that the plan delivers the cycle service level it
    /// targets, on synthetic smooth, intermittent and lumpy demand, against the
    /// classic z·σ·√P formula; prints the table.
    Calibrate(CalibrateArgs),
    /// Apply a file of approval and tracking events (and supplier UBL documents) to
    /// purchase orders; print each PO's state, refused events and the alerts.
    Track(TrackArgs),
    /// Write the HTML report (one self-contained file): summary KPIs, forecast vs
    /// actual, projected stock, service trends, forecast accuracy, turnover by
    /// category, the ABC/XYZ matrix, supplier performance and the exceptions.
    /// Uses the demo data (and its tracked POs) unless `--data` is given.
    Report(ReportArgs),
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// Folder of CSV tables, as for `plan`; default: the built-in demo data.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The HTML file to write.
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,
    /// Run configuration (TOML with [plan], [ingest] and [report] sections).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Rules file (TOML `[[rules]]` and `[[overrides]]`, see docs/policy.md).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Tracked purchase orders (tracking.json of `track --out`), for PO alerts and
    /// supplier on-time-in-full.
    #[arg(long, value_name = "FILE")]
    tracking: Option<PathBuf>,
    /// A SKU-location to chart, as SKU@LOCATION (or SKU for all its locations); repeat
    /// for more. Default: the lines with the largest order value.
    #[arg(long, value_name = "SKU[@LOC]")]
    series: Vec<String>,
    /// How many lines to chart when no --series is given.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Period of the service trends.
    #[arg(long, value_enum)]
    period: Option<PeriodArg>,
    /// Days of history the KPIs cover.
    #[arg(long, value_name = "DAYS")]
    window_days: Option<usize>,
    /// Leave out forecast accuracy over time (it refits the model once per origin).
    #[arg(long)]
    no_accuracy: bool,
    /// Date of the PO alerts and supplier OTIF; default: the plan date (demo: the last tracking event).
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<chrono::NaiveDate>,
    #[arg(long)]
    title: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PeriodArg {
    Week,
    Month,
}

#[derive(Debug, Args)]
struct TrackArgs {
    /// The purchase orders (purchase_orders.json of `plan` or `demo`), starting as drafts.
    #[arg(long, value_name = "FILE", required_unless_present = "state")]
    orders: Option<PathBuf>,
    /// A tracking state written by an earlier `track --out` (tracking.json), to continue from.
    #[arg(long, value_name = "FILE", conflicts_with = "orders")]
    state: Option<PathBuf>,
    /// Events: a JSON array or JSON Lines of {"po_number", "event", "at", ...} (docs/purchase-orders.md).
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,
    /// Folder of supplier documents (UBL OrderResponse and DespatchAdvice, *.xml).
    #[arg(long, value_name = "DIR")]
    documents: Option<PathBuf>,
    /// Approval rules (TOML, docs/workflow.md).
    #[arg(long, value_name = "FILE")]
    approvals: PathBuf,
    /// Stock outlook per SKU-location (stock.json of `plan` or `demo`), for at-risk alerts and lost sales.
    #[arg(long, value_name = "FILE")]
    stock: Option<PathBuf>,
    /// Date the alerts are for; default: the day of the last event.
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<chrono::NaiveDate>,
    /// Days a sent PO may wait for an acknowledgement.
    #[arg(long, default_value_t = 2)]
    ack_days: i64,
    /// Under- and over-delivery tolerance as a fraction of the ordered quantity.
    #[arg(long, default_value_t = 0.05)]
    tolerance: f64,
    /// Alerts to print.
    #[arg(long, default_value_t = 25)]
    show: usize,
    /// Folder for tracking.json, alerts.json, open_orders.csv and receipts.csv.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct SimulateArgs {
    /// Folder of CSV tables; default: the built-in demo data.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Days at the end of the history to simulate over (the plan sees the days before).
    #[arg(long, default_value_t = 182)]
    days: usize,
    /// Unmet demand waits for the next delivery (backorder) or is lost (lost-sales).
    #[arg(long, value_enum, default_value_t = Shortage::Backorder)]
    shortage: Shortage,
    /// Plan once at the start instead of again at every review.
    #[arg(long)]
    plan_once: bool,
    /// Days of history behind the textbook rule's mean and spread.
    #[arg(long, default_value_t = 91)]
    textbook_window: usize,
    /// Run configuration (TOML with [plan] and [ingest] sections).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Rules file (TOML `[[rules]]` and `[[overrides]]`, see docs/policy.md).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Demo size, when no --data is given.
    #[arg(long, default_value_t = 100)]
    skus: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also write the HTML report of the plan as of the end of the history, with this
    /// backtest's table (per demand class: target, service, stock, the textbook rule).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Shortage {
    Backorder,
    LostSales,
}

#[derive(Debug, Args)]
struct CalibrateArgs {
    /// Series per demand class.
    #[arg(long, default_value_t = 40)]
    series: usize,
    /// Simulated days per series.
    #[arg(long, default_value_t = 5000)]
    days: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Folder for plan.csv, purchase_orders.csv/.json, summary.json and quality.json.
    #[arg(long, default_value = "replenish-demo")]
    out: PathBuf,
    /// Also write the generated input tables (the expected CSV formats) to this folder.
    #[arg(long, value_name = "DIR")]
    write_data: Option<PathBuf>,
    /// Seed of the generator: the same seed gives the same data on every machine.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of SKUs to generate.
    #[arg(long, default_value_t = 300)]
    skus: usize,
    /// Number of locations to generate.
    #[arg(long, default_value_t = 3)]
    locations: usize,
    /// Days of sales history to generate.
    #[arg(long, default_value_t = 730)]
    days: usize,
    #[command(flatten)]
    run: RunArgs,
}

/// What `demo` and `plan` share: configuration, rules and UBL output.
#[derive(Debug, Args)]
struct RunArgs {
    /// Run configuration (TOML with [plan] and [ingest] sections, see docs/configuration.md).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Rules file (TOML `[[rules]]` and `[[overrides]]`, see docs/policy.md).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Also write each purchase order as a UBL 2.1 Order document to <out>/ubl/<po>.xml,
    /// with this buyer id (and --buyer-name).
    #[arg(long, value_name = "BUYER_ID")]
    ubl: Option<String>,
    #[arg(long, value_name = "NAME", default_value = "Buyer")]
    buyer_name: String,
    /// Also write each PO as an e-mail message (MIME, text and HTML, the CSV and UBL
    /// attached) from this address to <out>/email/<po>.eml, for suppliers with an e-mail.
    #[arg(long, value_name = "ADDRESS")]
    email_from: Option<String>,
}

#[derive(Debug, Args)]
struct PlanArgs {
    /// Folder with items.csv, suppliers.csv, sales.csv, inventory.csv and optionally
    /// open_orders.csv, stockouts.csv and stock_history.csv (formats: docs/data-formats.md).
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Folder for plan.csv, purchase_orders.csv/.json, summary.json and quality.json.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write the HTML report (report.html; see `replenish report`).
    #[arg(long)]
    report: bool,
    #[command(flatten)]
    run: RunArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(a) => run_demo(&a),
        Command::Plan(a) => run_plan(&a),
        Command::Simulate(a) => run_simulate(&a),
        Command::Calibrate(a) => run_calibrate(&a),
        Command::Track(a) => run_track(&a),
        Command::Report(a) => run_report(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report_error(&e),
    }
}

/// Prints an error for a person; validation problems one per line as
/// `file:row:column: message`. Exit code 2 for bad input data or configuration, 1 otherwise.
fn report_error(e: &Error) -> ExitCode {
    match e {
        Error::Validation { problems, summary } => {
            eprintln!("error: the input data has {} problem(s):", problems.len());
            for p in problems.iter().take(100) {
                eprintln!("  {p}");
            }
            if problems.len() > 100 {
                eprintln!("  ... and {} more", problems.len() - 100);
            }
            for f in &summary.files {
                eprintln!("  {}: {} row(s) read, {} rejected", f.file, f.rows_read, f.rows_rejected);
            }
            ExitCode::from(2)
        }
        Error::Config { .. } | Error::Rule { .. } => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        _ => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn load_config(path: Option<&Path>) -> Result<RunConfig, Error> {
    match path {
        None => Ok(RunConfig::default()),
        Some(p) => {
            let text =
                std::fs::read_to_string(p).map_err(|source| Error::Io { path: p.display().to_string(), source })?;
            RunConfig::from_toml(&text).map_err(|e| match e {
                Error::Config { field, message } => {
                    Error::Config { field: format!("{}: {field}", p.display()), message }
                }
                other => other,
            })
        }
    }
}

/// The run configuration with the rules file, if any, in place of its rules.
fn load_with_rules(config: Option<&Path>, rules: Option<&Path>) -> Result<RunConfig, Error> {
    let mut c = load_config(config)?;
    if let Some(p) = rules {
        let text = std::fs::read_to_string(p).map_err(|source| Error::Io { path: p.display().to_string(), source })?;
        c.plan.rules = RuleSet::from_toml(&text).map_err(|e| match e {
            Error::Rule { rule, field, expression, position, message } => {
                Error::Rule { rule: format!("{}: {rule}", p.display()), field, expression, position, message }
            }
            Error::Config { field, message } => Error::Config { field: format!("{}: {field}", p.display()), message },
            other => other,
        })?;
        c.plan.validate()?;
    }
    Ok(c)
}

fn spinner() -> ProgressBar {
    let pb = ProgressBar::new(4);
    pb.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed}] {bar:20} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| Error::Io { path: path.display().to_string(), source })
}

fn mkdir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.display().to_string(), source })
}

fn run_demo(a: &DemoArgs) -> Result<(), Error> {
    let config = load_with_rules(a.run.config.as_deref(), a.run.rules.as_deref())?;
    let pb = spinner();
    pb.set_message("generating demo data");
    let cfg =
        demo::DemoConfig { seed: a.seed, skus: a.skus, locations: a.locations, days: a.days, ..Default::default() };
    if cfg.skus == 0 || cfg.locations == 0 || cfg.days == 0 {
        return Err(Error::InvalidInput("--skus, --locations and --days must be at least 1".into()));
    }
    let inputs = demo::generate(&cfg);
    if let Some(dir) = &a.write_data {
        mkdir(dir)?;
        for (name, table) in inputs.tables() {
            write(dir, name, &table.read()?)?;
        }
    }
    pb.inc(1);
    let ubl = ubl_options(&a.run.ubl, &a.run.buyer_name);
    let outputs =
        Outputs { ubl: ubl.as_ref(), email_from: a.run.email_from.as_deref(), demo_extras: true, report: true };
    run_pipeline(&inputs, &config, &a.out, &pb, &outputs)?;
    if let Some(dir) = &a.write_data {
        println!("Demo input tables written to {}", dir.display());
    }
    Ok(())
}

fn run_plan(a: &PlanArgs) -> Result<(), Error> {
    let config = load_with_rules(a.run.config.as_deref(), a.run.rules.as_deref())?;
    let pb = spinner();
    pb.set_message("reading input tables");
    let inputs = ingest::read_inputs(&a.data).inspect_err(|_| pb.finish_and_clear())?;
    pb.inc(1);
    let ubl = ubl_options(&a.run.ubl, &a.run.buyer_name);
    let outputs =
        Outputs { ubl: ubl.as_ref(), email_from: a.run.email_from.as_deref(), demo_extras: false, report: a.report };
    run_pipeline(&inputs, &config, &a.out, &pb, &outputs)
}

fn ubl_options(buyer: &Option<String>, name: &str) -> Option<replenish::orders::ubl::UblOptions> {
    buyer.as_ref().map(|id| replenish::orders::ubl::UblOptions {
        buyer_id: id.clone(),
        buyer_name: name.to_string(),
        ..Default::default()
    })
}

/// What the pipeline writes besides the plan.
struct Outputs<'a> {
    ubl: Option<&'a replenish::orders::ubl::UblOptions>,
    /// Sender address: write each PO as an e-mail message.
    email_from: Option<&'a str>,
    /// The demo's approval rules and a week of tracking events.
    demo_extras: bool,
    /// Write report.html (with the demo's tracked POs, for the demo).
    report: bool,
}

/// The report configuration of a run: its `[report]` section, with the plan's
/// forecast model unless the section names one.
fn report_config(config: &RunConfig) -> replenish::report::ReportConfig {
    let mut cfg = config.report.clone();
    if cfg.forecast.is_none() {
        cfg.forecast = Some(config.plan.forecast.clone());
    }
    cfg
}

fn run_pipeline(
    inputs: &ingest::Inputs,
    config: &RunConfig,
    out: &Path,
    pb: &ProgressBar,
    outputs: &Outputs,
) -> Result<(), Error> {
    let (ubl, email_from, extras) = (outputs.ubl, outputs.email_from, outputs.demo_extras);
    let (mut emails, mut no_email) = (0, Vec::<String>::new());
    pb.set_message("validating");
    let data = ingest::parse(inputs, &config.ingest).inspect_err(|_| pb.finish_and_clear())?;
    pb.inc(1);
    pb.set_message("forecasting and planning");
    let plan = replenish::plan(&data.dataset, &config.plan).inspect_err(|_| pb.finish_and_clear())?;
    pb.inc(1);
    pb.set_message("writing outputs");
    mkdir(out)?;
    write(out, "plan.csv", export::plan_csv(&plan)?.as_bytes())?;
    write(out, "purchase_orders.csv", export::purchase_orders_csv(&plan.purchase_orders)?.as_bytes())?;
    write(out, "purchase_orders.json", export::to_json(&plan.purchase_orders)?.as_bytes())?;
    write(out, "summary.json", export::to_json(&plan.summary)?.as_bytes())?;
    write(out, "quality.json", export::to_json(&data.report)?.as_bytes())?;
    let stock = replenish::orders::tracking::StockOutlook::from_plan(&plan, &data.dataset.open_orders);
    write(out, "stock.json", export::to_json(&stock)?.as_bytes())?;
    if let Some(from) = email_from {
        let dir = out.join("email");
        mkdir(&dir)?;
        let opts = replenish::orders::email::EmailOptions {
            from: from.to_string(),
            from_name: None,
            to: None,
            cc: Vec::new(),
            reply_to: None,
            date: plan.as_of.and_hms_opt(12, 0, 0).unwrap_or_default(),
            ubl: ubl.cloned().unwrap_or_default(),
            attach_ubl: true,
            note: None,
        };
        for po in &plan.purchase_orders {
            let supplier = data.dataset.suppliers.iter().find(|s| s.id == po.supplier_id);
            match supplier.and_then(|s| s.email.as_deref()) {
                Some(to) => {
                    let message = replenish::orders::email::po_email(po, Some(to), &opts)?;
                    write(&dir, &format!("{}.eml", po.po_number), message.as_bytes())?;
                    emails += 1;
                }
                None => no_email.push(po.po_number.clone()),
            }
        }
    }
    if extras {
        write(out, "approvals.toml", demo::DEMO_APPROVALS.as_bytes())?;
        let events: Vec<String> = demo::tracking_events(&plan)
            .iter()
            .map(|e| serde_json::to_string(e).map_err(|e| Error::Internal(e.to_string())))
            .collect::<Result<_, _>>()?;
        write(out, "events.jsonl", (events.join("\n") + "\n").as_bytes())?;
    }
    let mut wrote_report = false;
    if outputs.report {
        pb.set_message("writing the report");
        let mut cfg = report_config(config);
        let tracked = if extras {
            let (tracked, as_of) = demo::tracked(&plan)?;
            cfg.as_of = cfg.as_of.or(Some(as_of));
            tracked
        } else {
            Vec::new()
        };
        let html = replenish::report::html_report(&data.dataset, &plan, &tracked, &cfg)?;
        write(out, "report.html", html.as_bytes())?;
        wrote_report = true;
    }
    if let Some(opts) = ubl {
        let dir = out.join("ubl");
        mkdir(&dir)?;
        for po in &plan.purchase_orders {
            write(&dir, &format!("{}.xml", po.po_number), replenish::orders::ubl::order_xml(po, opts)?.as_bytes())?;
        }
    }
    pb.inc(1);
    pb.finish_and_clear();

    let r = &data.report;
    println!(
        "Read {} items, {} suppliers, {} locations, {} sales lines ({} returns), {} days of history ({} .. {})",
        r.items,
        r.suppliers,
        r.locations,
        r.sales_lines,
        r.return_lines,
        r.demand_days,
        r.history_start.map(|d| d.to_string()).unwrap_or_default(),
        r.history_end.map(|d| d.to_string()).unwrap_or_default()
    );
    for n in &r.notes {
        println!("  note: {n}");
    }
    print!("{}", plan.summary.to_text());
    for po in &plan.purchase_orders {
        if let Some(l) = &po.load {
            println!(
                "  load {} ({} → {}): {} truck(s), {:.0}% full by {}",
                po.po_number,
                po.supplier_id,
                po.location,
                l.trucks,
                l.fill * 100.0,
                l.binding
            );
        }
    }
    for a in &plan.supplier_adjustments {
        println!("  supplier: {}", a.message);
    }
    for w in &plan.warnings {
        println!("  warning: {w}");
    }
    if email_from.is_some() {
        println!(
            "Wrote {emails} PO e-mail(s) to {}{}",
            out.join("email").display(),
            if no_email.is_empty() {
                String::new()
            } else {
                format!(" ({} PO(s) to suppliers without an e-mail address: {})", no_email.len(), no_email.join(", "))
            }
        );
    }
    println!(
        "Wrote plan.csv, purchase_orders.csv, purchase_orders.json, summary.json, quality.json, stock.json{}{}{} to {}",
        if extras { ", approvals.toml, events.jsonl (try `replenish track`)" } else { "" },
        if wrote_report { ", report.html (open it in a browser)" } else { "" },
        if ubl.is_some() { format!(" and {} UBL orders in ubl/", plan.purchase_orders.len()) } else { String::new() },
        out.display()
    );
    Ok(())
}

fn run_simulate(a: &SimulateArgs) -> Result<(), Error> {
    let mut config = load_with_rules(a.config.as_deref(), a.rules.as_deref())?;
    let inputs = match &a.data {
        Some(dir) => ingest::read_inputs(dir)?,
        None => {
            if a.skus == 0 {
                return Err(Error::InvalidInput("--skus must be at least 1".into()));
            }
            demo::generate(&demo::DemoConfig { seed: a.seed, skus: a.skus, ..Default::default() })
        }
    };
    let data = ingest::parse(&inputs, &config.ingest)?.dataset;
    config.plan.lost_sales = matches!(a.shortage, Shortage::LostSales);
    let opts = replenish::backtest::BacktestOptions {
        days: a.days,
        shortage: replenish::policy::simulate::ShortageMode::from_lost_sales(config.plan.lost_sales),
        replan: !a.plan_once,
        textbook_window_days: a.textbook_window,
    };
    let pb = spinner();
    pb.set_message("planning and simulating");
    let out = replenish::backtest::backtest(&data, &config.plan, &opts).inspect_err(|_| pb.finish_and_clear())?;
    pb.finish_and_clear();
    println!(
        "Planned as of {}{} and replayed {} day(s) to {} ({} SKU-locations, {} mode); the textbook rule on the same replay:",
        out.as_of,
        if out.replan { format!(", again at every review ({} plans),", out.plans) } else { String::new() },
        out.days,
        out.end,
        out.lines.len(),
        if config.plan.lost_sales { "lost-sales" } else { "backorder" }
    );
    print!("{}", out.to_text());
    if let Some(path) = &a.report {
        let pb = spinner();
        pb.set_message("planning as of the end of the history and writing the report");
        let plan = replenish::plan(&data, &config.plan).inspect_err(|_| pb.finish_and_clear())?;
        let mut cfg = report_config(&config);
        cfg.service = Some(out.service_table());
        let html = replenish::report::html_report(&data, &plan, &[], &cfg).inspect_err(|_| pb.finish_and_clear())?;
        pb.finish_and_clear();
        std::fs::write(path, html).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        println!("Wrote the report with this backtest to {}", path.display());
    }
    Ok(())
}

fn run_calibrate(a: &CalibrateArgs) -> Result<(), Error> {
    let cfg = replenish::policy::calibration::CalibrationConfig {
        series_per_class: a.series,
        test_days: a.days,
        seed: a.seed,
        ..Default::default()
    };
    let pb = spinner();
    pb.set_message("planning and simulating synthetic demand");
    let rows = replenish::policy::calibration::calibrate(&cfg).inspect_err(|_| pb.finish_and_clear())?;
    pb.finish_and_clear();
    println!(
        "Order-up-to (R = {} days), lead time N({}, {}²) days, {} series per class, {} simulated days each:",
        cfg.review_days, cfg.lead_time_days, cfg.lead_time_std_days, cfg.series_per_class, cfg.test_days
    );
    print!("{}", replenish::policy::calibration::to_markdown(&rows));
    Ok(())
}

fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.display().to_string(), source })
}

fn json_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("{}: {e}", path.display()))
}

/// Events from a JSON array or JSON Lines file; errors name the line.
fn read_events(path: &Path) -> Result<Vec<replenish::orders::tracking::PoEventFor>, Error> {
    let text = read_text(path)?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text).map_err(|e| json_err(path, e));
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| json_err(path, format!("line {}: {e}", i + 1)))?);
    }
    Ok(out)
}

fn run_track(a: &TrackArgs) -> Result<(), Error> {
    use replenish::orders::tracking::{self, AlertConfig, PoTracking, StockOutlook, Tolerance};
    let workflow = replenish::workflow::ApprovalConfig::from_toml(&read_text(&a.approvals)?)?.compile()?;
    let tolerance = Tolerance { under: a.tolerance, over: a.tolerance };
    let states: Vec<PoTracking> = match (&a.orders, &a.state) {
        (_, Some(state)) => serde_json::from_str(&read_text(state)?).map_err(|e| json_err(state, e))?,
        (Some(orders), None) => {
            let pos: Vec<replenish::orders::PurchaseOrder> =
                serde_json::from_str(&read_text(orders)?).map_err(|e| json_err(orders, e))?;
            pos.iter().map(|po| PoTracking::new(po, tolerance)).collect::<Result<_, _>>()?
        }
        (None, None) => return Err(Error::InvalidInput("give --orders or --state".into())),
    };
    let mut events = match &a.events {
        Some(p) => read_events(p)?,
        None => Vec::new(),
    };
    if let Some(dir) = &a.documents {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|source| Error::Io { path: dir.display().to_string(), source })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")))
            .collect();
        files.sort();
        for f in files {
            let event = replenish::orders::ubl::import_event(&read_text(&f)?)
                .map_err(|e| Error::InvalidInput(format!("{}: {e}", f.display())))?;
            events.push(event);
        }
        // Documents join the events in time order (stable: file events first on a tie).
        events.sort_by_key(|e| e.event.at());
    }
    let (states, refused) = tracking::apply_all(&workflow, states, &events);
    let as_of = a
        .as_of
        .or_else(|| events.iter().map(|e| e.event.at().date()).max())
        .or_else(|| states.iter().map(|s| s.order_date).max())
        .unwrap_or_default();
    let stock: Vec<StockOutlook> = match &a.stock {
        Some(p) => serde_json::from_str(&read_text(p)?).map_err(|e| json_err(p, e))?,
        None => Vec::new(),
    };
    let cfg = AlertConfig { acknowledgement_days: a.ack_days, ..Default::default() };
    let alerts = tracking::alerts(&states, &stock, as_of, &cfg);

    println!(
        "{} purchase order(s), {} event(s) applied, {} refused; alerts as of {as_of}:",
        states.len(),
        events.len() - refused.len(),
        refused.len()
    );
    println!(
        "{:<20} {:<8} {:<5} {:<19} {:>12} {:>10} {:>10}",
        "PO", "supplier", "to", "status", "value", "ordered", "received"
    );
    for s in &states {
        let ordered: f64 = s.lines.iter().map(|l| l.confirmed_quantity.unwrap_or(l.ordered)).sum();
        let received: f64 = s.lines.iter().map(|l| l.received).sum();
        println!(
            "{:<20} {:<8} {:<5} {:<19} {:>12.2} {:>10} {:>10}",
            s.po_number,
            s.supplier_id,
            s.location,
            s.status.as_str(),
            s.value(),
            ordered,
            received
        );
    }
    for r in &refused {
        println!("  refused event {} ({} on {}): {} — {}", r.index + 1, r.event, r.po_number, r.kind, r.message);
    }
    if alerts.is_empty() {
        println!("No alerts.");
    } else {
        println!("{} alert(s), largest projected lost sales first:", alerts.len());
        for x in alerts.iter().take(a.show) {
            println!(
                "  [{}] {} — stock-out {}, lost sales ≈ {:.0} units",
                x.kind.as_str(),
                x.message,
                x.stockout_date.map_or("not projected".to_string(), |d| d.to_string()),
                x.projected_lost_sales
            );
        }
        if alerts.len() > a.show {
            println!("  ... and {} more (all in alerts.json with --out; --show N prints more)", alerts.len() - a.show);
        }
    }
    if let Some(out) = &a.out {
        mkdir(out)?;
        write(out, "tracking.json", export::to_json(&states)?.as_bytes())?;
        write(out, "alerts.json", export::to_json(&alerts)?.as_bytes())?;
        write(out, "refused.json", export::to_json(&refused)?.as_bytes())?;
        write(out, "open_orders.csv", export::open_orders_csv(&tracking::open_orders(&states))?.as_bytes())?;
        write(out, "receipts.csv", export::receipts_csv(&tracking::receipts(&states))?.as_bytes())?;
        println!(
            "Wrote tracking.json, alerts.json, refused.json, open_orders.csv (load it with the next plan's data) and receipts.csv to {}",
            out.display()
        );
    }
    Ok(())
}

fn run_report(a: &ReportArgs) -> Result<(), Error> {
    let config = load_with_rules(a.config.as_deref(), a.rules.as_deref())?;
    let pb = spinner();
    pb.set_message("reading input tables");
    let inputs = match &a.data {
        Some(dir) => ingest::read_inputs(dir).inspect_err(|_| pb.finish_and_clear())?,
        None => demo::generate(&demo::DemoConfig::default()),
    };
    pb.inc(1);
    pb.set_message("validating");
    let data = ingest::parse(&inputs, &config.ingest).inspect_err(|_| pb.finish_and_clear())?.dataset;
    pb.inc(1);
    pb.set_message("forecasting and planning");
    let plan = replenish::plan(&data, &config.plan).inspect_err(|_| pb.finish_and_clear())?;
    pb.inc(1);
    let mut cfg = report_config(&config);
    let tracked: Vec<replenish::orders::tracking::PoTracking> = match (&a.tracking, &a.data) {
        (Some(p), _) => serde_json::from_str(&read_text(p)?).map_err(|e| json_err(p, e))?,
        (None, None) => {
            let (tracked, as_of) = demo::tracked(&plan)?;
            cfg.as_of = cfg.as_of.or(Some(as_of));
            tracked
        }
        (None, Some(_)) => Vec::new(),
    };
    if !a.series.is_empty() {
        cfg.series = a.series.clone();
    }
    if let Some(n) = a.top {
        cfg.top_series = n;
    }
    if let Some(p) = a.period {
        cfg.kpi.period = match p {
            PeriodArg::Week => replenish::kpi::Period::Week,
            PeriodArg::Month => replenish::kpi::Period::Month,
        };
    }
    if let Some(w) = a.window_days {
        cfg.kpi.window_days = w;
    }
    if a.no_accuracy {
        cfg.accuracy = None;
    }
    if a.as_of.is_some() {
        cfg.as_of = a.as_of;
    }
    if let Some(t) = &a.title {
        cfg.title = t.clone();
    }
    pb.set_message("measuring and drawing");
    let report = replenish::report::report_data(&data, &plan, &tracked, &cfg).inspect_err(|_| pb.finish_and_clear())?;
    let html = replenish::report::render_html(&report)?;
    pb.finish_and_clear();
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        mkdir(dir)?;
    }
    std::fs::write(&a.out, html.as_bytes())
        .map_err(|source| Error::Io { path: a.out.display().to_string(), source })?;
    let total = report.kpis.groups.iter().find(|g| g.group_by == "total");
    println!(
        "Report of the plan as of {}: {} SKU-locations, {} charted, {} exception(s), {} forecast origin(s)",
        report.as_of,
        report.summary.sku_locations,
        report.series.len(),
        report.exception_counts.values().sum::<usize>(),
        report.accuracy.len()
    );
    if let Some(t) = total {
        let pct = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{:.1}%", v * 100.0));
        println!(
            "  fill rate {}, stock-out rate {}, turnover {}, days of supply {}",
            pct(t.fill_rate),
            pct(t.stockout_rate),
            t.turnover.map_or("–".to_string(), |v| format!("{v:.1}×/yr")),
            t.days_of_supply.map_or("–".to_string(), |v| format!("{v:.0}"))
        );
    }
    for n in &report.notes {
        println!("  note: {n}");
    }
    println!("Wrote {} ({} KB)", a.out.display(), html.len() / 1024);
    Ok(())
}
